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

// Issue 6: the editor offers the segments with their live size; the campaign's audience is the
// topics, the segment, or both, and the question before sending names the combination's size.
TEST_P(CampaignPagesTest, EditorChoosesASegmentAndTheQuestionCountsTheCombination) {
    auto anna = h->add_citizen("anna@example.org", "Anna");
    consent(anna, kultur);
    auto ben = h->add_citizen("ben@example.org", "Ben");
    consent(ben, umwelt);
    auto cem = h->add_citizen("cem@example.org", "Cem"); // a member without any consent
    auto dora = h->add_citizen("dora@example.org", "Dora");
    consent(dora, kultur); // subscribes, but not in the segment
    exec("INSERT INTO segments (key, name, rule, status, created_at, updated_at) VALUES ('nord', 'Nordstadt', "
         "'{\"tag\":\"nord\"}', 'live', 0, 0)");
    auto segment = count("SELECT id FROM segments WHERE key = 'nord'");
    for (auto who : {anna, ben, cem})
        exec("INSERT INTO segment_members (segment_id, citizen_id, entered_at) VALUES (?, ?, 0)", {segment, who});
    auto seg = std::to_string(segment);

    auto form = h->call(Method::Get, "/admin/campaigns/new", Role::Editor);
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("<option value=\"" + seg + "\">Nordstadt (3 Mitglieder)</option>"), std::string::npos)
        << form.body;
    EXPECT_NE(form.body.find("<option value=\"\">Kein Segment"), std::string::npos);

    // Neither topics nor a segment: the message beside the topics, nothing saved.
    auto neither = post_form("/admin/campaigns/new", "subject=Hallo&body_markdown=Text&segment_id=");
    EXPECT_EQ(neither.status, 422);
    EXPECT_NE(neither.body.find("id=\"topics-error\""), std::string::npos) << neither.body;
    EXPECT_NE(neither.body.find("mindestens einen Newsletter oder ein Segment"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 0);

    // A segment that is gone (deleted while the form was open): the message beside the choice.
    auto gone = post_form("/admin/campaigns/new", "subject=Hallo&body_markdown=Text&segment_id=" +
                                                      std::to_string(segment + 100));
    EXPECT_EQ(gone.status, 422);
    EXPECT_NE(gone.body.find("id=\"segment-error\""), std::string::npos) << gone.body;
    EXPECT_NE(gone.body.find("gibt es nicht mehr"), std::string::npos);
    EXPECT_NE(gone.body.find("aria-invalid=\"true\""), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 0);

    // The segment alone: its members with some confirmed topic (Anna, Ben; not Cem).
    auto alone = post_form("/admin/campaigns/new", "subject=Hallo&body_markdown=Text&segment_id=" + seg);
    ASSERT_EQ(alone.status, 303) << alone.body;
    auto alone_path = std::string(alone.raw.header("location").value_or(""));
    EXPECT_EQ(count("SELECT segment_id FROM campaigns WHERE subject = 'Hallo'"), segment);
    auto page = h->call(Method::Get, alone_path, Role::Editor);
    EXPECT_NE(page.body.find("Nordstadt (3 Mitglieder)"), std::string::npos) << page.body;
    auto question = h->call(Method::Get, alone_path + "/send", Role::Editor);
    ASSERT_EQ(question.status, 200);
    EXPECT_NE(question.body.find("an 2 Personen"), std::string::npos) << question.body;
    EXPECT_NE(question.body.find("Nordstadt (3 Mitglieder)"), std::string::npos);

    // The editor keeps the choice; adding Kultur narrows it to Anna.
    auto edit = h->call(Method::Get, alone_path + "/edit", Role::Editor);
    EXPECT_NE(edit.body.find("<option value=\"" + seg + "\" selected>"), std::string::npos) << edit.body;
    auto both = post_form(alone_path + "/edit", "subject=Hallo&body_markdown=Text&topics=kultur&segment_id=" + seg);
    ASSERT_EQ(both.status, 303) << both.body;
    question = h->call(Method::Get, alone_path + "/send", Role::Editor);
    EXPECT_NE(question.body.find("an 1 Personen"), std::string::npos) << question.body;
    EXPECT_NE(question.body.find("<dd>kultur</dd>"), std::string::npos);

    // "None" takes the segment away again: every Kultur subscriber (Anna, Dora).
    auto none = post_form(alone_path + "/edit", "subject=Hallo&body_markdown=Text&topics=kultur&segment_id=");
    ASSERT_EQ(none.status, 303) << none.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE segment_id IS NULL"), 1);
    question = h->call(Method::Get, alone_path + "/send", Role::Editor);
    EXPECT_NE(question.body.find("an 2 Personen"), std::string::npos) << question.body;
}

// PATCH with only a segment changes the segment (it used to count as "only the schedule").
TEST_P(CampaignPagesTest, PatchOfTheSegmentAloneIsSaved) {
    auto k = draft();
    exec("INSERT INTO segments (key, name, rule, status, created_at, updated_at) VALUES ('sued', 'Süd', "
         "'{\"tag\":\"sued\"}', 'live', 0, 0)");
    auto segment = count("SELECT id FROM segments WHERE key = 'sued'");
    auto r = h->call(Method::Patch, path(k), Role::Editor, nlohmann::json{{"segment_id", segment}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["segment_id"], segment);
    EXPECT_EQ(count("SELECT segment_id FROM campaigns"), segment);
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
