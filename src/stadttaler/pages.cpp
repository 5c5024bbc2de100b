// The Stadttaler's pages: the person's wallet in the portal (balance, the code to show at the
// till, payment requests to accept or decline), the town-hall desk (top-up with a printable
// receipt) and the partner's till (amount and wallet code; the person confirms in the portal).
// Settlements are in settlement_pages.cpp, pay-outs in payout_pages.cpp.

#include "ledger/ledger_store.h"
#include "security/crypto.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"
#include "stadttaler/handlers.h"
#include "web/i18n.h"
#include "web/qr_svg.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::stadttaler::handlers {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace detail {

std::string tr(const RouteContext& ctx, std::string_view key) { return web::tr(ctx.locale, key); }
std::string money(const RouteContext& ctx, std::int64_t cents) {
    return format_cents(cents, ctx.locale == web::Locale::En);
}

} // namespace detail

namespace {

std::int64_t me(const RouteContext& ctx) { return ctx.who.citizen->citizen_id; }

json request_view(const RouteContext& ctx, const store::PaymentRequest& r) {
    return {{"id", r.id},
            {"partner", r.partner_name},
            {"amount", money(ctx, r.amount_cents)},
            {"note", r.note},
            {"has_note", !r.note.empty()},
            {"status", tr(ctx, "stadttaler.status_" + r.status)},
            {"pending", r.status == "pending"},
            {"created", web::display_time(ctx.locale, r.created_at_ms)},
            {"expires", web::display_time(ctx.locale, r.expires_at_ms)}};
}

Result<json> partner_options(db::Connection& c) {
    json out = json::array();
    for (const auto& p : TRY(shop::store::list_partners(c)))
        out.push_back({{"id", p.id}, {"name", p.name}});
    return out;
}

http::Response render_till(RouteContext& ctx, int status, json data) {
    return web::page(ctx, status, "stadttaler_till", data, tr(ctx, "stadttaler.till_title"));
}

} // namespace

namespace detail {

http::Response render_desk(RouteContext& ctx, int status, json data) {
    auto partners = ctx.app.db.transaction(db::TxMode::Read, partner_options);
    if (!partners)
        return page_failure(ctx, partners.error(), "desk page");
    data["partners"] = *partners;
    data["nonce"] = security::random_token(16);
    return web::page(ctx, status, "stadttaler_desk", data, tr(ctx, "stadttaler.desk_title"));
}

http::Response page_failure(RouteContext& ctx, const Error& e, std::string_view what) {
    if (e.code == ErrorCode::NotFound)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    if (e.code == ErrorCode::PermissionDenied)
        return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    if (e.code == ErrorCode::FailedPrecondition) // a partner account bound to no partner
        return web::error_page(ctx, 422, tr(ctx, "stadttaler.not_bound"));
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, e.code == ErrorCode::Unavailable ? 503 : 500,
                           tr(ctx, "error.internal"));
}

} // namespace detail

http::Response wallet_page(RouteContext& ctx, const Settings& s) {
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto wallet = TRY(store::ensure_wallet(c, me(ctx), ctx.app.clock.now_ms()));
        auto balance = TRY(store::balance(c, me(ctx)));
        json pending = json::array();
        for (const auto& r :
             TRY(store::pending_for(c, me(ctx), ctx.app.clock.now_ms(), s.request_ttl_ms)))
            pending.push_back(request_view(ctx, r));
        json history = json::array();
        auto account = ledger::AccountRef::citizen(me(ctx), ledger::Currency::Stadttaler);
        for (const auto& e : TRY(ledger::entries(c, account, 20)))
            history.push_back({{"when", web::display_time(ctx.locale, to_unix_ms(e.created_at))},
                               {"amount", money(ctx, e.amount)},
                               {"reason", e.reason}});
        auto code = shop::format_code(wallet.code);
        return json{{"balance", money(ctx, balance)},
                    {"limit", money(ctx, s.max_balance_cents)},
                    {"code", code},
                    {"qr", web::qr_svg(code, tr(ctx, "stadttaler.qr_label")).value_or("")},
                    {"pending", pending},
                    {"has_pending", !pending.empty()},
                    {"history", history},
                    {"has_history", !history.empty()}};
    });
    if (!data)
        return page_failure(ctx, data.error(), "wallet page");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "accepted")
        (*data)["notice"] = tr(ctx, "stadttaler.accepted");
    else if (done == "declined")
        (*data)["notice"] = tr(ctx, "stadttaler.declined");
    else if (done == "insufficient")
        (*data)["warning"] = tr(ctx, "stadttaler.insufficient");
    else if (done == "decided")
        (*data)["warning"] = tr(ctx, "stadttaler.decided_before");
    else if (done == "expired")
        (*data)["warning"] = tr(ctx, "stadttaler.request_expired");
    return web::page(ctx, 200, "portal_wallet", *data, tr(ctx, "stadttaler.wallet_title"));
}

