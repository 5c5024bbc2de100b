#pragma once
// The citizen portal's routes (/portal/...): the core (home, log-in, log-out). Routes with
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
