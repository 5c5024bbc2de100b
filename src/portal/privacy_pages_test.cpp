// The preference centre and the GDPR self-service over the real dispatcher, on both engines:
// consent changes with their proof and "via portal", the text version shown, withdrawing one
// consent, the export as JSON and as a page (audited), and deleting the account.

#include "portal/me_test_fixture.h"

namespace teilhabe::portal {
namespace {

using testing::MeTest;

class PrivacyTest : public MeTest {
protected:
    std::int64_t text_id(const std::string& kind) {
        return count("SELECT MAX(id) FROM consent_texts WHERE kind = ?", {kind});
    }
    std::string texts() {
        return "&newsletter_text=" + std::to_string(text_id("newsletter")) +
               "&tracking_text=" + std::to_string(text_id("tracking"));
    }
};

TEST_P(PrivacyTest, PreferencesAreRecordedWithProofAndTheTextShown) {
    auto page = browser->get("/portal/preferences");
    ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
    EXPECT_TRUE(has(page, "Kultur"));
    EXPECT_FALSE(has(page, "Intern")); // internal topics only for those who hold them
    h->clock().advance(std::chrono::minutes(2));
    auto saved = browser->post_form("/portal/preferences",
                                    "topic=" + std::to_string(kultur) +
                                        "&tracking=1&language=en&preferred_channel=post" + texts());
    ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 2000);
    EXPECT_EQ(location(saved), "/portal/preferences?saved=1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents WHERE citizen_id = ? AND status = 'confirmed' "
                    "AND via = 'portal'",
                    {anna}),
              2);
    EXPECT_EQ(text("SELECT request_ip FROM consents WHERE topic_id = ?", {kultur}), "198.51.100.7");
    EXPECT_EQ(text("SELECT request_user_agent FROM consents WHERE topic_id = ?", {kultur}),
              "TestBrowser/1.0");
    EXPECT_EQ(text("SELECT request_form FROM consents WHERE topic_id = ?", {kultur}),
              "https://teilhabe.musterstadt.example/portal/preferences");
    EXPECT_EQ(count("SELECT confirmed_at FROM consents WHERE topic_id = ?", {kultur}),
              h->clock().now_ms());
    EXPECT_EQ(count("SELECT consent_text_id FROM consents WHERE topic_id = ?", {kultur}),
              text_id("newsletter"));
    EXPECT_EQ(count("SELECT consent_text_id FROM consents WHERE subject = 'tracking'"),
              text_id("tracking"));
    EXPECT_GE(count("SELECT COUNT(*) FROM consent_events WHERE citizen_id = ? AND via = 'portal'",
                    {anna}),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.confirmed' AND "
                    "object = 'topic:kultur' AND citizen_id = ?",
                    {anna}),
              1);
    EXPECT_EQ(text("SELECT language FROM citizens WHERE id = ?", {anna}), "en");
    // The account's mails (reset, change of address) follow.
    EXPECT_EQ(text("SELECT language FROM citizen_accounts WHERE citizen_id = ?", {anna}), "en");
    EXPECT_EQ(text("SELECT preferred_channel FROM citizens WHERE id = ?", {anna}), "post");
    EXPECT_TRUE(
        has(browser->get("/portal/preferences?saved=1"), "Ihre Einstellungen wurden gespeichert."));

    // Unticked: withdrawn, with the proof of the withdrawal.
    auto off =
        browser->post_form("/portal/preferences", "language=en&preferred_channel=post" + texts());
    ASSERT_EQ(off.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents WHERE status = 'withdrawn' AND "
                    "withdraw_via = 'portal'"),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.withdrawn'"), 1);
}

