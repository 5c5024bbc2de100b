// The points API (SPEC "Public contract"): GET /api/v1/citizens/{id}/points, POST
// /api/v1/points/awards with an Idempotency-Key, and the rules' CRUD.

#include "points/api_routes.h"

#include "activity/timeline_store.h"
#include "http/problem.h"
#include "ledger/ledger_store.h"
#include "points/points_json.h"
#include "points/points_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace teilhabe::points::api {

namespace {

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

// A value understood but not acceptable is 422 naming the member; malformed requests 400.
http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "points");
}

http::Response no_rule() { return http::problem(404, "Not Found", "There is no such points rule."); }

Result<void> audit(db::Connection& c, web::RouteContext& ctx, std::string action,
                   std::string subject, std::string detail) {
    return staff::store::audit(c,
                               {.actor = ctx.who.actor(),
                                .action = std::move(action),
                                .subject = std::move(subject),
                                .detail = std::move(detail),
                                .ip = ctx.req.remote_addr},
                               ctx.app.clock);
}

} // namespace

Result<nlohmann::json> points_of(db::Connection& c, std::int64_t citizen_id, int limit,
                                 std::int64_t before) {
    using ledger::AccountRef;
    using ledger::Currency;
    auto pts = TRY(ledger::balance(c, AccountRef::citizen(citizen_id)));
    auto st = TRY(ledger::balance(c, AccountRef::citizen(citizen_id, Currency::Stadttaler)));
    auto a = TRY(ledger::entries(c, AccountRef::citizen(citizen_id), limit + 1, before));
    auto b = TRY(ledger::entries(c, AccountRef::citizen(citizen_id, Currency::Stadttaler),
                                 limit + 1, before));
    a.insert(a.end(), b.begin(), b.end());
    std::ranges::sort(a, [](const auto& x, const auto& y) { return x.transfer_id > y.transfer_id; });
    bool more = static_cast<int>(a.size()) > limit;
    a.resize(std::min<std::size_t>(a.size(), static_cast<std::size_t>(limit)));
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : a)
        entries.push_back(to_json(e));
    auto expiry = TRY(ledger::pending_expiry(c, citizen_id));
    return nlohmann::json{
        {"balances", {{"points", pts}, {"stadttaler", st}}},
        {"entries", entries},
        {"expiring", {{"points", expiry.amount},
                      {"next_at", expiry.next_at ? nlohmann::json(format_iso8601(*expiry.next_at))
                                                 : nlohmann::json(nullptr)}}},
        {"next_cursor", more && !a.empty() ? nlohmann::json(std::to_string(a.back().transfer_id))
                                           : nlohmann::json(nullptr)}};
}

// GET /api/v1/citizens/{id}/points. Reading a person's ledger is reading personal data: audited.
http::Response citizen_points(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return http::problem(404, "Not Found", "There is no such citizen.");
    int limit = 50;
    if (auto l = ctx.req.query_param("limit")) {
        auto n = parse_id(*l);
        if (!n || *n > 200)
            return problem(Error::invalid("limit must be between 1 and 200", "limit"));
        limit = static_cast<int>(*n);
    }
    std::int64_t before = 0;
    if (auto cur = ctx.req.query_param("cursor"); cur && !cur->empty()) {
        auto n = parse_id(*cur);
        if (!n)
            return problem(Error::invalid("cursor is not one this server handed out", "cursor"));
        before = *n;
    }
    auto out = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
        if (!TRY(activity::citizen_exists(c, *id)))
            return fail(Error::not_found(fmt::format("There is no citizen {}.", *id)));
        auto j = TRY(points_of(c, *id, limit, before));
        TRY(audit(c, ctx, "points.read", fmt::format("citizen:{}", *id), ""));
        return j;
    });
    if (!out)
        return problem(out.error());
    return web::json(200, *out);
}

