#pragma once
// Portal sessions of citizens, as staff sessions are (docs/decisions.md "Staff
// authentication"): a new random token at every log-in, only its SHA-256 stored, a CSRF token
// per session, idle and absolute time-outs, log-out and log-out everywhere.

#include "base/clock.h"
#include "db/database.h"
#include "portal/account.h"

#include <chrono>
#include <optional>
#include <string>

namespace teilhabe::portal {

struct SessionPolicy {
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(30)};
    std::chrono::milliseconds absolute_timeout{std::chrono::hours(12)};
    std::chrono::milliseconds touch_interval{std::chrono::minutes(1)};
};

struct Client {
    std::string ip;
    std::string user_agent;
};

class SessionService {
public:
    SessionService(db::Database& db, const Clock& clock, SessionPolicy policy = {});

    const SessionPolicy& policy() const { return m_policy; }

    // A new session for the account, in the caller's transaction (log-in, or verification that
    // signs the person in).
    Result<PortalSession> start(db::Connection& c, const CitizenAccount& account,
                                const Client& client);
    // The e-mail and password of a verified, enabled account; Unauthenticated otherwise, with
    // the same answer and about the same time whether or not the account exists.
    Result<PortalSession> login(const std::string& email, const std::string& password,
                                const Client& client);
    Result<std::optional<PortalSession>> resolve(const std::string& token);
    Result<void> logout(const std::string& token);
    // Ends every session of the account (log-out everywhere, password reset); returns how many.
    Result<std::int64_t> logout_everywhere(std::int64_t account_id);

private:
    db::Database& m_db;
    const Clock& m_clock;
    SessionPolicy m_policy;
};

} // namespace teilhabe::portal
