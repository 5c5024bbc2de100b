#include "portal/login_service.h"
#include "portal/page_support.h"
#include "portal/pages.h"
#include "web/cookies.h"
#include "web/respond.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::portal {

using namespace detail;
using web::RouteContext;

namespace {

std::string portal_next(const std::string& next) {
    auto n = web::safe_next(next, "/portal");
    if (!n.starts_with("/portal") || n.starts_with("/portal/login"))
        return "/portal";
    return n;
}

LoginService logins(RouteContext& ctx) {
    return LoginService(ctx.app.db, ctx.app.clock, ctx.app.secret);
}

std::string device_cookie(RouteContext& ctx) {
    return ctx.req.cookie(web::portal_device_cookie_name(ctx.app.settings)).value_or("");
}

http::Response render_login(RouteContext& ctx, int status, const std::string& email,
                            const std::string& error, const std::string& next,
                            const std::string& notice = {}) {
    return web::bare_page(ctx, status, "portal_login",
                          {{"email", email}, {"error", error}, {"next", next}, {"notice", notice}},
                          web::texts(ctx.locale)["portal_login"].value("title", "Log-in"));
}

http::Response render_code(RouteContext& ctx, int status, const std::string& ticket,
                           const std::string& next, const std::string& error) {
    nlohmann::json data{{"ticket", ticket}, {"next", next}};
    if (!error.empty())
        add_field_error(data, "code", error);
    return web::bare_page(ctx, status, "portal_login_code", data, text(ctx, "code_title"));
}

http::Response signed_in(RouteContext& ctx, const LoginOutcome& out, const std::string& next) {
    auto r = http::Response::redirect(next);
    set_session_cookies(ctx, r, *out.session, out.device_cookie);
    return r;
}

} // namespace

http::Response login_form(RouteContext& ctx) {
    if (ctx.who.is_citizen())
        return http::Response::redirect("/portal");
    std::string notice;
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "logout-all")
        notice = text(ctx, "logged_out_everywhere");
    return render_login(ctx, 200, "", "",
                        web::safe_next(ctx.req.query_param("next").value_or(""), ""), notice);
}

http::Response login_submit(RouteContext& ctx) {
    auto email = form(ctx, "email");
    auto next = portal_next(form(ctx, "next"));
    auto out =
        logins(ctx).login({email, form(ctx, "password"), device_cookie(ctx), client_of(ctx)});
    const auto& t = web::texts(ctx.locale)["portal_login"];
    if (!out) {
        switch (out.error().code) {
        case ErrorCode::Unauthenticated:
            return render_login(ctx, 401, email, t.value("failed", "failed"), next);
        case ErrorCode::ResourceExhausted:
            return render_login(ctx, 429, email, text(ctx, "throttled"), next);
        default:
            spdlog::error("portal log-in failed: {}", out.error().message);
            return render_login(ctx, 503, email, t.value("unavailable", "unavailable"), next);
        }
    }
    if (!out->session)
        return render_code(ctx, 200, out->ticket, next, "");
    return signed_in(ctx, *out, next);
}

http::Response login_code_submit(RouteContext& ctx) {
    auto ticket = form(ctx, "ticket");
    auto next = portal_next(form(ctx, "next"));
    auto out =
        logins(ctx).second_factor(ticket, form(ctx, "code"), device_cookie(ctx), client_of(ctx));
    if (!out) {
        switch (out.error().code) {
        case ErrorCode::Unauthenticated:
            return render_code(ctx, 401, ticket, next, text(ctx, "code_wrong"));
        case ErrorCode::ResourceExhausted:
            return render_code(ctx, 429, ticket, next, text(ctx, "throttled"));
        case ErrorCode::FailedPrecondition:
            return render_login(ctx, 401, "", text(ctx, "code_expired"), next);
        default:
            spdlog::error("portal second factor failed: {}", out.error().message);
            return render_login(ctx, 503, "", text(ctx, "unavailable"), next);
        }
    }
    return signed_in(ctx, *out, next);
}

} // namespace teilhabe::portal
