#pragma once
// The offer shop's routes: the API (offers, redeeming, vouchers, partners), the admin pages
// (/admin/offers), the partner screen (/partner/vouchers) and the portal's shop and vouchers.

#include "web/route.h"

#include <vector>

namespace teilhabe::shop {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::shop
