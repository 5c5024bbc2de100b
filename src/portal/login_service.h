#pragma once
// Signing in to the portal with the protections of the staff log-in (docs/decisions.md "Staff
// authentication"): argon2id, the same answer and about the same time for an unknown address,
// failures counted per client address and per account — but a browser that signed in to the
// account before carries a signed device cookie and is counted on its own budget (OWASP
// "device cookies"), so an attacker cannot lock the owner out. With the second factor on, the
// password step hands out a short-lived signed ticket and the session starts only with a
// valid code (or an unused recovery code) for it.

#include "base/clock.h"
#include "db/database.h"
#include "portal/session_service.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::portal {

struct LoginPolicy {
    std::chrono::milliseconds failure_window{std::chrono::minutes(15)};
    int max_failures_per_ip{20};
    int max_failures_per_account{10};
    int max_failures_per_device{10};
    std::chrono::milliseconds ticket_ttl{std::chrono::minutes(5)};
};

struct LoginAttempt {
    std::string email;
    std::string password;
    std::string device_cookie;
    Client client;
};

struct LoginOutcome {
    // Signed in, or (second factor on) a ticket for the code step.
    std::optional<PortalSession> session;
    std::string ticket;
    std::string device_cookie; // to (re)set in the browser after a full log-in
};

class LoginService {
public:
    LoginService(db::Database& db, const Clock& clock, std::string secret, LoginPolicy policy = {});

    // Unauthenticated for a wrong address or password (one answer for both); ResourceExhausted
    // when too many attempts failed.
    Result<LoginOutcome> login(const LoginAttempt& attempt);
    // The code step: a 6-digit code of the authenticator or a recovery code. Unauthenticated
    // for a wrong code, FailedPrecondition for a ticket that is no longer good (sign in again).
    Result<LoginOutcome> second_factor(const std::string& ticket, const std::string& code,
                                       const std::string& device_cookie, const Client& client);

    std::string device_cookie_for(const std::string& email) const;

private:
    std::string device_scope(const std::string& cookie, const std::string& email) const;
    Result<void> check_throttle(db::Connection& c, const std::string& scope, const std::string& ip);
    Result<void> record_failure(const std::string& scope, const std::string& ip);
    std::string make_ticket(std::int64_t account_id) const;
    std::optional<std::int64_t> read_ticket(const std::string& ticket) const;

    db::Database& m_db;
    const Clock& m_clock;
    std::string m_secret;
    LoginPolicy m_policy;
};

// A signed-in citizen entering the password again before something grave (deleting the
// account, a new password or address, the second factor off, new recovery codes). Failures
// count per account like log-in failures (LoginPolicy::max_failures_per_account in the
// failure window), so a session left open on a shared computer cannot be used to guess the
// password. Unauthenticated naming `field` when wrong; ResourceExhausted naming `field` when
// too many were wrong; NotFound when the account is gone. Gives the account, read for the check.
Result<CitizenAccount> confirm_password(db::Database& db, const Clock& clock, std::int64_t account_id,
                              const std::string& password, const char* field,
                              const LoginPolicy& policy = {});

// The second factor of an account, for the security page.
struct TotpSetup {
    std::string secret; // base32
    std::string uri;    // otpauth://
};
TotpSetup new_totp_setup(const std::string& issuer, const std::string& email);
// Turns the second factor on when `code` is valid for `secret` now, and returns the recovery
// codes (shown once; stored as hashes). Unauthenticated naming "code" for a wrong code.
Result<std::vector<std::string>> enable_totp(db::Database& db, const Clock& clock,
                                             std::int64_t account_id, const std::string& secret,
                                             const std::string& code);
// Off again, with the recovery codes; needs the password. Unauthenticated naming
// "current_password" when it is wrong.
Result<void> disable_totp(db::Database& db, const Clock& clock, std::int64_t account_id,
                          const std::string& password);
// New recovery codes instead of the old ones (needs the password).
Result<std::vector<std::string>> renew_recovery_codes(db::Database& db, const Clock& clock,
                                                      std::int64_t account_id,
                                                      const std::string& password);

} // namespace teilhabe::portal
