#pragma once
// The data-protection officer's API for a person's rights: export (GDPR Art. 15/20) and
// restriction of processing (Art. 18). Erasure (Art. 17) is DELETE /api/v1/citizens/{id}.

#include "web/route.h"

#include <vector>

namespace teilhabe::gdpr {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::gdpr
