#pragma once
// What a signed-in citizen does in the portal: the home page, their profile, the questions of
// progressive profiling, the preference centre, and the GDPR self-service (download, withdraw,
// delete). Every route is Permission::Citizen except the goodbye page after a deletion.

#include "portal/profiling.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::portal {

struct MeSettings {
    ProfilingPolicy profiling; // how long a declined question rests (portal_ask_again_days)
};

std::vector<web::RouteDef> me_routes(MeSettings settings = {});

} // namespace teilhabe::portal
