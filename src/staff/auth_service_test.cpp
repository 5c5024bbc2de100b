#include "db/test_support.h"
#include "security/crypto.h"
#include "staff/auth_service.h"
#include "staff/staff_store.h"

#include <gtest/gtest.h>

namespace teilhabe::staff {
namespace {

using namespace std::chrono_literals;

class AuthTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init().has_value());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        m_auth = std::make_unique<AuthService>(*m_t->db, m_clock, "test-secret");
        auto u = m_auth->create_user(" Anna.Admin@Musterstadt.example ", "Rathaus-Garten-2026",
                                     Role::Admin);
        ASSERT_TRUE(u.has_value()) << u.error().message;
        m_user = *u;
    }
    Result<LoginResult> login(std::string email, std::string pw, std::string ip = "10.0.0.1",
                              std::string device = {}) {
        return m_auth->login({email, pw, ip, "test", device});
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    std::unique_ptr<AuthService> m_auth;
    StaffUser m_user;
};

TEST_P(AuthTest, EmailIsNormalisedAndUnique) {
    EXPECT_EQ(m_user.email, "anna.admin@musterstadt.example");
    auto dup = m_auth->create_user("ANNA.ADMIN@musterstadt.example", "another-long-pass", Role::Editor);
    ASSERT_FALSE(dup.has_value());
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
}

TEST_P(AuthTest, WeakPasswordsAreRefused) {
    EXPECT_EQ(m_auth->create_user("b@x.example", "short", Role::Editor).error().field, "password");
    EXPECT_FALSE(m_auth->create_user("b@x.example", "Passwort1", Role::Editor).has_value());
    EXPECT_FALSE(m_auth->create_user("not-an-address", "long enough pass", Role::Editor).has_value());
}

TEST_P(AuthTest, LoginGivesAFreshSessionEachTime) {
    auto a = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026");
    ASSERT_TRUE(a.has_value()) << a.error().message;
    auto b = login("ANNA.admin@musterstadt.example", "Rathaus-Garten-2026");
    ASSERT_TRUE(b.has_value());
    EXPECT_NE(a->session.token, b->session.token);
    EXPECT_NE(a->session.csrf_token, b->session.csrf_token);
    auto s = m_auth->resolve_session(a->session.token);
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ((*s)->user.id, m_user.id);
    // Only the hash of the token is stored.
    auto rows = m_t->db->acquire().value()->query("SELECT token_hash FROM staff_sessions");
    for (const auto& r : rows->rows)
        EXPECT_NE(r.get_text(0), a->session.token);
}

TEST_P(AuthTest, UnknownAccountAndWrongPasswordGetTheSameAnswer) {
    auto wrong = login("anna.admin@musterstadt.example", "falsch-falsch");
    auto unknown = login("nobody@musterstadt.example", "falsch-falsch");
    ASSERT_FALSE(wrong.has_value());
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(wrong.error().code, ErrorCode::Unauthenticated);
    EXPECT_EQ(wrong.error().code, unknown.error().code);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_P(AuthTest, SessionsExpireWhenIdleAndAbsolutely) {
    auto a = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026").value();
    m_clock.advance(29min);
    EXPECT_TRUE(m_auth->resolve_session(a.session.token).value().has_value());
    m_clock.advance(29min); // active again within the idle time-out
    EXPECT_TRUE(m_auth->resolve_session(a.session.token).value().has_value());
    m_clock.advance(31min);
    EXPECT_FALSE(m_auth->resolve_session(a.session.token).value().has_value());

    auto b = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026").value();
    for (int i = 0; i < 12 * 3; ++i) { // busy all day, every 20 minutes
        m_clock.advance(20min);
        if (!m_auth->resolve_session(b.session.token).value().has_value()) {
            EXPECT_GE(i, 12 * 3 - 2) << "ended before the absolute time-out";
            return;
        }
    }
    ADD_FAILURE() << "session outlived the absolute time-out of 12 hours";
}

TEST_P(AuthTest, LogoutEndsTheSession) {
    auto a = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026").value();
    ASSERT_TRUE(m_auth->logout(a.session.token, "10.0.0.1").has_value());
    EXPECT_FALSE(m_auth->resolve_session(a.session.token).value().has_value());
}

TEST_P(AuthTest, ThrottlingStopsGuessingButNotTheOwnerOnAKnownDevice) {
    auto owner = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "10.0.0.1").value();
    // An attacker from many addresses exhausts the account's budget for unknown devices.
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(login("anna.admin@musterstadt.example", "guess" + std::to_string(i) + "xxxx",
                        "203.0.113." + std::to_string(i))
                      .error()
                      .code,
                  ErrorCode::Unauthenticated);
    auto blocked = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "198.51.100.7");
    ASSERT_FALSE(blocked.has_value());
    EXPECT_EQ(blocked.error().code, ErrorCode::ResourceExhausted);
    // The same answer for an address without an account once its budget is used up.
    for (int i = 0; i < 10; ++i)
        (void)login("ghost@musterstadt.example", "guess-guess", "203.0.113." + std::to_string(i));
    EXPECT_EQ(login("ghost@musterstadt.example", "x-x-x-x-x", "198.51.100.8").error().message,
              blocked.error().message);
    // The owner, with the device cookie from the earlier log-in, still gets in.
    auto again = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "10.0.0.1",
                       owner.device_cookie);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    // A forged device cookie does not help.
    auto forged = login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "198.51.100.9",
                        "abc.0000");
    EXPECT_EQ(forged.error().code, ErrorCode::ResourceExhausted);
    // After the window the account is open again.
    m_clock.advance(16min);
    EXPECT_TRUE(login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "198.51.100.7")
                    .has_value());
}

