#include "portal/account_service.h"
#include "portal/login_service.h"
#include "portal/page_support.h"
#include "portal/pages.h"
#include "portal/token_store.h"
#include "security/totp.h"
#include "web/qr_svg.h"
#include "web/respond.h"

#include <spdlog/spdlog.h>

namespace teilhabe::portal {

using namespace detail;
using web::RouteContext;

namespace {

PortalSession session_of(const RouteContext& ctx) {
    const auto& c = *ctx.who.citizen;
    return {.token = c.token,
            .csrf_token = c.csrf_token,
            .account_id = c.account_id,
            .citizen_id = c.citizen_id,
            .email = c.email};
}

http::Response unavailable(RouteContext& ctx, const Error& e, std::string_view what) {
    spdlog::error("portal {}: {}", what, e.message);
    return message_page(ctx, 503, text(ctx, "unavailable_title"), text(ctx, "unavailable"));
}

// The security page, with a notice after a step or the errors of one of its forms.
http::Response render_security(RouteContext& ctx, int status, nlohmann::json data) {
    auto account_id = ctx.who.citizen->account_id;
    auto state = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::pair<store::Totp, std::int64_t>> {
            auto totp = TRY(store::find_totp(c, account_id));
            auto codes = TRY(store::unused_recovery_codes(c, account_id));
            return std::pair{totp, codes};
        });
    if (!state)
        return unavailable(ctx, state.error(), "security page");
    data["email"] = ctx.who.citizen->email;
    data["totp_on"] = state->first.secret.has_value();
    data["totp_since"] = state->first.enabled_at
                             ? web::display_time(ctx.locale, *state->first.enabled_at)
                             : std::string();
    data["codes_left"] = std::to_string(state->second);
    return web::page(ctx, status, "portal_security", data, text(ctx, "security_title"));
}

http::Response done(const char* what) {
    return http::Response::redirect(std::string("/portal/security?done=") + what);
}

http::Response render_setup(RouteContext& ctx, int status, const std::string& secret,
                            const std::string& error) {
    auto uri = security::otpauth_uri("Teilhabe " + ctx.app.settings.town_name,
                                     ctx.who.citizen->email, secret);
    nlohmann::json data{{"secret", secret},
                        {"secret_grouped", security::grouped(secret)},
                        {"uri", uri},
                        {"qr", web::qr_svg(uri, text(ctx, "qr_label")).value_or("")}};
    if (!error.empty())
        add_field_error(data, "code", error);
    return web::page(ctx, status, "portal_totp_setup", data, text(ctx, "totp_setup_title"));
}

http::Response render_codes(RouteContext& ctx, const std::vector<std::string>& codes) {
    return web::page(ctx, 200, "portal_recovery_codes", {{"codes", codes}},
                     text(ctx, "codes_title"));
}

// A wrong password, or too many wrong ones (confirm_password), said beside the field it was
// typed in; nullopt for any other error.
std::optional<http::Response> password_refused(RouteContext& ctx, const Error& e,
                                               const char* field, nlohmann::json data) {
    if (e.code != ErrorCode::Unauthenticated && e.code != ErrorCode::ResourceExhausted)
        return std::nullopt;
    bool throttled = e.code == ErrorCode::ResourceExhausted;
    add_field_error(data, field, text(ctx, throttled ? "reauth_throttled" : "current_wrong"));
    return render_security(ctx, throttled ? 429 : 422, std::move(data));
}

} // namespace

http::Response security_page(RouteContext& ctx) {
    nlohmann::json data = nlohmann::json::object();
    static const std::pair<const char*, const char*> kNotices[] = {
        {"password", "password_changed"},
        {"email", "email_sent"},
        {"totp-off", "totp_disabled"},
    };
    auto what = ctx.req.query_param("done").value_or("");
    for (const auto& [key, text_key] : kNotices)
        if (what == key)
            data["notice"] = text(ctx, text_key);
    return render_security(ctx, 200, data);
}

