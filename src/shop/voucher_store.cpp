#include "shop/voucher_store.h"

#include "activity/activity_store.h"
#include "db/rows.h"
#include "ledger/ledger_store.h"
#include "shop/offer.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"

#include <fmt/format.h>

namespace teilhabe::shop::store {

namespace {

constexpr const char* kColumns =
    "v.id, v.code, v.offer_id, o.title, o.partner_id, COALESCE(p.name, ''), v.citizen_id, "
    "v.price_points, v.status, v.transfer_id, v.issued_at, v.redeemed_at, v.cancelled_at, "
    "o.valid_until, v.request_key";
constexpr const char* kFrom =
    " FROM vouchers v JOIN offers o ON o.id = v.offer_id LEFT JOIN partners p ON p.id = "
    "o.partner_id";

Voucher voucher_of(const db::Row& r) {
    Voucher v;
    v.id = r.get_int(0);
    v.code = r.get_text(1);
    v.offer_id = r.get_int(2);
    v.offer_title = r.get_text(3);
    v.partner_id = r.get_opt_int(4);
    v.partner_name = r.get_text(5);
    v.citizen_id = r.get_opt_int(6);
    v.price_points = r.get_int(7);
    v.status = r.get_text(8);
    v.transfer_id = r.get_int(9);
    v.issued_at_ms = r.get_int(10);
    v.redeemed_at_ms = r.get_opt_int(11);
    v.cancelled_at_ms = r.get_opt_int(12);
    v.valid_until_ms = r.get_opt_int(13);
    return v;
}

Result<std::vector<Voucher>> select(db::Connection& c, const std::string& where,
                                    const db::Params& params) {
    return db::query_as(c, fmt::format("SELECT {}{} {}", kColumns, kFrom, where), params,
                        voucher_of);
}

Result<std::optional<Voucher>> select_one(db::Connection& c, const std::string& where,
                                          const db::Params& params) {
    return db::query_first_as(c, fmt::format("SELECT {}{} {}", kColumns, kFrom, where), params,
                              voucher_of);
}

Result<void> record(db::Connection& c, const Voucher& v, std::string type,
                    const std::string& actor, const Clock& clock) {
    activity::Activity a;
    a.type = std::move(type);
    a.citizen_id = v.citizen_id;
    a.actor = actor;
    a.object = fmt::format("voucher:{}", v.id);
    a.props = nlohmann::json{{"offer", v.offer_id}, {"points", v.price_points}}.dump();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

// The earlier answer to a repeated request, or AlreadyExists for another request.
Result<std::optional<Voucher>> replay(db::Connection& c, const RedeemOffer& r) {
    auto earlier = TRY(select_one(c, "WHERE v.request_key = ?", {r.request_key}));
    if (!earlier)
        return earlier;
    if (earlier->offer_id != r.offer_id || earlier->citizen_id != r.citizen_id)
        return fail(Error::exists("The Idempotency-Key was used for another request."));
    return earlier;
}

} // namespace

Result<std::int64_t> taken(db::Connection& c, std::int64_t offer_id, std::int64_t citizen_id) {
    auto row = TRY(c.query_one("SELECT COUNT(*) FROM vouchers WHERE offer_id = ? AND citizen_id "
                               "= ? AND status <> 'cancelled'",
                               {offer_id, citizen_id}));
    return row.get_int(0);
}

Result<Voucher> redeem_offer(db::Connection& c, const RedeemOffer& r, const Clock& clock) {
    if (r.request_key.empty())
        return fail(Error::invalid("An idempotency key is required.", "Idempotency-Key"));
    // Redemptions of one offer take turns on its row (PostgreSQL; SQLite has one writer), so
    // stock and per-person limit are read and changed without a race.
    auto offer = TRY(find_offer(c, r.offer_id, Lock::ForUpdate));
    if (!offer)
        return fail(Error::not_found(fmt::format("There is no offer {}.", r.offer_id)));
    if (auto earlier = TRY(replay(c, r)))
        return *earlier;
    auto person = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {r.citizen_id}));
    if (person.empty())
        return fail(Error::invalid("There is no such person.", "citizen_id"));
    auto now_ms = clock.now_ms();
    if (auto no = refusal(*offer, TRY(taken(c, offer->id, r.citizen_id)), now_ms))
        return fail(to_error(*no));
    if (offer->stock) {
        auto updated = TRY(c.query(
            "UPDATE offers SET stock = stock - 1 WHERE id = ? AND stock > 0", {offer->id}));
        if (updated.affected != 1)
            return fail(to_error(Refusal::SoldOut));
    }
    // The points go to the town, which issued them; partners are paid by the town outside the
    // points (docs/decisions.md).
    ledger::TransferRequest t{.idempotency_key = "shop.redeem:" + r.request_key,
                              .from = ledger::AccountRef::citizen(r.citizen_id),
                              .to = ledger::AccountRef::town(),
                              .amount = offer->price_points,
                              .kind = std::string(ledger::kind::redemption),
                              .reason = offer->title,
                              .object = fmt::format("offer:{}", offer->id),
                              .actor = r.actor};
    auto transfer = TRY(ledger::transfer(c, t, clock.now()));
    auto code = new_code();
    auto row = TRY(c.query_one(
        "INSERT INTO vouchers (code, offer_id, citizen_id, request_key, price_points, status, "
        "transfer_id, issued_at) VALUES (?, ?, ?, ?, ?, 'issued', ?, ?) RETURNING id",
        {code, offer->id, r.citizen_id, r.request_key, offer->price_points, transfer.id,
         now_ms}));
    auto v = TRY(find_voucher(c, row.get_int(0))).value();
    TRY(record(c, v, "voucher.issued", r.actor, clock));
    return v;
}

