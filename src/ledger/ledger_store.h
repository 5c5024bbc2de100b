#pragma once
// SQL for the ledger. Every call runs INSIDE the caller's transaction (a db::Connection& on
// which begin(write) was called), so that e.g. a redemption = stock decrement + transfer +
// voucher commits as one. Tables: ledger_accounts (the balance column, kept equal to the sum of
// the account's entries), ledger_transfers (one row per transfer, unique idempotency key),
// ledger_entries (two rows per transfer: the debit and the credit), ledger_lots (what remains of
// each points credit, for expiry oldest first) and ledger_expiry_jobs (durable due rows).

#include "base/clock.h"
#include "db/connection.h"
#include "ledger/ledger.h"

#include <array>
#include <optional>
#include <vector>

namespace teilhabe::ledger {

// Records a transfer. Same key + same request -> the earlier Transfer (nothing written); same
// key + another request -> AlreadyExists. Overdraft of a Citizen/Partner account ->
// FailedPrecondition "insufficient balance" (checked by a conditional UPDATE in the same
// statement as the debit, so concurrent transfers on PostgreSQL cannot both pass). The Town
// account may go negative. A transfer touching a citizen appends an activity (points.earned,
// points.spent, points.expired, stadttaler.topped_up, stadttaler.paid, ...) in the same
// transaction. `policy` decides when credited points expire (none by default).
class TownAccounts;
Result<Transfer> transfer(db::Connection& c, const TransferRequest& r, TimePoint now,
                          ExpiryPolicy policy = {}, TownAccounts* town = nullptr);

// The ids of the town's issuing accounts (one per currency), looked up once instead of once per
// transfer: a caller making many transfers in ONE transaction (the points consumer's batch)
// keeps one and passes it to transfer(). Clear it (or make a new one) for every transaction:
// the account may have been created by a transaction that then rolled back.
class TownAccounts {
public:
    void clear() { m_ids = {}; }

private:
    friend Result<Transfer> transfer(db::Connection&, const TransferRequest&, TimePoint,
                                     ExpiryPolicy, TownAccounts*);
    std::array<std::optional<std::int64_t>, 2> m_ids{}; // by Currency
};

// Moves the amount of `transfer_id` back (to -> from) as a `reversal` transfer that names the
// transfer it reverses. A transfer is reversed at most once; a reversal is never reversed.
// Replays with the same key return the earlier reversal. Points that come back to a citizen
// (the reversal of a spending) expire by `policy`.
Result<Transfer> reverse(db::Connection& c, std::int64_t transfer_id, std::string idempotency_key,
                         std::string reason, std::string actor, TimePoint now,
                         ExpiryPolicy policy = {});

// The account's balance (0 for an account that has never moved).
Result<std::int64_t> balance(db::Connection& c, const AccountRef& a);

Result<std::optional<Transfer>> find_transfer(db::Connection& c, std::int64_t id);
Result<std::optional<Transfer>> find_by_key(db::Connection& c, std::string_view idempotency_key);

// An account's entries, newest first; `before_transfer_id` pages (0 = from the newest).
Result<std::vector<Entry>> entries(db::Connection& c, const AccountRef& a, int limit,
                                   std::int64_t before_transfer_id = 0);

// Expires what remains of points credits that are due at `now`, oldest first, as `expiry`
// transfers back to the town; at most `limit` due rows. Returns how many transfers it made.
Result<int> expire_due(db::Connection& c, TimePoint now, int limit = 200);
// Points of a citizen that will expire, and when the next of them does.
struct PendingExpiry {
    std::int64_t amount{0};
    std::optional<TimePoint> next_at;
};
Result<PendingExpiry> pending_expiry(db::Connection& c, std::int64_t citizen_id);

// The invariants, checked over the whole ledger: every transfer has exactly one debit and one
// credit of its amount in one currency; every balance equals the sum of its entries; the sum of
// the balances per currency is zero; no citizen/partner balance is below zero; what remains of
// the lots of an account never exceeds its balance. Returns the first broken one as a message.
struct CheckReport {
    std::int64_t accounts{0};
    std::int64_t transfers{0};
    std::vector<std::string> problems;
    bool ok() const { return problems.empty(); }
};
Result<CheckReport> check(db::Connection& c);
// The same, aborting the process loudly when an invariant is broken (DESIGN.md: "Broken
// invariants abort loudly"). Tests call it after every operation sequence.
void check_or_abort(db::Connection& c);

// GDPR erasure (Art. 17): the person's accounts are anonymised, not deleted — their entries
// stay, so that every balance still equals the sum of its entries and the town's account still
// balances. The account becomes owner 'erased' (owner_id = its own id, citizen_id NULL); its
// balance stays there, spendable by nobody (points still expire; a Stadttaler balance is money
// the town owes: gdpr::erase_person refuses while there is one, it is paid out first). gdpr/personal_data.cpp does the same on erasure; this
// function is the ledger's own statement of it.
Result<void> anonymise_citizen(db::Connection& c, std::int64_t citizen_id, TimePoint now);

// Two profiles of one person merged (gdpr/person_merge.h): everything on the duplicate's
// accounts (points and Stadttaler) moves to the survivor's by `merge` transfers, so both sides
// keep balance = sum of entries and the town's account is untouched. Points go lot by lot, each
// keeping its expiry time (a lot that is already due expires at once on the survivor's
// account). Idempotent: the keys are "merge:<duplicate>:<survivor>:lot:<lot>" and
// "merge:<duplicate>:<survivor>:stadttaler", and a repeat finds nothing left to move. The
// survivor's wallet limit is not applied: it is the person's money already. Returns how many
// transfers it made. Call it before the duplicate's rows move (their entries name the
// duplicate as citizen and move with its other rows).
Result<int> move_citizen_balances(db::Connection& c, std::int64_t duplicate, std::int64_t survivor,
                                  const std::string& actor, TimePoint now);

} // namespace teilhabe::ledger
