// The route tables of every area, put together for the dispatcher. Each area keeps its own
// table (who may do what, on one screen); this file only lists the areas.

#include "activity/routes.h"
#include "admin/routes.h"
#include "app/system_routes.h"
#include "campaigns/routes.h"
#include "citizens/routes.h"
#include "consent/routes.h"
#include "delivery/routes.h"
#include "events/routes.h"
#include "exports/routes.h"
#include "gdpr/routes.h"
#include "imports/routes.h"
#include "points/routes.h"
#include "journeys/routes.h"
#include "portal/me_routes.h"
#include "portal/routes.h"
#include "segments/routes.h"
#include "shop/routes.h"
#include "stadttaler/routes.h"
#include "surveys/routes.h"
#include "webhooks/routes.h"

namespace teilhabe::app {

std::vector<web::RouteDef> all_routes(consent::ConfirmationMailer mailer,
                                      portal::PortalMailer portal_mailer,
                                      portal::MeSettings portal,
                                      journeys::ConditionEvaluator* conditions,
                                      stadttaler::Settings stadttaler,
                                      journeys::QuietHours quiet_hours,
                                      events::PromotionMailer event_mailer) {
    // Without a mailer (tests of the tables) a sign-up fails and rolls back, so nobody waits for
    // a mail that never comes; `serve` passes the outbox (app/mail_setup.h).
    if (!mailer)
        mailer = [](db::Connection&, const consent::ConfirmationMail&) -> Result<void> {
            return fail(Error::unavailable("no confirmation mailer is set up"));
        };
    std::vector<web::RouteDef> out;
    for (auto&& table : {
             system_routes(),
             // Before the admin's table: its catch-all /admin/{area} would take /admin/topics.
             consent::routes(std::move(mailer)),
             campaigns::routes(),
             points::routes(),
             segments::routes(),
             journeys::routes(conditions, quiet_hours), // before the admin's catch-all too
             // Before the admin's table too: /admin/offers and /admin/stadttaler.
             shop::routes(),
             stadttaler::routes(stadttaler),
             surveys::routes(), // before the admin's catch-all: /admin/surveys
             events::routes(std::move(event_mailer)), // before the admin's /admin/{area} too
             admin::routes(),
             activity::routes(),
             citizens::routes(),
             gdpr::routes(),
             imports::routes(),
             webhooks::routes(),
             exports::routes(),
             delivery::routes(),
             portal::routes(std::move(portal_mailer)),
             portal::me_routes(portal),
         })
        out.insert(out.end(), table.begin(), table.end());
    return out;
}

} // namespace teilhabe::app
