// The route table of the points programme: who may do what, on one screen.

#include "points/routes.h"

#include "points/api_routes.h"
#include "points/pages.h"

namespace teilhabe::points {

using http::Method;
using staff::Permission;
using web::Surface;

std::vector<web::RouteDef> routes() {
    return {
        // API (SPEC "Public contract"). Reading a person's points is reading their profile.
        {Method::Get, "/api/v1/citizens/{id}/points", Permission::ReadCitizens, Surface::Api,
         api::citizen_points},
        {Method::Post, "/api/v1/points/awards", Permission::ManagePoints, Surface::Api, api::award},
        {Method::Post, "/api/v1/points/corrections", Permission::ManagePoints, Surface::Api,
         api::correction},
        {Method::Get, "/api/v1/points/rules", Permission::ManagePoints, Surface::Api, api::list},
        {Method::Post, "/api/v1/points/rules", Permission::ManagePoints, Surface::Api, api::create},
        {Method::Get, "/api/v1/points/rules/{id}", Permission::ManagePoints, Surface::Api, api::get},
        {Method::Patch, "/api/v1/points/rules/{id}", Permission::ManagePoints, Surface::Api,
         api::patch},
        {Method::Delete, "/api/v1/points/rules/{id}", Permission::ManagePoints, Surface::Api,
         api::remove},
        // Staff screen.
        {Method::Get, "/admin/points", Permission::ManagePoints, Surface::Page, pages::admin_home},
        {Method::Get, "/admin/points/rules/new", Permission::ManagePoints, Surface::Page,
         pages::admin_rule_new},
        {Method::Post, "/admin/points/rules", Permission::ManagePoints, Surface::Page,
         pages::admin_rule_create},
        {Method::Get, "/admin/points/rules/{id}", Permission::ManagePoints, Surface::Page,
         pages::admin_rule_edit},
        {Method::Post, "/admin/points/rules/{id}", Permission::ManagePoints, Surface::Page,
         pages::admin_rule_update},
        {Method::Post, "/admin/points/settings", Permission::ManagePoints, Surface::Page,
         pages::admin_settings},
        {Method::Post, "/admin/points/awards", Permission::ManagePoints, Surface::Page,
         pages::admin_award},
        {Method::Post, "/admin/points/corrections", Permission::ManagePoints, Surface::Page,
         pages::admin_correct},
        // The person's own page in the portal.
        {Method::Get, "/portal/points", Permission::Citizen, Surface::Page, pages::portal_points},
    };
}

} // namespace teilhabe::points
