#pragma once
// The staff log-in's second step (a code of the authenticator app, or setting one up when the
// town requires it) and the administrators' switches: require a second factor for all staff,
// reset one for a lost phone. Route table: admin/routes.cpp.

#include "staff/auth_service.h"
#include "web/route.h"

namespace teilhabe::admin {

// After a correct password: the code form or the set-up page, as `result.next` says.
http::Response second_factor_step(web::RouteContext& ctx, const staff::LoginResult& result,
                                  const std::string& next);
http::Response login_code_submit(web::RouteContext& ctx);
http::Response login_enrol_submit(web::RouteContext& ctx);
http::Response second_factor_policy(web::RouteContext& ctx);
http::Response second_factor_reset(web::RouteContext& ctx);
// Signs the browser in after the last step (session and device cookies).
http::Response signed_in(web::RouteContext& ctx, const staff::LoginResult& result,
                         const std::string& next);

} // namespace teilhabe::admin
