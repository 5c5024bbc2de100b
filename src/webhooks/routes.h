#pragma once
// The webhooks API: GET/POST /api/v1/webhooks, GET/PATCH/DELETE /api/v1/webhooks/{id},
// GET /api/v1/webhooks/{id}/deliveries, POST /api/v1/webhooks/{id}/test.

#include "web/route.h"

#include <vector>

namespace teilhabe::webhooks {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::webhooks
