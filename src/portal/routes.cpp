#include "portal/routes.h"

#include "portal/pages.h"
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

// Who may do what in the portal, on one screen. Citizen: a citizen signed in to the portal,
// acting on their own account only (the handlers take the account from the session, never
// from the request). Public: the ways in — registration, the links mailed for verification,
// reset and a new address (the token is the authority), the log-in and its code step; every
// form carries the CSRF token (the anonymous double-submit cookie before signing in).
std::vector<web::RouteDef> routes(PortalMailer mailer) {
    auto with_mail = [mailer](http::Response (*h)(RouteContext&, const PortalMailer&)) {
        return [mailer, h](RouteContext& ctx) { return h(ctx, mailer); };
    };
    return {
        // Signed in: the citizen's own pages (the home page and the rest: portal/me_routes.h).
        {Method::Post, "/portal/logout", Permission::Citizen, Surface::Page, logout},
        {Method::Get, "/portal/security", Permission::Citizen, Surface::Page, security_page},
        {Method::Post, "/portal/security/logout-all", Permission::Citizen, Surface::Page, logout_everywhere},
        {Method::Post, "/portal/security/password", Permission::Citizen, Surface::Page, with_mail(password_change)},
        {Method::Post, "/portal/security/email", Permission::Citizen, Surface::Page, with_mail(email_change)},
        {Method::Get, "/portal/security/totp", Permission::Citizen, Surface::Page, totp_setup},
        {Method::Post, "/portal/security/totp", Permission::Citizen, Surface::Page, totp_enable},
        {Method::Post, "/portal/security/totp/disable", Permission::Citizen, Surface::Page, totp_disable},
        {Method::Post, "/portal/security/recovery-codes", Permission::Citizen, Surface::Page, recovery_renew},
        // Anyone: the ways in.
        {Method::Get, "/portal/login", Permission::Public, Surface::Page, login_form},
        {Method::Post, "/portal/login", Permission::Public, Surface::Page, login_submit},
        {Method::Post, "/portal/login/code", Permission::Public, Surface::Page, login_code_submit},
        {Method::Get, "/portal/register", Permission::Public, Surface::Page, register_form},
        {Method::Post, "/portal/register", Permission::Public, Surface::Page, with_mail(register_submit)},
        {Method::Get, "/portal/verify/{token}", Permission::Public, Surface::Page, verify_page},
        {Method::Post, "/portal/verify/{token}", Permission::Public, Surface::Page, verify_submit},
        {Method::Get, "/portal/password/forgot", Permission::Public, Surface::Page, forgot_form},
        {Method::Post, "/portal/password/forgot", Permission::Public, Surface::Page, with_mail(forgot_submit)},
        {Method::Get, "/portal/password/reset/{token}", Permission::Public, Surface::Page, reset_page},
        {Method::Post, "/portal/password/reset/{token}", Permission::Public, Surface::Page, with_mail(reset_submit)},
        {Method::Get, "/portal/email/confirm/{token}", Permission::Public, Surface::Page, email_confirm_page},
        {Method::Post, "/portal/email/confirm/{token}", Permission::Public, Surface::Page, email_confirm_submit},
    };
}

} // namespace teilhabe::portal
