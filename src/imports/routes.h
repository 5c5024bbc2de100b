#pragma once
// POST /api/v1/imports: a CSV file of citizens as the request body (text/csv).

#include "web/route.h"

#include <vector>

namespace teilhabe::imports {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::imports
