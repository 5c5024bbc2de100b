#pragma once
// The data hub's API: citizen profiles and custom field definitions (SPEC "Public contract").

#include "web/route.h"

#include <vector>

namespace teilhabe::citizens {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::citizens
