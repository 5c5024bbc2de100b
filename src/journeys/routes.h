#pragma once
// The journeys API and admin pages: GET/POST /api/v1/journeys, GET/PATCH/DELETE
// /api/v1/journeys/{id}, POST .../activate and .../deactivate, GET .../statistics;
// /admin/journeys (list, editor with a diagram, switch on/off).

#include "journeys/calendar.h"
#include "journeys/interfaces.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::journeys {

// `conditions` checks branch rules when a journey is written (none: rules must be objects);
// `town_quiet_hours` is the engine's setting, shown on the admin pages.
std::vector<web::RouteDef> routes(ConditionEvaluator* conditions = nullptr, QuietHours town_quiet_hours = {});

namespace detail {
std::vector<web::RouteDef> page_routes(ConditionEvaluator* conditions, QuietHours town_quiet_hours);
}

} // namespace teilhabe::journeys
