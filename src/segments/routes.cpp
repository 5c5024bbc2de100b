// The segments API (ManageSegments). Errors are problem+json: a rule that is wrong names the
// part, as a JSON pointer into the body ("/rule/all/1/op") or, for rule_text, the line, column
// and word in the detail.

#include "segments/routes.h"

#include "http/problem.h"
#include "jobs/worker.h"
#include "segments/rule_json.h"
#include "segments/rule_text.h"
#include "segments/segment_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::segments {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n < 0)
        return std::nullopt;
    return n;
}

http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "segments");
}

http::Response no_such_segment() { return http::problem(404, "Not Found", "There is no such segment."); }

nlohmann::json member_json(const store::Member& m) {
    nlohmann::json j{{"citizen_id", m.citizen_id},
                     {"email", m.email},
                     {"first_name", m.first_name},
                     {"last_name", m.last_name}};
    if (m.entered_at)
        j["entered_at"] = format_iso8601(from_unix_ms(m.entered_at));
    return j;
}

http::Response list(web::RouteContext& ctx) {
    auto all = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) { return store::list(c); });
    if (!all)
        return problem(all.error());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& s : *all)
        items.push_back(to_json(s));
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response create(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Create);
    if (!in)
        return problem(in.error());
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create(c, *in, ctx.who.actor(), ctx.app.clock);
    });
    if (!created)
        return problem(created.error());
    if (ctx.app.worker)
        ctx.app.worker->notify(); // the bulk computation starts at once
    auto r = web::json(201, to_json(*created));
    r.set_header("Location", fmt::format("/api/v1/segments/{}", created->id));
    return r;
}

http::Response get(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_segment();
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
    if (!found)
        return problem(found.error());
    if (!*found)
        return no_such_segment();
    auto j = to_json(**found);
    if (ctx.app.worker)
        if (auto p = ctx.app.worker->progress().get(fmt::format("segment:{}", *id)))
            j["progress"] = {{"done", p->done}, {"total", p->total}};
    return web::json(200, j);
}

http::Response patch(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_segment();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::update(c, *id, *in, ctx.app.clock);
    });
    if (!updated)
        return updated.error().code == ErrorCode::NotFound ? no_such_segment() : problem(updated.error());
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return web::json(200, to_json(*updated));
}

http::Response remove(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_segment();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) { return store::remove(c, *id); });
    if (!done)
        return done.error().code == ErrorCode::NotFound ? no_such_segment() : problem(done.error());
    return http::Response::no_content();
}

// GET /api/v1/segments/{id}/members?cursor=&limit=: by citizen id. Who is in a group is
// personal data, so reading it is audited.
http::Response members(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_segment();
    int limit = kDefaultPage;
    if (auto text = ctx.req.query_param("limit")) {
        auto n = parse_number(*text);
        if (!n || *n < 1 || *n > kMaxPage)
            return problem(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage), "limit"));
        limit = static_cast<int>(*n);
    }
    std::int64_t after = 0;
    if (auto cursor = ctx.req.query_param("cursor"); cursor && !cursor->empty()) {
        auto n = parse_number(*cursor);
        if (!n)
            return problem(Error::invalid("cursor is not one this server handed out", "cursor"));
        after = *n;
    }
    auto page = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
        if (!TRY(store::find(c, *id)))
            return fail(Error::not_found("There is no such segment."));
        auto items = TRY(store::members(c, *id, after, limit + 1));
        bool more = static_cast<int>(items.size()) > limit;
        if (more)
            items.pop_back();
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "segment.members.read",
                                 .subject = fmt::format("segment:{}", *id),
                                 .detail = {},
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        nlohmann::json out{{"items", nlohmann::json::array()}, {"next_cursor", nullptr}};
        for (const auto& m : items)
            out["items"].push_back(member_json(m));
        if (more && !items.empty())
            out["next_cursor"] = std::to_string(items.back().citizen_id);
        return out;
    });
    if (!page)
        return page.error().code == ErrorCode::NotFound ? no_such_segment() : problem(page.error());
    return web::json(200, *page);
}

// POST /api/v1/segments/preview {"rule": ...} or {"rule_text": "..."}: who would be in it now.
http::Response preview(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    if (!in->rule)
        return problem(Error::invalid("rule or rule_text is missing", "rule"));
    auto p = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::Preview> {
        auto out = TRY(store::preview(c, *in->rule, ctx.app.clock.now()));
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "segment.previewed",
                                 .subject = "",
                                 .detail = dump_json(*in->rule),
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        return out;
    });
    if (!p)
        return problem(p.error());
    nlohmann::json sample = nlohmann::json::array();
    for (const auto& m : p->sample)
        sample.push_back(member_json(m));
    return web::json(200, {{"count", p->count},
                           {"sample", sample},
                           {"rule", to_json(*in->rule)},
                           {"rule_text", print_text(*in->rule)}});
}

} // namespace

// Who may do what with segments, on one screen. Members are people: the same permission.
std::vector<web::RouteDef> routes() {
    std::vector<web::RouteDef> out = {
        {Method::Get, "/api/v1/segments", Permission::ManageSegments, Surface::Api, list},
        {Method::Post, "/api/v1/segments", Permission::ManageSegments, Surface::Api, create},
        {Method::Post, "/api/v1/segments/preview", Permission::ManageSegments, Surface::Api, preview},
        {Method::Get, "/api/v1/segments/{id}", Permission::ManageSegments, Surface::Api, get},
        {Method::Patch, "/api/v1/segments/{id}", Permission::ManageSegments, Surface::Api, patch},
        {Method::Delete, "/api/v1/segments/{id}", Permission::ManageSegments, Surface::Api, remove},
        {Method::Get, "/api/v1/segments/{id}/members", Permission::ManageSegments, Surface::Api,
         members},
    };
    auto pages = page_routes();
    out.insert(out.end(), pages.begin(), pages.end());
    return out;
}

} // namespace teilhabe::segments