Result<Voucher> redeem_voucher(db::Connection& c, const std::string& code,
                               std::optional<std::int64_t> partner_id, const std::string& actor,
                               const Clock& clock) {
    auto v = TRY(find_voucher_by_code(c, code));
    if (!v)
        return fail(Error::not_found("There is no voucher with this code."));
    if (partner_id && v->partner_id != partner_id)
        return fail(Error::denied("This voucher is for another partner's offer."));
    auto now_ms = clock.now_ms();
    if (expired(*v, now_ms))
        return fail(Error{ErrorCode::Conflict,
                          fmt::format("The voucher expired at {}; it can no longer be redeemed.",
                                      iso_time(*v->valid_until_ms)),
                          kExpiredField});
    // The status changes only from issued: of concurrent calls exactly one finds it so (on
    // PostgreSQL the others wait for its row lock and then see 'redeemed').
    auto updated = TRY(c.query("UPDATE vouchers SET status = 'redeemed', redeemed_at = ?, "
                               "redeemed_by = ? WHERE id = ? AND status = 'issued'",
                               {now_ms, actor, v->id}));
    if (updated.affected != 1) {
        auto now = TRY(find_voucher(c, v->id)).value();
        return fail(Error::conflict(now.status == "cancelled"
                                        ? "The voucher was cancelled."
                                        : "The voucher was redeemed before."));
    }
    auto done = TRY(find_voucher(c, v->id)).value();
    TRY(record(c, done, "voucher.redeemed", actor, clock));
    return done;
}

Result<Voucher> cancel_voucher(db::Connection& c, std::int64_t voucher_id,
                               const std::string& actor, const Clock& clock) {
    auto v = TRY(find_voucher(c, voucher_id));
    if (!v)
        return fail(Error::not_found(fmt::format("There is no voucher {}.", voucher_id)));
    auto updated = TRY(c.query("UPDATE vouchers SET status = 'cancelled', cancelled_at = ?, "
                               "cancelled_by = ? WHERE id = ? AND status = 'issued'",
                               {clock.now_ms(), actor, voucher_id}));
    if (updated.affected != 1)
        return fail(Error::conflict(fmt::format("The voucher is {}, not issued.", v->status)));
    TRY(ledger::reverse(c, v->transfer_id, fmt::format("shop.cancel:{}", voucher_id),
                        "voucher cancelled", actor, clock.now()));
    TRY(c.query("UPDATE offers SET stock = stock + 1 WHERE id = ? AND stock IS NOT NULL",
                {v->offer_id}));
    auto done = TRY(find_voucher(c, voucher_id)).value();
    TRY(record(c, done, "voucher.cancelled", actor, clock));
    return done;
}

Result<std::optional<Voucher>> find_voucher_by_code(db::Connection& c, const std::string& code) {
    return select_one(c, "WHERE v.code = ?", {code});
}

Result<std::optional<Voucher>> find_voucher(db::Connection& c, std::int64_t id) {
    return select_one(c, "WHERE v.id = ?", {id});
}

Result<std::vector<Voucher>> vouchers_of(db::Connection& c, std::int64_t citizen_id) {
    return select(c, "WHERE v.citizen_id = ? ORDER BY v.id DESC", {citizen_id});
}

Result<std::vector<Voucher>> recent_vouchers(db::Connection& c, int limit) {
    return select(c, "ORDER BY v.id DESC LIMIT ?", {std::int64_t{limit}});
}

} // namespace teilhabe::shop::store
