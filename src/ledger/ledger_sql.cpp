#include "ledger/ledger_sql.h"

#include <fmt/format.h>

namespace teilhabe::ledger::sql {

AccountRef Account::ref() const {
    auto o = parse_owner(owner);
    // An erased owner is nobody: shown as a citizen account without id.
    if (!o)
        return {AccountRef::Owner::Citizen, 0, currency};
    return {*o, owner_id, currency};
}

db::Value Account::citizen_id() const {
    if (owner == "citizen")
        return owner_id;
    return db::null();
}

namespace {

constexpr const char* kAccountColumns = "id, owner, owner_id, currency";

Account read_account(const db::Row& r) {
    return {r.get_int(0), r.get_text(1), r.get_int(2),
            parse_currency(r.get_text(3)).value_or(Currency::Points)};
}

} // namespace

Result<Account> account(db::Connection& c, const AccountRef& ref, TimePoint now) {
    auto find = [&]() -> Result<db::Rows> {
        return c.query(fmt::format("SELECT {} FROM ledger_accounts WHERE owner = ? AND owner_id = ? "
                                   "AND currency = ?",
                                   kAccountColumns),
                       {to_string(ref.owner), ref.owner_id, to_string(ref.currency)});
    };
    auto rows = TRY(find());
    if (!rows.empty())
        return read_account(rows.first());
    db::Value citizen = db::null();
    if (ref.owner == AccountRef::Owner::Citizen) {
        auto exists = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {ref.owner_id}));
        if (exists.empty())
            return fail(Error::not_found(fmt::format("There is no citizen {}.", ref.owner_id)));
        citizen = ref.owner_id;
    }
    TRY(c.execute("INSERT INTO ledger_accounts (owner, owner_id, currency, balance, citizen_id, "
                  "created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?) ON CONFLICT (owner, "
                  "owner_id, currency) DO NOTHING",
                  {to_string(ref.owner), ref.owner_id, to_string(ref.currency), citizen,
                   to_unix_ms(now), to_unix_ms(now)}));
    rows = TRY(find());
    if (rows.empty())
        return fail(Error::internal("ledger: account vanished after creation"));
    return read_account(rows.first());
}

Result<Account> account_by_id(db::Connection& c, std::int64_t id) {
    auto row = TRY(c.query_one(
        fmt::format("SELECT {} FROM ledger_accounts WHERE id = ?", kAccountColumns), {id}));
    return read_account(row);
}

Result<std::pair<Account, Account>> accounts_of(db::Connection& c, std::int64_t transfer_id) {
    auto t = TRY(c.query_one("SELECT from_account, to_account FROM ledger_transfers WHERE id = ?",
                             {transfer_id}));
    auto from = TRY(account_by_id(c, t.get_int(0)));
    auto to = TRY(account_by_id(c, t.get_int(1)));
    return std::pair{from, to};
}

Result<std::optional<Transfer>> load_transfer(db::Connection& c, std::string_view where,
                                              db::Value v) {
    auto rows = TRY(c.query(
        fmt::format("SELECT t.id, t.idempotency_key, t.amount, t.kind, t.reason, t.object, t.actor, "
                    "t.created_at, t.reverses, f.owner, f.owner_id, f.currency, o.owner, "
                    "o.owner_id FROM ledger_transfers t JOIN ledger_accounts f ON f.id = "
                    "t.from_account JOIN ledger_accounts o ON o.id = t.to_account WHERE {}",
                    where),
        {std::move(v)}));
    if (rows.empty())
        return std::optional<Transfer>{};
    const auto& r = rows.first();
    auto cur = parse_currency(r.get_text(11)).value_or(Currency::Points);
    Account from{0, r.get_text(9), r.get_int(10), cur};
    Account to{0, r.get_text(12), r.get_int(13), cur};
    return std::optional<Transfer>{Transfer{.id = r.get_int(0),
                                            .idempotency_key = r.get_text(1),
                                            .from = from.ref(),
                                            .to = to.ref(),
                                            .amount = r.get_int(2),
                                            .kind = r.get_text(3),
                                            .reason = r.get_text(4),
                                            .object = r.get_text(5),
                                            .actor = r.get_text(6),
                                            .created_at = from_unix_ms(r.get_int(7)),
                                            .reverses = r.get_opt_int(8)}};
}

Result<Transfer> same_or_conflict(const Transfer& earlier, const TransferRequest& r,
                                  std::optional<std::int64_t> reverses) {
    bool same = earlier.request().same_as(r);
    if (reverses)
        same = same && earlier.reverses == reverses;
    if (!same)
        return fail(Error::exists(fmt::format(
            "the idempotency key '{}' was used for another request (transfer {})",
            r.idempotency_key, earlier.id)));
    return earlier;
}

} // namespace teilhabe::ledger::sql
