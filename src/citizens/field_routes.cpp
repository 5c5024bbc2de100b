// Handlers of /api/v1/fields: the municipality's own data model.

#include "citizens/field_store.h"
#include "citizens/route_support.h"
#include "http/problem.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::citizens::detail {

namespace {

// A key that cannot exist is answered 404 without asking the database (and without echoing
// text that may not even be UTF-8).
std::optional<http::Response> unknown_key(const std::string& key) {
    if (valid_field_key(key))
        return std::nullopt;
    return http::problem(404, "Not Found", "There is no such field.");
}

http::Response field_created(const FieldDefinition& d) {
    auto r = web::json(201, to_json(d));
    r.set_header("Location", "/api/v1/fields/" + d.key);
    return r;
}

// DELETE may carry {"confirm": true} instead of ?force=true; any other body is ignored.
Confirm confirm_in_body(const http::Request& req) {
    if (req.body.empty())
        return Confirm::No;
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    return j.is_object() && j.value("confirm", false) == true ? Confirm::Yes : Confirm::No;
}

} // namespace

http::Response list_fields(web::RouteContext& ctx) {
    auto fields = ctx.app.db.transaction(db::TxMode::Read,
                                         [](db::Connection& c) { return store::list_fields(c); });
    if (!fields)
        return problem(fields.error(), "fields");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& f : *fields)
        items.push_back(to_json(f));
    // All definitions fit one page; next_cursor keeps the shape of every list.
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response get_field(web::RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    if (auto r = unknown_key(key))
        return *r;
    auto found = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::find_field(c, key); });
    if (!found)
        return problem(found.error(), "fields");
    if (!*found)
        return http::problem(404, "Not Found", fmt::format("There is no field '{}'.", key));
    return web::json(200, to_json(**found));
}

http::Response create_field(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error(), "fields");
    auto in = parse_field_input(*body, InputMode::Create);
    if (!in)
        return body_problem(in.error(), "fields");
    auto created = ctx.app.db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
            auto scope = TRY(field_scope(c, ctx.who));
            return store::create_field(c, *in, scope, actor_of(ctx), ctx.app.clock);
        });
    if (!created)
        return body_problem(created.error(), "fields");
    return field_created(*created);
}

http::Response patch_field(web::RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    if (auto r = unknown_key(key))
        return *r;
    auto force = read_force(ctx.req);
    if (!force)
        return problem(force.error(), "fields");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error(), "fields");
    auto in = parse_field_input(*body, InputMode::Patch);
    if (!in)
        return body_problem(in.error(), "fields");
    in->confirm = in->confirm || *force == Confirm::Yes;
    auto updated = ctx.app.db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
            auto scope = TRY(field_scope(c, ctx.who));
            return store::update_field(c, key, *in, scope, actor_of(ctx), ctx.app.clock);
        });
    if (!updated)
        return body_problem(updated.error(), "fields");
    return web::json(200, to_json(*updated));
}

http::Response delete_field(web::RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    if (auto r = unknown_key(key))
        return *r;
    auto force = read_force(ctx.req);
    if (!force)
        return problem(force.error(), "fields");
    Confirm confirm = *force == Confirm::Yes ? Confirm::Yes : confirm_in_body(ctx.req);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto scope = TRY(field_scope(c, ctx.who));
        return store::delete_field(c, key, confirm, scope, actor_of(ctx), ctx.app.clock);
    });
    if (!done)
        return problem(done.error(), "fields");
    return http::Response::no_content();
}

} // namespace teilhabe::citizens::detail
