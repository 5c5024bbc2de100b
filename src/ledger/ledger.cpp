#include "ledger/ledger.h"

#include <array>

namespace teilhabe::ledger {

const char* to_string(Currency c) { return c == Currency::Points ? "points" : "stadttaler"; }

Result<Currency> parse_currency(std::string_view text) {
    if (text == "points")
        return Currency::Points;
    if (text == "stadttaler")
        return Currency::Stadttaler;
    return fail(Error::invalid("unknown currency", "currency"));
}

const char* to_string(AccountRef::Owner o) {
    switch (o) {
    case AccountRef::Owner::Citizen: return "citizen";
    case AccountRef::Owner::Town: return "town";
    case AccountRef::Owner::Partner: return "partner";
    }
    return "citizen";
}

Result<AccountRef::Owner> parse_owner(std::string_view text) {
    if (text == "citizen")
        return AccountRef::Owner::Citizen;
    if (text == "town")
        return AccountRef::Owner::Town;
    if (text == "partner")
        return AccountRef::Owner::Partner;
    return fail(Error::invalid("unknown account owner", "owner"));
}

bool TransferRequest::same_as(const TransferRequest& o) const {
    return from == o.from && to == o.to && amount == o.amount && kind == o.kind &&
           reason == o.reason && object == o.object;
}

namespace {

bool known_kind(std::string_view k) {
    static constexpr std::array kinds{kind::award,   kind::expiry,  kind::redemption,
                                      kind::refund,  kind::reversal, kind::topup,
                                      kind::payment, kind::settlement, kind::erasure,
                                      kind::merge,   kind::payout};
    for (auto known : kinds)
        if (k == known)
            return true;
    return false;
}

} // namespace

Result<void> validate(const TransferRequest& r) {
    if (r.idempotency_key.empty())
        return fail(Error::invalid("an idempotency key is required", "idempotency_key"));
    if (r.idempotency_key.size() > 200)
        return fail(Error::invalid("the idempotency key is too long", "idempotency_key"));
    if (r.amount <= 0)
        return fail(Error::invalid("the amount must be positive", "amount"));
    if (r.amount > 1'000'000'000'000LL)
        return fail(Error::invalid("the amount is too large", "amount"));
    if (r.from.currency != r.to.currency)
        return fail(Error::invalid("both accounts must be in the same currency", "currency"));
    if (r.from == r.to)
        return fail(Error::invalid("a transfer needs two different accounts", "to"));
    if ((r.from.owner == AccountRef::Owner::Town && r.from.owner_id != 0) ||
        (r.to.owner == AccountRef::Owner::Town && r.to.owner_id != 0))
        return fail(Error::invalid("the town's account has owner id 0", "owner_id"));
    if ((r.from.owner != AccountRef::Owner::Town && r.from.owner_id <= 0) ||
        (r.to.owner != AccountRef::Owner::Town && r.to.owner_id <= 0))
        return fail(Error::invalid("an account needs its owner's id", "owner_id"));
    if (!known_kind(r.kind))
        return fail(Error::invalid("unknown transfer kind", "kind"));
    if (r.reason.size() > 500)
        return fail(Error::invalid("the reason is too long (at most 500 characters)", "reason"));
    if (r.object.size() > 200)
        return fail(Error::invalid("the object is too long", "object"));
    if (r.actor.empty() || r.actor.size() > 100)
        return fail(Error::invalid("an actor is required", "actor"));
    return {};
}

} // namespace teilhabe::ledger
