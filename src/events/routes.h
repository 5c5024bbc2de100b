#pragma once
// The events' routes: the API (events, registrations, check-in, export), the admin pages
// (/admin/events with the check-in screen) and the portal's events and tickets. `mailer` queues
// the mail to a person who moves up from the waiting list (app/event_mail.h); without one, a
// cancellation that would move somebody up fails and changes nothing.

#include "events/registration.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::events {

std::vector<web::RouteDef> routes(PromotionMailer mailer = {});

} // namespace teilhabe::events
