#pragma once
// Staff roles and what each may do. Every route names the Permission it needs (see the route
// tables in */routes.cpp); this file is the one place that says which role has which.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::staff {

enum class Role {
    Admin,          // everything, including staff accounts and settings
    Editor,         // communications office: campaigns, topics, segments of all departments
    Department,     // department staff: only their department's topics, fields, events, offers
    Analyst,        // read-only aggregates and reports
    DataProtection, // data-protection officer: audit log, GDPR requests
    Partner,        // partner shops: voucher and payment screens only
};

std::optional<Role> parse_role(std::string_view s);
const char* to_string(Role r);
std::vector<Role> all_roles();

enum class Permission {
    Public,      // anyone, signed in or not
    Metrics,     // Prometheus scrape: loopback or an admin principal
    AnyStaff,    // any signed-in staff account or API key (dashboard, own settings)
    ManageStaff, // staff accounts and API keys
    ViewAudit,   // the audit log
    // The citizen data hub (issue 3). Department staff are further limited to their own
    // department's fields by the handlers that know what a field belongs to.
    ReadCitizens,     // full profiles, one person at a time, and lists of people
    WriteCitizens,    // create and change profiles, merge duplicates
    ManageFields,     // the municipality's own fields (custom field definitions)
    RecordActivities, // activities from other systems (POST /api/v1/activities)
    ImportCitizens,   // CSV import
    ExportCitizens,   // export of filtered lists (CSV, XLSX, JSON): many people at once
    GdprRequests,     // export everything about a person, erase, restrict processing
    ManageWebhooks,   // webhooks out: which other systems receive activities (administrators)
    // Newsletters and campaigns (issue 4).
    ReadCampaigns,   // campaigns and their reports (figures, no people)
    ManageCampaigns, // write, preview as a person, test, send, pause, cancel
    // The citizen portal (issue 5): a citizen signed in to the portal, acting on their own
    // profile only. No staff role has it, and a citizen has no other permission but Public.
    Citizen,
    // Segments and journeys (issue 6): lists of people by rule, and mail sent automatically.
    ManageSegments, // define segments, see their live count and members
    ManageJourneys, // define, switch on and off journeys (they send mail to many people)
    // Points, shop, vouchers, Stadttaler (issue 7).
    ManagePoints,    // points rules, manual awards and corrections, a person's ledger
    ManageOffers,    // the offer shop's offers (department staff: their department's)
    RedeemVouchers,  // partner screen: validate and redeem vouchers, take Stadttaler payments
    ManageStadttaler, // desk top-ups with receipt, settlement reports, marking them paid
    // Surveys and events (issue 8).
    ManageParticipation, // surveys, events, registrations, check-in, results and exports
};
const char* to_string(Permission p);

bool allows(Role role, Permission p);

} // namespace teilhabe::staff
