#pragma once
// Operations and shared endpoints: health, metrics, static files, the API's self-description.

#include "consent/mailer.h"
#include "journeys/calendar.h"
#include "events/registration.h"
#include "portal/mailer.h"
#include "portal/me_routes.h"
#include "stadttaler/money.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::journeys {
class ConditionEvaluator;
}

namespace teilhabe::app {

std::vector<web::RouteDef> system_routes();

// Every area's route table, in the order the dispatcher sees them (app/route_tables.cpp).
// `portal_mailer` queues the portal's account mails; `portal` carries the portal's settings
// (the pause after a declined question); `conditions` checks journeys' branch rules (the
// segments' rules once the lead wires them; none: a rule must be a JSON object); `quiet_hours`
// is the town's setting the journeys' pages show; `event_mailer` tells a person who moves up
// from an event's waiting list, and everyone registered or waiting when an event is cancelled.
std::vector<web::RouteDef> all_routes(consent::ConfirmationMailer mailer = {},
                                      portal::PortalMailer portal_mailer = {},
                                      portal::MeSettings portal = {},
                                      journeys::ConditionEvaluator* conditions = nullptr,
                                      stadttaler::Settings stadttaler = {},
                                      journeys::QuietHours quiet_hours = {},
                                      events::PromotionMailer event_mailer = {});

} // namespace teilhabe::app
