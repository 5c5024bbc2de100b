#include "gdpr/routes.h"

#include "gdpr/gdpr_store.h"
#include "http/problem.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::gdpr {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

std::optional<std::int64_t> citizen_id(const web::RouteContext& ctx) {
    std::int64_t id = 0;
    auto text = ctx.req.param("id");
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || p != text.data() + text.size())
        return std::nullopt;
    return id;
}

Requester requester(const web::RouteContext& ctx) { return {ctx.who.actor(), ctx.req.remote_addr}; }

http::Response no_such_citizen(const web::RouteContext& ctx) {
    return http::problem(404, "Not Found", "There is no citizen " + ctx.req.param("id") + ".");
}

// GET /api/v1/citizens/{id}/export: a download of everything stored about the person.
http::Response export_data(web::RouteContext& ctx) {
    auto id = citizen_id(ctx);
    if (!id)
        return no_such_citizen(ctx);
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return export_person(c, *id, requester(ctx), ctx.app.clock);
    });
    if (!data)
        return web::api_error(data.error(), "gdpr export");
    auto r = web::json(200, *data);
    r.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"teilhabe-person-{}.json\"", *id));
    return r;
}

// POST /api/v1/citizens/{id}/restriction {"restricted": true, "reason": "..."}.
http::Response restriction(web::RouteContext& ctx) {
    auto id = citizen_id(ctx);
    if (!id)
        return no_such_citizen(ctx);
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return web::api_error(body.error(), "restriction");
    if (!body->contains("restricted") || !(*body)["restricted"].is_boolean())
        return web::api_error(Error::invalid("restricted must be true or false", "restricted"),
                              "restriction");
    std::string reason;
    if (body->contains("reason")) {
        if (!(*body)["reason"].is_string() || (*body)["reason"].get<std::string>().size() > 1000)
            return web::api_error(Error::invalid("reason must be a text of at most 1000 characters",
                                                 "reason"),
                                  "restriction");
        reason = (*body)["reason"].get<std::string>();
    }
    auto mode = (*body)["restricted"].get<bool>() ? Restriction::Restricted : Restriction::Lifted;
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        TRY(set_restriction(c, *id, mode, reason, requester(ctx), ctx.app.clock));
        return is_restricted(c, *id);
    });
    if (!done)
        return web::api_error(done.error(), "restriction");
    return web::json(200, {{"citizen_id", *id}, {"restricted", *done}});
}

} // namespace

// Who may do what with a person's rights, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/api/v1/citizens/{id}/export", Permission::GdprRequests, Surface::Api, export_data},
        {Method::Post, "/api/v1/citizens/{id}/restriction", Permission::GdprRequests, Surface::Api, restriction},
    };
}

} // namespace teilhabe::gdpr
