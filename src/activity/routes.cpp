#include "base/email.h"
#include "activity/routes.h"

#include "activity/activity_store.h"
#include "activity/timeline_store.h"
#include "http/problem.h"
#include "security/crypto.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace teilhabe::activity {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;
// An activity may say it happened a little in the future (clocks of other systems drift), not
// more: a point in the future would sort above everything that really happens until then.
constexpr std::int64_t kFutureToleranceMs = 5 * 60 * 1000;

nlohmann::json to_json(const Activity& a, const std::map<std::string, std::string>& names = {}) {
    nlohmann::json j{
        {"id", a.id},
        {"type", a.type},
        {"citizen_id", a.citizen_id ? nlohmann::json(*a.citizen_id) : nlohmann::json(nullptr)},
        {"object", a.object},
        {"props", nlohmann::json::parse(a.props, nullptr, false)},
        {"occurred_at", format_iso8601(a.occurred_at)},
        {"recorded_at", format_iso8601(a.recorded_at)},
        {"actor", a.actor},
    };
    if (auto it = names.find(a.actor); it != names.end())
        j["actor_name"] = it->second;
    return j;
}

// The request body -> an activity, without the person (resolved inside the transaction).
struct Posted {
    Activity activity;
    std::optional<std::int64_t> citizen_id;
    std::optional<std::string> email;
};

Result<Posted> parse_posted(const nlohmann::json& body, const Clock& clock) {
    Posted p;
    auto& a = p.activity;
    if (!body.contains("type") || !body["type"].is_string())
        return fail(Error::invalid("type is required, e.g. \"library.loan\"", "type"));
    a.type = body["type"].get<std::string>();
    if (body.contains("citizen_id") && !body["citizen_id"].is_null()) {
        if (!body["citizen_id"].is_number_integer())
            return fail(Error::invalid("citizen_id must be an integer", "citizen_id"));
        p.citizen_id = body["citizen_id"].get<std::int64_t>();
    }
    if (body.contains("email") && !body["email"].is_null()) {
        if (!body["email"].is_string())
            return fail(Error::invalid("email must be a string", "email"));
        p.email = normalise_email(body["email"].get<std::string>());
    }
    if (!p.citizen_id && !p.email)
        return fail(Error::invalid("say whose activity it is: citizen_id or email", "citizen_id"));
    if (p.citizen_id && p.email)
        return fail(Error::invalid("give either citizen_id or email, not both", "email"));
    if (body.contains("object") && !body["object"].is_null()) {
        if (!body["object"].is_string())
            return fail(Error::invalid("object must be a string, e.g. \"book:4711\"", "object"));
        a.object = body["object"].get<std::string>();
    }
    if (body.contains("props") && !body["props"].is_null()) {
        if (!body["props"].is_object())
            return fail(Error::invalid("props must be a JSON object", "props"));
        a.props = body["props"].dump();
    }
    if (body.contains("occurred_at") && !body["occurred_at"].is_null()) {
        if (!body["occurred_at"].is_string())
            return fail(Error::invalid("occurred_at must be a date-time string", "occurred_at"));
        auto t = parse_rfc3339(body["occurred_at"].get<std::string>());
        if (!t)
            return fail(Error::invalid("occurred_at: " + t.error().message, "occurred_at"));
        if (to_unix_ms(*t) > clock.now_ms() + kFutureToleranceMs)
            return fail(Error::invalid("occurred_at lies in the future", "occurred_at"));
        a.occurred_at = *t;
    }
    for (const auto& [key, _] : body.items())
        if (key != "type" && key != "citizen_id" && key != "email" && key != "object" &&
            key != "props" && key != "occurred_at")
            return fail(Error::invalid("unknown member '" + key + "'", key));
    return p;
}

