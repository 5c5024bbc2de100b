#pragma once
// Handlers of the admin screens (see routes.cpp for who may call them).

#include "web/route.h"

namespace teilhabe::admin {

http::Response login_form(web::RouteContext& ctx);
http::Response login_submit(web::RouteContext& ctx);
http::Response logout(web::RouteContext& ctx);
http::Response dashboard(web::RouteContext& ctx);
http::Response staff_list(web::RouteContext& ctx);
http::Response audit_log(web::RouteContext& ctx);
http::Response audit_download(web::RouteContext& ctx);
http::Response coming_soon(web::RouteContext& ctx);
http::Response switch_language(web::RouteContext& ctx);

} // namespace teilhabe::admin
