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
    }
    return "?";
}

bool allows(Role role, Permission p) {
    switch (p) {
    case Permission::Public: return true;
    case Permission::AnyStaff: return true;
    case Permission::Metrics:
    case Permission::ManageStaff: return role == Role::Admin;
    case Permission::ViewAudit: return role == Role::Admin || role == Role::DataProtection;
    }
    return false;
}

} // namespace teilhabe::staff
