// Audit coverage of /api/v1/citizens beyond reading one profile: a list shows full profiles,
// and a patch that changes nothing still answers with the whole profile. Both are reads of
// each person concerned, found under that person with who and from where.

#include "citizens/api_fixture.h"

namespace teilhabe::citizens {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;
using testing::ApiTest;

using CitizenAudit = ApiTest;

TEST_P(CitizenAudit, AListIsAReadOfEveryPersonInIt) {
    std::vector<std::int64_t> ids;
    for (const char* email : {"a@example.org", "b@example.org", "c@example.org"}) {
        auto r = call(Method::Post, "/api/v1/citizens", Role::Editor, {{"email", email}});
        ASSERT_EQ(r.status, 201) << r.body;
        ids.push_back(r.body["id"].get<std::int64_t>());
    }
    auto page = call(Method::Get, "/api/v1/citizens?limit=2", Role::Department);
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_EQ(page.body["items"].size(), 2u);
    auto key_id = scalar("SELECT id FROM api_keys WHERE role = 'department'");
    for (const auto& item : page.body["items"])
        EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND "
                         "subject = ? AND actor = ? AND ip = '192.0.2.10' AND detail = 'in a list'",
                         {"citizen:" + std::to_string(item["id"].get<std::int64_t>()),
                          "apikey:" + std::to_string(key_id)}),
                  1)
            << item;
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read'"), 2)
        << "only the people shown";
}

TEST_P(CitizenAudit, APatchThatChangesNothingIsARead) {
    auto r = call(Method::Post, "/api/v1/citizens", Role::Editor,
                  {{"email", "d@example.org"}, {"first_name", "Dora"}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto path = "/api/v1/citizens/" + std::to_string(r.body["id"].get<std::int64_t>());
    auto subject = "citizen:" + std::to_string(r.body["id"].get<std::int64_t>());
    auto same = call(Method::Patch, path, Role::Editor, {{"first_name", "Dora"}});
    ASSERT_EQ(same.status, 200) << same.body;
    EXPECT_EQ(same.body["email"], "d@example.org");
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND subject = "
                     "? AND ip = '192.0.2.10'",
                     {subject}),
              1);
    // A real change is audited as the change, not as a read besides.
    m_clock.advance(std::chrono::seconds(1));
    ASSERT_EQ(call(Method::Patch, path, Role::Editor, {{"first_name", "Dorothea"}}).status, 200);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.updated' AND "
                     "subject = ?",
                     {subject}),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenAudit, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::citizens
