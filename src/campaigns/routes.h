#pragma once
// The campaigns API: GET/POST /api/v1/campaigns, GET/PATCH/DELETE /api/v1/campaigns/{id},
// POST /api/v1/campaigns/{id}/send (start now), .../pause, .../resume, .../cancel,
// GET /api/v1/campaigns/{id}/preview, POST /api/v1/campaigns/{id}/test,
// GET /api/v1/campaigns/{id}/report.

#include "web/route.h"

#include <vector>

namespace teilhabe::campaigns {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::campaigns
