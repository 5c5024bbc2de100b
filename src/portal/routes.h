#pragma once
// The citizen portal's routes (/portal/...): log-in with the second factor, log-out,
// registration, password reset, the security page (the home page and what a signed-in citizen
// does are in portal/me_routes.h). Routes with
// Permission::Citizen are for a citizen signed in to the portal; the dispatcher sends others to
// /portal/login.

#include "db/database.h"
#include "portal/mailer.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::portal {

class SessionService;

// `mailer` queues the mails of registration, reset and change of address (app/portal_mail.h);
// without one those pages answer 503 and store nothing.
std::vector<web::RouteDef> routes(PortalMailer mailer = {});

// What the dispatcher uses to resolve the portal's session cookie (web::AppContext).
web::CitizenSessionResolver session_resolver(db::Database& db, const Clock& clock);

} // namespace teilhabe::portal
