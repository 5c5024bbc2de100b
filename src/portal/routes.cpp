#include "portal/routes.h"

#include "portal/session_service.h"
#include "web/cookies.h"
#include "web/respond.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::portal {

using http::Method;
using staff::Permission;
using web::RouteContext;
using web::Surface;

namespace {

std::string text(RouteContext& ctx, const char* group, const char* key) {
    return web::texts(ctx.locale)[group].value(key, key);
}

Client client_of(const RouteContext& ctx) {
    return {ctx.req.remote_addr, std::string(ctx.req.header("user-agent").value_or(""))};
}

http::Response render_login(RouteContext& ctx, int status, const std::string& email,
                            const std::string& error, const std::string& next) {
    return web::bare_page(ctx, status, "portal_login",
                          {{"email", email}, {"error", error}, {"next", next}},
                          text(ctx, "portal_login", "title"));
}

http::Response login_form(RouteContext& ctx) {
    if (ctx.who.is_citizen())
        return http::Response::redirect("/portal");
    return render_login(ctx, 200, "", "",
                        web::safe_next(ctx.req.query_param("next").value_or(""), ""));
}

http::Response login_submit(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    std::string email = web::form_value(form, "email");
    std::string next = web::safe_next(web::form_value(form, "next"), "/portal");
    if (!next.starts_with("/portal") || next.starts_with("/portal/login"))
        next = "/portal";
    SessionService sessions(ctx.app.db, ctx.app.clock);
    auto session = sessions.login(email, web::form_value(form, "password"), client_of(ctx));
    if (!session) {
        if (session.error().code == ErrorCode::Unauthenticated)
            return render_login(ctx, 401, email, text(ctx, "portal_login", "failed"), next);
        spdlog::error("portal log-in failed: {}", session.error().message);
        return render_login(ctx, 503, email, text(ctx, "portal_login", "unavailable"), next);
    }
    auto& s = ctx.app.settings;
    auto absolute =
        std::chrono::duration_cast<std::chrono::seconds>(sessions.policy().absolute_timeout);
    auto r = http::Response::redirect(next);
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(s, web::portal_session_cookie_name(s), session->token,
                                            static_cast<long>(absolute.count())));
    return r;
}

http::Response logout(RouteContext& ctx) {
    auto& s = ctx.app.settings;
    if (ctx.who.citizen)
        if (auto r = SessionService(ctx.app.db, ctx.app.clock).logout(ctx.who.citizen->token); !r)
            spdlog::error("portal log-out: {}", r.error().message);
    auto r = http::Response::redirect("/portal/login");
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(s, web::portal_session_cookie_name(s), "", 0));
    return r;
}

} // namespace

web::CitizenSessionResolver session_resolver(db::Database& db, const Clock& clock) {
    return [&db, &clock](const std::string& token) -> Result<std::optional<web::CitizenIdentity>> {
        auto s = TRY(SessionService(db, clock).resolve(token));
        if (!s)
            return std::optional<web::CitizenIdentity>{};
        return std::optional<web::CitizenIdentity>(
            web::CitizenIdentity{s->account_id, s->citizen_id, s->email, s->csrf_token, s->token});
    };
}

std::vector<web::RouteDef> routes() {
    return {
        // Signed in: the citizen's own pages (the home page and the rest: portal/me_routes.h).
        {Method::Post, "/portal/logout", Permission::Citizen, Surface::Page, logout},
        // Anyone: the log-in (CSRF by the anonymous double-submit cookie).
        {Method::Get, "/portal/login", Permission::Public, Surface::Page, login_form},
        {Method::Post, "/portal/login", Permission::Public, Surface::Page, login_submit},
    };
}

} // namespace teilhabe::portal
