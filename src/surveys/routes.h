#pragma once
// The surveys' routes: the API (/api/v1/surveys), the admin pages (/admin/surveys: list,
// builder, results with charts and downloads) and the portal (/portal/surveys).

#include "web/route.h"

#include <vector>

namespace teilhabe::surveys {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::surveys
