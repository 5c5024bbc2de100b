// The public pages end to end over the real dispatcher: sign-up with its bot checks, the double
// opt-in (GET changes nothing, POST confirms once, links expire), one-click unsubscribe without
// cookie, the preference centre, and no account enumeration.

#include "consent/consent_store.h"
#include "consent/test_fixture.h"
#include "consent/unsubscribe.h"

namespace teilhabe::consent {
namespace {

using http::Method;
using testing::ConsentTest;
using testing::Reply;

class PagesTest : public ConsentTest {
protected:
    std::string topics() { return "topic=kultur&topic=umwelt"; }
    std::int64_t citizen_of(const std::string& email) {
        return scalar("SELECT id FROM citizens WHERE email = ?", {email});
    }
    std::int64_t status_count(const std::string& status) {
        return scalar("SELECT COUNT(*) FROM consents WHERE status = ?", {status});
    }
    Reply confirm_post(const std::string& token) {
        auto page = send(Method::Get, "/confirm/" + token);
        return send(Method::Post, "/confirm/" + token, "csrf=" + csrf_of(page.body));
    }
};

TEST_P(PagesTest, SignUpRecordsProofAndHandsTheMailOverButGetDoesNotConfirm) {
    auto r = sign_up("Anna@Example.org", topics(), "", "203.0.113.9");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(mails.size(), 1u);
    const auto& m = mails.front();
    EXPECT_EQ(m.to_email, "anna@example.org");
    EXPECT_EQ(m.language, "de");
    EXPECT_TRUE(m.confirm_url.starts_with("https://teilhabe.stadt.example/confirm/")) << m.confirm_url;
    EXPECT_EQ(m.topic_names, (std::vector<std::string>{"Kultur", "Umwelt"}));
    auto anna = citizen_of("anna@example.org");
    EXPECT_EQ(m.citizen_id, anna);
    EXPECT_EQ(status_count("pending"), 2);
    EXPECT_EQ(text("SELECT request_ip FROM consents WHERE topic_id = ?", {kultur}), "203.0.113.9");
    EXPECT_EQ(text("SELECT request_user_agent FROM consents WHERE topic_id = ?", {kultur}), "TestBrowser/1.0");
    EXPECT_EQ(text("SELECT request_form FROM consents WHERE topic_id = ?", {kultur}),
              "https://www.stadt.example/newsletter");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.requested'"), 2);
    // Only the hash of the token is stored.
    auto token = token_of(m);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_tokens WHERE token_hash = ?", {token}), 0);

    // A mail scanner follows the link: a page with a button, nothing confirmed.
    auto get = send(Method::Get, "/confirm/" + token);
    EXPECT_EQ(get.status, 200);
    EXPECT_NE(get.body.find("Kultur"), std::string::npos);
    EXPECT_EQ(status_count("pending"), 2);
    EXPECT_EQ(status_count("confirmed"), 0);
    // The POST without the page's CSRF token is refused.
    EXPECT_EQ(send(Method::Post, "/confirm/" + token, "x=1").status, 403);
    EXPECT_EQ(status_count("confirmed"), 0);

    clock.advance(std::chrono::minutes(5));
    auto done = send(Method::Post, "/confirm/" + token, "csrf=" + csrf_of(get.body), {}, "203.0.113.10");
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(status_count("confirmed"), 2);
    EXPECT_EQ(text("SELECT confirm_ip FROM consents WHERE topic_id = ?", {kultur}), "203.0.113.10");
    EXPECT_EQ(scalar("SELECT confirmed_at FROM consents WHERE topic_id = ?", {kultur}), clock.now_ms());
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.confirmed' AND "
                     "object = 'topic:kultur' AND citizen_id = ?", {anna}), 1);

    // Single use: the second POST changes nothing and says so kindly.
    auto again = confirm_post(token);
    EXPECT_EQ(again.status, 410);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.confirmed'"), 2);
}

TEST_P(PagesTest, ConfirmationLinksExpireAndANewOneCanBeRequested) {
    ASSERT_EQ(sign_up("bob@example.org", "topic=kultur").status, 200);
    ASSERT_EQ(mails.size(), 1u);
    auto token = token_of(mails.front());
    clock.advance(std::chrono::hours(73));
    auto page = send(Method::Get, "/confirm/" + token);
    EXPECT_EQ(page.status, 410);
    EXPECT_NE(page.body.find("/resend"), std::string::npos);
    EXPECT_EQ(send(Method::Post, "/confirm/" + token, "csrf=" + csrf_of(page.body)).status, 410);
    EXPECT_EQ(status_count("confirmed"), 0);
    auto resent = send(Method::Post, "/confirm/" + token + "/resend", "csrf=" + csrf_of(page.body));
    EXPECT_EQ(resent.status, 200);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(confirm_post(token_of(mails.back())).status, 200);
    EXPECT_EQ(status_count("confirmed"), 1);
    EXPECT_EQ(send(Method::Get, "/confirm/nonsense").status, 404);
}

