#include "portal/account_store.h"

namespace teilhabe::portal::store {

namespace {

constexpr std::string_view kAccountColumns =
    "SELECT id, citizen_id, email, password_hash, language, verified_at, created_at, "
    "disabled_at FROM citizen_accounts ";

CitizenAccount account_from_row(const db::Row& r) {
    return {.id = r.get_int(0),
            .citizen_id = r.get_int(1),
            .email = r.get_text(2),
            .password_hash = r.get_text(3),
            .language = r.get_text(4),
            .verified_at = r.get_opt_int(5),
            .created_at = r.get_int(6),
            .disabled = !r.is_null(7)};
}

Result<std::optional<CitizenAccount>> one_account(db::Connection& c, std::string_view where,
                                                  db::Params params) {
    auto rows = TRY(c.query(std::string(kAccountColumns) + std::string(where), std::move(params)));
    if (rows.empty())
        return std::optional<CitizenAccount>{};
    return std::optional<CitizenAccount>(account_from_row(rows.first()));
}

} // namespace

Result<std::int64_t> insert_account(db::Connection& c, const NewAccount& a, std::int64_t now) {
    auto row = TRY(c.query_one(
        "INSERT INTO citizen_accounts (citizen_id, email, password_hash, language, verified_at, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {a.citizen_id, a.email, a.password_hash, a.language, db::opt(a.verified_at), now, now}));
    return row.get_int(0);
}

Result<std::optional<CitizenAccount>> find_account(db::Connection& c, std::int64_t id) {
    return one_account(c, "WHERE id = ?", {id});
}

Result<std::optional<CitizenAccount>> find_account_by_email(db::Connection& c,
                                                            const std::string& email) {
    return one_account(c, "WHERE email = ?", {email});
}

Result<std::optional<CitizenAccount>> find_account_by_citizen(db::Connection& c,
                                                              std::int64_t citizen_id) {
    return one_account(c, "WHERE citizen_id = ?", {citizen_id});
}

Result<void> set_account_language(db::Connection& c, std::int64_t citizen_id,
                                  const std::string& language, std::int64_t now) {
    TRY(c.query("UPDATE citizen_accounts SET language = ?, updated_at = ? WHERE citizen_id = ?",
                {language, now, citizen_id}));
    return {};
}

Result<void> update_password_hash(db::Connection& c, std::int64_t id, const std::string& hash,
                                  std::int64_t now) {
    TRY(c.query("UPDATE citizen_accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                {hash, now, id}));
    return {};
}

Result<void> insert_session(db::Connection& c, const std::string& token_hash,
                            std::int64_t account_id, const std::string& csrf, std::int64_t now,
                            std::int64_t expires_at, const std::string& ip,
                            const std::string& user_agent) {
    TRY(c.query("INSERT INTO citizen_sessions (token_hash, account_id, csrf_token, created_at, "
                "last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {token_hash, account_id, csrf, now, now, expires_at, ip,
                 user_agent.substr(0, 300)}));
    return {};
}

Result<std::optional<SessionRow>> find_session(db::Connection& c, const std::string& token_hash) {
    auto rows = TRY(c.query("SELECT account_id, csrf_token, created_at, last_seen_at, expires_at "
                            "FROM citizen_sessions WHERE token_hash = ?",
                            {token_hash}));
    if (rows.empty())
        return std::optional<SessionRow>{};
    const auto& r = rows.first();
    return std::optional<SessionRow>(
        SessionRow{r.get_int(0), r.get_text(1), r.get_int(2), r.get_int(3), r.get_int(4)});
}

Result<void> touch_session(db::Connection& c, const std::string& token_hash, std::int64_t now) {
    TRY(c.query("UPDATE citizen_sessions SET last_seen_at = ? WHERE token_hash = ?",
                {now, token_hash}));
    return {};
}

Result<void> delete_session(db::Connection& c, const std::string& token_hash) {
    TRY(c.query("DELETE FROM citizen_sessions WHERE token_hash = ?", {token_hash}));
    return {};
}

Result<std::int64_t> delete_account_sessions(db::Connection& c, std::int64_t account_id) {
    return c.execute("DELETE FROM citizen_sessions WHERE account_id = ?", {account_id});
}

Result<std::int64_t> delete_expired_sessions(db::Connection& c, std::int64_t idle_before,
                                             std::int64_t now) {
    return c.execute("DELETE FROM citizen_sessions WHERE last_seen_at < ? OR expires_at < ?",
                     {idle_before, now});
}

} // namespace teilhabe::portal::store
