#pragma once
// The activity API: other systems of the town hall record what people did
// (POST /api/v1/activities), staff read a person's dialogue history
// (GET /api/v1/citizens/{id}/timeline).

#include "web/route.h"

#include <vector>

namespace teilhabe::activity {

std::vector<web::RouteDef> routes();

} // namespace teilhabe::activity
