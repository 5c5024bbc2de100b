// The topics API and the admin screens: who may change which topic (department staff only
// their own), delete versus archive, consent texts as versions, and the audited proof of one
// person's consents.

#include "consent/test_fixture.h"

namespace teilhabe::consent {
namespace {

using http::Method;
using staff::Role;
using testing::ConsentTest;
using testing::Reply;

class TopicRoutesTest : public ConsentTest {
protected:
    Reply api(Method m, const std::string& path, Role role, const nlohmann::json& body = nullptr) {
        auto& k = keys[role];
        if (k.empty())
            k = m_auth->create_api_key(std::string("key ") + staff::to_string(role), role).value();
        http::Headers h{{"authorization", "Bearer " + k}};
        if (!body.is_null())
            h.emplace_back("content-type", "application/json");
        return send(m, path, body.is_null() ? "" : body.dump(), h);
    }
    // A signed-in department staff member of department `dept` (id): session cookie + CSRF.
    std::string department_session(std::int64_t dept) {
        auto email = "dept" + std::to_string(dept) + "@staff.example";
        EXPECT_TRUE(m_auth->create_user(email, "Rathaus-Garten-2026", Role::Department, dept));
        auto login = m_auth->login({email, "Rathaus-Garten-2026", "192.0.2.10", "test", ""});
        EXPECT_TRUE(login) << login.error().message;
        cookie = "th_session=" + login->session.token;
        return login->session.csrf_token;
    }
    std::map<Role, std::string> keys;
};

TEST_P(TopicRoutesTest, EditorsManageTopicsAndTopicsWithConsentsAreArchivedNotDeleted) {
    auto created = api(Method::Post, "/api/v1/topics", Role::Editor,
                       {{"key", "sport"}, {"name_de", "Sport"}, {"name_en", "Sports"},
                        {"description_de", "Vereine"}, {"public", true}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = created.json()["id"].get<std::int64_t>();
    EXPECT_EQ(created.location, "/api/v1/topics/" + std::to_string(id));
    EXPECT_EQ(api(Method::Post, "/api/v1/topics", Role::Editor, {{"key", "sport"}, {"name_de", "X"}}).status, 409);
    auto bad = api(Method::Post, "/api/v1/topics", Role::Editor, {{"key", "Sport!"}, {"name_de", "X"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(api(Method::Post, "/api/v1/topics", Role::Analyst, {{"key", "x1"}, {"name_de", "X"}}).status, 403);
    auto list = api(Method::Get, "/api/v1/topics", Role::Analyst);
    EXPECT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 4u);
    auto patched = api(Method::Patch, "/api/v1/topics/" + std::to_string(id), Role::Editor, {{"active", false}});
    EXPECT_EQ(patched.status, 200);
    EXPECT_FALSE(patched.json()["active"].get<bool>());
    EXPECT_EQ(api(Method::Delete, "/api/v1/topics/" + std::to_string(id), Role::Editor).status, 204);
    EXPECT_EQ(api(Method::Get, "/api/v1/topics/" + std::to_string(id), Role::Editor).status, 404);
    // A topic people consented to: 409, archive it instead.
    exec("INSERT INTO citizens (email, created_at, updated_at) VALUES ('a@example.org', 0, 0)");
    exec("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, updated_at) "
         "VALUES ((SELECT id FROM citizens), ?, ?, 'confirmed', 1, 0, 0)",
         {"topic:" + std::to_string(kultur), kultur});
    EXPECT_EQ(api(Method::Delete, "/api/v1/topics/" + std::to_string(kultur), Role::Admin).status, 409);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'topic.%'"), 3);
}

TEST_P(TopicRoutesTest, DepartmentStaffManageOnlyTheirOwnDepartmentsTopics) {
    auto csrf = department_session(1); // vhs: kultur and intern
    http::Headers h{{"x-csrf-token", csrf}, {"content-type", "application/json"}};
    auto own = send(Method::Patch, "/api/v1/topics/" + std::to_string(kultur), R"({"name_en":"Arts"})", h);
    EXPECT_EQ(own.status, 200) << own.body;
    auto other = send(Method::Patch, "/api/v1/topics/" + std::to_string(umwelt), R"({"name_en":"Nature"})", h);
    EXPECT_EQ(other.status, 403);
    auto created = send(Method::Post, "/api/v1/topics", R"({"key":"kurse","name_de":"Kurse"})", h);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json()["department_id"], 1);
    auto elsewhere = send(Method::Post, "/api/v1/topics", R"({"key":"wald","name_de":"Wald","department_id":2})", h);
    EXPECT_EQ(elsewhere.status, 403);
    // The admin screens follow the same rule.
    EXPECT_EQ(send(Method::Get, "/admin/topics/" + std::to_string(umwelt) + "/edit").status, 403);
    auto edit = send(Method::Get, "/admin/topics/" + std::to_string(kultur) + "/edit");
    EXPECT_EQ(edit.status, 200);
    auto saved = send(Method::Post, "/admin/topics/" + std::to_string(kultur) + "/edit",
                      "csrf=" + csrf + "&name_de=Kultur+und+Kunst&name_en=Arts&department_id=1&public=1&active=1");
    EXPECT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(text("SELECT name_de FROM topics WHERE id = ?", {kultur}), "Kultur und Kunst");
    // An API key of the department role has no department: it manages nothing.
    EXPECT_EQ(api(Method::Patch, "/api/v1/topics/" + std::to_string(kultur), Role::Department, {{"name_en", "X"}}).status, 403);
}

TEST_P(TopicRoutesTest, AdminScreensListCreateAndDeleteWithConfirmation) {
    auto csrf = department_session(2);
    exec("DELETE FROM topics");
    auto empty = send(Method::Get, "/admin/topics");
    EXPECT_EQ(empty.status, 200);
    EXPECT_NE(empty.body.find("empty-state"), std::string::npos);
    auto bad = send(Method::Post, "/admin/topics/new", "csrf=" + csrf + "&key=Wald!&name_de=Wald&department_id=2&public=1&active=1");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("key-error"), std::string::npos);
    auto ok = send(Method::Post, "/admin/topics/new", "csrf=" + csrf + "&key=wald&name_de=Wald&department_id=2&public=1&active=1");
    EXPECT_EQ(ok.status, 303) << ok.body;
    auto id = scalar("SELECT id FROM topics WHERE key = 'wald'");
    auto confirm = send(Method::Get, "/admin/topics/" + std::to_string(id) + "/delete");
    EXPECT_EQ(confirm.status, 200);
    EXPECT_EQ(send(Method::Post, "/admin/topics/" + std::to_string(id) + "/delete", "csrf=" + csrf).location,
              "/admin/topics?deleted=1");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM topics"), 0);
    auto embed = send(Method::Get, "/admin/topics/embed");
    EXPECT_EQ(embed.status, 200);
    EXPECT_NE(embed.body.find("https://teilhabe.stadt.example/subscribe"), std::string::npos);
}

TEST_P(TopicRoutesTest, ConsentTextsAreVersionsAndTheProofOfOnePersonIsAudited) {
    auto v2 = api(Method::Post, "/api/v1/consent-texts/newsletter", Role::DataProtection,
                  {{"text_de", "Neuer Text"}, {"text_en", "New text"}});
    ASSERT_EQ(v2.status, 201) << v2.body;
    EXPECT_EQ(v2.json()["version"], 2);
    EXPECT_EQ(api(Method::Post, "/api/v1/consent-texts/newsletter", Role::Department, {{"text_de", "x"}, {"text_en", "y"}}).status, 403);
    EXPECT_EQ(api(Method::Post, "/api/v1/consent-texts/newsletter", Role::Editor, {{"text_de", "x"}, {"text_en", "y"}}).status, 403);
    EXPECT_EQ(api(Method::Post, "/api/v1/consent-texts/newsletter", Role::Admin, {{"text_de", ""}, {"text_en", "y"}}).status, 422);
    auto versions = api(Method::Get, "/api/v1/consent-texts/newsletter", Role::Analyst);
    EXPECT_EQ(versions.json()["versions"].size(), 2u);
    EXPECT_EQ(versions.json()["current"]["text_de"], "Neuer Text");

    ASSERT_EQ(sign_up("gina@example.org", "topic=kultur").status, 200);
    auto gina = scalar("SELECT id FROM citizens WHERE email = 'gina@example.org'");
    EXPECT_EQ(scalar("SELECT version FROM consent_texts WHERE id = (SELECT consent_text_id FROM consents)"), 2);
    auto proof = api(Method::Get, "/api/v1/citizens/" + std::to_string(gina) + "/consents", Role::DataProtection);
    ASSERT_EQ(proof.status, 200) << proof.body;
    EXPECT_EQ(proof.json()["consents"][0]["status"], "pending");
    EXPECT_EQ(proof.json()["consents"][0]["requested"]["user_agent"], "TestBrowser/1.0");
    EXPECT_EQ(proof.json()["history"].size(), 1u);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.consents.read' AND subject = ?",
                     {"citizen:" + std::to_string(gina)}), 1);
    EXPECT_EQ(api(Method::Get, "/api/v1/citizens/" + std::to_string(gina) + "/consents", Role::Analyst).status, 403);
    department_session(1);
    auto page = send(Method::Get, "/admin/citizens/" + std::to_string(gina) + "/consents");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Neuer Text"), std::string::npos);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.consents.read'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, TopicRoutesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::consent
