#pragma once
// SQL of the Stadttaler: wallets and their codes, top-ups (desk and payment provider), payment
// requests of partners that the person accepts, and settlements per partner and period. The
// money moves only through the ledger (currency stadttaler, cents), in the caller's transaction.

#include "base/clock.h"
#include "db/connection.h"
#include "stadttaler/money.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::stadttaler::store {

struct Wallet {
    std::int64_t citizen_id{0};
    std::string code; // normalised (shop/voucher_code.h format)
};

// The person's wallet, made on first use.
Result<Wallet> ensure_wallet(db::Connection& c, std::int64_t citizen_id, std::int64_t now_ms);
Result<std::optional<Wallet>> find_wallet_by_code(db::Connection& c, const std::string& code);
Result<std::int64_t> balance(db::Connection& c, std::int64_t citizen_id);

struct TopUp {
    std::int64_t citizen_id{0};
    std::int64_t amount_cents{0};
    enum class Source { Desk, Provider } source{Source::Desk};
    // Desk: the form's or API call's idempotency key; Provider: the provider's payment id.
    std::string key;
    std::string actor;
};
struct TopUpDone {
    std::int64_t id{0};
    std::int64_t citizen_id{0};
    std::int64_t amount_cents{0};
    std::int64_t balance_cents{0};
    std::int64_t created_at_ms{0};
    std::string created_by;
    bool replayed{false};
};
// FailedPrecondition when the wallet would exceed settings.max_balance_cents; the same key
// again: the earlier top-up (replayed), or AlreadyExists when it was for another person or
// amount.
Result<TopUpDone> top_up(db::Connection& c, const TopUp& t, const Settings& settings,
                         const Clock& clock);
Result<std::optional<TopUpDone>> find_top_up(db::Connection& c, std::int64_t id);

// Paying a balance back at the town-hall desk (Auszahlung: cash or bank transfer outside the
// ledger), e.g. before the person's erasure (gdpr::erase_person refuses while a balance is
// left). A `payout` transfer citizen -> town; the ledger appends stadttaler.paid_out in the same
// transaction. The receipt number is the ledger transfer's id (no table of its own).
struct PayOut {
    std::int64_t citizen_id{0};
    std::optional<std::int64_t> amount_cents; // absent: the whole balance
    // The desk form's nonce or the API call's Idempotency-Key (scoped by the caller).
    std::string key;
    std::string actor;
};
struct PayOutDone {
    std::int64_t id{0}; // the ledger transfer
    std::int64_t citizen_id{0}; // 0 once the person was erased
    std::int64_t amount_cents{0};
    std::int64_t balance_cents{0}; // the wallet's balance now
    std::int64_t created_at_ms{0};
    std::string created_by;
    bool replayed{false};
};
// The field of errors about the amount of a pay-out.
inline constexpr const char* kPayOutAmountField = "amount_cents";
// InvalidArgument (field amount_cents) for an amount <= 0; FailedPrecondition (field
// amount_cents) when there is nothing to pay out or the amount exceeds the balance;
// InvalidArgument (field citizen_id) for an unknown person. The same key again: the earlier
// pay-out (replayed), or AlreadyExists when it was for another person or amount.
Result<PayOutDone> pay_out(db::Connection& c, const PayOut& p, const Clock& clock);
Result<std::optional<PayOutDone>> find_pay_out(db::Connection& c, std::int64_t id);

struct PaymentRequest {
    std::int64_t id{0};
    std::int64_t partner_id{0};
    std::string partner_name;
    std::int64_t citizen_id{0};
    std::int64_t amount_cents{0};
    std::string note;
    // pending, accepted, declined, or expired: a pending row whose time (`ttl_ms` of the
    // reading call, Settings::request_ttl_ms) is up. The row keeps 'pending'; nothing has to
    // run when the time is up, and no later call can accept it.
    std::string status;
    std::int64_t created_at_ms{0};
    std::optional<std::int64_t> decided_at_ms;
    std::int64_t expires_at_ms{0}; // created_at + ttl
};
// The field of the Conflict that says "expired".
inline constexpr const char* kExpiredField = "expires_at";

// The partner asks the holder of `wallet_code` for an amount. NotFound for an unknown code.
Result<PaymentRequest> request_payment(db::Connection& c, std::int64_t partner_id,
                                       const std::string& wallet_code, std::int64_t amount_cents,
                                       const std::string& note, const std::string& actor,
                                       std::int64_t now_ms,
                                       std::int64_t ttl_ms = kDefaultRequestTtlMs);
// The person accepts: the amount moves citizen -> partner. FailedPrecondition "insufficient
// balance" (nothing changes), Conflict when it was decided before, Conflict with field
// kExpiredField when its time is up, NotFound when it is not theirs.
Result<PaymentRequest> accept_payment(db::Connection& c, std::int64_t request_id,
                                      std::int64_t citizen_id, const Clock& clock,
                                      std::int64_t ttl_ms = kDefaultRequestTtlMs);
Result<PaymentRequest> decline_payment(db::Connection& c, std::int64_t request_id,
                                       std::int64_t citizen_id, std::int64_t now_ms,
                                       std::int64_t ttl_ms = kDefaultRequestTtlMs);
// With the status at `now_ms` (expired when its time is up).
Result<std::optional<PaymentRequest>> find_request(db::Connection& c, std::int64_t id,
                                                   std::int64_t now_ms,
                                                   std::int64_t ttl_ms = kDefaultRequestTtlMs);
// The requests the person may still accept or decline at `now_ms`.
Result<std::vector<PaymentRequest>> pending_for(db::Connection& c, std::int64_t citizen_id,
                                                std::int64_t now_ms,
                                                std::int64_t ttl_ms = kDefaultRequestTtlMs);

// What a partner took in a period [from, to): the accepted payments, their sum, and whether
// (and when) the period was settled.
struct SettlementReport {
    std::int64_t partner_id{0};
    std::string partner_name;
    std::int64_t from_ms{0}, to_ms{0};
    std::vector<PaymentRequest> payments;
    std::int64_t total_cents{0};
    std::optional<std::int64_t> settled_at_ms;
};
Result<SettlementReport> settlement_report(db::Connection& c, std::int64_t partner_id,
                                           std::int64_t from_ms, std::int64_t to_ms);
// Marks the period paid: a settlement transfer partner -> town of its total. Conflict when a
// settled period overlaps it.
Result<SettlementReport> settle(db::Connection& c, std::int64_t partner_id, std::int64_t from_ms,
                                std::int64_t to_ms, const std::string& actor, const Clock& clock);

} // namespace teilhabe::stadttaler::store
