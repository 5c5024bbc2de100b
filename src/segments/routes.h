#pragma once
// The segments API and the admin editor:
//   GET/POST /api/v1/segments, GET/PATCH/DELETE /api/v1/segments/{id},
//   GET /api/v1/segments/{id}/members, POST /api/v1/segments/preview,
//   /admin/segments (list, new, edit, preview, delete).

#include "web/route.h"

#include <vector>

namespace teilhabe::segments {

std::vector<web::RouteDef> routes();
// The admin pages' part (pages.cpp).
std::vector<web::RouteDef> page_routes();

} // namespace teilhabe::segments