namespace {

http::Response decide(RouteContext& ctx, bool accept, const Settings& s) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return accept ? store::accept_payment(c, *id, me(ctx), ctx.app.clock, s.request_ttl_ms)
                      : store::decline_payment(c, *id, me(ctx), ctx.app.clock.now_ms(),
                                               s.request_ttl_ms);
    });
    if (!r) {
        if (r.error().code == ErrorCode::FailedPrecondition)
            return http::Response::redirect("/portal/wallet?done=insufficient");
        if (r.error().code == ErrorCode::Conflict && r.error().field == store::kExpiredField)
            return http::Response::redirect("/portal/wallet?done=expired");
        if (r.error().code == ErrorCode::Conflict)
            return http::Response::redirect("/portal/wallet?done=decided");
        return page_failure(ctx, r.error(), "wallet decision");
    }
    return http::Response::redirect(accept ? "/portal/wallet?done=accepted"
                                           : "/portal/wallet?done=declined");
}

} // namespace

http::Response accept(RouteContext& ctx, const Settings& s) { return decide(ctx, true, s); }
http::Response decline(RouteContext& ctx, const Settings& s) { return decide(ctx, false, s); }

// ?payout_for=<citizen id> (the link on the erasure's confirmation): the pay-out form for that
// person, with name and balance.
http::Response desk_page(RouteContext& ctx) {
    json data = json::object();
    if (auto id = parse_id(ctx.req.query_param("payout_for").value_or("")); id) {
        auto filled = payout_form_for(ctx, *id, data);
        if (!filled)
            return page_failure(ctx, filled.error(), "desk page");
    }
    return render_desk(ctx, 200, data);
}

http::Response desk_top_up(RouteContext& ctx, const Settings& s) {
    auto form = http::parse_form(ctx.req.body);
    auto typed_code = web::form_value(form, "wallet_code");
    auto typed_amount = web::form_value(form, "amount");
    auto nonce = web::form_value(form, "nonce");
    json data{{"wallet_code", typed_code}, {"amount", typed_amount}};
    auto code = shop::normalise_code(typed_code);
    if (!code) {
        data["error_wallet_code"] = tr(ctx, "stadttaler.error_code");
        return render_desk(ctx, 422, data);
    }
    auto amount = parse_amount(typed_amount);
    if (!amount) {
        data["error_amount"] = tr(ctx, "stadttaler.error_amount");
        return render_desk(ctx, 422, data);
    }
    if (nonce.empty() || nonce.size() > 100)
        return render_desk(ctx, 422, data);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::TopUpDone> {
        auto w = TRY(store::find_wallet_by_code(c, *code));
        if (!w)
            return fail(Error::invalid("unknown wallet", "wallet_code"));
        // The form's nonce: a second click on the button books once.
        return store::top_up(c,
                             {.citizen_id = w->citizen_id,
                              .amount_cents = *amount,
                              .source = store::TopUp::Source::Desk,
                              .key = fmt::format("desk:{}", nonce),
                              .actor = ctx.who.actor()},
                             s, ctx.app.clock);
    });
    if (!done) {
        const auto& e = done.error();
        if (e.code == ErrorCode::InvalidArgument)
            data["error_wallet_code"] = tr(ctx, "stadttaler.error_wallet_unknown");
        else if (e.code == ErrorCode::FailedPrecondition)
            data["error_amount"] = tr(ctx, "stadttaler.error_limit");
        else
            return page_failure(ctx, e, "desk top-up");
        return render_desk(ctx, 422, data);
    }
    return http::Response::redirect(fmt::format("/admin/stadttaler/topups/{}", done->id));
}

