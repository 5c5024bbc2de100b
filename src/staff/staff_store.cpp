#include "staff/staff_store.h"

namespace teilhabe::staff::store {

namespace {

constexpr const char* kUserColumns =
    "SELECT id, email, display_name, password_hash, role, department_id, language, disabled_at, "
    "totp_enabled_at FROM staff_users ";

StaffUser user_from_row(const db::Row& r) {
    StaffUser u;
    u.id = r.get_int(0);
    u.email = r.get_text(1);
    u.display_name = r.get_text(2);
    u.password_hash = r.get_text(3);
    u.role = parse_role(r.get_text(4)).value_or(Role::Partner);
    u.department_id = r.get_opt_int(5);
    u.language = r.get_text(6);
    u.disabled = !r.is_null(7);
    u.second_factor = !r.is_null(8);
    return u;
}

Result<std::optional<StaffUser>> one_user(db::Connection& c, const std::string& where,
                                          db::Params params) {
    auto rows = TRY(c.query(std::string(kUserColumns) + where, params));
    if (rows.empty())
        return std::optional<StaffUser>{};
    return std::optional<StaffUser>(user_from_row(rows.first()));
}

} // namespace

Result<std::int64_t> insert_user(db::Connection& c, const StaffUser& u, const Clock& clock) {
    auto now = clock.now_ms();
    auto row = TRY(c.query_one(
        "INSERT INTO staff_users (email, display_name, password_hash, role, department_id, "
        "language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {u.email, u.display_name, u.password_hash, to_string(u.role), db::opt(u.department_id),
         u.language, now, now}));
    return row.get_int(0);
}

Result<std::optional<StaffUser>> find_user_by_email(db::Connection& c, const std::string& email) {
    return one_user(c, "WHERE email = ?", {email});
}

Result<std::optional<StaffUser>> find_user(db::Connection& c, std::int64_t id) {
    return one_user(c, "WHERE id = ?", {id});
}

Result<std::vector<StaffUser>> list_users(db::Connection& c) {
    auto rows = TRY(c.query(std::string(kUserColumns) + "ORDER BY email"));
    std::vector<StaffUser> out;
    for (const auto& r : rows.rows)
        out.push_back(user_from_row(r));
    return out;
}

Result<void> update_password_hash(db::Connection& c, std::int64_t id, const std::string& hash,
                                  const Clock& clock) {
    TRY(c.query("UPDATE staff_users SET password_hash = ?, updated_at = ? WHERE id = ?",
                {hash, clock.now_ms(), id}));
    return {};
}

