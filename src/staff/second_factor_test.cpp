// The second factor of staff accounts on both engines: asked for at log-in when set up, a code
// good once, set up at the next log-in when the administrators require it, reset for a lost
// phone.

#include "db/test_support.h"
#include "security/crypto.h"
#include "security/totp.h"
#include "staff/auth_service.h"
#include "staff/staff_store.h"

#include <gtest/gtest.h>

namespace teilhabe::staff {
namespace {

using namespace std::chrono_literals;

class SecondFactorTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init().has_value());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        m_clock.set(from_unix_ms(1'800'000'000'000));
        m_auth = std::make_unique<AuthService>(*m_t->db, m_clock, "test-secret");
        auto u =
            m_auth->create_user("berta@musterstadt.example", "Rathaus-Garten-2026", Role::Editor);
        ASSERT_TRUE(u.has_value()) << u.error().message;
        m_user = *u;
    }
    LoginRequest request(std::string password = "Rathaus-Garten-2026") {
        return {"berta@musterstadt.example", password, "10.0.0.1", "test", ""};
    }
    std::string code(const std::string& secret) {
        return security::totp_at(secret, m_clock.now_ms());
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    std::unique_ptr<AuthService> m_auth;
    StaffUser m_user;
};

TEST_P(SecondFactorTest, RequiredByTheTownItIsSetUpAtTheNextLogIn) {
    auto plain = m_auth->login(request());
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->next, LoginResult::Next::Done);
    EXPECT_FALSE(plain->session.token.empty());

    ASSERT_TRUE(m_auth->set_second_factor_required(true, "staff:1"));
    auto first = m_auth->login(request());
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->next, LoginResult::Next::Enrol);
    EXPECT_TRUE(first->session.token.empty());
    auto secret = security::new_totp_secret();
    auto wrong = m_auth->enrol_second_factor(first->ticket, secret, "000000", request());
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, ErrorCode::Unauthenticated);
    auto enrolled = m_auth->enrol_second_factor(first->ticket, secret, code(secret), request());
    ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
    EXPECT_FALSE(enrolled->session.token.empty());
    // A second set-up with the same ticket is refused: the account has one now.
    EXPECT_FALSE(m_auth->enrol_second_factor(first->ticket, security::new_totp_secret(), "123456",
                                             request()));

    m_clock.advance(60s);
    auto next = m_auth->login(request());
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->next, LoginResult::Next::Code);
    auto c = code(secret);
    auto in = m_auth->second_factor(next->ticket, c, request());
    ASSERT_TRUE(in.has_value()) << in.error().message;
    EXPECT_TRUE(m_auth->resolve_session(in->session.token)->has_value());
    // The same code once more: refused.
    auto again = m_auth->second_factor(next->ticket, c, request());
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::Unauthenticated);
}

TEST_P(SecondFactorTest, TicketsExpireAndCannotBeForged) {
    ASSERT_TRUE(m_auth->set_second_factor_required(true, "staff:1"));
    auto first = m_auth->login(request());
    ASSERT_TRUE(first.has_value());
    auto secret = security::new_totp_secret();
    auto forged = first->ticket;
    forged[0] = forged[0] == '9' ? '8' : '9';
    EXPECT_EQ(m_auth->enrol_second_factor(forged, secret, code(secret), request()).error().code,
              ErrorCode::FailedPrecondition);
    m_clock.advance(6min);
    EXPECT_EQ(
        m_auth->enrol_second_factor(first->ticket, secret, code(secret), request()).error().code,
        ErrorCode::FailedPrecondition);
    // A wrong password never reaches the second step.
    EXPECT_EQ(m_auth->login(request("falsch")).error().code, ErrorCode::Unauthenticated);
}

TEST_P(SecondFactorTest, AResetLetsTheAccountSetUpANewOne) {
    auto secret = security::new_totp_secret();
    ASSERT_TRUE(m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::enable_totp(c, m_user.id, secret, 0, m_clock);
    }));
    EXPECT_EQ(m_auth->login(request())->next, LoginResult::Next::Code);
    ASSERT_TRUE(m_auth->reset_second_factor(m_user.id, "staff:1"));
    EXPECT_EQ(m_auth->login(request())->next, LoginResult::Next::Done);
    EXPECT_EQ(m_auth->reset_second_factor(9999, "staff:1").error().code, ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondFactorTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::staff
