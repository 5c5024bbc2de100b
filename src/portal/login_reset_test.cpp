// Log-in throttling with device cookies, password reset, change of password and address, on
// both engines.

#include "portal/account_test_support.h"
#include "security/crypto.h"
#include "web/cookies.h"

#include <gtest/gtest.h>

namespace teilhabe::portal {
namespace {

using namespace std::chrono_literals;

class AccountTest : public testing::AccountFixture {
protected:
    web::testing::ApiResponse login(web::testing::Browser& b, const std::string& email,
                                    const std::string& password) {
        b.get("/portal/login");
        return b.post_form("/portal/login", "email=" + http::url_encode(email) +
                                                "&password=" + http::url_encode(password));
    }
    std::string session_cookie() const { return web::portal_session_cookie_name({}); }

};

TEST_P(AccountTest, AnAttackerCannotLockTheOwnerOut) {
    web::testing::Browser owner(*h, "192.0.2.10");
    ASSERT_EQ(login(owner, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    ASSERT_FALSE(owner.cookie(web::portal_device_cookie_name({})).empty());
    ASSERT_EQ(owner.get("/portal").status, 200);
    ASSERT_EQ(owner.post_form("/portal/logout", "").status, 303);

    web::testing::Browser attacker(*h, "203.0.113.66");
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(
            login(attacker, "anna@musterstadt.example", "rate mal " + std::to_string(i)).status,
            401);
    // The account's budget for unknown devices is used up, even with the right password...
    auto blocked = login(attacker, "anna@musterstadt.example", "Sonnenblume 42");
    EXPECT_EQ(blocked.status, 429);
    EXPECT_NE(blocked.body.find("Zu viele fehlgeschlagene Anmeldungen"), std::string::npos);
    // ...but the owner's browser has its own.
    EXPECT_EQ(login(owner, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    // After the window the account is open again.
    h->clock().advance(16min);
    EXPECT_EQ(login(attacker, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
}

TEST_P(AccountTest, UnknownAddressesAnswerAsAWrongPasswordDoes) {
    web::testing::Browser b(*h);
    auto wrong = login(b, "anna@musterstadt.example", "falsch geraten");
    auto unknown = login(b, "niemand@musterstadt.example", "falsch geraten");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    auto alert = [](const std::string& body) {
        auto at = body.find("role=\"alert\"");
        return at == std::string::npos ? std::string() : body.substr(at, 120);
    };
    EXPECT_EQ(alert(wrong.body), alert(unknown.body));
    // A new session token at every log-in.
    web::testing::Browser x(*h), y(*h);
    login(x, "anna@musterstadt.example", "Sonnenblume 42");
    login(y, "anna@musterstadt.example", "Sonnenblume 42");
    EXPECT_NE(x.cookie(session_cookie()), y.cookie(session_cookie()));
}

TEST_P(AccountTest, APasswordResetIsSingleUseExpiresAndEndsEverySession) {
    web::testing::Browser laptop(*h);
    ASSERT_EQ(login(laptop, "anna@musterstadt.example", "Sonnenblume 42").status, 303);

    web::testing::Browser phone(*h);
    phone.get("/portal/password/forgot");
    auto asked = phone.post_form("/portal/password/forgot", "email=ANNA%40musterstadt.example");
    ASSERT_EQ(asked.status, 200);
    auto unknown = phone.post_form("/portal/password/forgot", "email=otto%40musterstadt.example");
    EXPECT_EQ(unknown.body, asked.body); // no hint whether an address has an account
    ASSERT_EQ(log.of(MailKind::PasswordReset).size(), 1u);
    auto path = log.path_of_last(MailKind::PasswordReset);
    auto token = path.substr(std::string("/portal/password/reset/").size());
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_account_tokens WHERE token_hash = ?",
                    {security::sha256_hex(token)}),
              1);

    ASSERT_EQ(phone.get(path).status, 200);
    auto weak = phone.post_form(path, "password=12345678");
    EXPECT_EQ(weak.status, 422);
    EXPECT_NE(weak.body.find("id=\"password-error\""), std::string::npos);
    auto done = phone.post_form(path, "password=Neue+Sonnenblume+43");
    ASSERT_EQ(done.status, 200) << done.body.substr(0, 500);
    EXPECT_NE(done.body.find("Passwort geändert"), std::string::npos);
    // Every session ended; the owner is told.
    EXPECT_EQ(laptop.get("/portal").status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
    EXPECT_EQ(log.of(MailKind::PasswordChanged).size(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.password_reset'"), 1);
    // Single use; the old password is gone.
    EXPECT_EQ(phone.get(path).status, 410);
    web::testing::Browser b(*h);
    EXPECT_EQ(login(b, "anna@musterstadt.example", "Sonnenblume 42").status, 401);
    EXPECT_EQ(login(b, "anna@musterstadt.example", "Neue Sonnenblume 43").status, 303);

    // A link is good for an hour.
    phone.post_form("/portal/password/forgot", "email=anna%40musterstadt.example");
    auto later = log.path_of_last(MailKind::PasswordReset);
    ASSERT_NE(later, path);
    h->clock().advance(61min);
    EXPECT_EQ(phone.get(later).status, 410);
    phone.get("/portal/password/forgot");
    EXPECT_EQ(phone.post_form(later, "password=Noch+eine+Sonnenblume").status, 410);
}

TEST_P(AccountTest, ChangingThePasswordNeedsTheCurrentOneAndEndsOtherSessions) {
    web::testing::Browser here(*h), there(*h);
    ASSERT_EQ(login(here, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    ASSERT_EQ(login(there, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    ASSERT_EQ(here.get("/portal/security").status, 200);
    auto wrong = here.post_form("/portal/security/password",
                                "current_password=geraten&new_password=Sommerwiese+2027");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_NE(wrong.body.find("id=\"current_password-error\""), std::string::npos);
    auto weak = here.post_form("/portal/security/password",
                               "current_password=Sonnenblume+42&new_password=password1");
    EXPECT_EQ(weak.status, 422);
    EXPECT_NE(weak.body.find("id=\"new_password-error\""), std::string::npos);
    auto ok = here.post_form("/portal/security/password",
                             "current_password=Sonnenblume+42&new_password=Sommerwiese+2027");
    ASSERT_EQ(ok.status, 303);
    EXPECT_EQ(here.get("/portal").status, 200);  // this browser stays signed in
    EXPECT_EQ(there.get("/portal").status, 303); // the other is signed out
    EXPECT_EQ(log.of(MailKind::PasswordChanged).size(), 1u);
}

TEST_P(AccountTest, LogOutEverywhereEndsAllSessions) {
    web::testing::Browser here(*h), there(*h);
    ASSERT_EQ(login(here, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    ASSERT_EQ(login(there, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    here.get("/portal/security");
    auto out = here.post_form("/portal/security/logout-all", "");
    ASSERT_EQ(out.status, 303);
    EXPECT_EQ(out.raw.header("location").value_or(""), "/portal/login?done=logout-all");
    EXPECT_EQ(here.get("/portal").status, 303);
    EXPECT_EQ(there.get("/portal").status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
}

TEST_P(AccountTest, ANewAddressIsConfirmedByALinkToItAndTheOldOneIsTold) {
    web::testing::Browser b(*h);
    ASSERT_EQ(login(b, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    b.get("/portal/security");
    auto wrong = b.post_form("/portal/security/email",
                             "new_email=anna.neu%40musterstadt.example&email_password=geraten");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_TRUE(log.mails.empty());
    auto asked =
        b.post_form("/portal/security/email",
                    "new_email=anna.neu%40musterstadt.example&email_password=Sonnenblume+42");
    ASSERT_EQ(asked.status, 303);
    ASSERT_EQ(log.of(MailKind::EmailChangeRequested).size(), 1u);
    EXPECT_EQ(log.of(MailKind::EmailChangeRequested)[0].to_email, "anna@musterstadt.example");
    EXPECT_EQ(log.of(MailKind::EmailChangeRequested)[0].new_email, "anna.neu@musterstadt.example");
    ASSERT_EQ(log.of(MailKind::ConfirmNewEmail).size(), 1u);
    EXPECT_EQ(log.of(MailKind::ConfirmNewEmail)[0].to_email, "anna.neu@musterstadt.example");
    // Nothing changes until the link is opened.
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM citizen_accounts WHERE email = 'anna@musterstadt.example'"), 1);

    auto path = log.path_of_last(MailKind::ConfirmNewEmail);
    web::testing::Browser mailbox(*h);
    ASSERT_EQ(mailbox.get(path).status, 200);
    ASSERT_EQ(mailbox.post_form(path, "").status, 200);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM citizen_accounts WHERE email = 'anna.neu@musterstadt.example'"),
        1);
    EXPECT_EQ(
        count(
            "SELECT COUNT(*) FROM citizens WHERE id = ? AND email = 'anna.neu@musterstadt.example'",
            {anna}),
        1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.email_changed'"), 1);
    EXPECT_EQ(mailbox.get(path).status, 410);
    web::testing::Browser c(*h);
    EXPECT_EQ(login(c, "anna.neu@musterstadt.example", "Sonnenblume 42").status, 303);
}

TEST_P(AccountTest, AnAddressOfAnotherAccountGetsANoticeAndNoLink) {
    auto bert = h->add_citizen("bert@musterstadt.example", "Bert");
    testing::add_account(*h, bert, "bert@musterstadt.example", "Pusteblume 17");
    web::testing::Browser b(*h);
    ASSERT_EQ(login(b, "anna@musterstadt.example", "Sonnenblume 42").status, 303);
    b.get("/portal/security");
    auto asked = b.post_form("/portal/security/email",
                             "new_email=bert%40musterstadt.example&email_password=Sonnenblume+42");
    EXPECT_EQ(asked.status, 303); // the same answer as for a free address
    EXPECT_EQ(log.of(MailKind::ConfirmNewEmail).size(), 0u);
    ASSERT_EQ(log.of(MailKind::EmailTaken).size(), 1u);
    EXPECT_EQ(log.of(MailKind::EmailTaken)[0].to_email, "bert@musterstadt.example");
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_account_tokens"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
