#pragma once
// Operations and shared endpoints: health, metrics, static files, the API's self-description.

#include "web/route.h"

#include <vector>

namespace teilhabe::app {

std::vector<web::RouteDef> system_routes();

} // namespace teilhabe::app
