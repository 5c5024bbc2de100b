#pragma once
// SQL of vouchers: redeeming an offer (stock, per-person limit, validity, the points through
// the ledger, the voucher and its activity in the caller's one transaction), redeeming a voucher
// at the partner exactly once, and cancelling one with a ledger reversal.

#include "base/clock.h"
#include "db/connection.h"
#include "shop/voucher.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::shop::store {

// The field of the Conflict that says "expired" (the API answers 410 for it).
inline constexpr const char* kExpiredField = "valid_until";

struct RedeemOffer {
    std::int64_t offer_id{0};
    std::int64_t citizen_id{0};
    // Scoped by the caller ("api:<key>", "portal:<nonce>"): the same key and request give the
    // same voucher again; the same key with another request is AlreadyExists.
    std::string request_key;
    std::string actor;
};
// NotFound: no such offer. InvalidArgument (field citizen_id): no such person.
// FailedPrecondition: not valid now, sold out, limit reached, not enough points.
Result<Voucher> redeem_offer(db::Connection& c, const RedeemOffer& r, const Clock& clock);

// At the partner's: NotFound for an unknown code, PermissionDenied when the voucher is for
// another partner's offer (`partner_id` is the caller's partner, none for town staff), Conflict
// when it was redeemed or cancelled before, Conflict with field kExpiredField ("valid_until")
// when it has expired (shop/voucher.h). Exactly one of any number of concurrent calls wins.
Result<Voucher> redeem_voucher(db::Connection& c, const std::string& code,
                               std::optional<std::int64_t> partner_id, const std::string& actor,
                               const Clock& clock);

// Staff cancel an issued voucher: the points go back by a ledger reversal, the stock by one.
// Conflict when it is not issued (any more).
Result<Voucher> cancel_voucher(db::Connection& c, std::int64_t voucher_id,
                               const std::string& actor, const Clock& clock);

Result<std::optional<Voucher>> find_voucher_by_code(db::Connection& c, const std::string& code);
Result<std::optional<Voucher>> find_voucher(db::Connection& c, std::int64_t id);
Result<std::vector<Voucher>> vouchers_of(db::Connection& c, std::int64_t citizen_id);
Result<std::vector<Voucher>> recent_vouchers(db::Connection& c, int limit);
// How many vouchers (not cancelled) the person holds of the offer.
Result<std::int64_t> taken(db::Connection& c, std::int64_t offer_id, std::int64_t citizen_id);

} // namespace teilhabe::shop::store
