#include "portal/session_service.h"

#include "base/email.h"
#include "portal/account_store.h"
#include "security/crypto.h"

namespace teilhabe::portal {

namespace {
constexpr const char* kBadCredentials = "The e-mail address or the password is wrong.";
}

SessionService::SessionService(db::Database& db, const Clock& clock, SessionPolicy policy)
    : m_db(db), m_clock(clock), m_policy(policy) {}

Result<PortalSession> SessionService::start(db::Connection& c, const CitizenAccount& account,
                                            const Client& client) {
    auto now = m_clock.now_ms();
    PortalSession s{.token = security::random_token(32),
                    .csrf_token = security::random_token(32),
                    .account_id = account.id,
                    .citizen_id = account.citizen_id,
                    .email = account.email,
                    .expires_at = now + m_policy.absolute_timeout.count()};
    TRY(store::insert_session(c, security::sha256_hex(s.token), account.id, s.csrf_token, now,
                              s.expires_at, client.ip, client.user_agent));
    return s;
}

Result<PortalSession> SessionService::login(const std::string& email, const std::string& password,
                                            const Client& client) {
    auto normalised = normalise_email(email);
    auto account = TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_account_by_email(c, normalised);
    }));
    bool ok = false;
    if (account && account->verified_at && !account->disabled)
        ok = security::verify_password(account->password_hash, password);
    else
        security::verify_dummy_password(password);
    if (!ok)
        return fail(Error::unauthenticated(kBadCredentials));
    return m_db.transaction(db::TxMode::Write,
                            [&](db::Connection& c) { return start(c, *account, client); });
}

Result<std::optional<PortalSession>> SessionService::resolve(const std::string& token) {
    if (token.empty() || token.size() > 100)
        return std::optional<PortalSession>{};
    std::string hash = security::sha256_hex(token);
    auto now = m_clock.now_ms();
    auto found = TRY(m_db.transaction(
        db::TxMode::Read,
        [&](db::Connection& c) -> Result<std::optional<std::pair<store::SessionRow, CitizenAccount>>> {
            using Found = std::optional<std::pair<store::SessionRow, CitizenAccount>>;
            auto row = TRY(store::find_session(c, hash));
            if (!row || row->expires_at <= now ||
                row->last_seen_at + m_policy.idle_timeout.count() <= now)
                return Found{};
            auto account = TRY(store::find_account(c, row->account_id));
            if (!account || account->disabled)
                return Found{};
            return Found(std::pair{*row, *account});
        }));
    if (!found)
        return std::optional<PortalSession>{};
    auto& [row, account] = *found;
    // A write only once a minute: every page view would otherwise wait for SQLite's writer.
    if (now - row.last_seen_at >= m_policy.touch_interval.count())
        TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::touch_session(c, hash, now);
        }));
    return std::optional<PortalSession>(PortalSession{.token = token,
                                                      .csrf_token = row.csrf_token,
                                                      .account_id = account.id,
                                                      .citizen_id = account.citizen_id,
                                                      .email = account.email,
                                                      .expires_at = row.expires_at});
}

Result<void> SessionService::logout(const std::string& token) {
    std::string hash = security::sha256_hex(token);
    return m_db.transaction(db::TxMode::Write,
                            [&](db::Connection& c) { return store::delete_session(c, hash); });
}

Result<std::int64_t> SessionService::logout_everywhere(std::int64_t account_id) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::delete_account_sessions(c, account_id);
    });
}

} // namespace teilhabe::portal
