#pragma once
// The staff screens under /admin: log-in, log-out, dashboard, staff list, audit log, and the
// places in the navigation for the capabilities still to come.

#include "web/route.h"

#include <vector>

namespace teilhabe::admin {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::admin
