#include "admin/routes.h"

#include "admin/pages.h"

namespace teilhabe::admin {

using http::Method;
using staff::Permission;
using web::Surface;

// Who may do what in the admin, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/admin/login", Permission::Public, Surface::Page, login_form},
        {Method::Post, "/admin/login", Permission::Public, Surface::Page, login_submit},
        {Method::Post, "/admin/logout", Permission::AnyStaff, Surface::Page, logout},
        {Method::Get, "/admin", Permission::AnyStaff, Surface::Page, dashboard},
        {Method::Get, "/admin/staff", Permission::ManageStaff, Surface::Page, staff_list},
        {Method::Get, "/admin/audit", Permission::ViewAudit, Surface::Page, audit_log},
        {Method::Get, "/admin/{area}", Permission::AnyStaff, Surface::Page, coming_soon},
        {Method::Post, "/language", Permission::Public, Surface::Page, switch_language},
    };
}

} // namespace teilhabe::admin
