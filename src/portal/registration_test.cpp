// Registration with e-mail verification, on both engines: the link is single-use and expires,
// only its hash is stored, an address with an account gets a notice instead (the same page
// for the person typing), a newsletter subscriber's profile is linked, password rules beside
// the field, and the per-address limit of mails.

#include "portal/account_test_support.h"
#include "security/crypto.h"
#include "web/cookies.h"

#include <gtest/gtest.h>

namespace teilhabe::portal {
namespace {

using namespace std::chrono_literals;

class RegistrationTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = testing::portal_harness(GetParam(), testing::whole_portal(log.mailer()));
        ASSERT_TRUE(h);
    }
    std::int64_t count(const std::string& sql, db::Params params = {}) {
        return h->db().acquire().value()->query_one(sql, params).value().get_int(0);
    }
    web::testing::ApiResponse register_as(web::testing::Browser& b, const std::string& email,
                                          const std::string& password) {
        b.get("/portal/register");
        return b.post_form("/portal/register", "email=" + http::url_encode(email) + "&password=" +
                                                   http::url_encode(password) + "&language=de");
    }

    testing::MailLog log;
    std::unique_ptr<web::testing::ApiHarness> h;
};

TEST_P(RegistrationTest, ANewsletterSubscriberRegistersAndFindsTheirProfile) {
    auto subscriber = h->add_citizen("bert@musterstadt.example", "Bert");
    web::testing::Browser b(*h);
    auto sent = register_as(b, "Bert@Musterstadt.example", "Rathaus am Markt 1");
    ASSERT_EQ(sent.status, 200) << sent.body.substr(0, 600);
    EXPECT_NE(sent.body.find("Bitte prüfen Sie Ihr Postfach"), std::string::npos);
    ASSERT_EQ(log.of(MailKind::VerifyRegistration).size(), 1u);
    auto mail = log.of(MailKind::VerifyRegistration).back();
    EXPECT_EQ(mail.to_email, "bert@musterstadt.example");
    EXPECT_FALSE(mail.citizen_id); // nothing exists before the address is verified
    auto path = log.path_of_last(MailKind::VerifyRegistration);
    auto token = path.substr(std::string("/portal/verify/").size());
    // Only the hash of the token is stored; no account yet.
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_registrations WHERE token_hash = ?", {token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_registrations WHERE token_hash = ?",
                    {security::sha256_hex(token)}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts"), 0);

    // A scanner following the link changes nothing; the page asks for the password.
    web::testing::Browser mailbox(*h);
    auto page = mailbox.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Konto bestätigen"), std::string::npos);
    auto wrong = mailbox.post_form(path, "password=Falsches+Passwort");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_NE(wrong.body.find("stimmt nicht mit dem bei der Registrierung"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts"), 0);

    auto done = mailbox.post_form(path, "password=Rathaus+am+Markt+1");
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 600);
    EXPECT_EQ(done.raw.header("location").value_or("").rfind("/portal", 0), 0u);
    EXPECT_FALSE(mailbox.cookie(web::portal_session_cookie_name({})).empty());
    EXPECT_EQ(mailbox.get("/portal").status, 200);
    // Linked to the subscriber's profile, no second profile; the step is on the timeline.
    EXPECT_EQ(count("SELECT citizen_id FROM citizen_accounts WHERE email = ?",
                    {"bert@musterstadt.example"}),
              subscriber);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.registered' AND "
                    "citizen_id = ?",
                    {subscriber}),
              1);
    // Single use.
    web::testing::Browser again(*h);
    EXPECT_EQ(again.get(path).status, 410);
    again.get("/portal/login");
    EXPECT_EQ(again.post_form(path, "password=Rathaus+am+Markt+1").status, 410);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts"), 1);
}

