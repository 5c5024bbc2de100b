#pragma once
// The citizen portal's routes (/portal/...): the core (log-in, log-out; the home page and what a
// signed-in citizen does are in portal/me_routes.h). Routes with
// Permission::Citizen are for a citizen signed in to the portal; the dispatcher sends others to
// /portal/login.

#include "db/database.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::portal {

class SessionService;

std::vector<web::RouteDef> routes();

// What the dispatcher uses to resolve the portal's session cookie (web::AppContext).
web::CitizenSessionResolver session_resolver(db::Database& db, const Clock& clock);

} // namespace teilhabe::portal
