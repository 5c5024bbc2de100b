#include "admin/second_factor_pages.h"

#include "security/totp.h"
#include "web/cookies.h"
#include "web/qr_svg.h"
#include "web/respond.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::admin {

using web::RouteContext;

namespace {

std::string text(RouteContext& ctx, const char* key) {
    return web::texts(ctx.locale)["login"].value(key, key);
}

std::string form(RouteContext& ctx, std::string_view name) {
    return web::form_value(http::parse_form(ctx.req.body), name);
}

std::string safe_admin_next(const std::string& next) {
    auto n = web::safe_next(next, "/admin");
    return n.starts_with("/admin") && !n.starts_with("/admin/login") ? n : "/admin";
}

staff::LoginRequest request_of(RouteContext& ctx) {
    auto& s = ctx.app.settings;
    return {"", "", ctx.req.remote_addr, std::string(ctx.req.header("user-agent").value_or("")),
            ctx.req.cookie(web::device_cookie_name(s)).value_or("")};
}

http::Response render_code(RouteContext& ctx, int status, const std::string& ticket,
                           const std::string& next, const std::string& error) {
    return web::bare_page(ctx, status, "login_code",
                          {{"ticket", ticket}, {"next", next}, {"error", error}},
                          text(ctx, "code_title"));
}

http::Response render_enrol(RouteContext& ctx, int status, const std::string& ticket,
                            const std::string& next, const std::string& secret,
                            const std::string& account, const std::string& error) {
    // The account is only the label the app shows; the ticket says who signs in.
    auto uri = security::otpauth_uri("Teilhabe " + ctx.app.settings.town_name, account, secret);
    return web::bare_page(ctx, status, "login_enrol",
                          {{"ticket", ticket},
                           {"next", next},
                           {"account", account},
                           {"secret", secret},
                           {"secret_grouped", security::grouped(secret)},
                           {"uri", uri},
                           {"qr", web::qr_svg(uri, text(ctx, "qr_label")).value_or("")},
                           {"error", error}},
                          text(ctx, "enrol_title"));
}

http::Response to_login(RouteContext& ctx, const std::string& next) {
    (void)ctx;
    return http::Response::redirect("/admin/login?next=" + http::url_encode(next) + "&expired=1");
}

} // namespace

http::Response signed_in(RouteContext& ctx, const staff::LoginResult& result,
                         const std::string& next) {
    auto& s = ctx.app.settings;
    auto absolute =
        std::chrono::duration_cast<std::chrono::seconds>(ctx.app.auth.policy().absolute_timeout);
    auto r = http::Response::redirect(next);
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(s, web::session_cookie_name(s), result.session.token,
                                            static_cast<long>(absolute.count())));
    r.headers.emplace_back("Set-Cookie", web::make_cookie(s, web::device_cookie_name(s),
                                                          result.device_cookie, 365L * 24 * 3600));
    return r;
}

http::Response second_factor_step(RouteContext& ctx, const staff::LoginResult& result,
                                  const std::string& next) {
    if (result.next == staff::LoginResult::Next::Enrol)
        return render_enrol(ctx, 200, result.ticket, next, security::new_totp_secret(),
                            result.session.user.email, "");
    return render_code(ctx, 200, result.ticket, next, "");
}

http::Response login_code_submit(RouteContext& ctx) {
    auto ticket = form(ctx, "ticket");
    auto next = safe_admin_next(form(ctx, "next"));
    auto result = ctx.app.auth.second_factor(ticket, form(ctx, "code"), request_of(ctx));
    if (!result) {
        switch (result.error().code) {
        case ErrorCode::Unauthenticated:
            return render_code(ctx, 401, ticket, next, text(ctx, "code_wrong"));
        case ErrorCode::ResourceExhausted:
            return render_code(ctx, 429, ticket, next, text(ctx, "throttled"));
        case ErrorCode::FailedPrecondition:
            return to_login(ctx, next);
        default:
            spdlog::error("staff second factor: {}", result.error().message);
            return render_code(ctx, 503, ticket, next, text(ctx, "unavailable"));
        }
    }
    return signed_in(ctx, *result, next);
}

http::Response login_enrol_submit(RouteContext& ctx) {
    auto ticket = form(ctx, "ticket");
    auto secret = form(ctx, "secret");
    auto next = safe_admin_next(form(ctx, "next"));
    auto result =
        ctx.app.auth.enrol_second_factor(ticket, secret, form(ctx, "code"), request_of(ctx));
    if (!result) {
        switch (result.error().code) {
        case ErrorCode::Unauthenticated:
            return render_enrol(ctx, 422, ticket, next, secret, form(ctx, "account"),
                                text(ctx, "code_wrong"));
        case ErrorCode::FailedPrecondition:
            return to_login(ctx, next);
        default:
            spdlog::error("staff second factor set-up: {}", result.error().message);
            return render_enrol(ctx, 503, ticket, next, secret, form(ctx, "account"),
                                text(ctx, "unavailable"));
        }
    }
    return signed_in(ctx, *result, next);
}

http::Response second_factor_policy(RouteContext& ctx) {
    bool required = form(ctx, "required") == "1";
    if (auto r = ctx.app.auth.set_second_factor_required(required, ctx.who.actor()); !r) {
        spdlog::error("second factor policy: {}", r.error().message);
        return web::error_page(ctx, 503, web::texts(ctx.locale)["error"].value("internal", ""));
    }
    return http::Response::redirect("/admin/staff?saved=1");
}

http::Response second_factor_reset(RouteContext& ctx) {
    std::int64_t id = 0;
    try {
        id = std::stoll(ctx.req.param("id"));
    } catch (const std::exception&) {
        return web::error_page(ctx, 404, web::texts(ctx.locale)["error"].value("not_found", ""));
    }
    auto r = ctx.app.auth.reset_second_factor(id, ctx.who.actor());
    if (!r) {
        if (r.error().code == ErrorCode::NotFound)
            return web::error_page(ctx, 404,
                                   web::texts(ctx.locale)["error"].value("not_found", ""));
        spdlog::error("second factor reset: {}", r.error().message);
        return web::error_page(ctx, 503, web::texts(ctx.locale)["error"].value("internal", ""));
    }
    return http::Response::redirect("/admin/staff?reset=1");
}

} // namespace teilhabe::admin
