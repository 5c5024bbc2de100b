#pragma once
// SQL for staff accounts, sessions, API keys, log-in failures and the audit log.

#include "base/clock.h"
#include "db/connection.h"
#include "staff/account.h"

#include <optional>
#include <vector>

namespace teilhabe::staff::store {

Result<std::int64_t> insert_user(db::Connection& c, const StaffUser& u, const Clock& clock);
Result<std::optional<StaffUser>> find_user_by_email(db::Connection& c, const std::string& email);
Result<std::optional<StaffUser>> find_user(db::Connection& c, std::int64_t id);
Result<std::vector<StaffUser>> list_users(db::Connection& c);
Result<void> update_password_hash(db::Connection& c, std::int64_t id, const std::string& hash,
                                  const Clock& clock);

struct SessionRow {
    std::int64_t user_id{0};
    std::string csrf_token;
    std::int64_t created_at{0};
    std::int64_t last_seen_at{0};
    std::int64_t expires_at{0};
};
Result<void> insert_session(db::Connection& c, const std::string& token_hash, std::int64_t user_id,
                            const std::string& csrf, std::int64_t now, std::int64_t expires_at,
                            const std::string& ip, const std::string& user_agent);
Result<std::optional<SessionRow>> find_session(db::Connection& c, const std::string& token_hash);
Result<void> touch_session(db::Connection& c, const std::string& token_hash, std::int64_t now);
Result<void> delete_session(db::Connection& c, const std::string& token_hash);
Result<std::int64_t> delete_user_sessions(db::Connection& c, std::int64_t user_id);
Result<std::int64_t> delete_expired_sessions(db::Connection& c, std::int64_t idle_before,
                                             std::int64_t now);

Result<std::int64_t> insert_api_key(db::Connection& c, const std::string& name,
                                    const std::string& prefix, const std::string& key_hash,
                                    Role role, const Clock& clock);
Result<std::optional<ApiKey>> find_api_key(db::Connection& c, const std::string& key_hash);
Result<void> touch_api_key(db::Connection& c, std::int64_t id, const Clock& clock);
Result<std::vector<ApiKeyInfo>> list_api_keys(db::Connection& c);
// False when there is no such key or it was revoked already.
Result<bool> revoke_api_key(db::Connection& c, std::int64_t id, const Clock& clock);

Result<void> record_login_failure(db::Connection& c, const std::string& scope, std::int64_t now);
Result<std::int64_t> count_login_failures(db::Connection& c, const std::string& scope,
                                          std::int64_t since);
Result<void> clear_login_failures(db::Connection& c, const std::string& scope);
Result<void> prune_login_failures(db::Connection& c, std::int64_t before);

// The second factor of a staff account (migration 0012): the base32 secret while it is on, and
// the last 30-second step whose code was accepted (a code is good once).
struct Totp {
    std::optional<std::string> secret;
    std::optional<std::int64_t> last_step;
};
Result<Totp> find_totp(db::Connection& c, std::int64_t user_id);
Result<void> enable_totp(db::Connection& c, std::int64_t user_id, const std::string& secret,
                         std::int64_t step, const Clock& clock);
Result<bool> disable_totp(db::Connection& c, std::int64_t user_id, const Clock& clock);
// False when that step or a later one was used already.
Result<bool> use_totp_step(db::Connection& c, std::int64_t user_id, std::int64_t step);

Result<std::optional<std::string>> get_setting(db::Connection& c, const std::string& key);
// Inserts only when absent; returns the value now stored (first writer wins).
Result<void> put_setting(db::Connection& c, const std::string& key, const std::string& value,
                         const Clock& clock);
Result<std::string> ensure_setting(db::Connection& c, const std::string& key,
                                   const std::string& value, const Clock& clock);

struct AuditEntry {
    std::string actor;
    std::string action;
    std::string subject;
    std::string detail;
    std::string ip;
};
Result<void> audit(db::Connection& c, const AuditEntry& e, const Clock& clock);

} // namespace teilhabe::staff::store
