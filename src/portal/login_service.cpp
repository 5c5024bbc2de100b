#include "portal/login_service.h"

#include "base/email.h"
#include "portal/account_service.h"
#include "portal/account_store.h"
#include "portal/token_store.h"
#include "security/crypto.h"
#include "security/totp.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::portal {

namespace {

const char* kBadCredentials = "The e-mail address or the password is wrong.";
const char* kThrottled = "Too many failed log-ins. Please wait 15 minutes and try again.";
constexpr int kRecoveryCodes = 10;

std::string normalise_code(const std::string& code) {
    std::string out;
    for (char ch : code)
        if (ch != ' ' && ch != '-')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string recovery_hash(const std::string& code) {
    return security::sha256_hex("portal-recovery|" + normalise_code(code));
}

// Ten codes of ten characters from a 32-letter alphabet (50 bits each): "k3m9q-x2w7p".
// Each character of a base64url token is uniform over 64 values, so modulo 32 is uniform too.
std::vector<std::string> new_recovery_codes() {
    static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789z";
    static constexpr std::string_view kBase64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::vector<std::string> out;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        auto t = security::random_token(8); // 11 characters
        std::string code;
        for (std::size_t k = 0; k < 10; ++k)
            code += kAlphabet[kBase64.find(t[k]) % 32];
        out.push_back(code.substr(0, 5) + "-" + code.substr(5));
    }
    return out;
}

} // namespace

Result<CitizenAccount> confirm_password(db::Database& db, const Clock& clock, std::int64_t account_id,
                              const std::string& password, const char* field,
                              const LoginPolicy& policy) {
    const std::string scope = fmt::format("portal-reauth:{}", account_id);
    auto account = TRY(db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<CitizenAccount>> {
            auto since = clock.now_ms() - policy.failure_window.count();
            if (TRY(staff::store::count_login_failures(c, scope, since)) >=
                policy.max_failures_per_account)
                return fail(Error{ErrorCode::ResourceExhausted,
                                  "Too many wrong passwords. Please wait 15 minutes.", field});
            return store::find_account(c, account_id);
        }));
    if (!account)
        return fail(Error::not_found("The account is gone."));
    // The slow check runs outside any transaction (a transaction does only database work).
    if (security::verify_password(account->password_hash, password))
        return std::move(*account);
    TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return staff::store::record_login_failure(c, scope, clock.now_ms());
    }));
    return fail(Error{ErrorCode::Unauthenticated, "The password is wrong.", field});
}

LoginService::LoginService(db::Database& db, const Clock& clock, std::string secret,
                           LoginPolicy policy)
    : m_db(db), m_clock(clock), m_secret(std::move(secret)), m_policy(policy) {}

std::string LoginService::device_cookie_for(const std::string& email) const {
    std::string nonce = security::random_token(16);
    return nonce + "." +
           security::hmac_sha256_hex(m_secret, "portal-device|" + email + "|" + nonce);
}

std::string LoginService::device_scope(const std::string& cookie, const std::string& email) const {
    auto dot = cookie.find('.');
    if (dot != std::string::npos) {
        std::string nonce = cookie.substr(0, dot);
        if (security::constant_time_equal(
                cookie.substr(dot + 1),
                security::hmac_sha256_hex(m_secret, "portal-device|" + email + "|" + nonce)))
            return "portal-dev:" + nonce;
    }
    return "portal-acct:" + email;
}

Result<void> LoginService::check_throttle(db::Connection& c, const std::string& scope,
                                          const std::string& ip) {
    auto since = m_clock.now_ms() - m_policy.failure_window.count();
    auto by_ip = TRY(staff::store::count_login_failures(c, "portal-ip:" + ip, since));
    auto by_scope = TRY(staff::store::count_login_failures(c, scope, since));
    int limit = scope.starts_with("portal-dev:") ? m_policy.max_failures_per_device
                                                 : m_policy.max_failures_per_account;
    if (by_ip >= m_policy.max_failures_per_ip || by_scope >= limit)
        return fail(Error::exhausted(kThrottled));
    return {};
}

Result<void> LoginService::record_failure(const std::string& scope, const std::string& ip) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto now = m_clock.now_ms();
        TRY(staff::store::record_login_failure(c, "portal-ip:" + ip, now));
        TRY(staff::store::record_login_failure(c, scope, now));
        return {};
    });
}

std::string LoginService::make_ticket(std::int64_t account_id) const {
    auto expires = m_clock.now_ms() + m_policy.ticket_ttl.count();
    auto body = fmt::format("{}.{}", account_id, expires);
    return body + "." + security::hmac_sha256_hex(m_secret, "portal-2fa|" + body);
}

