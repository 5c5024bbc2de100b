#pragma once
// The Stadttaler's routes: the API (desk top-ups, the payment provider's webhook, partners'
// payment requests, settlements), the portal's wallet, the town-hall desk and settlement pages
// (/admin/stadttaler) and the partner's till (/partner/payments).

#include "stadttaler/money.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::stadttaler {

std::vector<web::RouteDef> routes(Settings settings);

} // namespace teilhabe::stadttaler
