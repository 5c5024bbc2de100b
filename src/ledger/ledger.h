#pragma once
// The ledger's domain (DESIGN.md "Ledger"): points and Stadttaler move between accounts only as
// double-entry transfers. A transfer debits one account and credits another by the same amount,
// so the sum over all accounts of one currency is always zero and every balance equals the sum
// of its entries. Corrections are reversing transfers, never edits. No SQL here.

#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::ledger {

enum class Currency { Points, Stadttaler }; // Stadttaler amounts are in cents

const char* to_string(Currency c); // "points", "stadttaler"
Result<Currency> parse_currency(std::string_view text);

struct AccountRef {
    enum class Owner { Citizen, Town, Partner };
    Owner owner{Owner::Citizen};
    std::int64_t owner_id{0}; // the Town's account has owner_id 0
    Currency currency{Currency::Points};

    static AccountRef citizen(std::int64_t id, Currency c = Currency::Points) {
        return {Owner::Citizen, id, c};
    }
    static AccountRef town(Currency c = Currency::Points) { return {Owner::Town, 0, c}; }
    static AccountRef partner(std::int64_t id, Currency c = Currency::Points) {
        return {Owner::Partner, id, c};
    }
    bool operator==(const AccountRef&) const = default;
};

const char* to_string(AccountRef::Owner o); // "citizen", "town", "partner"
Result<AccountRef::Owner> parse_owner(std::string_view text);

// Only the town's account issues (its balance is the negative of everything in circulation);
// citizens and partners never go below zero.
inline bool may_go_negative(const AccountRef& a) { return a.owner == AccountRef::Owner::Town; }

// Kinds of transfers (the contract between the ledger, points rules, shop and Stadttaler).
namespace kind {
inline constexpr std::string_view award = "award";
inline constexpr std::string_view expiry = "expiry";
inline constexpr std::string_view redemption = "redemption";
inline constexpr std::string_view refund = "refund";
inline constexpr std::string_view reversal = "reversal";
inline constexpr std::string_view topup = "topup";
inline constexpr std::string_view payment = "payment";
inline constexpr std::string_view settlement = "settlement";
inline constexpr std::string_view erasure = "erasure"; // a forfeited balance on GDPR erasure
inline constexpr std::string_view merge = "merge"; // a duplicate profile's balance to the survivor
// Stadttaler paid back in cash/bank at the town-hall desk (citizen -> town), e.g. before erasure
inline constexpr std::string_view payout = "payout";
} // namespace kind

struct TransferRequest {
    std::string idempotency_key;
    AccountRef from;
    AccountRef to;
    std::int64_t amount{0}; // > 0; Stadttaler in cents
    std::string kind;       // see namespace kind
    std::string reason;     // shown to the person and staff
    std::string object;     // what it concerns, e.g. "offer:3", "rule:2/activity:17"
    std::string actor;      // "staff:3", "system", "citizen:7", "apikey:2"

    // Same request: what the idempotency check compares (everything but the key).
    bool same_as(const TransferRequest& o) const;
};

struct Transfer {
    std::int64_t id{0};
    std::string idempotency_key;
    AccountRef from;
    AccountRef to;
    std::int64_t amount{0};
    std::string kind;
    std::string reason;
    std::string object;
    std::string actor;
    TimePoint created_at{};
    std::optional<std::int64_t> reverses; // the transfer this one reverses

    TransferRequest request() const {
        return {idempotency_key, from, to, amount, kind, reason, object, actor};
    }
};

// Checks a request before any database work: a key, a positive amount, one currency on both
// sides, two different accounts, a known kind, bounded texts.
Result<void> validate(const TransferRequest& r);

// One side of a transfer as seen from one account (for histories and exports).
struct Entry {
    std::int64_t transfer_id{0};
    AccountRef account;
    AccountRef counterparty;
    std::int64_t amount{0}; // signed: + credit, - debit
    std::string kind;
    std::string reason;
    std::string object;
    std::string actor;
    TimePoint created_at{};
    std::optional<std::int64_t> reverses;
    std::optional<std::int64_t> reversed_by;
};

// Expiry of points: a configured time after they were credited (0 = never).
struct ExpiryPolicy {
    std::chrono::milliseconds after{0};
    bool enabled() const { return after.count() > 0; }
};

} // namespace teilhabe::ledger
