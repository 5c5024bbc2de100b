#include "portal/me_routes.h"

#include "portal/me_pages.h"

namespace teilhabe::portal {

using http::Method;
using staff::Permission;
using web::Surface;
using namespace detail;

// Who may do what, on one screen: a citizen signed in to the portal acts on their own profile
// only (the handlers take the person from the session, never from the address); staff and API
// keys have no Citizen permission. Every form carries the session's CSRF token.
std::vector<web::RouteDef> me_routes(MeSettings settings) {
    auto policy = settings.profiling;
    auto questions = [policy](web::RouteContext& ctx) { return questions_page(ctx, policy); };
    auto answer = [policy](web::RouteContext& ctx) { return questions_submit(ctx, policy); };
    auto home = [policy](web::RouteContext& ctx) { return home_page(ctx, policy); };
    return {
        {Method::Get, "/portal", Permission::Citizen, Surface::Page, home},
        {Method::Get, "/portal/profile", Permission::Citizen, Surface::Page, profile_page},
        {Method::Post, "/portal/profile", Permission::Citizen, Surface::Page, profile_submit},
        {Method::Get, "/portal/questions", Permission::Citizen, Surface::Page, questions},
        {Method::Post, "/portal/questions", Permission::Citizen, Surface::Page, answer},
        {Method::Get, "/portal/preferences", Permission::Citizen, Surface::Page, preferences_page},
        {Method::Post, "/portal/preferences", Permission::Citizen, Surface::Page, preferences_submit},
        {Method::Get, "/portal/privacy", Permission::Citizen, Surface::Page, privacy_page},
        {Method::Get, "/portal/privacy/export", Permission::Citizen, Surface::Page, export_page},
        {Method::Get, "/portal/privacy/export.json", Permission::Citizen, Surface::Page, export_download},
        {Method::Post, "/portal/privacy/withdraw", Permission::Citizen, Surface::Page, withdraw_submit},
        {Method::Get, "/portal/privacy/delete", Permission::Citizen, Surface::Page, delete_page},
        {Method::Post, "/portal/privacy/delete", Permission::Citizen, Surface::Page, delete_submit},
        // After the deletion nobody is signed in any more.
        {Method::Get, "/portal/goodbye", Permission::Public, Surface::Page, goodbye_page},
    };
}

} // namespace teilhabe::portal
