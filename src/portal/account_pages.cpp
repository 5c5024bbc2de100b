#include "portal/account_service.h"
#include "portal/page_support.h"
#include "portal/pages.h"
#include "web/respond.h"

#include <spdlog/spdlog.h>

namespace teilhabe::portal {

using namespace detail;
using web::RouteContext;

namespace {

AccountService service(RouteContext& ctx, const PortalMailer& mailer = {}) {
    return AccountService(ctx.app.db, ctx.app.clock, mailer, ctx.app.settings.base_url);
}

http::Response unavailable(RouteContext& ctx, const Error& e, std::string_view what) {
    spdlog::error("portal {}: {}", what, e.message);
    return message_page(ctx, 503, text(ctx, "unavailable_title"), text(ctx, "unavailable"));
}

// A link that cannot be used (any more): say why and offer the way on.
http::Response link_page(RouteContext& ctx, LinkState state, const std::string& again_href,
                         const std::string& again_label) {
    switch (state) {
    case LinkState::Used:
        return message_page(ctx, 410, text(ctx, "link_used_title"), text(ctx, "link_used_text"),
                            "/portal/login", text(ctx, "to_login"));
    case LinkState::Expired:
        return message_page(ctx, 410, text(ctx, "link_expired_title"),
                            text(ctx, "link_expired_text"), again_href, again_label);
    default:
        return message_page(ctx, 404, text(ctx, "link_unknown_title"),
                            text(ctx, "link_unknown_text"), again_href, again_label);
    }
}

LinkState state_of_error(const Error& e) {
    if (e.message == "used")
        return LinkState::Used;
    if (e.message == "expired")
        return LinkState::Expired;
    return LinkState::Unknown;
}

http::Response render_register(RouteContext& ctx, int status, nlohmann::json data) {
    if (!data.contains("language"))
        data["language"] = web::to_string(ctx.locale);
    data["lang_de"] = data["language"] != "en";
    data["lang_en"] = data["language"] == "en";
    return web::bare_page(ctx, status, "portal_register", data, text(ctx, "register_title"));
}

} // namespace

http::Response register_form(RouteContext& ctx) {
    if (ctx.who.is_citizen())
        return http::Response::redirect("/portal");
    return render_register(ctx, 200, nlohmann::json::object());
}

http::Response register_submit(RouteContext& ctx, const PortalMailer& mailer) {
    Registration in{form(ctx, "email"), form(ctx, "password"), form(ctx, "language"),
                    client_of(ctx)};
    nlohmann::json data{{"email", in.email}, {"language", in.language == "en" ? "en" : "de"}};
    auto r = service(ctx, mailer).register_account(in);
    if (!r) {
        const auto& e = r.error();
        if (e.code == ErrorCode::InvalidArgument && e.field == "email") {
            add_field_error(data, "email", text(ctx, "email_invalid"));
            return render_register(ctx, 422, data);
        }
        if (e.code == ErrorCode::InvalidArgument && e.field == "password") {
            add_field_error(data, "password", password_message(ctx, in.password, in.email));
            return render_register(ctx, 422, data);
        }
        if (e.code == ErrorCode::ResourceExhausted)
            return message_page(ctx, 429, text(ctx, "rate_limited_title"),
                                text(ctx, "rate_limited"));
        return unavailable(ctx, e, "registration");
    }
    return message_page(ctx, 200, text(ctx, "register_sent_title"),
                        text(ctx, "register_sent_text"));
}

http::Response verify_page(RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto state = service(ctx).registration_state(token);
    if (!state)
        return unavailable(ctx, state.error(), "verification");
    if (*state != LinkState::Valid)
        return link_page(ctx, *state, "/portal/register", text(ctx, "to_register"));
    return web::bare_page(ctx, 200, "portal_verify", {{"action", "/portal/verify/" + token}},
                          text(ctx, "verify_title"));
}

http::Response verify_submit(RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto session = service(ctx).verify_registration(token, form(ctx, "password"), client_of(ctx));
    if (!session) {
        const auto& e = session.error();
        if (e.code == ErrorCode::Unauthenticated) {
            nlohmann::json data{{"action", "/portal/verify/" + token}};
            add_field_error(data, "password", text(ctx, "verify_wrong_password"));
            return web::bare_page(ctx, 422, "portal_verify", data, text(ctx, "verify_title"));
        }
        if (e.code == ErrorCode::FailedPrecondition)
            return link_page(ctx, state_of_error(e), "/portal/register", text(ctx, "to_register"));
        if (e.code == ErrorCode::AlreadyExists)
            return message_page(ctx, 409, text(ctx, "link_used_title"),
                                text(ctx, "profile_has_account"), "/portal/login",
                                text(ctx, "to_login"));
        return unavailable(ctx, e, "verification");
    }
    auto r = http::Response::redirect("/portal?welcome=1");
    set_session_cookies(ctx, r, *session, "");
    return r;
}

http::Response forgot_form(RouteContext& ctx) {
    return web::bare_page(ctx, 200, "portal_forgot", nlohmann::json::object(),
                          text(ctx, "forgot_title"));
}

http::Response forgot_submit(RouteContext& ctx, const PortalMailer& mailer) {
    auto email = form(ctx, "email");
    auto r = service(ctx, mailer).request_password_reset(email, client_of(ctx));
    if (!r) {
        const auto& e = r.error();
        if (e.code == ErrorCode::InvalidArgument) {
            nlohmann::json data{{"email", email}};
            add_field_error(data, "email", text(ctx, "email_invalid"));
            return web::bare_page(ctx, 422, "portal_forgot", data, text(ctx, "forgot_title"));
        }
        if (e.code == ErrorCode::ResourceExhausted)
            return message_page(ctx, 429, text(ctx, "rate_limited_title"),
                                text(ctx, "rate_limited"));
        return unavailable(ctx, e, "password reset");
    }
    return message_page(ctx, 200, text(ctx, "forgot_sent_title"), text(ctx, "forgot_sent_text"));
}

http::Response reset_page(RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto state = service(ctx).reset_state(token);
    if (!state)
        return unavailable(ctx, state.error(), "password reset");
    if (*state != LinkState::Valid)
        return link_page(ctx, *state, "/portal/password/forgot", text(ctx, "to_forgot"));
    return web::bare_page(ctx, 200, "portal_reset", {{"action", "/portal/password/reset/" + token}},
                          text(ctx, "reset_title"));
}

http::Response reset_submit(RouteContext& ctx, const PortalMailer& mailer) {
    auto token = ctx.req.param("token");
    auto password = form(ctx, "password");
    auto r = service(ctx, mailer).reset_password(token, password);
    if (!r) {
        const auto& e = r.error();
        if (e.code == ErrorCode::InvalidArgument) {
            nlohmann::json data{{"action", "/portal/password/reset/" + token}};
            add_field_error(data, "password", password_message(ctx, password, ""));
            if (data["error_password"] == "")
                data["error_password"] = text(ctx, "password_common");
            return web::bare_page(ctx, 422, "portal_reset", data, text(ctx, "reset_title"));
        }
        if (e.code == ErrorCode::FailedPrecondition)
            return link_page(ctx, state_of_error(e), "/portal/password/forgot",
                             text(ctx, "to_forgot"));
        return unavailable(ctx, e, "password reset");
    }
    // Every session ended, this browser's too.
    auto page = message_page(ctx, 200, text(ctx, "reset_done_title"), text(ctx, "reset_done"),
                             "/portal/login", text(ctx, "to_login"));
    clear_session_cookie(ctx, page);
    return page;
}

http::Response email_confirm_page(RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto state = service(ctx).email_change_state(token);
    if (!state)
        return unavailable(ctx, state.error(), "e-mail change");
    if (*state != LinkState::Valid)
        return link_page(ctx, *state, "/portal/security", text(ctx, "to_security"));
    nlohmann::json data{{"action", "/portal/email/confirm/" + token}};
    if (ctx.who.is_citizen())
        return web::page(ctx, 200, "portal_email_confirm", data, text(ctx, "email_confirm_title"));
    return web::bare_page(ctx, 200, "portal_email_confirm", data, text(ctx, "email_confirm_title"));
}

http::Response email_confirm_submit(RouteContext& ctx) {
    auto r = service(ctx).confirm_email_change(ctx.req.param("token"));
    if (!r) {
        const auto& e = r.error();
        if (e.code == ErrorCode::FailedPrecondition)
            return link_page(ctx, state_of_error(e), "/portal/security", text(ctx, "to_security"));
        if (e.code == ErrorCode::AlreadyExists || e.code == ErrorCode::Conflict)
            return message_page(ctx, 409, text(ctx, "email_taken_title"), text(ctx, "email_taken"));
        return unavailable(ctx, e, "e-mail change");
    }
    return message_page(ctx, 200, text(ctx, "email_changed_title"), text(ctx, "email_changed"),
                        ctx.who.is_citizen() ? "/portal/security" : "/portal/login",
                        ctx.who.is_citizen() ? text(ctx, "to_security") : text(ctx, "to_login"));
}

} // namespace teilhabe::portal
