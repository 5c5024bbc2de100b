#include "stadttaler/wallet_store.h"

#include "db/dialect.h"
#include "ledger/ledger_store.h"
#include "shop/offer.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"

#include <fmt/format.h>

namespace teilhabe::stadttaler::store {

namespace {

using ledger::AccountRef;
using ledger::Currency;

constexpr const char* kRequestColumns =
    "r.id, r.partner_id, p.name, r.citizen_id, r.amount_cents, r.note, r.status, r.created_at, "
    "r.decided_at FROM stadttaler_payment_requests r JOIN partners p ON p.id = r.partner_id";

PaymentRequest request_of(const db::Row& r) {
    return {r.get_int(0), r.get_int(1), r.get_text(2),    r.get_int(3), r.get_int(4),
            r.get_text(5), r.get_text(6), r.get_int(7), r.get_opt_int(8)};
}

// The status people see: a pending request whose time is up is expired.
PaymentRequest at(PaymentRequest r, std::int64_t now_ms, std::int64_t ttl_ms) {
    r.expires_at_ms = r.created_at_ms + ttl_ms;
    if (r.status == "pending" && request_expired(r.created_at_ms, now_ms, ttl_ms))
        r.status = "expired";
    return r;
}

TopUpDone top_up_of(const db::Row& r) {
    return {.id = r.get_int(0),
            .citizen_id = r.get_int(1),
            .amount_cents = r.get_int(2),
            .balance_cents = 0,
            .created_at_ms = r.get_int(3),
            .created_by = r.get_text(4)};
}

std::string source_text(TopUp::Source s) { return s == TopUp::Source::Desk ? "desk" : "provider"; }

} // namespace

Result<Wallet> ensure_wallet(db::Connection& c, std::int64_t citizen_id, std::int64_t now_ms) {
    auto rows = TRY(c.query(fmt::format("SELECT code FROM stadttaler_wallets WHERE citizen_id = ?{}",
                                        db::dialect::for_update(c.backend())),
                            {citizen_id}));
    if (!rows.empty())
        return Wallet{citizen_id, rows.first().get_text(0)};
    auto person = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {citizen_id}));
    if (person.empty())
        return fail(Error::invalid("There is no such person.", "citizen_id"));
    auto code = shop::new_code();
    // Two first uses at once: the second insert finds the row and reads it.
    TRY(c.query("INSERT INTO stadttaler_wallets (citizen_id, code, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (citizen_id) DO NOTHING",
                {citizen_id, code, now_ms}));
    auto again = TRY(c.query_one("SELECT code FROM stadttaler_wallets WHERE citizen_id = ?",
                                 {citizen_id}));
    return Wallet{citizen_id, again.get_text(0)};
}

Result<std::optional<Wallet>> find_wallet_by_code(db::Connection& c, const std::string& code) {
    auto rows = TRY(c.query("SELECT citizen_id, code FROM stadttaler_wallets WHERE code = ?", {code}));
    if (rows.empty())
        return std::optional<Wallet>{};
    return std::optional<Wallet>{Wallet{rows.first().get_int(0), rows.first().get_text(1)}};
}

Result<std::int64_t> balance(db::Connection& c, std::int64_t citizen_id) {
    return ledger::balance(c, AccountRef::citizen(citizen_id, Currency::Stadttaler));
}

Result<std::optional<TopUpDone>> find_top_up(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query("SELECT id, citizen_id, amount_cents, created_at, created_by FROM "
                            "stadttaler_topups WHERE id = ?",
                            {id}));
    if (rows.empty())
        return std::optional<TopUpDone>{};
    auto t = top_up_of(rows.first());
    t.balance_cents = TRY(balance(c, t.citizen_id));
    return std::optional<TopUpDone>{t};
}

