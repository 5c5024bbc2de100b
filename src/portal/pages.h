#pragma once
// The handlers of the portal's account pages (registration, verification, log-in with the
// second factor, password reset, change of address, the security page). The route table is
// portal/routes.cpp.

#include "portal/mailer.h"
#include "web/route.h"

namespace teilhabe::portal {

// account_pages.cpp: anyone.
http::Response register_form(web::RouteContext& ctx);
http::Response register_submit(web::RouteContext& ctx, const PortalMailer& mailer);
http::Response verify_page(web::RouteContext& ctx);
http::Response verify_submit(web::RouteContext& ctx);
http::Response forgot_form(web::RouteContext& ctx);
http::Response forgot_submit(web::RouteContext& ctx, const PortalMailer& mailer);
http::Response reset_page(web::RouteContext& ctx);
http::Response reset_submit(web::RouteContext& ctx, const PortalMailer& mailer);
http::Response email_confirm_page(web::RouteContext& ctx);
http::Response email_confirm_submit(web::RouteContext& ctx);

// login_pages.cpp: anyone.
http::Response login_form(web::RouteContext& ctx);
http::Response login_submit(web::RouteContext& ctx);
http::Response login_code_submit(web::RouteContext& ctx);

// security_pages.cpp: the signed-in citizen.
http::Response security_page(web::RouteContext& ctx);
http::Response logout_everywhere(web::RouteContext& ctx);
http::Response password_change(web::RouteContext& ctx, const PortalMailer& mailer);
http::Response email_change(web::RouteContext& ctx, const PortalMailer& mailer);
http::Response totp_setup(web::RouteContext& ctx);
http::Response totp_enable(web::RouteContext& ctx);
http::Response totp_disable(web::RouteContext& ctx);
http::Response recovery_renew(web::RouteContext& ctx);

} // namespace teilhabe::portal