TEST_P(PagesTest, TheAnswerIsTheSameWhetherTheAddressIsKnown) {
    ASSERT_EQ(sign_up("known@example.org", "topic=kultur").status, 200);
    ASSERT_EQ(confirm_post(token_of(mails.back())).status, 200);
    auto known = sign_up("known@example.org", "topic=kultur");
    auto unknown = sign_up("new@example.org", "topic=kultur");
    EXPECT_EQ(known.status, unknown.status);
    EXPECT_EQ(known.body, unknown.body);
    EXPECT_EQ(mails.size(), 2u); // nothing to confirm for the known one
}

TEST_P(PagesTest, BotsAreRefusedWithAClearMessage) {
    auto honey = sign_up("bot@example.org", "topic=kultur", "http%3A%2F%2Fspam.example");
    EXPECT_EQ(honey.status, 400);
    EXPECT_NE(honey.body.find("verstecktes Feld"), std::string::npos);

    auto page = send(Method::Get, "/subscribe");
    auto stamp = stamp_of(page.body);
    auto fast = send(Method::Post, "/subscribe",
                     "email=bot%40example.org&topic=kultur&stamp=" + http::url_encode(stamp) +
                         "&pow=" + nonce_for(stamp));
    EXPECT_EQ(fast.status, 429);
    EXPECT_NE(fast.body.find("zu schnell"), std::string::npos);
    // Without JavaScript (no proof of work) a person passes by taking a little longer.
    clock.advance(std::chrono::seconds(3));
    auto nojs = send(Method::Post, "/subscribe",
                     "email=slow%40example.org&topic=kultur&stamp=" + http::url_encode(stamp));
    EXPECT_EQ(nojs.status, 429);
    clock.advance(std::chrono::seconds(5));
    nojs = send(Method::Post, "/subscribe",
                "email=slow%40example.org&topic=kultur&stamp=" + http::url_encode(stamp));
    EXPECT_EQ(nojs.status, 200) << nojs.body;
    auto forged = send(Method::Post, "/subscribe", "email=x%40example.org&topic=kultur&stamp=1.abc");
    EXPECT_EQ(forged.status, 400);
    EXPECT_EQ(mails.size(), 1u);
}

TEST_P(PagesTest, RateLimitPerAddressAndPerClient) {
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(sign_up("same@example.org", "topic=kultur").status, 200);
    auto limited = sign_up("same@example.org", "topic=kultur");
    EXPECT_EQ(limited.status, 429);
    EXPECT_NE(limited.body.find("zu viele Anmeldungen"), std::string::npos);
    // Another address from another client is not affected; an hour later the address may again.
    EXPECT_EQ(sign_up("other@example.org", "topic=kultur", "", "198.51.100.99").status, 200);
    clock.advance(std::chrono::minutes(61));
    EXPECT_EQ(sign_up("same@example.org", "topic=kultur").status, 200);
    for (int i = 0; i < 20; ++i)
        sign_up("many" + std::to_string(i) + "@example.org", "topic=kultur", "", "198.51.100.50");
    EXPECT_EQ(sign_up("last@example.org", "topic=kultur", "", "198.51.100.50").status, 429);
}

TEST_P(PagesTest, WhenTheMailCannotBeHandedOverNothingIsRecorded) {
    fail_mail = true;
    auto r = sign_up("carl@example.org", "topic=kultur&tracking=1");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM citizens"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consents"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_tokens"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities"), 0);
    EXPECT_TRUE(mails.empty());
}

