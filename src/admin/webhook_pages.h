#pragma once
// Handlers of the webhook screens (see routes.cpp for who may call them).

#include "web/route.h"

namespace teilhabe::admin {

http::Response webhooks_list(web::RouteContext& ctx);
http::Response webhook_new(web::RouteContext& ctx);
http::Response webhook_create(web::RouteContext& ctx);
http::Response webhook_detail(web::RouteContext& ctx);
http::Response webhook_test(web::RouteContext& ctx);
http::Response webhook_delete_confirm(web::RouteContext& ctx);
http::Response webhook_delete(web::RouteContext& ctx);

} // namespace teilhabe::admin