Result<TopUpDone> top_up(db::Connection& c, const TopUp& t, const Settings& settings,
                         const Clock& clock) {
    if (t.key.empty() || t.key.size() > 200)
        return fail(Error::invalid("An idempotency key (1-200 characters) is required.", "key"));
    if (t.amount_cents <= 0)
        return fail(Error::invalid("The amount must be positive.", "amount_cents"));
    auto ledger_key = fmt::format("stadttaler.topup:{}:{}", source_text(t.source), t.key);
    auto now_ms = clock.now_ms();
    // The wallet row is the lock: top-ups of one person take turns, so the limit holds.
    TRY(ensure_wallet(c, t.citizen_id, now_ms));
    if (auto earlier = TRY(ledger::find_by_key(c, ledger_key))) {
        auto row = TRY(c.query_one("SELECT id, citizen_id, amount_cents, created_at, created_by "
                                   "FROM stadttaler_topups WHERE transfer_id = ?",
                                   {earlier->id}));
        auto done = top_up_of(row);
        if (done.citizen_id != t.citizen_id || done.amount_cents != t.amount_cents)
            return fail(Error::exists("This payment was booked for another person or amount."));
        done.balance_cents = TRY(balance(c, t.citizen_id));
        done.replayed = true;
        return done;
    }
    auto before = TRY(balance(c, t.citizen_id));
    if (before + t.amount_cents > settings.max_balance_cents)
        return fail(Error::precondition(
            fmt::format("The wallet would hold more than its limit of {}.",
                        format_cents(settings.max_balance_cents))));
    ledger::TransferRequest r{.idempotency_key = ledger_key,
                              .from = AccountRef::town(Currency::Stadttaler),
                              .to = AccountRef::citizen(t.citizen_id, Currency::Stadttaler),
                              .amount = t.amount_cents,
                              .kind = std::string(ledger::kind::topup),
                              .reason = t.source == TopUp::Source::Desk ? "Einzahlung Bürgerbüro"
                                                                        : "Online-Einzahlung",
                              .object = fmt::format("stadttaler:{}", source_text(t.source)),
                              .actor = t.actor};
    auto transfer = TRY(ledger::transfer(c, r, clock.now()));
    std::optional<std::string> provider_id;
    if (t.source == TopUp::Source::Provider)
        provider_id = t.key;
    auto row = TRY(c.query_one(
        "INSERT INTO stadttaler_topups (citizen_id, amount_cents, source, provider_payment_id, "
        "transfer_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {t.citizen_id, t.amount_cents, source_text(t.source), db::opt(provider_id), transfer.id,
         t.actor, now_ms}));
    return TopUpDone{.id = row.get_int(0),
                     .citizen_id = t.citizen_id,
                     .amount_cents = t.amount_cents,
                     .balance_cents = before + t.amount_cents,
                     .created_at_ms = now_ms,
                     .created_by = t.actor};
}

Result<PaymentRequest> request_payment(db::Connection& c, std::int64_t partner_id,
                                       const std::string& wallet_code, std::int64_t amount_cents,
                                       const std::string& note, const std::string& actor,
                                       std::int64_t now_ms, std::int64_t ttl_ms) {
    if (amount_cents <= 0)
        return fail(Error::invalid("The amount must be positive.", "amount_cents"));
    if (note.size() > 200)
        return fail(Error::invalid("The note has at most 200 characters.", "note"));
    if (!TRY(shop::store::find_partner(c, partner_id)))
        return fail(Error::not_found("There is no such partner."));
    auto wallet = TRY(find_wallet_by_code(c, wallet_code));
    if (!wallet)
        return fail(Error::not_found("There is no wallet with this code."));
    auto row = TRY(c.query_one(
        "INSERT INTO stadttaler_payment_requests (partner_id, citizen_id, amount_cents, note, "
        "status, created_by, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
        {partner_id, wallet->citizen_id, amount_cents, note, actor, now_ms}));
    return TRY(find_request(c, row.get_int(0), now_ms, ttl_ms)).value();
}

Result<std::optional<PaymentRequest>> find_request(db::Connection& c, std::int64_t id,
                                                   std::int64_t now_ms, std::int64_t ttl_ms) {
    auto rows = TRY(c.query(fmt::format("SELECT {} WHERE r.id = ?", kRequestColumns), {id}));
    if (rows.empty())
        return std::optional<PaymentRequest>{};
    return std::optional<PaymentRequest>{at(request_of(rows.first()), now_ms, ttl_ms)};
}

Result<std::vector<PaymentRequest>> pending_for(db::Connection& c, std::int64_t citizen_id,
                                                std::int64_t now_ms, std::int64_t ttl_ms) {
    auto rows = TRY(c.query(fmt::format("SELECT {} WHERE r.citizen_id = ? AND r.status = "
                                        "'pending' AND r.created_at > ? ORDER BY r.id",
                                        kRequestColumns),
                            {citizen_id, now_ms - ttl_ms}));
    std::vector<PaymentRequest> out;
    for (const auto& r : rows.rows)
        out.push_back(at(request_of(r), now_ms, ttl_ms));
    return out;
}

namespace {

// Pending -> `status` for the person's own request; Conflict when decided before or expired.
// The time limit is part of the conditional change, so a request cannot be accepted after it.
Result<PaymentRequest> decide(db::Connection& c, std::int64_t request_id, std::int64_t citizen_id,
                              const char* status, std::int64_t now_ms, std::int64_t ttl_ms) {
    auto r = TRY(find_request(c, request_id, now_ms, ttl_ms));
    if (!r || r->citizen_id != citizen_id)
        return fail(Error::not_found("There is no such payment request."));
    auto updated = TRY(c.query("UPDATE stadttaler_payment_requests SET status = ?, decided_at = ? "
                               "WHERE id = ? AND citizen_id = ? AND status = 'pending' AND "
                               "created_at > ?",
                               {std::string(status), now_ms, request_id, citizen_id,
                                now_ms - ttl_ms}));
    if (updated.affected != 1) {
        if (r->status == "expired")
            return fail(Error{ErrorCode::Conflict,
                              fmt::format("The payment request expired at {}; the partner has "
                                          "to ask again.",
                                          shop::iso_time(r->expires_at_ms)),
                              kExpiredField});
        return fail(Error::conflict("The payment request was decided before."));
    }
    r->status = status;
    r->decided_at_ms = now_ms;
    return *r;
}

} // namespace