TEST_P(PagesTest, InputErrorsShowBesideTheFieldAndTheSnippetLeadsToTheFullForm) {
    auto bad = sign_up("not-an-address", "topic=kultur");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("email-error"), std::string::npos);
    auto hidden = sign_up("a@example.org", "topic=intern");
    EXPECT_EQ(hidden.status, 422);
    EXPECT_NE(hidden.body.find("topics-error"), std::string::npos);
    auto form = send(Method::Get, "/subscribe?topic=umwelt");
    EXPECT_NE(form.body.find(R"(value="umwelt" checked)"), std::string::npos);
    EXPECT_EQ(form.body.find(R"(value="intern")"), std::string::npos); // not public
    // The embedded snippet posts without stamp: the full form comes back, prefilled.
    auto snippet = send(Method::Post, "/subscribe", "email=d%40example.org&topic=kultur&website_url=");
    EXPECT_EQ(snippet.status, 200);
    EXPECT_NE(snippet.body.find(R"(value="d@example.org")"), std::string::npos);
    EXPECT_NE(snippet.body.find(R"(value="kultur" checked)"), std::string::npos);
    EXPECT_TRUE(mails.empty());
}

TEST_P(PagesTest, OneClickUnsubscribeWorksWithoutCookieAndIsRecordedWithProof) {
    ASSERT_EQ(sign_up("eva@example.org", topics()).status, 200);
    ASSERT_EQ(confirm_post(token_of(mails.back())).status, 200);
    auto eva = citizen_of("eva@example.org");
    auto token = unsubscribe_token(testing::kSecret, eva, 12, {kultur});
    cookie.clear();
    auto r = send(Method::Post, "/unsubscribe/" + token, "List-Unsubscribe=One-Click", {},
                  "192.0.2.77");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ? AND topic_id = ?", {eva, kultur}), "withdrawn");
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ? AND topic_id = ?", {eva, umwelt}), "confirmed");
    EXPECT_EQ(text("SELECT withdraw_via FROM consents WHERE citizen_id = ? AND topic_id = ?", {eva, kultur}), "one_click");
    EXPECT_EQ(text("SELECT withdraw_ip FROM consents WHERE citizen_id = ? AND topic_id = ?", {eva, kultur}), "192.0.2.77");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities WHERE type = 'newsletter.withdrawn' AND citizen_id = ?", {eva}), 1);
    // A forged token does nothing.
    auto forged = token;
    forged.back() = forged.back() == '0' ? '1' : '0';
    auto other = send(Method::Post, "/unsubscribe/" + forged, "List-Unsubscribe=One-Click");
    EXPECT_EQ(other.status, 404);
    // The page's button: everything.
    auto page = send(Method::Get, "/unsubscribe/" + token);
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(send(Method::Post, "/unsubscribe/" + token, "scope=all").status, 200);
    EXPECT_EQ(status_count("confirmed"), 0);
}

TEST_P(PagesTest, PreferenceCentreChangesTopicsAndTrackingAndRestrictedPeopleCanStillWithdraw) {
    ASSERT_EQ(sign_up("finn@example.org", "topic=kultur").status, 200);
    ASSERT_EQ(confirm_post(token_of(mails.back())).status, 200);
    auto finn = citizen_of("finn@example.org");
    auto token = unsubscribe_token(testing::kSecret, finn, 0, {});
    auto page = send(Method::Get, "/unsubscribe/" + token);
    ASSERT_EQ(page.status, 200);
    auto saved = send(Method::Post, "/unsubscribe/" + token + "/preferences",
                      "csrf=" + csrf_of(page.body) + "&topic=" + std::to_string(umwelt) + "&tracking=1");
    EXPECT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ? AND topic_id = ?", {finn, kultur}), "withdrawn");
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ? AND topic_id = ?", {finn, umwelt}), "confirmed");
    auto tracking = m_t->db->transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::tracking_allowed(c, finn);
    });
    EXPECT_TRUE(*tracking);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM activities WHERE type = 'consent.tracking.confirmed'"), 1);
    // An internal topic cannot be taken up through the page; nothing of that request is kept.
    auto internal = send(Method::Post, "/unsubscribe/" + token + "/preferences",
                         "csrf=" + csrf_of(page.body) + "&topic=" + std::to_string(intern));
    EXPECT_EQ(internal.status, 200);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consents WHERE topic_id = ?", {intern}), 0);
    EXPECT_EQ(text("SELECT status FROM consents WHERE citizen_id = ? AND topic_id = ?", {finn, umwelt}), "confirmed");
    // GDPR Art. 18: restricted, yet the withdrawal works at once.
    exec("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {finn});
    cookie.clear();
    EXPECT_EQ(send(Method::Post, "/unsubscribe/" + token, "List-Unsubscribe=One-Click").status, 200);
    EXPECT_EQ(status_count("confirmed"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PagesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::consent
