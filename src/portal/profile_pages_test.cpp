// The profile page and progressive profiling over the real dispatcher, on both engines: own
// details shown and changed through the citizens store (audited, activity), messages beside
// the field, the questions in the order staff set, answers and declines with the pause
// (ManualClock).

#include "portal/me_service.h"
#include "portal/me_test_fixture.h"

namespace teilhabe::portal {
namespace {

using testing::MeTest;
using namespace std::chrono_literals;

TEST_P(MeTest, TheProfileShowsOwnDetailsAndOnlyTheFieldsMarkedForThePortal) {
    auto page = browser->get("/portal/profile");
    ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
    EXPECT_TRUE(has(page, "Mein Profil"));
    EXPECT_TRUE(has(page, R"(value="Anna")"));
    EXPECT_TRUE(has(page, "anna@musterstadt.example"));
    EXPECT_TRUE(has(page, "Geburtsjahr"));
    EXPECT_TRUE(has(page, "Nachrichten aus dem Ortsteil"));
    EXPECT_FALSE(has(page, "Vermerk der Verwaltung"));
    // The address is no control here: it changes with a new verification.
    EXPECT_FALSE(has(page, R"(name="email")"));
    // Without a session: to the log-in.
    web::testing::Browser stranger(*h);
    EXPECT_EQ(stranger.get("/portal/profile").status, 303);
}

TEST_P(MeTest, AChangeIsSavedThroughTheCitizensStoreAndAuditedAsTheCitizen) {
    browser->get("/portal/profile");
    auto saved = browser->post_form("/portal/profile",
                                    "first_name=Anna-Lena&last_name=M%C3%BCller&district=Nord&"
                                    "attr.birth_year=1984&attr.district_news=yes&"
                                    "attr.volunteering=B%C3%BCcherei&attr.case_note=hacked");
    ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 2000);
    EXPECT_EQ(location(saved), "/portal/profile?saved=1");
    EXPECT_EQ(text("SELECT first_name FROM citizens WHERE id = ?", {anna}), "Anna-Lena");
    EXPECT_EQ(text("SELECT district FROM citizens WHERE id = ?", {anna}), "Nord");
    EXPECT_EQ(text("SELECT v.value FROM citizen_values v JOIN fields f ON f.id = v.field_id "
                   "WHERE f.key = 'birth_year' AND v.citizen_id = ?",
                   {anna}),
              "1984");
    // A field the portal does not offer is not taken from the form.
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_values v JOIN fields f ON f.id = v.field_id "
                    "WHERE f.key = 'case_note'"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.updated' AND "
                    "citizen_id = ? AND actor = ?",
                    {anna, me()}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.updated' AND "
                    "subject = ? AND actor = ? AND ip = '198.51.100.7'",
                    {"citizen:" + std::to_string(anna), me()}),
              1);
    auto page = browser->get("/portal/profile?saved=1");
    EXPECT_TRUE(has(page, "Ihre Angaben wurden gespeichert."));
    EXPECT_TRUE(has(page, R"(value="1984")"));
    // Saving the same again changes nothing and records nothing.
    browser->post_form("/portal/profile",
                       "first_name=Anna-Lena&last_name=M%C3%BCller&district=Nord&"
                       "attr.birth_year=1984&attr.district_news=yes&"
                       "attr.volunteering=B%C3%BCcherei");
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.updated'"), 1);
}

TEST_P(MeTest, WrongValuesAreSaidBesideTheirFieldAndNothingIsSaved) {
    browser->get("/portal/profile");
    std::string long_name(101, 'x');
    auto r =
        browser->post_form("/portal/profile", "first_name=" + long_name +
                                                  "&attr.birth_year=1850&attr.district_news=yes");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(has(r, "Bitte geben Sie eine Zahl von 1900 bis 2030 an."));
    EXPECT_TRUE(has(r, R"(id="attr-birth_year-error")"));
    EXPECT_TRUE(has(r, R"(id="first_name-error")"));
    EXPECT_TRUE(has(r, R"(href="#attr-birth_year")"));
    EXPECT_TRUE(has(r, R"(value="1850")")); // what was typed stays
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_values"), 0);
    EXPECT_EQ(text("SELECT first_name FROM citizens WHERE id = ?", {anna}), "Anna");
    // German ways of writing are understood; a number that is none is said so.
    r = browser->post_form("/portal/profile", "first_name=Anna&attr.birth_year=neunzehn");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(has(r, "Bitte geben Sie eine Zahl von 1900 bis 2030 an."));
    // Without the page's token nothing happens.
    EXPECT_EQ(browser->post_raw("/portal/profile", "first_name=Eve").status, 403);
    EXPECT_EQ(text("SELECT first_name FROM citizens WHERE id = ?", {anna}), "Anna");
}

TEST_P(MeTest, ARestrictedProfileIsShownButNotChanged) {
    count("UPDATE citizens SET restricted_at = 1 WHERE id = ? RETURNING id", {anna});
    auto page = browser->get("/portal/profile");
    EXPECT_TRUE(has(page, "Art. 18"));
    auto r = browser->post_form("/portal/profile", "first_name=Eve");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(text("SELECT first_name FROM citizens WHERE id = ?", {anna}), "Anna");
    // And no questions are asked.
    EXPECT_FALSE(has(browser->get("/portal"), R"(name="field")"));
}

TEST_P(MeTest, TheServiceChangesOnlyWhatThePersonMay) {
    auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        citizens::CitizenChanges in;
        in.email = "eve@example.org";
        return update_own_profile(c, anna, in, {me(), ""}, h->clock());
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::PermissionDenied);
    r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        citizens::CitizenChanges in;
        in.attributes.emplace_back("case_note", "x");
        return update_own_profile(c, anna, in, {me(), ""}, h->clock());
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, "attributes.case_note");
}

