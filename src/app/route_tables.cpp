// The route tables of every area, put together for the dispatcher. Each area keeps its own
// table (who may do what, on one screen); this file only lists the areas.

#include "activity/routes.h"
#include "admin/routes.h"
#include "citizens/routes.h"
#include "delivery/routes.h"
#include "consent/routes.h"
#include "exports/routes.h"
#include "gdpr/routes.h"
#include "imports/routes.h"
#include "app/system_routes.h"
#include "webhooks/routes.h"

namespace teilhabe::app {

namespace {

// Until the delivery outbox is wired here (delivery's enqueue_transactional), a sign-up cannot
// send its confirmation mail: it fails, so its transaction (the pending consent) rolls back and
// the person sees "try again later" instead of waiting for a mail that never comes.
consent::ConfirmationMailer confirmation_mailer() {
    return [](db::Connection&, const consent::ConfirmationMail&) -> Result<void> {
        return fail(Error::unavailable("no confirmation mailer is wired (app/route_tables.cpp)"));
    };
}

} // namespace

std::vector<web::RouteDef> all_routes() {
    std::vector<web::RouteDef> out;
    for (auto&& table : {
             system_routes(),
             // Before the admin's table: its catch-all /admin/{area} would take /admin/topics.
             consent::routes(confirmation_mailer()),
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