// POST /api/v1/activities. The Idempotency-Key makes a retry by the other system safe: the same
// key with the same request answers the activity recorded the first time.
http::Response record(web::RouteContext& ctx) {
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty())
        return http::problem(400, "Bad Request",
                             "Send an Idempotency-Key header (e.g. a UUID) so that a retry "
                             "cannot record the activity twice.",
                             "Idempotency-Key");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return web::api_error(body.error(), "activities");
    auto posted = parse_posted(*body, ctx.app.clock);
    if (!posted)
        return web::api_error(posted.error(), "activities");
    Activity a = std::move(posted->activity);
    a.actor = ctx.who.actor();
    a.idempotency_key = std::string(*key);
    if (auto v = validate_external(a); !v)
        return web::api_error(v.error(), "activities");

    auto result = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Appended> {
        Activity candidate = a;
        if (posted->citizen_id) {
            if (!TRY(citizen_exists(c, *posted->citizen_id)))
                return fail(Error::invalid(
                    fmt::format("there is no citizen with id {}", *posted->citizen_id), "citizen_id"));
            candidate.citizen_id = posted->citizen_id;
        } else {
            auto id = TRY(citizen_by_email(c, *posted->email));
            if (!id)
                return fail(Error::invalid("there is no citizen with this e-mail address", "email"));
            candidate.citizen_id = id;
        }
        auto appended = TRY(append_once(c, candidate, ctx.app.clock));
        // An activity adds to what is stored about the person (their timeline): audited like
        // any change of personal data, with the type but not the details (GDPR Art. 5(2)).
        if (appended.outcome == Appended::Outcome::Created)
            TRY(staff::store::audit(c,
                                    {.actor = ctx.who.actor(),
                                     .action = "activity.recorded",
                                     .subject = fmt::format("citizen:{}", *candidate.citizen_id),
                                     .detail = candidate.type,
                                     .ip = ctx.req.remote_addr},
                                    ctx.app.clock));
        return appended;
    });
    if (!result)
        return web::api_error(result.error(), "activities");
    // A replay answers 200 with what the first request recorded; only the first is 201.
    if (result->outcome == Appended::Outcome::Replayed)
        return web::json(200, to_json(result->activity));
    return web::json(201, to_json(result->activity));
}

Result<std::optional<TimelineCursor>> decode_cursor(const std::optional<std::string>& text) {
    if (!text || text->empty())
        return std::optional<TimelineCursor>{};
    auto colon = text->find('.');
    TimelineCursor c;
    const char* s = text->data();
    auto bad = [] { return fail(Error::invalid("cursor is not one this server handed out", "cursor")); };
    if (colon == std::string::npos)
        return bad();
    auto [p1, e1] = std::from_chars(s, s + colon, c.occurred_at_ms);
    auto [p2, e2] = std::from_chars(s + colon + 1, s + text->size(), c.id);
    if (e1 != std::errc{} || e2 != std::errc{} || p1 != s + colon || p2 != s + text->size())
        return bad();
    return std::optional<TimelineCursor>(c);
}

Result<int> page_size(const std::optional<std::string>& text) {
    if (!text)
        return kDefaultPage;
    int n = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc{} || p != text->data() + text->size() || n < 1 || n > kMaxPage)
        return fail(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage), "limit"));
    return n;
}

// GET /api/v1/citizens/{id}/timeline: every activity of a person, newest first, with who did
// it. Reading it is reading personal data, so it is audited.
http::Response timeline(web::RouteContext& ctx) {
    std::int64_t id = 0;
    auto param = ctx.req.param("id");
    auto [p, ec] = std::from_chars(param.data(), param.data() + param.size(), id);
    if (ec != std::errc{} || p != param.data() + param.size())
        return http::problem(404, "Not Found", "There is no citizen " + param + ".");
    auto limit = page_size(ctx.req.query_param("limit"));
    if (!limit)
        return web::api_error(limit.error(), "timeline");
    auto cursor = decode_cursor(ctx.req.query_param("cursor"));
    if (!cursor)
        return web::api_error(cursor.error(), "timeline");

    auto page = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
        if (!TRY(citizen_exists(c, id)))
            return fail(Error::not_found(fmt::format("There is no citizen {}.", id)));
        auto items = TRY(for_citizen_page(c, id, *cursor, *limit + 1));
        bool more = static_cast<int>(items.size()) > *limit;
        if (more)
            items.pop_back();
        std::set<std::string> actors;
        for (const auto& a : items)
            actors.insert(a.actor);
        auto names = TRY(actor_names(c, actors));
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "citizen.timeline.read",
                                 .subject = fmt::format("citizen:{}", id),
                                 .detail = {},
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        nlohmann::json out{{"items", nlohmann::json::array()}, {"next_cursor", nullptr}};
        for (const auto& a : items)
            out["items"].push_back(to_json(a, names));
        if (more && !items.empty())
            out["next_cursor"] = fmt::format("{}.{}", to_unix_ms(items.back().occurred_at), items.back().id);
        return out;
    });
    if (!page)
        return web::api_error(page.error(), "timeline");
    return web::json(200, *page);
}

} // namespace

// Who may do what with activities, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Post, "/api/v1/activities", Permission::RecordActivities, Surface::Api, record},
        {Method::Get, "/api/v1/citizens/{id}/timeline", Permission::ReadCitizens, Surface::Api, timeline},
    };
}

} // namespace teilhabe::activity
