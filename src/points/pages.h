#pragma once
// The points pages: the portal's /portal/points and the admin screen /admin/points.

#include "web/i18n.h"
#include "web/route.h"

#include <nlohmann/json.hpp>

namespace teilhabe::points::pages {

std::string tr(const web::RouteContext& ctx, std::string_view key);
std::string money(web::Locale l, std::int64_t cents);
nlohmann::json entry_rows(const web::RouteContext& ctx, const nlohmann::json& entries);

http::Response portal_points(web::RouteContext& ctx);

http::Response admin_home(web::RouteContext& ctx);
http::Response admin_rule_new(web::RouteContext& ctx);
http::Response admin_rule_edit(web::RouteContext& ctx);
http::Response admin_rule_create(web::RouteContext& ctx);
http::Response admin_rule_update(web::RouteContext& ctx);
http::Response admin_settings(web::RouteContext& ctx);
http::Response admin_award(web::RouteContext& ctx);
http::Response admin_correct(web::RouteContext& ctx);

} // namespace teilhabe::points::pages
