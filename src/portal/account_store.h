#pragma once
// SQL for portal accounts and their sessions (migration 0011).

#include "db/connection.h"
#include "portal/account.h"

#include <optional>
#include <string>

namespace teilhabe::portal::store {

struct NewAccount {
    std::int64_t citizen_id{0};
    std::string email; // normalised
    std::string password_hash;
    std::string language{"de"};
    std::optional<std::int64_t> verified_at;
};
Result<std::int64_t> insert_account(db::Connection& c, const NewAccount& a, std::int64_t now);
Result<std::optional<CitizenAccount>> find_account(db::Connection& c, std::int64_t id);
Result<std::optional<CitizenAccount>> find_account_by_email(db::Connection& c,
                                                            const std::string& email);
Result<std::optional<CitizenAccount>> find_account_by_citizen(db::Connection& c,
                                                              std::int64_t citizen_id);
// The language of the account's own mails, for the person's account (none: nothing to do).
Result<void> set_account_language(db::Connection& c, std::int64_t citizen_id,
                                  const std::string& language, std::int64_t now);
Result<void> update_password_hash(db::Connection& c, std::int64_t id, const std::string& hash,
                                  std::int64_t now);

struct SessionRow {
    std::int64_t account_id{0};
    std::string csrf_token;
    std::int64_t created_at{0};
    std::int64_t last_seen_at{0};
    std::int64_t expires_at{0};
};
Result<void> insert_session(db::Connection& c, const std::string& token_hash,
                            std::int64_t account_id, const std::string& csrf, std::int64_t now,
                            std::int64_t expires_at, const std::string& ip,
                            const std::string& user_agent);
Result<std::optional<SessionRow>> find_session(db::Connection& c, const std::string& token_hash);
Result<void> touch_session(db::Connection& c, const std::string& token_hash, std::int64_t now);
Result<void> delete_session(db::Connection& c, const std::string& token_hash);
Result<std::int64_t> delete_account_sessions(db::Connection& c, std::int64_t account_id);
// Housekeeping: sessions idle since before `idle_before` or past their absolute end.
Result<std::int64_t> delete_expired_sessions(db::Connection& c, std::int64_t idle_before,
                                             std::int64_t now);

} // namespace teilhabe::portal::store
