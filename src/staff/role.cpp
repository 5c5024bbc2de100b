#include "staff/role.h"

namespace teilhabe::staff {

std::optional<Role> parse_role(std::string_view s) {
    for (Role r : all_roles())
        if (s == to_string(r))
            return r;
    return std::nullopt;
}

const char* to_string(Role r) {
    switch (r) {
    case Role::Admin: return "admin";
    case Role::Editor: return "editor";
    case Role::Department: return "department";
    case Role::Analyst: return "analyst";
    case Role::DataProtection: return "dpo";
    case Role::Partner: return "partner";
    }
    return "partner";
}

std::vector<Role> all_roles() {
    return {Role::Admin, Role::Editor, Role::Department, Role::Analyst, Role::DataProtection,
            Role::Partner};
}

const char* to_string(Permission p) {
    switch (p) {
    case Permission::Public: return "public";
    case Permission::Metrics: return "metrics";
    case Permission::AnyStaff: return "any_staff";
    case Permission::ManageStaff: return "manage_staff";
    case Permission::ViewAudit: return "view_audit";
    case Permission::ReadCitizens: return "read_citizens";
    case Permission::WriteCitizens: return "write_citizens";
    case Permission::ManageFields: return "manage_fields";
    case Permission::RecordActivities: return "record_activities";
    case Permission::ImportCitizens: return "import_citizens";
    case Permission::ExportCitizens: return "export_citizens";
    case Permission::GdprRequests: return "gdpr_requests";
    case Permission::ManageWebhooks: return "manage_webhooks";
    case Permission::ReadCampaigns: return "read_campaigns";
    case Permission::ManageCampaigns: return "manage_campaigns";
    case Permission::Citizen: return "citizen";
    case Permission::ManageSegments: return "manage_segments";
    case Permission::ManageJourneys: return "manage_journeys";
    case Permission::ManagePoints: return "manage_points";
    case Permission::ManageOffers: return "manage_offers";
    case Permission::RedeemVouchers: return "redeem_vouchers";
    case Permission::ManageStadttaler: return "manage_stadttaler";
    case Permission::ManageParticipation: return "manage_participation";
    }
    return "?";
}

bool allows(Role role, Permission p) {
    switch (p) {
    case Permission::Public: return true;
    case Permission::AnyStaff: return true;
    case Permission::Metrics:
    case Permission::ManageStaff:
    // Webhooks send data about people to other systems: only administrators decide where to.
    case Permission::ManageWebhooks: return role == Role::Admin;
    case Permission::ViewAudit:
    case Permission::GdprRequests: return role == Role::Admin || role == Role::DataProtection;
    case Permission::ReadCitizens:
        // The analyst sees aggregates only, never a person; partners see vouchers only.
        return role == Role::Admin || role == Role::Editor || role == Role::Department ||
               role == Role::DataProtection;
    case Permission::WriteCitizens:
    case Permission::ManageFields:
    case Permission::RecordActivities:
        return role == Role::Admin || role == Role::Editor || role == Role::Department;
    case Permission::ImportCitizens:
    case Permission::ExportCitizens:
        // Whole lists of people in and out: the communications office and admins; department
        // staff work with single profiles.
        return role == Role::Admin || role == Role::Editor;
    case Permission::ReadCampaigns:
        // Reports are figures; the analyst reads them too.
        return role == Role::Admin || role == Role::Editor || role == Role::Department ||
               role == Role::Analyst;
    case Permission::ManageCampaigns:
        // Mail to many people at once is the communications office's (as lists of people are).
        return role == Role::Admin || role == Role::Editor;
    case Permission::ManageSegments:
    case Permission::ManageJourneys:
    case Permission::ManagePoints:
        // Segments are lists of people and journeys mail them: like campaigns, the
        // communications office's. Points rules and awards likewise, one policy for the town.
        return role == Role::Admin || role == Role::Editor;
    case Permission::ManageOffers:
    case Permission::ManageParticipation:
        // Departments run their own offers, surveys and events (the handlers limit them to
        // their department's).
        return role == Role::Admin || role == Role::Editor || role == Role::Department;
    case Permission::RedeemVouchers:
        // The partner's desk; administrators for support.
        return role == Role::Admin || role == Role::Partner;
    case Permission::ManageStadttaler:
        // Money: the citizens' office (a department) at the desk, and administrators.
        return role == Role::Admin || role == Role::Department;
    case Permission::Citizen:
        // Staff act on people through the admin, never as one of them.
        return false;
    }
    return false;
}

} // namespace teilhabe::staff