TEST_P(MeTest, QuestionsComeInTheOrderStaffSetAndAnAnswerFillsTheProfile) {
    auto home = browser->get("/portal");
    ASSERT_EQ(home.status, 200);
    // The home page asks the first question only (birth_year has order 1).
    EXPECT_TRUE(has(home, R"(name="field" value="birth_year")"));
    EXPECT_FALSE(has(home, R"(name="field" value="district_news")"));
    EXPECT_TRUE(has(home, R"(href="/portal/questions")"));
    // The places of later capabilities say kindly that nothing is there yet.
    EXPECT_TRUE(has(home, "Veranstaltungen"));
    EXPECT_TRUE(has(home, "Aktivpunkte"));

    auto empty =
        browser->post_form("/portal/questions", "field=birth_year&next=%2Fportal&action=answer");
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(has(empty, "Bitte geben Sie eine Antwort"));
    auto answered = browser->post_form(
        "/portal/questions", "field=birth_year&next=%2Fportal&action=answer&attr.birth_year=1984");
    ASSERT_EQ(answered.status, 303) << answered.body.substr(0, 1000);
    EXPECT_EQ(location(answered), "/portal?answered=1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.answered' AND "
                    "object = 'field:birth_year' AND citizen_id = ? AND actor = ?",
                    {anna, me()}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.updated' AND "
                    "citizen_id = ?",
                    {anna}),
              1);
    EXPECT_EQ(text("SELECT v.value FROM citizen_values v JOIN fields f ON f.id = v.field_id "
                   "WHERE f.key = 'birth_year'"),
              "1984");

    auto page = browser->get("/portal/questions");
    EXPECT_FALSE(has(page, R"(name="field" value="birth_year")"));
    auto district = page.body.find(R"(name="field" value="district_news")");
    auto volunteering = page.body.find(R"(name="field" value="volunteering")");
    ASSERT_NE(district, std::string::npos);
    ASSERT_NE(volunteering, std::string::npos);
    EXPECT_LT(district, volunteering);
    // Answered once, a question is changed on the profile page, not answered again here; a
    // field the portal may not ask is unknown.
    auto again = browser->post_form("/portal/questions",
                                    "field=birth_year&action=answer&attr.birth_year=1990");
    EXPECT_EQ(again.status, 303);
    EXPECT_EQ(text("SELECT v.value FROM citizen_values v JOIN fields f ON f.id = v.field_id "
                   "WHERE f.key = 'birth_year'"),
              "1984");
    EXPECT_EQ(
        browser->post_form("/portal/questions", "field=case_note&action=answer&attr.case_note=x")
            .status,
        404);
}

TEST_P(MeTest, ADeclinedQuestionIsNotAskedAgainBeforeThePause) {
    browser->get("/portal/questions");
    auto declined = browser->post_form(
        "/portal/questions", "field=birth_year&next=%2Fportal%2Fquestions&action=decline");
    ASSERT_EQ(declined.status, 303);
    EXPECT_EQ(location(declined), "/portal/questions?declined=1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_declines WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.declined' AND "
                    "object = 'field:birth_year'"),
              1);
    EXPECT_FALSE(has(browser->get("/portal/questions"), R"(value="birth_year")"));
    EXPECT_TRUE(has(browser->get("/portal"), R"(name="field" value="district_news")"));

    h->clock().advance(24h * 89);
    testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42"); // idle time-out
    EXPECT_FALSE(has(browser->get("/portal/questions"), R"(value="birth_year")"));
    h->clock().advance(24h);
    testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    auto back = browser->get("/portal");
    EXPECT_TRUE(has(back, R"(name="field" value="birth_year")"));
    // Declined again: the pause starts anew.
    browser->post_form("/portal/questions", "field=birth_year&next=%2Fportal&action=decline");
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM portal_declines WHERE declined_at = ?", {h->clock().now_ms()}),
        1);
    EXPECT_FALSE(has(browser->get("/portal"), R"(name="field" value="birth_year")"));
}

class ShortPauseTest : public MeTest {
protected:
    MeSettings settings() override {
        MeSettings s;
        s.profiling.ask_again_after = std::chrono::duration_cast<Millis>(24h * 7);
        return s;
    }
};

TEST_P(ShortPauseTest, ThePauseIsConfigurable) {
    browser->get("/portal");
    browser->post_form("/portal/questions", "field=birth_year&next=%2Fportal&action=decline");
    h->clock().advance(24h * 7);
    testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    EXPECT_TRUE(has(browser->get("/portal"), R"(name="field" value="birth_year")"));
}

INSTANTIATE_TEST_SUITE_P(Backends, MeTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });
INSTANTIATE_TEST_SUITE_P(Backends, ShortPauseTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
