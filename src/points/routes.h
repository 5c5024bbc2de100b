#pragma once
// The points API: rules (ManagePoints), a person's balances and entries (ReadCitizens), manual
// awards and corrections (ManagePoints); the admin screen /admin/points and the portal page
// /portal/points.

#include "web/route.h"

#include <vector>

namespace teilhabe::points {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::points
