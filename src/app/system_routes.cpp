#include "app/system_routes.h"

#include "app/openapi.h"
#include "db/migrator.h"
#include "http/problem.h"
#include "web/respond.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::app {

using http::Method;
using staff::Permission;
using web::RouteContext;
using web::Surface;

namespace {

// Liveness and database reachability: 200 when a query goes through, 503 otherwise.
http::Response healthz(RouteContext& ctx) {
    auto ping = ctx.app.db.ping();
    nlohmann::json body{{"status", ping ? "ok" : "unavailable"},
                        {"database", ping ? "ok" : "unreachable"},
                        {"backend", ctx.app.db.backend() == db::Backend::Sqlite ? "sqlite"
                                                                                 : "postgresql"}};
    if (!ping) {
        spdlog::warn("healthz: {}", ping.error().message);
        return http::Response::text(503, body.dump(), "application/json");
    }
    return web::json(200, body);
}

http::Response metrics(RouteContext& ctx) {
    std::string text = ctx.app.metrics.render_prometheus();
    auto counts = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query("SELECT state, count(*) FROM jobs GROUP BY state");
    });
    if (counts) {
        text += "# HELP teilhabe_jobs Durable jobs by state.\n# TYPE teilhabe_jobs gauge\n";
        for (const auto& r : counts->rows)
            text += "teilhabe_jobs{state=\"" + r.get_text(0) + "\"} " +
                    std::to_string(r.get_int(1)) + "\n";
    }
    text += std::string("# HELP teilhabe_up 1 while the database answers.\n# TYPE teilhabe_up "
                        "gauge\nteilhabe_up ") +
            (ctx.app.db.ping() ? "1" : "0") + "\n";
    return http::Response::text(200, text, "text/plain; version=0.0.4; charset=utf-8");
}

std::string content_type_for(const std::string& path) {
    if (path.ends_with(".css"))
        return "text/css; charset=utf-8";
    if (path.ends_with(".js"))
        return "text/javascript; charset=utf-8";
    if (path.ends_with(".svg"))
        return "image/svg+xml";
    if (path.ends_with(".png"))
        return "image/png";
    if (path.ends_with(".json"))
        return "application/json";
    return "application/octet-stream";
}

http::Response static_files(RouteContext& ctx) {
    std::string path = ctx.req.param("file");
    auto body = web::static_file(path);
    if (!body)
        return http::problem(404, "Not Found", "No such file.");
    auto r = http::Response::text(200, std::string(*body), content_type_for(path));
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
}

http::Response root(RouteContext&) { return http::Response::redirect("/admin", 302); }

http::Response me(RouteContext& ctx) {
    const auto& w = ctx.who;
    return web::json(200, {{"kind", w.kind == web::Principal::Kind::ApiKey ? "api_key" : "staff"},
                           {"id", w.id},
                           {"name", w.name},
                           {"role", staff::to_string(w.role)}});
}

http::Response openapi(RouteContext& ctx) {
    return http::Response::text(200, openapi_document(ctx.app.settings.base_url).dump(2),
                                "application/json");
}

} // namespace

std::vector<web::RouteDef> system_routes() {
    return {
        {Method::Get, "/", Permission::Public, Surface::Page, root},
        {Method::Get, "/healthz", Permission::Public, Surface::Api, healthz},
        {Method::Get, "/metrics", Permission::Metrics, Surface::Api, metrics},
        {Method::Get, "/static/{file...}", Permission::Public, Surface::Page, static_files},
        {Method::Get, "/api/v1/me", Permission::AnyStaff, Surface::Api, me},
        {Method::Get, "/api/v1/openapi.json", Permission::Public, Surface::Api, openapi},
    };
}

} // namespace teilhabe::app
