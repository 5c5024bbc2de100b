// Reading the ledger, expiry, the invariant check and erasure.

#include "db/dialect.h"
#include "ledger/ledger_sql.h"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

namespace teilhabe::ledger {

Result<std::vector<Entry>> entries(db::Connection& c, const AccountRef& a, int limit,
                                   std::int64_t before_transfer_id) {
    auto rows = TRY(c.query(
        "SELECT e.transfer_id, e.amount, t.kind, t.reason, t.object, t.actor, t.created_at, "
        "t.reverses, (SELECT r.id FROM ledger_transfers r WHERE r.reverses = t.id), ca.owner, "
        "ca.owner_id FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id "
        "JOIN ledger_transfers t ON t.id = e.transfer_id JOIN ledger_entries o ON o.transfer_id = "
        "e.transfer_id AND o.id <> e.id JOIN ledger_accounts ca ON ca.id = o.account_id WHERE "
        "a.owner = ? AND a.owner_id = ? AND a.currency = ? AND (? = 0 OR e.transfer_id < ?) "
        "ORDER BY e.transfer_id DESC LIMIT ?",
        {to_string(a.owner), a.owner_id, to_string(a.currency), before_transfer_id,
         before_transfer_id, static_cast<std::int64_t>(limit)}));
    std::vector<Entry> out;
    for (const auto& r : rows.rows) {
        sql::Account counter{0, r.get_text(9), r.get_int(10), a.currency};
        out.push_back({.transfer_id = r.get_int(0),
                       .account = a,
                       .counterparty = counter.ref(),
                       .amount = r.get_int(1),
                       .kind = r.get_text(2),
                       .reason = r.get_text(3),
                       .object = r.get_text(4),
                       .actor = r.get_text(5),
                       .created_at = from_unix_ms(r.get_int(6)),
                       .reverses = r.get_opt_int(7),
                       .reversed_by = r.get_opt_int(8)});
    }
    return out;
}

// Each due lot is a durable row: claimed here (SKIP LOCKED on PostgreSQL, so several instances
// share the work), its remainder moved back to the town as an `expiry` transfer whose key names
// the lot, so a repeat after a crash is harmless.
Result<int> expire_due(db::Connection& c, TimePoint now, int limit) {
    auto due = TRY(c.query(fmt::format("SELECT id, account_id, remaining FROM ledger_lots WHERE "
                                       "remaining > 0 AND expires_at IS NOT NULL AND expires_at <= ? "
                                       "ORDER BY expires_at, id LIMIT ?{}",
                                       db::dialect::skip_locked(c.backend())),
                           {to_unix_ms(now), static_cast<std::int64_t>(limit)}));
    int made = 0;
    for (const auto& lot : due.rows) {
        auto from = TRY(sql::account_by_id(c, lot.get_int(1)));
        auto town = TRY(sql::account(c, AccountRef::town(from.currency), now));
        TransferRequest r{fmt::format("expiry:lot:{}", lot.get_int(0)),
                          from.ref(),
                          town.ref(),
                          lot.get_int(2),
                          std::string(kind::expiry),
                          "Punkte verfallen",
                          fmt::format("lot:{}", lot.get_int(0)),
                          "system"};
        TRY(sql::record(c, r, from, town, now, {.prefer = {.lot_id = lot.get_int(0)}}));
        ++made;
    }
    return made;
}

Result<PendingExpiry> pending_expiry(db::Connection& c, std::int64_t citizen_id) {
    auto row = TRY(c.query_one(
        "SELECT COALESCE(SUM(l.remaining), 0), MIN(l.expires_at) FROM ledger_lots l JOIN "
        "ledger_accounts a ON a.id = l.account_id WHERE a.owner = 'citizen' AND a.owner_id = ? "
        "AND a.currency = 'points' AND l.remaining > 0 AND l.expires_at IS NOT NULL",
        {citizen_id}));
    PendingExpiry p{.amount = row.get_int(0)};
    if (auto at = row.get_opt_int(1))
        p.next_at = from_unix_ms(*at);
    return p;
}

namespace {

struct Invariant {
    const char* what;
    const char* sql; // returns the ids that break it
};

// Each query lists what breaks one invariant (at most 5 ids each).
constexpr Invariant kInvariants[] = {
    {"transfer without exactly one debit and one credit of its amount",
     "SELECT t.id FROM ledger_transfers t WHERE (SELECT COUNT(*) FROM ledger_entries e WHERE "
     "e.transfer_id = t.id) <> 2 OR NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transfer_id = "
     "t.id AND e.account_id = t.from_account AND e.amount = -t.amount) OR NOT EXISTS (SELECT 1 FROM "
     "ledger_entries e WHERE e.transfer_id = t.id AND e.account_id = t.to_account AND e.amount = "
     "t.amount) LIMIT 5"},
    {"transfer between two currencies",
     "SELECT t.id FROM ledger_transfers t JOIN ledger_accounts f ON f.id = t.from_account JOIN "
     "ledger_accounts o ON o.id = t.to_account WHERE f.currency <> o.currency LIMIT 5"},
    {"balance differs from the sum of the account's entries",
     "SELECT a.id FROM ledger_accounts a WHERE a.balance <> COALESCE((SELECT SUM(e.amount) FROM "
     "ledger_entries e WHERE e.account_id = a.id), 0) LIMIT 5"},
    {"citizen or partner balance below zero",
     "SELECT id FROM ledger_accounts WHERE owner <> 'town' AND balance < 0 LIMIT 5"},
    {"balances of a currency do not sum to zero",
     "SELECT MIN(id) FROM ledger_accounts GROUP BY currency HAVING SUM(balance) <> 0 LIMIT 5"},
    {"what remains of a person's points credits differs from their balance",
     "SELECT a.id FROM ledger_accounts a WHERE a.currency = 'points' AND a.owner IN ('citizen', "
     "'erased') AND a.balance <> COALESCE((SELECT SUM(l.remaining) FROM ledger_lots l WHERE "
     "l.account_id = a.id), 0) LIMIT 5"},
    {"reversal that does not mirror the transfer it reverses",
     "SELECT r.id FROM ledger_transfers r JOIN ledger_transfers t ON t.id = r.reverses WHERE "
     "r.from_account <> t.to_account OR r.to_account <> t.from_account OR r.amount <> t.amount "
     "LIMIT 5"},
};

} // namespace

Result<CheckReport> check(db::Connection& c) {
    CheckReport report;
    report.accounts = TRY(c.query_one("SELECT COUNT(*) FROM ledger_accounts")).get_int(0);
    report.transfers = TRY(c.query_one("SELECT COUNT(*) FROM ledger_transfers")).get_int(0);
    for (const auto& inv : kInvariants) {
        auto rows = TRY(c.query(inv.sql));
        for (const auto& r : rows.rows)
            report.problems.push_back(fmt::format("{} (id {})", inv.what, r.get_int(0)));
    }
    return report;
}

void check_or_abort(db::Connection& c) {
    auto report = check(c);
    if (!report) {
        std::fprintf(stderr, "LEDGER CHECK FAILED to run: %s\n", report.error().message.c_str());
        std::abort();
    }
    if (!report->ok()) {
        for (const auto& p : report->problems)
            std::fprintf(stderr, "LEDGER INVARIANT BROKEN: %s\n", p.c_str());
        std::abort();
    }
}

Result<void> anonymise_citizen(db::Connection& c, std::int64_t citizen_id, TimePoint now) {
    TRY(c.execute("UPDATE ledger_accounts SET owner = 'erased', owner_id = id, citizen_id = NULL, "
                  "updated_at = ? WHERE owner = 'citizen' AND owner_id = ?",
                  {to_unix_ms(now), citizen_id}));
    TRY(c.execute("UPDATE ledger_entries SET citizen_id = NULL WHERE citizen_id = ?", {citizen_id}));
    return {};
}

} // namespace teilhabe::ledger
