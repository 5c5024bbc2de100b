// Merging two profiles of one person: the duplicate's balances move to the survivor by ledger
// transfers (ledger_store.h move_citizen_balances).

#include "ledger/ledger_sql.h"
#include "ledger/ledger_store.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::ledger {

namespace {

constexpr const char* kReason = "Zusammenführung zweier Profile";

Result<std::optional<sql::Account>> citizen_account(db::Connection& c, std::int64_t citizen,
                                                    Currency cur) {
    auto rows = TRY(c.query("SELECT id FROM ledger_accounts WHERE owner = 'citizen' AND owner_id "
                            "= ? AND currency = ?",
                            {citizen, to_string(cur)}));
    if (rows.empty())
        return std::optional<sql::Account>{};
    return std::optional<sql::Account>{TRY(sql::account_by_id(c, rows.first().get_int(0)))};
}

// One transfer duplicate -> survivor; a replay of the same key records nothing.
Result<bool> move(db::Connection& c, const TransferRequest& r, const sql::Account& from,
                  const sql::Account& to, TimePoint now, const sql::Options& o) {
    TRY(validate(r));
    if (auto earlier = TRY(find_by_key(c, r.idempotency_key))) {
        TRY(sql::same_or_conflict(*earlier, r, std::nullopt));
        return false;
    }
    TRY(sql::record(c, r, from, to, now, o));
    return true;
}

} // namespace

Result<int> move_citizen_balances(db::Connection& c, std::int64_t duplicate, std::int64_t survivor,
                                  const std::string& actor, TimePoint now) {
    if (duplicate == survivor)
        return fail(Error::invalid("a profile cannot be merged into itself", "duplicate_id"));
    int made = 0;
    for (auto cur : {Currency::Points, Currency::Stadttaler}) {
        auto from = TRY(citizen_account(c, duplicate, cur));
        if (!from || from->id == 0)
            continue;
        auto bal = TRY(balance(c, AccountRef::citizen(duplicate, cur)));
        if (bal <= 0)
            continue;
        auto to = TRY(sql::account(c, AccountRef::citizen(survivor, cur), now));
        TransferRequest r{.from = AccountRef::citizen(duplicate, cur),
                          .to = AccountRef::citizen(survivor, cur),
                          .kind = std::string(kind::merge),
                          .reason = kReason,
                          .object = fmt::format("citizen:{}", duplicate),
                          .actor = actor};
        if (!from->has_lots()) {
            r.idempotency_key = fmt::format("merge:{}:{}:{}", duplicate, survivor, to_string(cur));
            r.amount = bal;
            made += TRY(move(c, r, *from, to, now, {})) ? 1 : 0;
            continue;
        }
        // Points: each lot on its own, so that what expires later still expires then.
        auto lots = TRY(c.query("SELECT id, remaining, expires_at FROM ledger_lots WHERE "
                                "account_id = ? AND remaining > 0 ORDER BY id",
                                {from->id}));
        for (const auto& lot : lots.rows) {
            sql::Options o{.prefer = {.lot_id = lot.get_int(0)}};
            if (auto at = lot.get_opt_int(2))
                o.policy.after = std::chrono::milliseconds(std::max<std::int64_t>(
                    1, *at - to_unix_ms(now)));
            r.idempotency_key = fmt::format("merge:{}:{}:lot:{}", duplicate, survivor,
                                            lot.get_int(0));
            r.amount = lot.get_int(1);
            made += TRY(move(c, r, *from, to, now, o)) ? 1 : 0;
        }
    }
    return made;
}

} // namespace teilhabe::ledger
