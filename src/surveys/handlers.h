#pragma once
// Handlers of the surveys' routes (internal to src/surveys; the table is in routes.cpp).

#include "web/route.h"

namespace teilhabe::surveys::api {
http::Response list(web::RouteContext& ctx);
http::Response create(web::RouteContext& ctx);
http::Response get(web::RouteContext& ctx);
http::Response patch(web::RouteContext& ctx);
http::Response remove(web::RouteContext& ctx);
http::Response results(web::RouteContext& ctx);
http::Response results_file(web::RouteContext& ctx); // .csv / .xlsx by the path
http::Response respond(web::RouteContext& ctx);
} // namespace teilhabe::surveys::api

namespace teilhabe::surveys::pages {
// /admin/surveys (ManageParticipation)
http::Response list(web::RouteContext& ctx);
http::Response new_form(web::RouteContext& ctx);
http::Response create(web::RouteContext& ctx);
http::Response edit(web::RouteContext& ctx);
http::Response update(web::RouteContext& ctx);
http::Response set_status(web::RouteContext& ctx);
http::Response confirm_delete(web::RouteContext& ctx);
http::Response remove(web::RouteContext& ctx);
http::Response results(web::RouteContext& ctx);
http::Response results_file(web::RouteContext& ctx);
// /portal/surveys (Citizen)
http::Response portal_list(web::RouteContext& ctx);
http::Response portal_form(web::RouteContext& ctx);
http::Response portal_submit(web::RouteContext& ctx);
http::Response portal_thanks(web::RouteContext& ctx);
} // namespace teilhabe::surveys::pages