TEST_P(RegistrationTest, ANewAddressGetsANewProfileAndTheLinkExpiresAfterADay) {
    web::testing::Browser b(*h);
    ASSERT_EQ(register_as(b, "clara@musterstadt.example", "Lindenallee zwölf").status, 200);
    ASSERT_EQ(register_as(b, "dora@musterstadt.example", "Lindenallee zwölf").status, 200);
    auto dora = log.path_of_last(MailKind::VerifyRegistration);
    auto clara = log.of(MailKind::VerifyRegistration).front().url;
    clara = clara.substr(clara.find("/portal/"));

    web::testing::Browser mailbox(*h);
    mailbox.get(clara);
    ASSERT_EQ(mailbox.post_form(clara, "password=Lindenallee+zw%C3%B6lf").status, 303);
    auto citizen = count("SELECT id FROM citizens WHERE email = 'clara@musterstadt.example'");
    EXPECT_GT(citizen, 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.created' AND "
                    "citizen_id = ?",
                    {citizen}),
              1);

    h->clock().advance(24h + 1min);
    web::testing::Browser late(*h);
    auto expired = late.get(dora);
    EXPECT_EQ(expired.status, 410);
    EXPECT_NE(expired.body.find("Link abgelaufen"), std::string::npos);
    EXPECT_EQ(late.get("/portal/verify/not-a-token").status, 404);
}

TEST_P(RegistrationTest, AnAddressWithAnAccountGetsTheSamePageAndItsOwnerANotice) {
    auto anna = h->add_citizen("anna@musterstadt.example", "Anna");
    testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    web::testing::Browser b(*h);
    auto known = register_as(b, "anna@musterstadt.example", "Ganz anderes Passwort");
    auto fresh = register_as(b, "emil@musterstadt.example", "Ganz anderes Passwort");
    EXPECT_EQ(known.status, fresh.status);
    EXPECT_EQ(known.body, fresh.body);
    ASSERT_EQ(log.of(MailKind::AlreadyRegistered).size(), 1u);
    EXPECT_EQ(log.of(MailKind::AlreadyRegistered)[0].to_email, "anna@musterstadt.example");
    EXPECT_EQ(log.of(MailKind::VerifyRegistration).size(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_registrations WHERE email = ?",
                    {"anna@musterstadt.example"}),
              0);
}

TEST_P(RegistrationTest, PasswordRulesAndAddressesAreShownBesideTheField) {
    web::testing::Browser b(*h);
    auto short_one = register_as(b, "fritz@musterstadt.example", "kurz");
    EXPECT_EQ(short_one.status, 422);
    EXPECT_NE(short_one.body.find("id=\"password-error\""), std::string::npos);
    EXPECT_NE(short_one.body.find("mindestens 8 Zeichen"), std::string::npos);
    auto common = register_as(b, "fritz@musterstadt.example", "Passwort123");
    EXPECT_EQ(common.status, 422);
    EXPECT_NE(common.body.find("zu verbreitet"), std::string::npos);
    // The address stays in the form; the password does not.
    EXPECT_NE(common.body.find("value=\"fritz@musterstadt.example\""), std::string::npos);
    EXPECT_EQ(common.body.find("Passwort123"), std::string::npos);
    auto bad = register_as(b, "kein-at-zeichen", "Lindenallee zwölf");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("id=\"email-error\""), std::string::npos);
    // 64 characters and more are fine; no composition rules.
    EXPECT_EQ(register_as(b, "fritz@musterstadt.example", std::string(70, 'w') + " am see").status,
              200);
    EXPECT_EQ(log.mails.size(), 1u);
}

TEST_P(RegistrationTest, NobodyCanFloodAMailboxThroughTheForm) {
    web::testing::Browser b(*h);
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(register_as(b, "greta@musterstadt.example", "Lindenallee zwölf").status, 200);
    EXPECT_EQ(register_as(b, "greta@musterstadt.example", "Lindenallee zwölf").status, 429);
    EXPECT_EQ(log.mails.size(), 5u);
    h->clock().advance(61min);
    EXPECT_EQ(register_as(b, "greta@musterstadt.example", "Lindenallee zwölf").status, 200);
}

TEST_P(RegistrationTest, WhenTheMailCannotBeQueuedNothingIsKept) {
    log.refuse = true;
    web::testing::Browser b(*h);
    EXPECT_EQ(register_as(b, "hans@musterstadt.example", "Lindenallee zwölf").status, 503);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_registrations"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistrationTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
