#include "ledger/ledger_store.h"

#include "activity/activity_store.h"
#include "db/dialect.h"
#include "ledger/ledger_sql.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace teilhabe::ledger {

namespace {

// activity::append takes a clock; the ledger is given the time of the transaction.
class FixedClock final : public Clock {
public:
    explicit FixedClock(TimePoint t) : m_t(t) {}
    TimePoint now() const override { return m_t; }

private:
    TimePoint m_t;
};

// What a citizen's timeline says about a transfer (contract of issue 7: points.earned,
// points.spent, points.expired, stadttaler.topped_up, stadttaler.paid ...).
std::string activity_type(Currency cur, std::string_view kind, bool credit) {
    std::string prefix = cur == Currency::Points ? "points." : "stadttaler.";
    if (kind == kind::reversal)
        return prefix + "reversed";
    if (kind == kind::merge) // the signed amount says which side
        return prefix + "merged";
    if (cur == Currency::Points) {
        if (kind == kind::expiry)
            return prefix + "expired";
        if (kind == kind::refund)
            return prefix + "refunded";
        return prefix + (credit ? "earned" : "spent");
    }
    if (kind == kind::topup)
        return prefix + "topped_up";
    if (kind == kind::payment)
        return prefix + "paid";
    if (kind == kind::payout)
        return prefix + "paid_out";
    if (kind == kind::refund)
        return prefix + "refunded";
    return prefix + (credit ? "credited" : "debited");
}

Result<void> record_activity(db::Connection& c, const sql::Account& a, const Transfer& t,
                             std::int64_t signed_amount, TimePoint now) {
    if (a.owner != "citizen")
        return {};
    auto bal = TRY(c.query_one("SELECT balance FROM ledger_accounts WHERE id = ?", {a.id}));
    activity::Activity act;
    act.type = activity_type(a.currency, t.kind, signed_amount > 0);
    act.citizen_id = a.owner_id;
    act.actor = t.actor;
    act.object = fmt::format("ledger_transfer:{}", t.id);
    act.props = nlohmann::json{{"transfer_id", t.id},
                               {"amount", signed_amount},
                               {"currency", to_string(a.currency)},
                               {"kind", t.kind},
                               {"reason", t.reason},
                               {"object", t.object},
                               {"balance", bal.get_int(0)}}
                    .dump();
    act.occurred_at = now;
    TRY(activity::append(c, std::move(act), FixedClock(now)));
    return {};
}

// Debits consume the oldest lots of a citizen's points first; a reversal first takes the lot
// of the credit it reverses, an expiry the lot that expires.
Result<void> consume_lots(db::Connection& c, std::int64_t account_id, std::int64_t amount,
                          const sql::Prefer& prefer) {
    while (amount > 0) {
        auto lots = TRY(c.query(fmt::format("SELECT id, remaining FROM ledger_lots WHERE account_id = ? "
                                            "AND remaining > 0 ORDER BY CASE WHEN {} = ? THEN 0 ELSE 1 "
                                            "END, id LIMIT 64{}",
                                            prefer.lot_id ? "id" : "transfer_id",
                                            db::dialect::for_update(c.backend())),
                                {account_id, prefer.lot_id ? *prefer.lot_id : prefer.transfer_id.value_or(0)}));
        if (lots.empty())
            return fail(Error::internal(fmt::format(
                "ledger: the lots of account {} hold less than its balance", account_id)));
        for (const auto& lot : lots.rows) {
            auto take = std::min(amount, lot.get_int(1));
            TRY(c.execute("UPDATE ledger_lots SET remaining = remaining - ? WHERE id = ?",
                          {take, lot.get_int(0)}));
            amount -= take;
            if (amount == 0)
                break;
        }
    }
    return {};
}

Result<void> move_balances(db::Connection& c, const sql::Account& from, const sql::Account& to,
                           std::int64_t amount, TimePoint now) {
    auto debit = [&]() -> Result<void> {
        // The balance check and the debit are one statement: on PostgreSQL a concurrent debit of
        // the same account waits for this row lock and then re-checks the condition.
        auto n = TRY(c.execute("UPDATE ledger_accounts SET balance = balance - ?, updated_at = ? "
                               "WHERE id = ? AND (owner = 'town' OR balance >= ?)",
                               {amount, to_unix_ms(now), from.id, amount}));
        if (n == 0)
            return fail(Error::precondition("insufficient balance"));
        return {};
    };
    auto credit = [&]() -> Result<void> {
        TRY(c.execute("UPDATE ledger_accounts SET balance = balance + ?, updated_at = ? WHERE id = ?",
                      {amount, to_unix_ms(now), to.id}));
        return {};
    };
    // Rows are locked in the order of their ids, so two opposite transfers cannot deadlock.
    if (from.id < to.id) {
        TRY(debit());
        TRY(credit());
    } else {
        TRY(credit());
        TRY(debit());
    }
    return {};
}

} // namespace

