#include "portal/token_store.h"

namespace teilhabe::portal::store {

namespace {

const char* purpose_name(Purpose p) {
    return p == Purpose::Email ? "email" : "reset";
}

} // namespace

Result<void> insert_registration(db::Connection& c, const std::string& token_hash,
                                 const std::string& email, const std::string& password_hash,
                                 const std::string& language, const std::string& ip,
                                 std::int64_t now, std::int64_t expires_at) {
    TRY(c.query("INSERT INTO portal_registrations (token_hash, email, password_hash, language, "
                "ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {token_hash, email, password_hash, language, ip, now, expires_at}));
    return {};
}

Result<std::optional<Registration>> find_registration(db::Connection& c,
                                                      const std::string& token_hash) {
    auto rows = TRY(c.query("SELECT id, email, password_hash, language, expires_at, used_at "
                            "FROM portal_registrations WHERE token_hash = ?",
                            {token_hash}));
    if (rows.empty())
        return std::optional<Registration>{};
    const auto& r = rows.first();
    return std::optional<Registration>(Registration{r.get_int(0), r.get_text(1), r.get_text(2),
                                                    r.get_text(3), r.get_int(4), r.get_opt_int(5)});
}

Result<bool> use_registration(db::Connection& c, std::int64_t id, std::int64_t now) {
    // The password's hash is not needed any more: it now lives in the account.
    auto n = TRY(c.execute("UPDATE portal_registrations SET used_at = ?, password_hash = '' "
                           "WHERE id = ? AND used_at IS NULL",
                           {now, id}));
    return n == 1;
}

Result<std::int64_t> delete_old_registrations(db::Connection& c, std::int64_t before) {
    return c.execute("DELETE FROM portal_registrations WHERE expires_at < ? OR used_at < ?",
                     {before, before});
}

Result<void> insert_account_token(db::Connection& c, const std::string& token_hash,
                                  std::int64_t account_id, Purpose purpose,
                                  const std::string& new_email, std::int64_t now,
                                  std::int64_t expires_at) {
    TRY(c.query("INSERT INTO portal_account_tokens (token_hash, account_id, purpose, new_email, "
                "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                {token_hash, account_id, purpose_name(purpose),
                 new_email.empty() ? db::Value(db::Null{}) : db::Value(new_email), now,
                 expires_at}));
    return {};
}

Result<std::optional<AccountToken>> find_account_token(db::Connection& c,
                                                       const std::string& token_hash) {
    auto rows = TRY(c.query("SELECT account_id, purpose, new_email, expires_at, used_at "
                            "FROM portal_account_tokens WHERE token_hash = ?",
                            {token_hash}));
    if (rows.empty())
        return std::optional<AccountToken>{};
    const auto& r = rows.first();
    return std::optional<AccountToken>(
        AccountToken{r.get_int(0), r.get_text(1) == "email" ? Purpose::Email : Purpose::Reset,
                     r.is_null(2) ? std::string() : r.get_text(2), r.get_int(3), r.get_opt_int(4)});
}

Result<bool> use_account_token(db::Connection& c, const std::string& token_hash, std::int64_t now) {
    auto n = TRY(c.execute("UPDATE portal_account_tokens SET used_at = ? WHERE token_hash = ? AND "
                           "used_at IS NULL",
                           {now, token_hash}));
    return n == 1;
}

Result<std::int64_t> delete_old_account_tokens(db::Connection& c, std::int64_t before) {
    return c.execute("DELETE FROM portal_account_tokens WHERE expires_at < ? OR used_at < ?",
                     {before, before});
}

Result<void> void_account_tokens(db::Connection& c, std::int64_t account_id, Purpose purpose,
                                 std::int64_t now) {
    TRY(c.query("UPDATE portal_account_tokens SET used_at = ? WHERE account_id = ? AND purpose = ? "
                "AND used_at IS NULL",
                {now, account_id, purpose_name(purpose)}));
    return {};
}

Result<void> update_account_email(db::Connection& c, std::int64_t account_id,
                                  const std::string& email, std::int64_t now) {
    TRY(c.query("UPDATE citizen_accounts SET email = ?, updated_at = ? WHERE id = ?",
                {email, now, account_id}));
    return {};
}

Result<std::int64_t> delete_other_sessions(db::Connection& c, std::int64_t account_id,
                                           const std::string& keep_token_hash) {
    return c.execute("DELETE FROM citizen_sessions WHERE account_id = ? AND token_hash <> ?",
                     {account_id, keep_token_hash});
}

Result<Totp> find_totp(db::Connection& c, std::int64_t account_id) {
    auto rows = TRY(c.query("SELECT totp_secret, totp_enabled_at, totp_last_step FROM "
                            "citizen_accounts WHERE id = ?",
                            {account_id}));
    Totp t;
    if (rows.empty())
        return t;
    const auto& r = rows.first();
    if (!r.is_null(0) && !r.is_null(1)) {
        t.secret = r.get_text(0);
        t.enabled_at = r.get_int(1);
    }
    t.last_step = r.get_opt_int(2);
    return t;
}

Result<void> enable_totp(db::Connection& c, std::int64_t account_id, const std::string& secret,
                         std::int64_t step, std::int64_t now) {
    TRY(c.query("UPDATE citizen_accounts SET totp_secret = ?, totp_enabled_at = ?, "
                "totp_last_step = ?, updated_at = ? WHERE id = ?",
                {secret, now, step, now, account_id}));
    return {};
}

Result<void> disable_totp(db::Connection& c, std::int64_t account_id, std::int64_t now) {
    TRY(c.query("UPDATE citizen_accounts SET totp_secret = NULL, totp_enabled_at = NULL, "
                "totp_last_step = NULL, updated_at = ? WHERE id = ?",
                {now, account_id}));
    TRY(c.query("DELETE FROM portal_recovery_codes WHERE account_id = ?", {account_id}));
    return {};
}

Result<bool> use_totp_step(db::Connection& c, std::int64_t account_id, std::int64_t step) {
    auto n = TRY(c.execute("UPDATE citizen_accounts SET totp_last_step = ? WHERE id = ? AND "
                           "(totp_last_step IS NULL OR totp_last_step < ?)",
                           {step, account_id, step}));
    return n == 1;
}

Result<void> replace_recovery_codes(db::Connection& c, std::int64_t account_id,
                                    const std::vector<std::string>& code_hashes, std::int64_t now) {
    TRY(c.query("DELETE FROM portal_recovery_codes WHERE account_id = ?", {account_id}));
    for (const auto& h : code_hashes)
        TRY(c.query("INSERT INTO portal_recovery_codes (account_id, code_hash, created_at) VALUES "
                    "(?, ?, ?)",
                    {account_id, h, now}));
    return {};
}

Result<bool> use_recovery_code(db::Connection& c, std::int64_t account_id,
                               const std::string& code_hash, std::int64_t now) {
    auto n = TRY(c.execute("UPDATE portal_recovery_codes SET used_at = ? WHERE account_id = ? AND "
                           "code_hash = ? AND used_at IS NULL",
                           {now, account_id, code_hash}));
    return n >= 1;
}

Result<std::int64_t> unused_recovery_codes(db::Connection& c, std::int64_t account_id) {
    auto row = TRY(c.query_one("SELECT COUNT(*) FROM portal_recovery_codes WHERE account_id = ? "
                               "AND used_at IS NULL",
                               {account_id}));
    return row.get_int(0);
}

} // namespace teilhabe::portal::store