TEST_P(AuthTest, ManyFailuresFromOneAddressAreThrottled) {
    for (int i = 0; i < 20; ++i)
        (void)login("user" + std::to_string(i) + "@x.example", "whatever-pass", "192.0.2.50");
    EXPECT_EQ(login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "192.0.2.50").error().code,
              ErrorCode::ResourceExhausted);
    EXPECT_TRUE(login("anna.admin@musterstadt.example", "Rathaus-Garten-2026", "192.0.2.51").has_value());
}

TEST_P(AuthTest, ApiKeysAreStoredHashedAndResolveToTheirRole) {
    auto key = m_auth->create_api_key("CMS der Stadt", Role::Editor);
    ASSERT_TRUE(key.has_value());
    EXPECT_TRUE(key->starts_with("thk_"));
    auto found = m_auth->resolve_api_key(*key).value();
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->role, Role::Editor);
    EXPECT_EQ(found->name, "CMS der Stadt");
    EXPECT_FALSE(m_auth->resolve_api_key(*key + "x").value().has_value());
    auto rows = m_t->db->acquire().value()->query("SELECT key_hash FROM api_keys");
    EXPECT_EQ(rows->first().get_text(0), security::sha256_hex(*key));
}

TEST_P(AuthTest, ApiKeyUseIsRecordedAtMostOnceAMinuteAndRevokedKeysStopWorking) {
    using namespace std::chrono_literals;
    auto key = m_auth->create_api_key("Bibliothek", Role::Editor).value();
    auto last_used = [&] { return m_auth->list_api_keys().value().at(0).key.last_used_ms; };
    EXPECT_FALSE(last_used().has_value());
    ASSERT_TRUE(m_auth->resolve_api_key(key).value().has_value());
    auto first = last_used();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, m_clock.now_ms());
    m_clock.advance(30s);
    ASSERT_TRUE(m_auth->resolve_api_key(key).value().has_value());
    EXPECT_EQ(last_used(), first); // not written again within the minute
    m_clock.advance(31s);
    ASSERT_TRUE(m_auth->resolve_api_key(key).value().has_value());
    EXPECT_EQ(last_used(), m_clock.now_ms());

    auto id = m_auth->list_api_keys().value().at(0).key.id;
    ASSERT_TRUE(m_auth->revoke_api_key(id, "cli").has_value());
    EXPECT_FALSE(m_auth->resolve_api_key(key).value().has_value());
    EXPECT_TRUE(m_auth->list_api_keys().value().at(0).revoked_ms.has_value());
    auto again = m_auth->revoke_api_key(id, "cli");
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::NotFound);
    auto audit = m_t->db->acquire().value()->query(
        "SELECT actor FROM audit_log WHERE action = 'apikey.revoke'");
    ASSERT_TRUE(audit.has_value());
    ASSERT_FALSE(audit->empty());
    EXPECT_EQ(audit->first().get_text(0), "cli");
}

TEST(Roles, PermissionTable) {
    EXPECT_TRUE(allows(Role::Admin, Permission::ManageStaff));
    EXPECT_FALSE(allows(Role::Editor, Permission::ManageStaff));
    EXPECT_TRUE(allows(Role::DataProtection, Permission::ViewAudit));
    EXPECT_FALSE(allows(Role::Analyst, Permission::ViewAudit));
    for (Role r : all_roles())
        EXPECT_EQ(parse_role(to_string(r)), r);
    EXPECT_FALSE(parse_role("root").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::staff