http::Response logout_everywhere(RouteContext& ctx) {
    auto n =
        SessionService(ctx.app.db, ctx.app.clock).logout_everywhere(ctx.who.citizen->account_id);
    if (!n)
        return unavailable(ctx, n.error(), "log-out everywhere");
    auto r = http::Response::redirect("/portal/login?done=logout-all");
    clear_session_cookie(ctx, r);
    return r;
}

http::Response password_change(RouteContext& ctx, const PortalMailer& mailer) {
    auto current = form(ctx, "current_password");
    auto fresh = form(ctx, "new_password");
    AccountService accounts(ctx.app.db, ctx.app.clock, mailer, ctx.app.settings.base_url);
    auto r = accounts.change_password(session_of(ctx), current, fresh);
    if (!r) {
        nlohmann::json data = nlohmann::json::object();
        const auto& e = r.error();
        if (auto refused = password_refused(ctx, e, "current_password", data))
            return std::move(*refused);
        if (e.code == ErrorCode::InvalidArgument)
            add_field_error(data, "new_password",
                            password_message(ctx, fresh, ctx.who.citizen->email));
        else
            return unavailable(ctx, e, "password change");
        return render_security(ctx, 422, data);
    }
    return done("password");
}

http::Response email_change(RouteContext& ctx, const PortalMailer& mailer) {
    auto new_email = form(ctx, "new_email");
    AccountService accounts(ctx.app.db, ctx.app.clock, mailer, ctx.app.settings.base_url);
    auto r = accounts.request_email_change(session_of(ctx), form(ctx, "email_password"), new_email,
                                           client_of(ctx));
    if (!r) {
        nlohmann::json data{{"new_email", new_email}};
        const auto& e = r.error();
        if (auto refused = password_refused(ctx, e, "email_password", data))
            return std::move(*refused);
        if (e.code == ErrorCode::InvalidArgument)
            add_field_error(
                data, "new_email",
                text(ctx, e.message.starts_with("This is your") ? "email_same" : "email_invalid"));
        else if (e.code == ErrorCode::ResourceExhausted)
            return message_page(ctx, 429, text(ctx, "rate_limited_title"),
                                text(ctx, "rate_limited"));
        else
            return unavailable(ctx, e, "e-mail change");
        return render_security(ctx, 422, data);
    }
    return done("email");
}

http::Response totp_setup(RouteContext& ctx) {
    return render_setup(ctx, 200, security::new_totp_secret(), "");
}

http::Response totp_enable(RouteContext& ctx) {
    auto secret = form(ctx, "secret");
    auto codes = enable_totp(ctx.app.db, ctx.app.clock, ctx.who.citizen->account_id, secret,
                             form(ctx, "code"));
    if (!codes) {
        const auto& e = codes.error();
        if (e.code == ErrorCode::Unauthenticated || e.code == ErrorCode::InvalidArgument)
            return render_setup(ctx, 422,
                                e.code == ErrorCode::InvalidArgument ? security::new_totp_secret()
                                                                     : secret,
                                text(ctx, "totp_code_wrong"));
        return unavailable(ctx, e, "second factor");
    }
    return render_codes(ctx, *codes);
}

http::Response totp_disable(RouteContext& ctx) {
    auto r = disable_totp(ctx.app.db, ctx.app.clock, ctx.who.citizen->account_id,
                          form(ctx, "totp_password"));
    if (!r) {
        if (auto refused =
                password_refused(ctx, r.error(), "totp_password", nlohmann::json::object()))
            return std::move(*refused);
        return unavailable(ctx, r.error(), "second factor");
    }
    return done("totp-off");
}

http::Response recovery_renew(RouteContext& ctx) {
    auto codes = renew_recovery_codes(ctx.app.db, ctx.app.clock, ctx.who.citizen->account_id,
                                      form(ctx, "codes_password"));
    if (!codes) {
        if (auto refused =
                password_refused(ctx, codes.error(), "codes_password", nlohmann::json::object()))
            return std::move(*refused);
        return unavailable(ctx, codes.error(), "recovery codes");
    }
    return render_codes(ctx, *codes);
}

} // namespace teilhabe::portal
