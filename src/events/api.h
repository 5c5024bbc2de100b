#pragma once
// Handlers of the events' API (internal to src/events; the table is in routes.cpp).

#include "events/registration.h"
#include "web/route.h"

namespace teilhabe::events::api {

http::Response list_events(web::RouteContext& ctx);
http::Response create_event(web::RouteContext& ctx);
http::Response get_event(web::RouteContext& ctx);
http::Response patch_event(web::RouteContext& ctx, const PromotionMailer& mailer);
http::Response delete_event(web::RouteContext& ctx, const PromotionMailer& mailer);
http::Response list_registrations(web::RouteContext& ctx);
http::Response create_registration(web::RouteContext& ctx);
http::Response cancel_registration(web::RouteContext& ctx, const PromotionMailer& mailer);
http::Response check_in(web::RouteContext& ctx);
http::Response participants_csv(web::RouteContext& ctx);

} // namespace teilhabe::events::api
