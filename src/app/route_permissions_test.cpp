// Every route of every area, called by every role: a role the route's permission does not
// allow gets 403, a role it allows gets past the permission check. A new route is covered the
// moment it is added to a route table (app/route_tables.cpp).

#include "app/system_routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>
#include <algorithm>
#include <regex>
#include <set>

namespace teilhabe::app {
namespace {

using staff::Role;

// /api/v1/citizens/{id}/timeline -> /api/v1/citizens/1/timeline
std::string concrete(const std::string& pattern) {
    static const std::regex param(R"(\{[a-z_]+(\.\.\.)?\})");
    return std::regex_replace(pattern, param, "1");
}

// The access policy written out a second time, independently of staff/role.cpp, so that a
// change to either is a visible, deliberate change to both.
TEST(RoutePermissions, PolicyIsTheAgreedOne) {
    using P = staff::Permission;
    const std::vector<std::pair<P, std::set<Role>>> expected = {
        {P::Public, {Role::Admin, Role::Editor, Role::Department, Role::Analyst,
                     Role::DataProtection, Role::Partner}},
        {P::AnyStaff, {Role::Admin, Role::Editor, Role::Department, Role::Analyst,
                       Role::DataProtection, Role::Partner}},
        {P::Metrics, {Role::Admin}},
        {P::ManageStaff, {Role::Admin}},
        {P::ViewAudit, {Role::Admin, Role::DataProtection}},
        {P::ReadCitizens, {Role::Admin, Role::Editor, Role::Department, Role::DataProtection}},
        {P::WriteCitizens, {Role::Admin, Role::Editor, Role::Department}},
        {P::ManageFields, {Role::Admin, Role::Editor, Role::Department}},
        {P::RecordActivities, {Role::Admin, Role::Editor, Role::Department}},
        {P::ImportCitizens, {Role::Admin, Role::Editor}},
        {P::ExportCitizens, {Role::Admin, Role::Editor}},
        {P::GdprRequests, {Role::Admin, Role::DataProtection}},
        {P::ManageWebhooks, {Role::Admin}},
        {P::ReadCampaigns, {Role::Admin, Role::Editor, Role::Department, Role::Analyst}},
        {P::ManageCampaigns, {Role::Admin, Role::Editor}},
        // Points rules, manual awards and corrections: one policy for the town (issue 7).
        {P::ManagePoints, {Role::Admin, Role::Editor}},
        {P::ManageSegments, {Role::Admin, Role::Editor}},
        {P::ManageJourneys, {Role::Admin, Role::Editor}},
        // The offer shop, the partner's till and the Stadttaler (issue 7).
        {P::ManageOffers, {Role::Admin, Role::Editor, Role::Department}},
        {P::RedeemVouchers, {Role::Admin, Role::Partner}},
        {P::ManageStadttaler, {Role::Admin, Role::Department}},
        // Surveys and events (issue 8): departments run their own.
        {P::ManageParticipation, {Role::Admin, Role::Editor, Role::Department}},
        // The portal's own pages: for a citizen signed in there, never for a staff role.
        {P::Citizen, {}},
    };
    for (const auto& [permission, roles] : expected)
        for (Role role : staff::all_roles())
            EXPECT_EQ(staff::allows(role, permission), roles.contains(role))
                << staff::to_string(role) << " / " << staff::to_string(permission);
    // Every route's permission is in the list above.
    for (const auto& route : all_routes())
        EXPECT_TRUE(std::ranges::any_of(expected, [&](const auto& e) { return e.first == route.permission; }))
            << route.pattern << " uses " << staff::to_string(route.permission);
}

TEST(RoutePermissions, EveryRouteAllowsExactlyTheRolesItsPermissionNames) {
    auto h = web::testing::ApiHarness::create(db::Backend::Sqlite, all_routes());
    ASSERT_TRUE(h);
    int checked = 0;
    for (const auto& route : all_routes()) {
        if (route.permission == staff::Permission::Public)
            continue;
        auto path = concrete(route.pattern);
        // Without credentials: refused before the handler runs.
        auto anon = h->call_anonymous(route.method, path);
        EXPECT_TRUE(anon.status == 401 || anon.status == 303 || anon.status == 403)
            << to_string(route.method) << " " << path << " anonymous -> " << anon.status;
        for (Role role : staff::all_roles()) {
            auto r = h->call(route.method, path, role, nlohmann::json::object());
            std::string what = std::string(to_string(route.method)) + " " + path + " as " +
                               staff::to_string(role) + " (" +
                               staff::to_string(route.permission) + ") -> " +
                               std::to_string(r.status) + " " + r.body.substr(0, 200);
            if (route.permission == staff::Permission::Citizen)
                // Staff are sent to the portal's log-in (pages) or told to sign in there (API).
                EXPECT_TRUE(r.status == 303 || r.status == 401) << what;
            else if (staff::allows(role, route.permission))
                EXPECT_TRUE(r.status != 401 && r.status != 403) << what;
            else
                EXPECT_EQ(r.status, 403) << what;
            ++checked;
        }
    }
    // The tables are not empty: the walk really walked.
    EXPECT_GT(checked, 6 * 8);
}

} // namespace
} // namespace teilhabe::app