Result<PaymentRequest> accept_payment(db::Connection& c, std::int64_t request_id,
                                      std::int64_t citizen_id, const Clock& clock,
                                      std::int64_t ttl_ms) {
    auto r = TRY(decide(c, request_id, citizen_id, "accepted", clock.now_ms(), ttl_ms));
    // An overdraft fails here and the caller's transaction rolls back: the request stays pending.
    ledger::TransferRequest t{
        .idempotency_key = fmt::format("stadttaler.payment:{}", request_id),
        .from = AccountRef::citizen(citizen_id, Currency::Stadttaler),
        .to = AccountRef::partner(r.partner_id, Currency::Stadttaler),
        .amount = r.amount_cents,
        .kind = std::string(ledger::kind::payment),
        .reason = r.note.empty() ? r.partner_name : r.partner_name + ": " + r.note,
        .object = fmt::format("stadttaler_request:{}", request_id),
        .actor = fmt::format("citizen:{}", citizen_id)};
    auto transfer = TRY(ledger::transfer(c, t, clock.now()));
    TRY(c.query("UPDATE stadttaler_payment_requests SET transfer_id = ? WHERE id = ?",
                {transfer.id, request_id}));
    return r;
}

Result<PaymentRequest> decline_payment(db::Connection& c, std::int64_t request_id,
                                       std::int64_t citizen_id, std::int64_t now_ms,
                                       std::int64_t ttl_ms) {
    return decide(c, request_id, citizen_id, "declined", now_ms, ttl_ms);
}

Result<SettlementReport> settlement_report(db::Connection& c, std::int64_t partner_id,
                                           std::int64_t from_ms, std::int64_t to_ms) {
    if (to_ms <= from_ms)
        return fail(Error::invalid("The period must end after it begins.", "to"));
    auto partner = TRY(shop::store::find_partner(c, partner_id));
    if (!partner)
        return fail(Error::not_found("There is no such partner."));
    SettlementReport out{.partner_id = partner_id,
                         .partner_name = partner->name,
                         .from_ms = from_ms,
                         .to_ms = to_ms};
    auto rows = TRY(c.query(fmt::format("SELECT {} WHERE r.partner_id = ? AND r.status = "
                                        "'accepted' AND r.decided_at >= ? AND r.decided_at < ? "
                                        "ORDER BY r.decided_at, r.id",
                                        kRequestColumns),
                            {partner_id, from_ms, to_ms}));
    for (const auto& r : rows.rows) {
        out.payments.push_back(request_of(r));
        out.total_cents += out.payments.back().amount_cents;
    }
    auto settled = TRY(c.query("SELECT created_at FROM stadttaler_settlements WHERE partner_id = ? "
                               "AND period_from = ? AND period_to = ?",
                               {partner_id, from_ms, to_ms}));
    if (!settled.empty())
        out.settled_at_ms = settled.first().get_int(0);
    return out;
}

Result<SettlementReport> settle(db::Connection& c, std::int64_t partner_id, std::int64_t from_ms,
                                std::int64_t to_ms, const std::string& actor, const Clock& clock) {
    // Settlements of one partner take turns on the partner's row.
    TRY(c.query(fmt::format("SELECT id FROM partners WHERE id = ?{}",
                            db::dialect::for_update(c.backend())),
                {partner_id}));
    auto report = TRY(settlement_report(c, partner_id, from_ms, to_ms));
    auto overlap = TRY(c.query("SELECT 1 FROM stadttaler_settlements WHERE partner_id = ? AND "
                               "period_from < ? AND period_to > ?",
                               {partner_id, to_ms, from_ms}));
    if (!overlap.empty())
        return fail(Error::conflict("This period (or part of it) was settled before."));
    std::optional<std::int64_t> transfer_id;
    if (report.total_cents > 0) {
        ledger::TransferRequest t{
            .idempotency_key =
                fmt::format("stadttaler.settlement:{}:{}:{}", partner_id, from_ms, to_ms),
            .from = AccountRef::partner(partner_id, Currency::Stadttaler),
            .to = AccountRef::town(Currency::Stadttaler),
            .amount = report.total_cents,
            .kind = std::string(ledger::kind::settlement),
            .reason = fmt::format("Abrechnung {}", report.partner_name),
            .object = fmt::format("partner:{}", partner_id),
            .actor = actor};
        transfer_id = TRY(ledger::transfer(c, t, clock.now())).id;
    }
    auto now_ms = clock.now_ms();
    TRY(c.query("INSERT INTO stadttaler_settlements (partner_id, period_from, period_to, "
                "amount_cents, transfer_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {partner_id, from_ms, to_ms, report.total_cents, db::opt(transfer_id), actor,
                 now_ms}));
    report.settled_at_ms = now_ms;
    return report;
}

} // namespace teilhabe::stadttaler::store
