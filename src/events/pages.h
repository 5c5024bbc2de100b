#pragma once
// Page handlers of the events (internal to src/events; the table is in routes.cpp).

#include "events/registration.h"
#include "web/route.h"

namespace teilhabe::events::pages {

// /admin/events (ManageParticipation)
http::Response events(web::RouteContext& ctx);
http::Response event_new(web::RouteContext& ctx);
http::Response event_create(web::RouteContext& ctx);
http::Response event_edit(web::RouteContext& ctx);
http::Response event_update(web::RouteContext& ctx, const PromotionMailer& mailer);
http::Response event_cancel_confirm(web::RouteContext& ctx);
http::Response event_cancel(web::RouteContext& ctx, const PromotionMailer& mailer);
http::Response participants(web::RouteContext& ctx);
http::Response participants_csv(web::RouteContext& ctx);
http::Response registration_cancel(web::RouteContext& ctx, const PromotionMailer& mailer);
// /admin/events/{id}/checkin: the organiser's screen at the door
http::Response checkin(web::RouteContext& ctx);
http::Response checkin_submit(web::RouteContext& ctx);

// /portal/events (Citizen)
http::Response portal_events(web::RouteContext& ctx);
http::Response portal_event(web::RouteContext& ctx);
http::Response portal_register(web::RouteContext& ctx);
http::Response portal_event_ics(web::RouteContext& ctx);
http::Response portal_ticket(web::RouteContext& ctx);
http::Response portal_ticket_ics(web::RouteContext& ctx);
http::Response portal_cancel_confirm(web::RouteContext& ctx);
http::Response portal_cancel(web::RouteContext& ctx, const PromotionMailer& mailer);

} // namespace teilhabe::events::pages
