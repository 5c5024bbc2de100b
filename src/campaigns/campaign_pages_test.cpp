// The admin screens of campaigns over the real dispatcher: the empty state, the editor with a
// message beside the field that is wrong, the campaign's page with preview and audience, the
// question before sending, and who may see what.

#include "campaigns/test_fixture.h"

namespace teilhabe::campaigns {
namespace {

using http::Method;
using staff::Role;

class CampaignPagesTest : public testing::CampaignTest {
protected:
    web::testing::ApiResponse post_form(const std::string& path, const std::string& form, Role as = Role::Editor) {
        return h->call(Method::Post, path, as, nlohmann::json(form),
                       {{"content-type", "application/x-www-form-urlencoded"}});
    }
};

TEST_P(CampaignPagesTest, EmptyListInvitesToTheFirstCampaign) {
    auto r = h->call(Method::Get, "/admin/campaigns", Role::Editor);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Noch keine Kampagnen"), std::string::npos);
    EXPECT_NE(r.body.find("/admin/campaigns/new"), std::string::npos);
}

TEST_P(CampaignPagesTest, EditorShowsTheErrorBesideTheFieldAndKeepsTheInput) {
    auto form = h->call(Method::Get, "/admin/campaigns/new", Role::Editor);
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("value=\"kultur\""), std::string::npos); // topics to choose from

    auto bad = post_form("/admin/campaigns/new", "subject=&body_markdown=Text+bleibt&topics=kultur");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("subject-error"), std::string::npos) << bad.body;
    EXPECT_NE(bad.body.find("Text bleibt"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 0);

    auto ok = post_form("/admin/campaigns/new",
                        "subject=Hallo+%7B%7Bfirst_name%7D%7D&body_markdown=Am+Samstag&topics=kultur");
    ASSERT_EQ(ok.status, 303) << ok.body;
    auto page = h->call(Method::Get, std::string(ok.raw.header("location").value_or("")), Role::Editor);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Entwurf"), std::string::npos);
}

TEST_P(CampaignPagesTest, CampaignPageShowsPreviewAndAsksBeforeSending) {
    consent(h->add_citizen("anna@example.org", "Anna"), kultur);
    auto k = draft();
    auto page = h->call(Method::Get, "/admin/campaigns/" + std::to_string(k["id"].get<int>()), Role::Editor);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("sandbox=\"\""), std::string::npos);
    // The framed preview: the message as a real subscriber gets it, with its own styles only.
    auto preview = h->call(Method::Get, "/admin/campaigns/" + std::to_string(k["id"].get<int>()) + "/preview.html",
                           Role::Editor);
    ASSERT_EQ(preview.status, 200);
    EXPECT_NE(preview.body.find("Hallo Anna"), std::string::npos);
    auto csp = std::string(preview.raw.header("content-security-policy").value_or(""));
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("script-src"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.previewed'"), 1);

    auto question = h->call(Method::Get, "/admin/campaigns/" + std::to_string(k["id"].get<int>()) + "/send",
                            Role::Editor);
    ASSERT_EQ(question.status, 200);
    EXPECT_NE(question.body.find("an 1 Personen"), std::string::npos) << question.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0); // the question changes nothing

    auto sent = post_form("/admin/campaigns/" + std::to_string(k["id"].get<int>()) + "/send", "");
    ASSERT_EQ(sent.status, 303) << sent.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 1);
}

TEST_P(CampaignPagesTest, AnalystReadsButDoesNotWrite) {
    auto k = draft();
    EXPECT_EQ(h->call(Method::Get, "/admin/campaigns", Role::Analyst).status, 200);
    EXPECT_EQ(h->call(Method::Get, "/admin/campaigns/new", Role::Analyst).status, 403);
    EXPECT_EQ(post_form("/admin/campaigns/" + std::to_string(k["id"].get<int>()) + "/send", "", Role::Analyst).status,
              403);
    EXPECT_EQ(h->call(Method::Get, "/admin/campaigns", Role::Partner).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignPagesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::campaigns
