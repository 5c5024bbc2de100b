// The route tables of every area, put together for the dispatcher. Each area keeps its own
// table (who may do what, on one screen); this file only lists the areas.

#include "activity/routes.h"
#include "admin/routes.h"
#include "citizens/routes.h"
#include "delivery/routes.h"
#include "exports/routes.h"
#include "gdpr/routes.h"
#include "imports/routes.h"
#include "app/system_routes.h"
#include "webhooks/routes.h"

namespace teilhabe::app {

std::vector<web::RouteDef> all_routes() {
    std::vector<web::RouteDef> out;
    for (auto&& table : {
             system_routes(),
             admin::routes(),
             activity::routes(),
             citizens::routes(),
             gdpr::routes(),
             imports::routes(),
             webhooks::routes(),
             exports::routes(),
             delivery::routes(),
         })
        out.insert(out.end(), table.begin(), table.end());
    return out;
}

} // namespace teilhabe::app