Result<void> insert_session(db::Connection& c, const std::string& token_hash, std::int64_t user_id,
                            const std::string& csrf, std::int64_t now, std::int64_t expires_at,
                            const std::string& ip, const std::string& user_agent) {
    TRY(c.query("INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, "
                "last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {token_hash, user_id, csrf, now, now, expires_at, ip, user_agent.substr(0, 300)}));
    return {};
}

Result<std::optional<SessionRow>> find_session(db::Connection& c, const std::string& token_hash) {
    auto rows = TRY(c.query("SELECT user_id, csrf_token, created_at, last_seen_at, expires_at "
                            "FROM staff_sessions WHERE token_hash = ?",
                            {token_hash}));
    if (rows.empty())
        return std::optional<SessionRow>{};
    const auto& r = rows.first();
    return std::optional<SessionRow>(
        SessionRow{r.get_int(0), r.get_text(1), r.get_int(2), r.get_int(3), r.get_int(4)});
}

Result<void> touch_session(db::Connection& c, const std::string& token_hash, std::int64_t now) {
    TRY(c.query("UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?",
                {now, token_hash}));
    return {};
}

Result<void> delete_session(db::Connection& c, const std::string& token_hash) {
    TRY(c.query("DELETE FROM staff_sessions WHERE token_hash = ?", {token_hash}));
    return {};
}

Result<std::int64_t> delete_user_sessions(db::Connection& c, std::int64_t user_id) {
    return c.execute("DELETE FROM staff_sessions WHERE user_id = ?", {user_id});
}

Result<std::int64_t> delete_expired_sessions(db::Connection& c, std::int64_t idle_before,
                                             std::int64_t now) {
    return c.execute("DELETE FROM staff_sessions WHERE last_seen_at < ? OR expires_at < ?",
                     {idle_before, now});
}

Result<std::int64_t> insert_api_key(db::Connection& c, const std::string& name,
                                    const std::string& prefix, const std::string& key_hash,
                                    Role role, const Clock& clock) {
    auto row = TRY(c.query_one("INSERT INTO api_keys (name, prefix, key_hash, role, created_at) "
                               "VALUES (?, ?, ?, ?, ?) RETURNING id",
                               {name, prefix, key_hash, to_string(role), clock.now_ms()}));
    return row.get_int(0);
}

Result<std::optional<ApiKey>> find_api_key(db::Connection& c, const std::string& key_hash) {
    auto rows = TRY(c.query("SELECT id, name, prefix, role, last_used_at FROM api_keys "
                            "WHERE key_hash = ? AND revoked_at IS NULL",
                            {key_hash}));
    if (rows.empty())
        return std::optional<ApiKey>{};
    const auto& r = rows.first();
    return std::optional<ApiKey>(ApiKey{r.get_int(0), r.get_text(1), r.get_text(2),
                                        parse_role(r.get_text(3)).value_or(Role::Partner),
                                        r.get_opt_int(4)});
}

Result<std::vector<ApiKeyInfo>> list_api_keys(db::Connection& c) {
    auto rows = TRY(c.query("SELECT id, name, prefix, role, last_used_at, created_at, revoked_at "
                            "FROM api_keys ORDER BY id"));
    std::vector<ApiKeyInfo> out;
    for (const auto& r : rows.rows)
        out.push_back({ApiKey{r.get_int(0), r.get_text(1), r.get_text(2),
                              parse_role(r.get_text(3)).value_or(Role::Partner), r.get_opt_int(4)},
                       r.get_int(5), r.get_opt_int(6)});
    return out;
}

Result<bool> revoke_api_key(db::Connection& c, std::int64_t id, const Clock& clock) {
    auto rows = TRY(c.query("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
                            "RETURNING id",
                            {clock.now_ms(), id}));
    return !rows.empty();
}

Result<void> touch_api_key(db::Connection& c, std::int64_t id, const Clock& clock) {
    TRY(c.query("UPDATE api_keys SET last_used_at = ? WHERE id = ?", {clock.now_ms(), id}));
    return {};
}

Result<void> record_login_failure(db::Connection& c, const std::string& scope, std::int64_t now) {
    TRY(c.query("INSERT INTO login_failures (scope, at) VALUES (?, ?)", {scope, now}));
    return {};
}

Result<std::int64_t> count_login_failures(db::Connection& c, const std::string& scope,
                                          std::int64_t since) {
    auto row = TRY(c.query_one("SELECT count(*) FROM login_failures WHERE scope = ? AND at >= ?",
                               {scope, since}));
    return row.get_int(0);
}

Result<void> clear_login_failures(db::Connection& c, const std::string& scope) {
    TRY(c.query("DELETE FROM login_failures WHERE scope = ?", {scope}));
    return {};
}

Result<void> prune_login_failures(db::Connection& c, std::int64_t before) {
    TRY(c.query("DELETE FROM login_failures WHERE at < ?", {before}));
    return {};
}

Result<Totp> find_totp(db::Connection& c, std::int64_t user_id) {
    auto rows = TRY(c.query("SELECT totp_secret, totp_enabled_at, totp_last_step FROM staff_users "
                            "WHERE id = ?",
                            {user_id}));
    Totp t;
    if (rows.empty())
        return t;
    const auto& r = rows.first();
    if (!r.is_null(0) && !r.is_null(1))
        t.secret = r.get_text(0);
    t.last_step = r.get_opt_int(2);
    return t;
}

Result<void> enable_totp(db::Connection& c, std::int64_t user_id, const std::string& secret,
                         std::int64_t step, const Clock& clock) {
    auto now = clock.now_ms();
    TRY(c.query("UPDATE staff_users SET totp_secret = ?, totp_enabled_at = ?, totp_last_step = ?, "
                "updated_at = ? WHERE id = ?",
                {secret, now, step, now, user_id}));
    return {};
}

Result<bool> disable_totp(db::Connection& c, std::int64_t user_id, const Clock& clock) {
    auto n = TRY(c.execute("UPDATE staff_users SET totp_secret = NULL, totp_enabled_at = NULL, "
                           "totp_last_step = NULL, updated_at = ? WHERE id = ?",
                           {clock.now_ms(), user_id}));
    return n == 1;
}

Result<bool> use_totp_step(db::Connection& c, std::int64_t user_id, std::int64_t step) {
    auto n = TRY(c.execute("UPDATE staff_users SET totp_last_step = ? WHERE id = ? AND "
                           "(totp_last_step IS NULL OR totp_last_step < ?)",
                           {step, user_id, step}));
    return n == 1;
}

Result<void> put_setting(db::Connection& c, const std::string& key, const std::string& value,
                         const Clock& clock) {
    TRY(c.query("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                {key, value, clock.now_ms()}));
    return {};
}

Result<std::optional<std::string>> get_setting(db::Connection& c, const std::string& key) {
    auto rows = TRY(c.query("SELECT value FROM settings WHERE key = ?", {key}));
    if (rows.empty())
        return std::optional<std::string>{};
    return std::optional<std::string>(rows.first().get_text(0));
}

Result<std::string> ensure_setting(db::Connection& c, const std::string& key,
                                   const std::string& value, const Clock& clock) {
    TRY(c.query("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO NOTHING",
                {key, value, clock.now_ms()}));
    auto row = TRY(c.query_one("SELECT value FROM settings WHERE key = ?", {key}));
    return row.get_text(0);
}

Result<void> audit(db::Connection& c, const AuditEntry& e, const Clock& clock) {
    TRY(c.query("INSERT INTO audit_log (at, actor, action, subject, detail, ip) VALUES (?, ?, ?, "
                "?, ?, ?)",
                {clock.now_ms(), e.actor, e.action, e.subject, e.detail, e.ip}));
    return {};
}

} // namespace teilhabe::staff::store
