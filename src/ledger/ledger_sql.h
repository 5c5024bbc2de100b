#pragma once
// Internal to the ledger store: accounts as rows and the shared steps of transfer, reversal and
// expiry. Not for other capabilities (they use ledger_store.h).

#include "ledger/ledger_store.h"

namespace teilhabe::ledger::sql {

struct Account {
    std::int64_t id{0};
    std::string owner; // citizen, town, partner, erased
    std::int64_t owner_id{0};
    Currency currency{Currency::Points};

    AccountRef ref() const;
    db::Value citizen_id() const;
    // Points credited to a citizen are tracked per credit (lot) for expiry.
    bool has_lots() const {
        return currency == Currency::Points && (owner == "citizen" || owner == "erased");
    }
};

struct Prefer {
    std::optional<std::int64_t> transfer_id; // the lot of this credit first (reversal)
    std::optional<std::int64_t> lot_id;      // this lot first (expiry)
};

struct Options {
    ExpiryPolicy policy{};
    std::optional<std::int64_t> reverses;
    Prefer prefer{};
    // The caller has just looked the key up and found nothing (transfer() does, before it
    // touches any account): record() then goes straight to its insert, whose ON CONFLICT still
    // catches a concurrent twin.
    bool key_looked_up{false};
};

// The account of `ref`, created on first use (a citizen's only when the citizen exists).
Result<Account> account(db::Connection& c, const AccountRef& ref, TimePoint now);
Result<Account> account_by_id(db::Connection& c, std::int64_t id);
// The (from, to) accounts of a transfer.
Result<std::pair<Account, Account>> accounts_of(db::Connection& c, std::int64_t transfer_id);

Result<std::optional<Transfer>> load_transfer(db::Connection& c, std::string_view where,
                                              db::Value v);
// Idempotency: the earlier transfer when it is the same request, else AlreadyExists.
Result<Transfer> same_or_conflict(const Transfer& earlier, const TransferRequest& r,
                                  std::optional<std::int64_t> reverses);

// Writes the transfer, its two entries, the balances, the lots and the citizen's activities.
Result<Transfer> record(db::Connection& c, const TransferRequest& r, const Account& from,
                        const Account& to, TimePoint now, const Options& o);

} // namespace teilhabe::ledger::sql
