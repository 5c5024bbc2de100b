// The second factor of citizens on both engines: set up with a code of the app, asked for at
// log-in, a code good once only, recovery codes once each, off again only with the password.

#include "portal/account_test_support.h"
#include "security/totp.h"
#include "web/cookies.h"

#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::portal {
namespace {

using namespace std::chrono_literals;

class TotpTest : public testing::AccountFixture {
protected:
    web::testing::ApiResponse login(web::testing::Browser& b) {
        b.get("/portal/login");
        return b.post_form("/portal/login",
                           "email=anna%40musterstadt.example&password=Sonnenblume+42");
    }
    std::string code_now(const std::string& secret) {
        return security::totp_at(secret, h->clock().now_ms());
    }
    // Turns the second factor on through the pages; returns the secret and the codes shown.
    std::pair<std::string, std::vector<std::string>> enable(web::testing::Browser& b) {
        auto setup = b.get("/portal/security/totp");
        EXPECT_EQ(setup.status, 200);
        EXPECT_NE(setup.body.find("<svg"), std::string::npos);
        EXPECT_NE(setup.body.find("otpauth://totp/"), std::string::npos);
        std::smatch m;
        std::regex secret_field(R"re(name="secret" value="([A-Z2-7]+)")re");
        EXPECT_TRUE(std::regex_search(setup.body, m, secret_field));
        std::string secret = m[1].str();
        auto wrong = b.post_form("/portal/security/totp", "secret=" + secret + "&code=000000");
        EXPECT_EQ(wrong.status, 422);
        auto on =
            b.post_form("/portal/security/totp", "secret=" + secret + "&code=" + code_now(secret));
        EXPECT_EQ(on.status, 200);
        std::vector<std::string> codes;
        std::regex code_item(R"re(<code>([a-z0-9]{5}-[a-z0-9]{5})</code>)re");
        for (auto it = std::sregex_iterator(on.body.begin(), on.body.end(), code_item);
             it != std::sregex_iterator(); ++it)
            codes.push_back((*it)[1].str());
        return {secret, codes};
    }

};

TEST_P(TotpTest, TheLogInAsksForTheCodeAndTakesEachCodeOnce) {
    web::testing::Browser b(*h);
    ASSERT_EQ(login(b).status, 303);
    auto [secret, codes] = enable(b);
    ASSERT_EQ(codes.size(), 10u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_recovery_codes WHERE account_id = ? AND "
                    "used_at IS NULL",
                    {account}),
              10);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'portal.second_factor_enabled'"),
              1);
    b.get("/portal");
    ASSERT_EQ(b.post_form("/portal/logout", "").status, 303);

    h->clock().advance(90s);
    web::testing::Browser c(*h);
    auto step = login(c);
    ASSERT_EQ(step.status, 200) << step.body.substr(0, 300);
    EXPECT_NE(step.body.find("name=\"ticket\""), std::string::npos);
    EXPECT_TRUE(c.cookie(web::portal_session_cookie_name({})).empty()); // not yet signed in
    std::smatch m;
    std::regex ticket_field(R"re(name="ticket" value="([^"]+)")re");
    ASSERT_TRUE(std::regex_search(step.body, m, ticket_field));
    std::string ticket = http::url_encode(m[1].str());

    EXPECT_EQ(c.post_form("/portal/login/code", "ticket=" + ticket + "&code=123456").status, 401);
    auto code = code_now(secret);
    auto in = c.post_form("/portal/login/code", "ticket=" + ticket + "&code=" + code);
    ASSERT_EQ(in.status, 303) << in.body.substr(0, 300);
    EXPECT_EQ(c.get("/portal").status, 200);

    // The same code again (someone who watched): refused.
    web::testing::Browser d(*h);
    login(d);
    auto replay = d.post_form("/portal/login/code", "ticket=" + ticket + "&code=" + code);
    EXPECT_EQ(replay.status, 401);
    // A recovery code works once.
    EXPECT_EQ(d.post_form("/portal/login/code", "ticket=" + ticket + "&code=" + codes[3]).status,
              303);
    web::testing::Browser e(*h);
    login(e);
    EXPECT_EQ(e.post_form("/portal/login/code", "ticket=" + ticket + "&code=" + codes[3]).status,
              401);
    // A ticket is good for five minutes.
    h->clock().advance(6min);
    auto late = e.post_form("/portal/login/code", "ticket=" + ticket + "&code=" + code_now(secret));
    EXPECT_EQ(late.status, 401);
    EXPECT_NE(late.body.find("zu lange gedauert"), std::string::npos);
    // A forged ticket for another account is refused.
    EXPECT_EQ(
        e.post_form("/portal/login/code", "ticket=1.99999999999999.abc&code=" + code_now(secret))
            .status,
        401);
}

TEST_P(TotpTest, SwitchingOffNeedsThePassword) {
    web::testing::Browser b(*h);
    ASSERT_EQ(login(b).status, 303);
    enable(b);
    b.get("/portal/security");
    auto wrong = b.post_form("/portal/security/totp/disable", "totp_password=geraten");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_NE(wrong.body.find("id=\"totp_password-error\""), std::string::npos);
    auto off = b.post_form("/portal/security/totp/disable", "totp_password=Sonnenblume+42");
    EXPECT_EQ(off.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_recovery_codes"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts WHERE totp_secret IS NOT NULL"), 0);
    b.get("/portal");
    b.post_form("/portal/logout", "");
    web::testing::Browser c(*h);
    EXPECT_EQ(login(c).status, 303); // no code asked any more
}

INSTANTIATE_TEST_SUITE_P(Backends, TotpTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