TEST_P(PrivacyTest, ANewConsentNeedsTheTextThatIsCurrentAndAVerifiedAddress) {
    browser->get("/portal/preferences");
    std::string stale = texts();
    count("INSERT INTO consent_texts (kind, version, text_de, text_en, created_by, created_at) "
          "VALUES ('newsletter', 2, 'Neuer Text', 'New text', 'staff:1', 0) RETURNING id");
    auto r = browser->post_form("/portal/preferences", "topic=" + std::to_string(kultur) + stale);
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(has(r, "Text der Einwilligung wurde inzwischen geändert"));
    EXPECT_TRUE(has(r, "Neuer Text")); // the new one is shown
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents"), 0);
    ASSERT_EQ(browser->post_form("/portal/preferences", "topic=" + std::to_string(kultur) + texts())
                  .status,
              303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents WHERE status = 'confirmed'"), 1);

    count("UPDATE citizen_accounts SET verified_at = NULL WHERE id = ? RETURNING id", {account});
    browser->get("/portal/preferences");
    r = browser->post_form("/portal/preferences",
                           "topic=" + std::to_string(kultur) + "&tracking=1" + texts());
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(has(r, "bestätigen Sie zuerst Ihre E-Mail-Adresse"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents WHERE subject = 'tracking'"), 0);
    // Withdrawing always works.
    EXPECT_EQ(browser->post_form("/portal/preferences", texts()).status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents WHERE status = 'withdrawn'"), 1);
}

TEST_P(PrivacyTest, EachConsentIsWithdrawnWithOneButton) {
    browser->get("/portal/preferences");
    browser->post_form("/portal/preferences",
                       "topic=" + std::to_string(kultur) + "&tracking=1" + texts());
    auto page = browser->get("/portal/privacy");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, R"(value="topic:)" + std::to_string(kultur) + "\""));
    EXPECT_TRUE(has(page, R"(value="tracking")"));
    auto r = browser->post_form("/portal/privacy/withdraw", "subject=tracking");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(location(r), "/portal/privacy?withdrawn=1");
    EXPECT_EQ(text("SELECT status FROM consents WHERE subject = 'tracking'"), "withdrawn");
    EXPECT_EQ(text("SELECT withdraw_via FROM consents WHERE subject = 'tracking'"), "portal");
    EXPECT_EQ(text("SELECT status FROM consents WHERE topic_id = ?", {kultur}), "confirmed");
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'consent.tracking.withdrawn'"),
              1);
    EXPECT_FALSE(has(browser->get("/portal/privacy"), R"(value="tracking")"));
    // Only one's own: another person's consent is not touched by naming its subject.
    auto bob = h->add_citizen("bob@musterstadt.example", "Bob");
    count("INSERT INTO consents (citizen_id, subject, status, consent_text_id, via, requested_at, "
          "updated_at) VALUES (?, 'tracking', 'confirmed', 1, 'form', 0, 0) RETURNING id",
          {bob});
    browser->post_form("/portal/privacy/withdraw", "subject=tracking");
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ?", {bob}), "confirmed");
}

TEST_P(PrivacyTest, TheExportIsADownloadAndAPageAndIsAudited) {
    auto json = browser->get("/portal/privacy/export.json");
    ASSERT_EQ(json.status, 200) << json.body.substr(0, 300);
    EXPECT_NE(std::string(json.raw.header("content-disposition").value_or("")).find("attachment"),
              std::string::npos);
    auto j = json.json();
    EXPECT_EQ(j["profile"]["email"], "anna@musterstadt.example");
    EXPECT_TRUE(j["tables"].contains("portal_declines"));
    EXPECT_FALSE(has(json, "argon2")); // never the password's hash
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.exported' AND actor = ?",
              {me()}),
        1);
    auto page = browser->get("/portal/privacy/export");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, "anna@musterstadt.example"));
    EXPECT_TRUE(has(page, "Zugriffe der Stadtverwaltung"));
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.exported' AND actor = ?",
              {me()}),
        2);
}

TEST_P(PrivacyTest, DeletingTheAccountNeedsThePasswordAndErasesThePerson) {
    auto page = browser->get("/portal/privacy/delete");
    ASSERT_EQ(page.status, 200);
    auto wrong = browser->post_form("/portal/privacy/delete", "password=falsch");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_TRUE(has(wrong, R"(id="password-error")"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 1);
    EXPECT_EQ(browser->post_raw("/portal/privacy/delete", "password=Sonnenblume+42").status, 403);

    auto done = browser->post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 500);
    EXPECT_EQ(location(done), "/portal/goodbye");
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.erased' AND actor = ?",
                    {me()}),
              1);
    EXPECT_TRUE(browser->cookie(web::portal_session_cookie_name({})).empty());
    auto bye = browser->get("/portal/goodbye");
    EXPECT_EQ(bye.status, 200);
    EXPECT_TRUE(has(bye, "Ihr Konto wurde gelöscht"));
    EXPECT_EQ(browser->get("/portal").status, 303);
}

// An open session on a shared computer must not be a way to guess the password: after ten
// wrong ones even the right one is refused for a while (429 beside the field), and it works
// again when the window has passed. The other places that ask for the password again share
// the count (confirm_password).
TEST_P(PrivacyTest, WrongPasswordsForDeletingAreCountedAndSlowedDown) {
    ASSERT_EQ(browser->get("/portal/privacy/delete").status, 200);
    for (int i = 0; i < 10; ++i)
        ASSERT_EQ(browser->post_form("/portal/privacy/delete", "password=falsch").status, 422);
    auto blocked = browser->post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    EXPECT_EQ(blocked.status, 429);
    EXPECT_TRUE(has(blocked, "Zu oft ein falsches Passwort"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 1);
    auto other = browser->post_form("/portal/security/password",
                                    "current_password=Sonnenblume+42&new_password=Neue+Wege+2027");
    EXPECT_EQ(other.status, 429) << "the password change shares the count";

    h->clock().advance(std::chrono::minutes(16));
    auto done = browser->post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    EXPECT_EQ(done.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PrivacyTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
