// Paying a Stadttaler balance back at the desk (wallet_store.h, PayOut).

#include "ledger/ledger_store.h"
#include "stadttaler/wallet_store.h"

#include <fmt/format.h>

namespace teilhabe::stadttaler::store {

namespace {

using ledger::AccountRef;
using ledger::Currency;

Result<PayOutDone> done_of(db::Connection& c, const ledger::Transfer& t) {
    PayOutDone d{.id = t.id,
                 .citizen_id = t.from.owner_id,
                 .amount_cents = t.amount,
                 .created_at_ms = to_unix_ms(t.created_at),
                 .created_by = t.actor};
    if (d.citizen_id != 0)
        d.balance_cents = TRY(balance(c, d.citizen_id));
    return d;
}

bool is_pay_out(const ledger::Transfer& t) {
    return t.kind == ledger::kind::payout && t.from.owner == AccountRef::Owner::Citizen &&
           t.from.currency == Currency::Stadttaler;
}

} // namespace

Result<PayOutDone> pay_out(db::Connection& c, const PayOut& p, const Clock& clock) {
    if (p.key.empty() || p.key.size() > 200)
        return fail(Error::invalid("An idempotency key (1-200 characters) is required.", "key"));
    if (p.amount_cents && *p.amount_cents <= 0)
        return fail(Error::invalid("The amount must be positive.", kPayOutAmountField));
    auto ledger_key = fmt::format("stadttaler.payout:{}", p.key);
    auto person = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {p.citizen_id}));
    if (person.empty())
        return fail(Error::invalid("There is no such person.", "citizen_id"));
    // The wallet row is the lock, as for top-ups and the erasure's check: a pay-out of "the
    // whole balance" reads the balance it moves, and an erasure waits for it.
    // The key is looked up under that lock, so a concurrent twin of "the whole balance" finds
    // the first one's transfer rather than an empty wallet.
    TRY(ensure_wallet(c, p.citizen_id, clock.now_ms()));
    if (auto earlier = TRY(ledger::find_by_key(c, ledger_key))) {
        if (!is_pay_out(*earlier) || earlier->from.owner_id != p.citizen_id ||
            (p.amount_cents && *p.amount_cents != earlier->amount))
            return fail(Error::exists("This pay-out was booked for another person or amount."));
        auto d = TRY(done_of(c, *earlier));
        d.replayed = true;
        return d;
    }
    auto held = TRY(balance(c, p.citizen_id));
    auto amount = p.amount_cents.value_or(held);
    if (held <= 0)
        return fail(Error{ErrorCode::FailedPrecondition, "The wallet holds nothing to pay out.",
                          kPayOutAmountField});
    if (amount > held)
        return fail(Error{ErrorCode::FailedPrecondition,
                          fmt::format("The wallet holds only {}.", format_cents(held)),
                          kPayOutAmountField});
    ledger::TransferRequest r{.idempotency_key = ledger_key,
                              .from = AccountRef::citizen(p.citizen_id, Currency::Stadttaler),
                              .to = AccountRef::town(Currency::Stadttaler),
                              .amount = amount,
                              .kind = std::string(ledger::kind::payout),
                              .reason = "Auszahlung Bürgerbüro",
                              .object = "stadttaler:desk",
                              .actor = p.actor};
    auto t = TRY(ledger::transfer(c, r, clock.now()));
    return PayOutDone{.id = t.id,
                      .citizen_id = p.citizen_id,
                      .amount_cents = amount,
                      .balance_cents = held - amount,
                      .created_at_ms = to_unix_ms(t.created_at),
                      .created_by = p.actor};
}

Result<std::optional<PayOutDone>> find_pay_out(db::Connection& c, std::int64_t id) {
    auto t = TRY(ledger::find_transfer(c, id));
    if (!t || !is_pay_out(*t))
        return std::optional<PayOutDone>{};
    return std::optional<PayOutDone>{TRY(done_of(c, *t))};
}

} // namespace teilhabe::stadttaler::store
