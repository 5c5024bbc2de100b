#pragma once
// Handlers of the points API (the table is in routes.cpp).

#include "db/connection.h"
#include "web/route.h"

#include <nlohmann/json.hpp>

namespace teilhabe::points::api {

// {"balances": {"points", "stadttaler"}, "entries": [...], "expiring", "next_cursor"}: the
// shape of GET /api/v1/citizens/{id}/points, also used by the admin and portal pages.
Result<nlohmann::json> points_of(db::Connection& c, std::int64_t citizen_id, int limit,
                                 std::int64_t before = 0);

http::Response citizen_points(web::RouteContext& ctx);
http::Response award(web::RouteContext& ctx);
http::Response correction(web::RouteContext& ctx);
http::Response list(web::RouteContext& ctx);
http::Response create(web::RouteContext& ctx);
http::Response get(web::RouteContext& ctx);
http::Response patch(web::RouteContext& ctx);
http::Response remove(web::RouteContext& ctx);

} // namespace teilhabe::points::api
