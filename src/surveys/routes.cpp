#include "surveys/routes.h"

#include "surveys/handlers.h"

namespace teilhabe::surveys {

using http::Method;
using staff::Permission;
using web::Surface;

// Who may do what with surveys, on one screen. Staff with ManageParticipation (department staff:
// only their department's surveys, limited by the handlers) define, open, close and read results;
// the API's responses endpoint lets another system (a kiosk, a partner's form) hand in a
// person's answers. A citizen answers only as themselves (Permission::Citizen).
std::vector<web::RouteDef> routes() {
    return {
        // API
        {Method::Get, "/api/v1/surveys", Permission::ManageParticipation, Surface::Api, api::list},
        {Method::Post, "/api/v1/surveys", Permission::ManageParticipation, Surface::Api, api::create},
        {Method::Get, "/api/v1/surveys/{id}", Permission::ManageParticipation, Surface::Api, api::get},
        {Method::Patch, "/api/v1/surveys/{id}", Permission::ManageParticipation, Surface::Api, api::patch},
        {Method::Delete, "/api/v1/surveys/{id}", Permission::ManageParticipation, Surface::Api, api::remove},
        {Method::Get, "/api/v1/surveys/{id}/results", Permission::ManageParticipation, Surface::Api, api::results},
        {Method::Get, "/api/v1/surveys/{id}/results.csv", Permission::ManageParticipation, Surface::Api, api::results_file},
        {Method::Get, "/api/v1/surveys/{id}/results.xlsx", Permission::ManageParticipation, Surface::Api, api::results_file},
        {Method::Post, "/api/v1/surveys/{id}/responses", Permission::ManageParticipation, Surface::Api, api::respond},
        // Admin pages
        {Method::Get, "/admin/surveys", Permission::ManageParticipation, Surface::Page, pages::list},
        {Method::Get, "/admin/surveys/new", Permission::ManageParticipation, Surface::Page, pages::new_form},
        {Method::Post, "/admin/surveys/new", Permission::ManageParticipation, Surface::Page, pages::create},
        {Method::Get, "/admin/surveys/{id}", Permission::ManageParticipation, Surface::Page, pages::edit},
        {Method::Post, "/admin/surveys/{id}", Permission::ManageParticipation, Surface::Page, pages::update},
        {Method::Post, "/admin/surveys/{id}/status", Permission::ManageParticipation, Surface::Page, pages::set_status},
        {Method::Get, "/admin/surveys/{id}/delete", Permission::ManageParticipation, Surface::Page, pages::confirm_delete},
        {Method::Post, "/admin/surveys/{id}/delete", Permission::ManageParticipation, Surface::Page, pages::remove},
        {Method::Get, "/admin/surveys/{id}/results", Permission::ManageParticipation, Surface::Page, pages::results},
        {Method::Get, "/admin/surveys/{id}/results.csv", Permission::ManageParticipation, Surface::Page, pages::results_file},
        {Method::Get, "/admin/surveys/{id}/results.xlsx", Permission::ManageParticipation, Surface::Page, pages::results_file},
        // Portal
        {Method::Get, "/portal/surveys", Permission::Citizen, Surface::Page, pages::portal_list},
        {Method::Get, "/portal/surveys/{id}", Permission::Citizen, Surface::Page, pages::portal_form},
        {Method::Post, "/portal/surveys/{id}", Permission::Citizen, Surface::Page, pages::portal_submit},
        {Method::Get, "/portal/surveys/{id}/thanks", Permission::Citizen, Surface::Page, pages::portal_thanks},
    };
}

} // namespace teilhabe::surveys
