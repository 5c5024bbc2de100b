#pragma once
// Operations and shared endpoints: health, metrics, static files, the API's self-description.

#include "consent/mailer.h"
#include "portal/mailer.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::app {

std::vector<web::RouteDef> system_routes();

// Every area's route table, in the order the dispatcher sees them (app/route_tables.cpp).
std::vector<web::RouteDef> all_routes(consent::ConfirmationMailer mailer = {},
                                      portal::PortalMailer portal_mailer = {});

} // namespace teilhabe::app