// POST /api/v1/points/awards {"citizen_id", "points", "reason"} with Idempotency-Key: a manual
// award (goodwill, corrections upwards). A retry with the same key and body answers the first
// award (200); the same key with another body is 409.
http::Response award(web::RouteContext& ctx) {
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty() || key->size() > 200)
        return http::problem(400, "Bad Request",
                             "Send an Idempotency-Key header (e.g. a UUID, at most 200 characters) "
                             "so that a retry cannot award twice.",
                             "Idempotency-Key");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    for (const auto& [k, _] : body->items())
        if (k != "citizen_id" && k != "points" && k != "reason")
            return problem(Error::invalid("unknown member '" + k + "'", k));
    if (!body->contains("citizen_id") || !(*body)["citizen_id"].is_number_integer())
        return problem(Error::invalid("citizen_id is required (an integer)", "citizen_id"));
    if (!body->contains("points") || !(*body)["points"].is_number_integer())
        return problem(Error::invalid("points is required (a positive integer)", "points"));
    if (!body->contains("reason") || !(*body)["reason"].is_string())
        return problem(Error::invalid("reason is required: say why", "reason"));
    auto citizen = (*body)["citizen_id"].get<std::int64_t>();
    auto pts = (*body)["points"].get<std::int64_t>();
    auto reason = (*body)["reason"].get<std::string>();
    struct Out {
        ledger::Transfer t;
        bool replay{false};
    };
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Out> {
        if (!TRY(activity::citizen_exists(c, citizen)))
            return fail(Error::invalid(fmt::format("there is no citizen with id {}", citizen),
                                       "citizen_id"));
        auto before = TRY(ledger::find_by_key(c, "points:manual:" + std::string(*key)));
        auto t = TRY(manual_award(c, citizen, pts, reason, *key, ctx.who.actor(), ctx.app.clock.now()));
        if (!before)
            TRY(audit(c, ctx, "points.awarded", fmt::format("citizen:{}", citizen),
                      fmt::format("{} points", pts)));
        return Out{t, before.has_value()};
    });
    if (!done && done.error().code == ErrorCode::AlreadyExists)
        return http::problem(409, "Conflict",
                             "This Idempotency-Key was used for another request.", "Idempotency-Key");
    if (!done)
        return problem(done.error());
    return web::json(done->replay ? 200 : 201, to_json(done->t));
}

// POST /api/v1/points/corrections {"citizen_id", "transfer_id", "reason"} with Idempotency-Key:
// the reversal of one of the person's transfers (never an edit).
http::Response correction(web::RouteContext& ctx) {
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty() || key->size() > 200)
        return http::problem(400, "Bad Request", "Send an Idempotency-Key header.", "Idempotency-Key");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    for (auto name : {"citizen_id", "transfer_id"})
        if (!body->contains(name) || !(*body)[name].is_number_integer())
            return problem(Error::invalid(fmt::format("{} is required (an integer)", name), name));
    if (!body->contains("reason") || !(*body)["reason"].is_string())
        return problem(Error::invalid("reason is required: say why", "reason"));
    auto citizen = (*body)["citizen_id"].get<std::int64_t>();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<ledger::Transfer> {
        auto t = TRY(correct(c, citizen, (*body)["transfer_id"].get<std::int64_t>(),
                             (*body)["reason"].get<std::string>(), *key, ctx.who.actor(),
                             ctx.app.clock.now()));
        TRY(audit(c, ctx, "points.corrected", fmt::format("citizen:{}", citizen),
                  fmt::format("transfer {}", t.reverses.value_or(0))));
        return t;
    });
    if (!done && done.error().code == ErrorCode::FailedPrecondition)
        return http::problem(409, "Conflict", done.error().message);
    if (!done)
        return problem(done.error());
    return web::json(201, to_json(*done));
}

http::Response list(web::RouteContext& ctx) {
    auto rules = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) { return list_rules(c); });
    if (!rules)
        return problem(rules.error());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : *rules)
        items.push_back(to_json(r));
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response create(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto r = rule_from_json(*body);
    if (!r)
        return problem(r.error());
    auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Rule> {
        auto rule = TRY(create_rule(c, *r, ctx.app.clock.now()));
        TRY(audit(c, ctx, "points.rule_created", fmt::format("points_rule:{}", rule.id), rule.name));
        return rule;
    });
    if (!made)
        return problem(made.error());
    return web::json(201, to_json(*made));
}

http::Response get(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_rule();
    auto r = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return find_rule(c, *id); });
    if (!r && r.error().code == ErrorCode::NotFound)
        return no_rule();
    if (!r)
        return problem(r.error());
    return web::json(200, to_json(*r));
}

// PATCH changes the members sent; DELETE disables the rule (its awards stay in the ledger and
// keep counting for the caps, so it is never removed).
http::Response change(web::RouteContext& ctx, bool disable) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_rule();
    nlohmann::json body = nlohmann::json{{"enabled", false}};
    if (!disable) {
        auto b = web::read_json_object(ctx.req);
        if (!b)
            return problem(b.error());
        body = *b;
    }
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Rule> {
        auto current = TRY(find_rule(c, *id));
        auto next = TRY(rule_from_json(body, current));
        next.id = *id;
        auto saved = TRY(update_rule(c, next, ctx.app.clock.now()));
        TRY(audit(c, ctx, disable ? "points.rule_disabled" : "points.rule_changed",
                  fmt::format("points_rule:{}", *id), saved.name));
        return saved;
    });
    if (!r && r.error().code == ErrorCode::NotFound)
        return no_rule();
    if (!r)
        return problem(r.error());
    if (disable)
        return http::Response{.status = 204};
    return web::json(200, to_json(*r));
}

http::Response patch(web::RouteContext& ctx) { return change(ctx, false); }
http::Response remove(web::RouteContext& ctx) { return change(ctx, true); }

} // namespace teilhabe::points::api
