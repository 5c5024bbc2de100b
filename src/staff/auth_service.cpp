#include "staff/auth_service.h"

#include "security/crypto.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::staff {

namespace {

const char* kBadCredentials = "E-mail address or password is wrong.";
const char* kThrottled = "Too many failed log-ins. Please wait 15 minutes and try again.";

} // namespace

AuthService::AuthService(db::Database& db, const Clock& clock, std::string secret,
                         AuthPolicy policy)
    : m_db(db), m_clock(clock), m_secret(std::move(secret)), m_policy(policy) {}

Result<StaffUser> AuthService::create_user(const std::string& email, const std::string& password,
                                           Role role, std::optional<std::int64_t> department_id,
                                           const std::string& display_name) {
    StaffUser u;
    u.email = normalise_email(email);
    TRY(validate_email(u.email));
    TRY(validate_new_password(password, u.email));
    u.password_hash = TRY(security::hash_password(password));
    u.role = role;
    u.department_id = department_id;
    u.display_name = display_name.empty() ? u.email.substr(0, u.email.find('@')) : display_name;
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<StaffUser> {
        if (TRY(store::find_user_by_email(c, u.email)))
            return fail(Error::exists("A staff account with this e-mail address exists already."));
        StaffUser out = u;
        out.id = TRY(store::insert_user(c, u, m_clock));
        TRY(store::audit(c, {"system", "staff.created", "staff:" + std::to_string(out.id),
                             to_string(role), ""},
                         m_clock));
        return out;
    });
}

Result<std::string> AuthService::create_api_key(const std::string& name, Role role) {
    if (name.empty() || name.size() > 100)
        return fail(Error::invalid("The key needs a name of 1 to 100 characters.", "name"));
    std::string prefix = security::random_token(6);
    std::string key = fmt::format("thk_{}_{}", prefix, security::random_token(32));
    std::string hash = security::sha256_hex(key);
    TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto id = TRY(store::insert_api_key(c, name, prefix, hash, role, m_clock));
        TRY(store::audit(c, {"system", "apikey.created", "apikey:" + std::to_string(id), name, ""},
                         m_clock));
        return {};
    }));
    return key;
}

std::string AuthService::device_cookie_for(const std::string& email) const {
    std::string nonce = security::random_token(16);
    return nonce + "." + security::hmac_sha256_hex(m_secret, "device|" + email + "|" + nonce);
}

bool AuthService::device_cookie_valid(const std::string& cookie, const std::string& email) const {
    auto dot = cookie.find('.');
    if (dot == std::string::npos)
        return false;
    std::string nonce = cookie.substr(0, dot);
    return security::constant_time_equal(
        cookie.substr(dot + 1), security::hmac_sha256_hex(m_secret, "device|" + email + "|" + nonce));
}

std::string AuthService::device_scope(const LoginRequest& r, const std::string& email) const {
    if (!r.device_cookie.empty() && device_cookie_valid(r.device_cookie, email))
        return "dev:" + r.device_cookie.substr(0, r.device_cookie.find('.'));
    return "acct:" + email;
}

Result<void> AuthService::check_throttle(db::Connection& c, const std::string& scope,
                                         const std::string& ip) {
    auto since = m_clock.now_ms() - m_policy.failure_window.count();
    auto by_ip = TRY(store::count_login_failures(c, "ip:" + ip, since));
    auto by_scope = TRY(store::count_login_failures(c, scope, since));
    int limit = scope.starts_with("dev:") ? m_policy.max_failures_per_device
                                          : m_policy.max_failures_per_account;
    if (by_ip >= m_policy.max_failures_per_ip || by_scope >= limit)
        return fail(Error::exhausted(kThrottled));
    return {};
}

Result<void> AuthService::record_failure(const std::string& scope, const std::string& ip) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto now = m_clock.now_ms();
        TRY(store::record_login_failure(c, "ip:" + ip, now));
        TRY(store::record_login_failure(c, scope, now));
        TRY(store::prune_login_failures(c, now - 24 * 3600 * 1000));
        return {};
    });
}

