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
    // What comes after the password: Done (session is set), Code (the account has a second
    // factor: ask for its code) or Enrol (the town requires a second factor and the account has
    // none yet: set one up first). For Code and Enrol, `ticket` carries the password step to the
    // next form for five minutes; no session exists until then.
    enum class Next { Done, Code, Enrol };
    Next next{Next::Done};
    std::string ticket;
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

    // The second factor (staff/second_factor.cpp): TOTP as for citizens (security/totp.h).
    // The code step after Next::Code: Unauthenticated for a wrong or used code (counted as a
    // failed log-in), FailedPrecondition when the ticket is no longer good.
    Result<LoginResult> second_factor(const std::string& ticket, const std::string& code,
                                      const LoginRequest& request);
    // The set-up step after Next::Enrol: `secret` as shown (base32) with a current code of it.
    Result<LoginResult> enrol_second_factor(const std::string& ticket, const std::string& secret,
                                            const std::string& code, const LoginRequest& request);
    // Whether every staff account must use a second factor (an administrator's setting); on,
    // accounts without one set it up at their next log-in.
    Result<bool> second_factor_required();
    Result<void> set_second_factor_required(bool required, const std::string& actor);
    // For a lost phone: the account sets up a new one at its next log-in (when required) or
    // signs in with the password alone. NotFound for an unknown account.
    Result<void> reset_second_factor(std::int64_t user_id, const std::string& actor);
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
    Result<LoginResult> start_session(const StaffUser& user, const LoginRequest& r,
                                      const std::string& scope, const std::string& rehash);
    std::string make_ticket(std::int64_t user_id) const;
    std::optional<std::int64_t> read_ticket(const std::string& ticket) const;

    db::Database& m_db;
    const Clock& m_clock;
    std::string m_secret;
    AuthPolicy m_policy;
};

// The per-installation secret (signs device and CSRF cookies): made once, kept in `settings`.
Result<std::string> load_or_create_secret(db::Database& db, const Clock& clock);

} // namespace teilhabe::staff
