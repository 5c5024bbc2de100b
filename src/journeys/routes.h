#pragma once
// The journeys API and admin pages: GET/POST /api/v1/journeys, GET/PATCH/DELETE
// /api/v1/journeys/{id}, POST .../activate and .../deactivate, GET .../statistics;
// /admin/journeys (list, editor with a diagram, switch on/off).

#include "journeys/interfaces.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::journeys {

// `conditions` checks branch rules when a journey is written (none: rules must be objects).
std::vector<web::RouteDef> routes(ConditionEvaluator* conditions = nullptr);

namespace detail {
std::vector<web::RouteDef> page_routes(ConditionEvaluator* conditions);
}

} // namespace teilhabe::journeys