Result<Transfer> sql::record(db::Connection& c, const TransferRequest& r, const Account& from,
                             const Account& to, TimePoint now, const Options& o) {
    if (!o.key_looked_up)
        if (auto earlier = TRY(find_by_key(c, r.idempotency_key)))
            return sql::same_or_conflict(*earlier, r, o.reverses);
    auto ins = TRY(c.query("INSERT INTO ledger_transfers (idempotency_key, from_account, to_account, "
                           "amount, kind, reason, object, actor, created_at, reverses) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING "
                           "RETURNING id",
                           {r.idempotency_key, from.id, to.id, r.amount, r.kind, r.reason, r.object,
                            r.actor, to_unix_ms(now), db::opt(o.reverses)}));
    if (ins.empty()) {
        // Another transaction committed the same key after our first look.
        auto earlier = TRY(find_by_key(c, r.idempotency_key));
        if (!earlier)
            return fail(Error::unavailable("ledger: idempotency key taken concurrently; retry"));
        return sql::same_or_conflict(*earlier, r, o.reverses);
    }
    Transfer t{.id = ins.first().get_int(0),
               .idempotency_key = r.idempotency_key,
               .from = from.ref(),
               .to = to.ref(),
               .amount = r.amount,
               .kind = r.kind,
               .reason = r.reason,
               .object = r.object,
               .actor = r.actor,
               .created_at = from_unix_ms(to_unix_ms(now)),
               .reverses = o.reverses};
    TRY(move_balances(c, from, to, r.amount, now));
    TRY(c.execute("INSERT INTO ledger_entries (transfer_id, account_id, amount, citizen_id, created_at) "
                  "VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
                  {t.id, from.id, -r.amount, from.citizen_id(), to_unix_ms(now), t.id, to.id,
                   r.amount, to.citizen_id(), to_unix_ms(now)}));
    if (from.has_lots())
        TRY(consume_lots(c, from.id, r.amount, o.prefer));
    if (to.has_lots()) {
        db::Value expires = db::null();
        if (o.policy.enabled())
            expires = to_unix_ms(now + o.policy.after);
        TRY(c.execute("INSERT INTO ledger_lots (account_id, transfer_id, amount, remaining, "
                      "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                      {to.id, t.id, r.amount, r.amount, expires, to_unix_ms(now)}));
    }
    TRY(record_activity(c, from, t, -r.amount, now));
    TRY(record_activity(c, to, t, r.amount, now));
    return t;
}

Result<Transfer> transfer(db::Connection& c, const TransferRequest& r, TimePoint now,
                          ExpiryPolicy policy, TownAccounts* town) {
    TRY(validate(r));
    // A replay is answered before any account is touched (and created).
    if (auto earlier = TRY(find_by_key(c, r.idempotency_key)))
        return sql::same_or_conflict(*earlier, r, std::nullopt);
    auto account = [&](const AccountRef& ref) -> Result<sql::Account> {
        if (!town || ref.owner != AccountRef::Owner::Town)
            return sql::account(c, ref, now);
        auto& id = town->m_ids[static_cast<std::size_t>(ref.currency)];
        if (id)
            return sql::Account{*id, "town", 0, ref.currency};
        auto a = TRY(sql::account(c, ref, now));
        id = a.id;
        return a;
    };
    auto from = TRY(account(r.from));
    auto to = TRY(account(r.to));
    return sql::record(c, r, from, to, now, {.policy = policy, .key_looked_up = true});
}

Result<Transfer> reverse(db::Connection& c, std::int64_t transfer_id, std::string idempotency_key,
                         std::string reason, std::string actor, TimePoint now,
                         ExpiryPolicy policy) {
    auto original = TRY(find_transfer(c, transfer_id));
    if (!original)
        return fail(Error::not_found(fmt::format("There is no transfer {}.", transfer_id)));
    TransferRequest r{std::move(idempotency_key), original->to,   original->from,
                      original->amount,           std::string(kind::reversal), std::move(reason),
                      fmt::format("transfer:{}", transfer_id), std::move(actor)};
    if (auto earlier = TRY(find_by_key(c, r.idempotency_key)))
        return sql::same_or_conflict(*earlier, r, transfer_id);
    if (original->reverses)
        return fail(Error::precondition("a reversal cannot itself be reversed"));
    auto done = TRY(c.query("SELECT id FROM ledger_transfers WHERE reverses = ?", {transfer_id}));
    if (!done.empty())
        return fail(Error::conflict(fmt::format("transfer {} was already reversed by transfer {}",
                                                transfer_id, done.first().get_int(0))));
    if (r.idempotency_key.empty())
        return fail(Error::invalid("an idempotency key is required", "idempotency_key"));
    if (r.reason.size() > 500)
        return fail(Error::invalid("the reason is too long (at most 500 characters)", "reason"));
    if (r.actor.empty())
        return fail(Error::invalid("an actor is required", "actor"));
    auto accounts = TRY(sql::accounts_of(c, transfer_id));
    return sql::record(c, r, accounts.second, accounts.first, now,
                       {.policy = policy,
                        .reverses = transfer_id,
                        .prefer = {.transfer_id = transfer_id}});
}

Result<std::int64_t> balance(db::Connection& c, const AccountRef& a) {
    auto rows = TRY(c.query("SELECT balance FROM ledger_accounts WHERE owner = ? AND owner_id = ? "
                            "AND currency = ?",
                            {to_string(a.owner), a.owner_id, to_string(a.currency)}));
    return rows.empty() ? 0 : rows.first().get_int(0);
}

Result<std::optional<Transfer>> find_transfer(db::Connection& c, std::int64_t id) {
    return sql::load_transfer(c, "t.id = ?", id);
}

Result<std::optional<Transfer>> find_by_key(db::Connection& c, std::string_view key) {
    return sql::load_transfer(c, "t.idempotency_key = ?", std::string(key));
}

} // namespace teilhabe::ledger
