#pragma once
// The delivery API: POST /api/v1/bounces (a delivery status notification from the MTA).

#include "web/route.h"

#include <vector>

namespace teilhabe::delivery {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::delivery