std::optional<std::int64_t> LoginService::read_ticket(const std::string& ticket) const {
    auto last = ticket.rfind('.');
    if (last == std::string::npos)
        return std::nullopt;
    auto body = ticket.substr(0, last);
    if (!security::constant_time_equal(ticket.substr(last + 1),
                                       security::hmac_sha256_hex(m_secret, "portal-2fa|" + body)))
        return std::nullopt;
    auto dot = body.find('.');
    if (dot == std::string::npos)
        return std::nullopt;
    try {
        auto id = std::stoll(body.substr(0, dot));
        auto expires = std::stoll(body.substr(dot + 1));
        if (m_clock.now_ms() >= expires)
            return std::nullopt;
        return id;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Result<LoginOutcome> LoginService::login(const LoginAttempt& r) {
    std::string email = normalise_email(r.email);
    std::string scope = device_scope(r.device_cookie, email);
    std::optional<CitizenAccount> account;
    store::Totp totp;
    TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<void> {
        TRY(check_throttle(c, scope, r.client.ip));
        account = TRY(store::find_account_by_email(c, email));
        if (account)
            totp = TRY(store::find_totp(c, account->id));
        return {};
    }));
    // Verified outside the transaction (argon2 takes tens of milliseconds); a missing account
    // costs the same time as a real one.
    bool ok = false;
    if (account && account->verified_at && !account->disabled)
        ok = security::verify_password(account->password_hash, r.password);
    else
        security::verify_dummy_password(r.password);
    if (!ok) {
        TRY(record_failure(scope, r.client.ip));
        return fail(Error::unauthenticated(kBadCredentials));
    }
    LoginOutcome out;
    if (totp.secret) {
        out.ticket = make_ticket(account->id);
        return out;
    }
    std::string rehash;
    if (security::password_needs_rehash(account->password_hash))
        rehash = security::hash_password(r.password).value_or("");
    SessionService sessions(m_db, m_clock);
    out.session =
        TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<PortalSession> {
            TRY(staff::store::clear_login_failures(c, scope));
            if (!rehash.empty())
                TRY(store::update_password_hash(c, account->id, rehash, m_clock.now_ms()));
            return sessions.start(c, *account, r.client);
        }));
    out.device_cookie = device_cookie_for(email);
    return out;
}

Result<LoginOutcome> LoginService::second_factor(const std::string& ticket, const std::string& code,
                                                 const std::string& device_cookie,
                                                 const Client& client) {
    auto account_id = read_ticket(ticket);
    if (!account_id)
        return fail(Error::precondition("The log-in took too long. Please sign in again."));
    auto account = TRY(m_db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::find_account(c, *account_id); }));
    if (!account || account->disabled)
        return fail(Error::precondition("Please sign in again."));
    std::string scope = device_scope(device_cookie, account->email);
    auto now = m_clock.now_ms();
    SessionService sessions(m_db, m_clock);
    auto session = TRY(m_db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<std::optional<PortalSession>> {
            TRY(check_throttle(c, scope, client.ip));
            auto totp = TRY(store::find_totp(c, account->id));
            if (!totp.secret)
                return std::optional<PortalSession>{};
            bool ok = false;
            if (auto step = security::totp_verify(*totp.secret, code, now))
                ok = TRY(store::use_totp_step(c, account->id, *step));
            else if (normalise_code(code).size() == 10)
                ok = TRY(store::use_recovery_code(c, account->id, recovery_hash(code), now));
            if (!ok)
                return std::optional<PortalSession>{};
            TRY(staff::store::clear_login_failures(c, scope));
            return std::optional<PortalSession>(TRY(sessions.start(c, *account, client)));
        }));
    if (!session) {
        TRY(record_failure(scope, client.ip));
        return fail(
            Error{ErrorCode::Unauthenticated, "The code is wrong or was used already.", "code"});
    }
    LoginOutcome out;
    out.session = std::move(*session);
    out.device_cookie = device_cookie_for(account->email);
    return out;
}

TotpSetup new_totp_setup(const std::string& issuer, const std::string& email) {
    auto secret = security::new_totp_secret();
    return {secret, security::otpauth_uri(issuer, email, secret)};
}

Result<std::vector<std::string>> enable_totp(db::Database& db, const Clock& clock,
                                             std::int64_t account_id, const std::string& secret,
                                             const std::string& code) {
    auto decoded = security::base32_decode(secret);
    if (!decoded || decoded->size() < 16)
        return fail(Error::invalid("The key is not valid. Please start again.", "code"));
    auto step = security::totp_verify(secret, code, clock.now_ms());
    if (!step)
        return fail(Error{ErrorCode::Unauthenticated,
                          "The code does not match. Check the time "
                          "of your device and try the next code.",
                          "code"});
    auto codes = new_recovery_codes();
    std::vector<std::string> hashes;
    for (const auto& c : codes)
        hashes.push_back(recovery_hash(c));
    TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto account = TRY(store::find_account(c, account_id));
        if (!account)
            return fail(Error::not_found("The account is gone."));
        auto now = clock.now_ms();
        TRY(store::enable_totp(c, account_id, secret, *step, now));
        TRY(store::replace_recovery_codes(c, account_id, hashes, now));
        return record_account_activity(c, account->citizen_id, "portal.second_factor_enabled",
                                       nlohmann::json::object(), clock);
    }));
    return codes;
}

Result<void> disable_totp(db::Database& db, const Clock& clock, std::int64_t account_id,
                          const std::string& password) {
    TRY(confirm_password(db, clock, account_id, password, "current_password"));
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto account = TRY(store::find_account(c, account_id));
        if (!account)
            return fail(Error::not_found("The account is gone."));
        TRY(store::disable_totp(c, account_id, clock.now_ms()));
        return record_account_activity(c, account->citizen_id, "portal.second_factor_disabled",
                                       nlohmann::json::object(), clock);
    });
}

Result<std::vector<std::string>> renew_recovery_codes(db::Database& db, const Clock& clock,
                                                      std::int64_t account_id,
                                                      const std::string& password) {
    TRY(confirm_password(db, clock, account_id, password, "current_password"));
    auto codes = new_recovery_codes();
    std::vector<std::string> hashes;
    for (const auto& c : codes)
        hashes.push_back(recovery_hash(c));
    TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::replace_recovery_codes(c, account_id, hashes, clock.now_ms());
    }));
    return codes;
}

} // namespace teilhabe::portal
