#include "events/routes.h"

#include "events/api.h"
#include "events/pages.h"

namespace teilhabe::events {

using http::Method;
using staff::Permission;
using web::Surface;

// Who may do what with events, on one screen. Everything of staff: ManageParticipation
// (administrators, the communications office, and department staff for their own department's
// events, limited by the handlers). A citizen acts only on their own registrations
// (Permission::Citizen).
std::vector<web::RouteDef> routes(PromotionMailer mailer) {
    auto cancel_api = [mailer](web::RouteContext& ctx) { return api::cancel_registration(ctx, mailer); };
    auto cancel_admin = [mailer](web::RouteContext& ctx) { return pages::registration_cancel(ctx, mailer); };
    auto cancel_portal = [mailer](web::RouteContext& ctx) { return pages::portal_cancel(ctx, mailer); };
    auto patch_api = [mailer](web::RouteContext& ctx) { return api::patch_event(ctx, mailer); };
    auto update_admin = [mailer](web::RouteContext& ctx) { return pages::event_update(ctx, mailer); };
    auto cancel_event_admin = [mailer](web::RouteContext& ctx) { return pages::event_cancel(ctx, mailer); };
    auto delete_api = [mailer](web::RouteContext& ctx) { return api::delete_event(ctx, mailer); };
    constexpr auto P = Permission::ManageParticipation;
    return {
        // API
        {Method::Get, "/api/v1/events", P, Surface::Api, api::list_events},
        {Method::Post, "/api/v1/events", P, Surface::Api, api::create_event},
        {Method::Get, "/api/v1/events/{id}", P, Surface::Api, api::get_event},
        {Method::Patch, "/api/v1/events/{id}", P, Surface::Api, patch_api},
        {Method::Delete, "/api/v1/events/{id}", P, Surface::Api, delete_api},
        {Method::Get, "/api/v1/events/{id}/registrations", P, Surface::Api, api::list_registrations},
        {Method::Post, "/api/v1/events/{id}/registrations", P, Surface::Api, api::create_registration},
        {Method::Delete, "/api/v1/events/{id}/registrations/{rid}", P, Surface::Api, cancel_api},
        {Method::Post, "/api/v1/events/{id}/registrations/{rid}/cancel", P, Surface::Api, cancel_api},
        {Method::Post, "/api/v1/events/{id}/checkins", P, Surface::Api, api::check_in},
        {Method::Get, "/api/v1/events/{id}/participants.csv", P, Surface::Api, api::participants_csv},
        // Admin pages
        {Method::Get, "/admin/events", P, Surface::Page, pages::events},
        {Method::Get, "/admin/events/new", P, Surface::Page, pages::event_new},
        {Method::Post, "/admin/events/new", P, Surface::Page, pages::event_create},
        {Method::Get, "/admin/events/{id}", P, Surface::Page, pages::event_edit},
        {Method::Post, "/admin/events/{id}", P, Surface::Page, update_admin},
        {Method::Get, "/admin/events/{id}/cancel", P, Surface::Page, pages::event_cancel_confirm},
        {Method::Post, "/admin/events/{id}/cancel", P, Surface::Page, cancel_event_admin},
        {Method::Get, "/admin/events/{id}/participants", P, Surface::Page, pages::participants},
        {Method::Get, "/admin/events/{id}/participants.csv", P, Surface::Page, pages::participants_csv},
        {Method::Post, "/admin/events/{id}/registrations/{rid}/cancel", P, Surface::Page, cancel_admin},
        {Method::Get, "/admin/events/{id}/checkin", P, Surface::Page, pages::checkin},
        {Method::Post, "/admin/events/{id}/checkin", P, Surface::Page, pages::checkin_submit},
        // Portal (tickets before /portal/events/{id}/...: "tickets" is no event id)
        {Method::Get, "/portal/events", Permission::Citizen, Surface::Page, pages::portal_events},
        {Method::Get, "/portal/events/tickets/{id}", Permission::Citizen, Surface::Page, pages::portal_ticket},
        {Method::Get, "/portal/events/tickets/{id}/calendar.ics", Permission::Citizen, Surface::Page, pages::portal_ticket_ics},
        {Method::Get, "/portal/events/tickets/{id}/cancel", Permission::Citizen, Surface::Page, pages::portal_cancel_confirm},
        {Method::Post, "/portal/events/tickets/{id}/cancel", Permission::Citizen, Surface::Page, cancel_portal},
        {Method::Get, "/portal/events/{id}", Permission::Citizen, Surface::Page, pages::portal_event},
        {Method::Post, "/portal/events/{id}", Permission::Citizen, Surface::Page, pages::portal_register},
        {Method::Get, "/portal/events/{id}/calendar.ics", Permission::Citizen, Surface::Page, pages::portal_event_ics},
    };
}

} // namespace teilhabe::events