Result<LoginResult> AuthService::login(const LoginRequest& r) {
    std::string email = normalise_email(r.email);
    std::string scope = device_scope(r, email);
    std::optional<StaffUser> user;
    TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<void> {
        TRY(check_throttle(c, scope, r.ip));
        user = TRY(store::find_user_by_email(c, email));
        return {};
    }));
    // Verify outside the transaction (argon2 takes tens of milliseconds); a missing account
    // costs the same time as a real one.
    bool ok = false;
    if (user && !user->disabled)
        ok = security::verify_password(user->password_hash, r.password);
    else
        security::verify_dummy_password(r.password);
    if (!ok) {
        TRY(record_failure(scope, r.ip));
        return fail(Error::unauthenticated(kBadCredentials));
    }
    std::string rehash;
    if (security::password_needs_rehash(user->password_hash))
        rehash = security::hash_password(r.password).value_or("");
    auto totp = TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_totp(c, user->id);
    }));
    if (totp.secret || TRY(second_factor_required())) {
        if (!rehash.empty())
            TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
                return store::update_password_hash(c, user->id, rehash, m_clock);
            }));
        LoginResult out;
        out.next = totp.secret ? LoginResult::Next::Code : LoginResult::Next::Enrol;
        out.ticket = make_ticket(user->id);
        out.session.user = *user; // who is signing in (no session token yet)
        return out;
    }
    return start_session(*user, r, scope, rehash);
}

Result<LoginResult> AuthService::start_session(const StaffUser& user, const LoginRequest& r,
                                               const std::string& scope,
                                               const std::string& rehash) {
    LoginResult out;
    out.session.token = security::random_token(32);
    out.session.csrf_token = security::random_token(32);
    out.session.user = user;
    auto now = m_clock.now_ms();
    out.session.expires_at = now + m_policy.absolute_timeout.count();
    out.device_cookie = device_cookie_for(user.email);
    TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(store::insert_session(c, security::sha256_hex(out.session.token), user.id,
                                  out.session.csrf_token, now, out.session.expires_at, r.ip,
                                  r.user_agent));
        TRY(store::clear_login_failures(c, scope));
        if (!rehash.empty())
            TRY(store::update_password_hash(c, user.id, rehash, m_clock));
        TRY(store::audit(c, {"staff:" + std::to_string(user.id), "staff.login", "", "", r.ip},
                         m_clock));
        return {};
    }));
    return out;
}

Result<std::optional<Session>> AuthService::resolve_session(const std::string& token) {
    if (token.empty() || token.size() > 100)
        return std::optional<Session>{};
    std::string hash = security::sha256_hex(token);
    auto now = m_clock.now_ms();
    return m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<Session>> {
        auto row = TRY(store::find_session(c, hash));
        if (!row || row->expires_at <= now ||
            row->last_seen_at + m_policy.idle_timeout.count() <= now)
            return std::optional<Session>{};
        auto user = TRY(store::find_user(c, row->user_id));
        if (!user || user->disabled)
            return std::optional<Session>{};
        if (now - row->last_seen_at >= m_policy.touch_interval.count())
            TRY(store::touch_session(c, hash, now));
        return std::optional<Session>(Session{token, row->csrf_token, *user, row->expires_at});
    });
}

Result<void> AuthService::logout(const std::string& token, const std::string& ip) {
    std::string hash = security::sha256_hex(token);
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto row = TRY(store::find_session(c, hash));
        TRY(store::delete_session(c, hash));
        if (row)
            TRY(store::audit(c, {"staff:" + std::to_string(row->user_id), "staff.logout", "", "", ip},
                             m_clock));
        return {};
    });
}

Result<std::int64_t> AuthService::logout_everywhere(std::int64_t user_id) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::delete_user_sessions(c, user_id);
    });
}

Result<std::optional<ApiKey>> AuthService::resolve_api_key(const std::string& key) {
    if (!key.starts_with("thk_") || key.size() > 200)
        return std::optional<ApiKey>{};
    std::string hash = security::sha256_hex(key);
    auto found = TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_api_key(c, hash);
    }));
    // Operators see in `teilhabe apikey list` which keys are still in use. A write per request
    // would serialise every API call on SQLite: minute precision is enough.
    constexpr std::int64_t kTouchEveryMs = 60'000;
    if (found && (!found->last_used_ms || m_clock.now_ms() - *found->last_used_ms >= kTouchEveryMs)) {
        TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::touch_api_key(c, found->id, m_clock);
        }));
        found->last_used_ms = m_clock.now_ms();
    }
    return found;
}

Result<std::vector<ApiKeyInfo>> AuthService::list_api_keys() {
    return m_db.transaction(db::TxMode::Read,
                            [](db::Connection& c) { return store::list_api_keys(c); });
}

Result<void> AuthService::revoke_api_key(std::int64_t id, const std::string& actor) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!TRY(store::revoke_api_key(c, id, m_clock)))
            return fail(Error::not_found(fmt::format("there is no active API key with id {}", id)));
        TRY(store::audit(c, {actor, "apikey.revoke", "apikey:" + std::to_string(id), "", ""},
                         m_clock));
        return {};
    });
}

Result<std::string> load_or_create_secret(db::Database& db, const Clock& clock) {
    std::string fresh = security::random_token(32);
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::ensure_setting(c, "server_secret", fresh, clock);
    });
}

} // namespace teilhabe::staff
