#pragma once
// SQL for what the portal's account pages keep besides accounts and sessions (migration 0012):
// registrations waiting for their link, the links for a reset or a new address, the second
// factor and its recovery codes. Tokens and codes are stored as SHA-256 only; callers hash.

#include "db/connection.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::portal::store {

struct Registration {
    std::int64_t id{0};
    std::string email;
    std::string password_hash;
    std::string language{"de"};
    std::int64_t expires_at{0};
    std::optional<std::int64_t> used_at;
};
Result<void> insert_registration(db::Connection& c, const std::string& token_hash,
                                 const std::string& email, const std::string& password_hash,
                                 const std::string& language, const std::string& ip,
                                 std::int64_t now, std::int64_t expires_at);
Result<std::optional<Registration>> find_registration(db::Connection& c,
                                                      const std::string& token_hash);
// Uses the registration up: false when it was used already (two clicks at once: one wins).
Result<bool> use_registration(db::Connection& c, std::int64_t id, std::int64_t now);
// Housekeeping: registrations used or expired before `before` (they hold a password's hash).
Result<std::int64_t> delete_old_registrations(db::Connection& c, std::int64_t before);

enum class Purpose { Reset, Email };
struct AccountToken {
    std::int64_t account_id{0};
    Purpose purpose{Purpose::Reset};
    std::string new_email;
    std::int64_t expires_at{0};
    std::optional<std::int64_t> used_at;
};
Result<void> insert_account_token(db::Connection& c, const std::string& token_hash,
                                  std::int64_t account_id, Purpose purpose,
                                  const std::string& new_email, std::int64_t now,
                                  std::int64_t expires_at);
Result<std::optional<AccountToken>> find_account_token(db::Connection& c,
                                                       const std::string& token_hash);
// Uses the token up: false when it was used already (a second request at the same time).
Result<bool> use_account_token(db::Connection& c, const std::string& token_hash, std::int64_t now);
// Housekeeping: links used or expired before `before`.
Result<std::int64_t> delete_old_account_tokens(db::Connection& c, std::int64_t before);
// Earlier links of the purpose stop working when a new one is sent or one is used.
Result<void> void_account_tokens(db::Connection& c, std::int64_t account_id, Purpose purpose,
                                 std::int64_t now);

Result<void> update_account_email(db::Connection& c, std::int64_t account_id,
                                  const std::string& email, std::int64_t now);
// Ends the account's sessions except the one given (a change of password keeps the current).
Result<std::int64_t> delete_other_sessions(db::Connection& c, std::int64_t account_id,
                                           const std::string& keep_token_hash);

struct Totp {
    std::optional<std::string> secret; // set while the second factor is on
    std::optional<std::int64_t> enabled_at;
    std::optional<std::int64_t> last_step;
};
Result<Totp> find_totp(db::Connection& c, std::int64_t account_id);
Result<void> enable_totp(db::Connection& c, std::int64_t account_id, const std::string& secret,
                         std::int64_t step, std::int64_t now);
Result<void> disable_totp(db::Connection& c, std::int64_t account_id, std::int64_t now);
// Remembers the step of an accepted code; false when that step or a later one was used
// already (the same code twice).
Result<bool> use_totp_step(db::Connection& c, std::int64_t account_id, std::int64_t step);

Result<void> replace_recovery_codes(db::Connection& c, std::int64_t account_id,
                                    const std::vector<std::string>& code_hashes, std::int64_t now);
// Uses a code up: false when there is no such unused code.
Result<bool> use_recovery_code(db::Connection& c, std::int64_t account_id,
                               const std::string& code_hash, std::int64_t now);
Result<std::int64_t> unused_recovery_codes(db::Connection& c, std::int64_t account_id);

} // namespace teilhabe::portal::store