http::Response receipt(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto t = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto found = TRY(store::find_top_up(c, *id));
        if (!found)
            return fail(Error::not_found("no such top-up"));
        auto name = TRY(c.query("SELECT first_name, last_name FROM citizens WHERE id = ?",
                                {found->citizen_id}));
        std::string person = name.empty() ? std::string("–")
                                          : name.first().get_text(0) + " " + name.first().get_text(1);
        return json{{"id", found->id},
                    {"person", person},
                    {"amount", money(ctx, found->amount_cents)},
                    {"balance", money(ctx, found->balance_cents)},
                    {"when", web::display_time(ctx.locale, found->created_at_ms)},
                    {"by", found->created_by},
                    {"town", ctx.app.settings.town_name},
                    {"title", tr(ctx, "stadttaler.receipt_title")},
                    {"hint", tr(ctx, "stadttaler.receipt_hint")}};
    });
    if (!t)
        return page_failure(ctx, t.error(), "receipt");
    return web::page(ctx, 200, "stadttaler_receipt", *t, tr(ctx, "stadttaler.receipt_title"));
}

http::Response till_page(RouteContext& ctx) { return render_till(ctx, 200, json::object()); }

http::Response till_request(RouteContext& ctx, const Settings& s) {
    auto form = http::parse_form(ctx.req.body);
    auto typed_code = web::form_value(form, "wallet_code");
    auto typed_amount = web::form_value(form, "amount");
    json data{{"wallet_code", typed_code}, {"amount", typed_amount}, {"note", web::form_value(form, "note")}};
    auto code = shop::normalise_code(typed_code);
    auto amount = parse_amount(typed_amount);
    if (!code)
        data["error_wallet_code"] = tr(ctx, "stadttaler.error_code");
    if (!amount)
        data["error_amount"] = tr(ctx, "stadttaler.error_amount");
    if (!code || !amount)
        return render_till(ctx, 422, data);
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::PaymentRequest> {
        auto partner = TRY(shop::store::acting_partner(c, ctx.who.actor(),
                                                       ctx.who.role == staff::Role::Partner));
        if (!partner)
            return fail(Error::precondition("only accounts bound to a partner take payments"));
        return store::request_payment(c, *partner, *code, *amount, web::form_value(form, "note"),
                                      ctx.who.actor(), ctx.app.clock.now_ms(), s.request_ttl_ms);
    });
    if (!r) {
        if (r.error().code == ErrorCode::NotFound) {
            data["error_wallet_code"] = tr(ctx, "stadttaler.error_wallet_unknown");
            return render_till(ctx, 422, data);
        }
        if (r.error().code == ErrorCode::FailedPrecondition) {
            data["warning"] = tr(ctx, "stadttaler.not_bound");
            return render_till(ctx, 422, data);
        }
        return page_failure(ctx, r.error(), "till request");
    }
    return http::Response::redirect(fmt::format("/partner/payments/{}", r->id));
}

http::Response till_status(RouteContext& ctx, const Settings& s) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto r = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<store::PaymentRequest> {
        auto partner = TRY(shop::store::acting_partner(c, ctx.who.actor(),
                                                       ctx.who.role == staff::Role::Partner));
        auto found = TRY(store::find_request(c, *id, ctx.app.clock.now_ms(), s.request_ttl_ms));
        if (!found || (partner && found->partner_id != *partner))
            return fail(Error::not_found("no such request"));
        return *found;
    });
    if (!r)
        return page_failure(ctx, r.error(), "till status");
    return render_till(ctx, 200, {{"request", request_view(ctx, *r)}});
}

} // namespace teilhabe::stadttaler::handlers
