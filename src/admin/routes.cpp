#include "admin/routes.h"

#include "admin/citizen_pages.h"
#include "admin/pages.h"
#include "admin/second_factor_pages.h"
#include "admin/webhook_pages.h"

namespace teilhabe::admin {

using http::Method;
using staff::Permission;
using web::Surface;

// Who may do what in the admin, on one screen. The first matching route wins: literal paths
// (/admin/citizens/new) come before captures (/admin/citizens/{id}), and every explicit screen
// before the catch-all /admin/{area} of the capabilities still to come.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/admin/login", Permission::Public, Surface::Page, login_form},
        {Method::Post, "/admin/login", Permission::Public, Surface::Page, login_submit},
        {Method::Post, "/admin/login/code", Permission::Public, Surface::Page, login_code_submit},
        {Method::Post, "/admin/login/enrol", Permission::Public, Surface::Page, login_enrol_submit},
        {Method::Post, "/admin/logout", Permission::AnyStaff, Surface::Page, logout},
        {Method::Get, "/admin", Permission::AnyStaff, Surface::Page, dashboard},
        {Method::Get, "/admin/staff", Permission::ManageStaff, Surface::Page, staff_list},
        {Method::Post, "/admin/staff/second-factor", Permission::ManageStaff, Surface::Page, second_factor_policy},
        {Method::Post, "/admin/staff/{id}/second-factor/reset", Permission::ManageStaff, Surface::Page, second_factor_reset},
        {Method::Get, "/admin/audit", Permission::ViewAudit, Surface::Page, audit_log},
        {Method::Get, "/admin/audit/export", Permission::ViewAudit, Surface::Page, audit_download},
        // The citizen data hub (issue 3).
        {Method::Get, "/admin/citizens", Permission::ReadCitizens, Surface::Page, citizens_list},
        {Method::Get, "/admin/exports/citizens", Permission::ExportCitizens, Surface::Page, citizens_export},
        {Method::Get, "/admin/citizens/new", Permission::WriteCitizens, Surface::Page, citizen_new},
        {Method::Post, "/admin/citizens/new", Permission::WriteCitizens, Surface::Page, citizen_create},
        {Method::Get, "/admin/citizens/{id}", Permission::ReadCitizens, Surface::Page, citizen_profile},
        {Method::Get, "/admin/citizens/{id}/edit", Permission::WriteCitizens, Surface::Page, citizen_edit},
        {Method::Post, "/admin/citizens/{id}/edit", Permission::WriteCitizens, Surface::Page, citizen_update},
        {Method::Get, "/admin/citizens/{id}/merge", Permission::WriteCitizens, Surface::Page, citizen_merge_form},
        {Method::Get, "/admin/citizens/{id}/merge/confirm", Permission::WriteCitizens, Surface::Page, citizen_merge_confirm},
        {Method::Post, "/admin/citizens/{id}/merge", Permission::WriteCitizens, Surface::Page, citizen_merge},
        {Method::Post, "/admin/citizens/{id}/restriction", Permission::GdprRequests, Surface::Page, citizen_restriction},
        {Method::Get, "/admin/citizens/{id}/export", Permission::GdprRequests, Surface::Page, citizen_export},
        {Method::Get, "/admin/citizens/{id}/delete", Permission::GdprRequests, Surface::Page, citizen_delete_confirm},
        {Method::Post, "/admin/citizens/{id}/delete", Permission::GdprRequests, Surface::Page, citizen_delete},
        {Method::Get, "/admin/fields", Permission::ManageFields, Surface::Page, fields_list},
        {Method::Get, "/admin/fields/new", Permission::ManageFields, Surface::Page, field_new},
        {Method::Post, "/admin/fields/new", Permission::ManageFields, Surface::Page, field_create},
        {Method::Get, "/admin/fields/{key}/edit", Permission::ManageFields, Surface::Page, field_edit},
        {Method::Post, "/admin/fields/{key}/edit", Permission::ManageFields, Surface::Page, field_update},
        {Method::Get, "/admin/fields/{key}/delete", Permission::ManageFields, Surface::Page, field_delete_confirm},
        {Method::Post, "/admin/fields/{key}/delete", Permission::ManageFields, Surface::Page, field_delete},
        {Method::Get, "/admin/import", Permission::ImportCitizens, Surface::Page, import_form},
        {Method::Post, "/admin/import", Permission::ImportCitizens, Surface::Page, import_submit},
        // Webhooks out for activities: where data about people goes, so administrators only.
        {Method::Get, "/admin/webhooks", Permission::ManageWebhooks, Surface::Page, webhooks_list},
        {Method::Get, "/admin/webhooks/new", Permission::ManageWebhooks, Surface::Page, webhook_new},
        {Method::Post, "/admin/webhooks/new", Permission::ManageWebhooks, Surface::Page, webhook_create},
        {Method::Get, "/admin/webhooks/{id}", Permission::ManageWebhooks, Surface::Page, webhook_detail},
        {Method::Post, "/admin/webhooks/{id}/test", Permission::ManageWebhooks, Surface::Page, webhook_test},
        {Method::Get, "/admin/webhooks/{id}/delete", Permission::ManageWebhooks, Surface::Page, webhook_delete_confirm},
        {Method::Post, "/admin/webhooks/{id}/delete", Permission::ManageWebhooks, Surface::Page, webhook_delete},
        {Method::Get, "/admin/imports/{id}", Permission::ImportCitizens, Surface::Page, import_run_page},
        {Method::Get, "/admin/imports/{id}/progress", Permission::ImportCitizens, Surface::Page, import_run_progress},
        {Method::Get, "/admin/{area}", Permission::AnyStaff, Surface::Page, coming_soon},
        {Method::Post, "/language", Permission::Public, Surface::Page, switch_language},
    };
}

} // namespace teilhabe::admin
