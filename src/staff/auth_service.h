#pragma once
// Staff log-in, sessions and API keys (OWASP Authentication and Session Management cheat
// sheets): argon2id, a new session id at every log-in, idle and absolute time-outs, sessions
// stored hashed in the database, throttling of failed log-ins that does not lock out the owner.

#include "base/clock.h"
#include "db/database.h"
#include "staff/account.h"

#include <chrono>
#include <optional>
#include <string>

namespace teilhabe::staff {

struct AuthPolicy {
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(30)};
    std::chrono::milliseconds absolute_timeout{std::chrono::hours(12)};
    std::chrono::milliseconds failure_window{std::chrono::minutes(15)};
    int max_failures_per_ip{20};
    // Per account from devices it has not logged in from before, and per known device. The
    // owner's browser carries a signed device cookie, so an attacker who exhausts the account's
    // budget from elsewhere does not lock the owner out.
    int max_failures_per_account{10};
    int max_failures_per_device{10};
    std::chrono::milliseconds touch_interval{std::chrono::minutes(1)};
};

struct Session {
    std::string token; // the cookie value; only its hash is stored
    std::string csrf_token;
    StaffUser user;
    std::int64_t expires_at{0};
};

struct LoginRequest {
    std::string email;
    std::string password;
    std::string ip;
    std::string user_agent;
    std::string device_cookie;
};

struct LoginResult {
    Session session;
    std::string device_cookie; // to (re)set in the browser
};

class AuthService {
public:
    AuthService(db::Database& db, const Clock& clock, std::string secret, AuthPolicy policy = {});

    const AuthPolicy& policy() const { return m_policy; }

    Result<StaffUser> create_user(const std::string& email, const std::string& password, Role role,
                                  std::optional<std::int64_t> department_id = {},
                                  const std::string& display_name = {});
    // Returns the key in clear text: shown once, stored only as a hash.
    Result<std::string> create_api_key(const std::string& name, Role role);

    // Unauthenticated for a wrong e-mail or password (the same answer for both);
    // ResourceExhausted when too many attempts failed.
    Result<LoginResult> login(const LoginRequest& request);
    Result<std::optional<Session>> resolve_session(const std::string& token);
    Result<void> logout(const std::string& token, const std::string& ip);
    Result<std::int64_t> logout_everywhere(std::int64_t user_id);
    Result<std::optional<ApiKey>> resolve_api_key(const std::string& key);
    Result<std::vector<ApiKeyInfo>> list_api_keys();
    // NotFound when there is no such key or it was revoked already; audited with `actor`.
    Result<void> revoke_api_key(std::int64_t id, const std::string& actor);

    std::string device_cookie_for(const std::string& email) const;
    bool device_cookie_valid(const std::string& cookie, const std::string& email) const;

private:
    Result<void> check_throttle(db::Connection& c, const std::string& device_scope,
                                const std::string& ip);
    Result<void> record_failure(const std::string& device_scope, const std::string& ip);
    std::string device_scope(const LoginRequest& r, const std::string& email) const;

    db::Database& m_db;
    const Clock& m_clock;
    std::string m_secret;
    AuthPolicy m_policy;
};

// The per-installation secret (signs device and CSRF cookies): made once, kept in `settings`.
Result<std::string> load_or_create_secret(db::Database& db, const Clock& clock);

} // namespace teilhabe::staff
