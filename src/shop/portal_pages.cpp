// The shop in the citizen portal: offers with what the person can afford marked, redeeming
// after a confirmation, and "my vouchers", each with its QR code and a printable page. The
// person is always the one signed in (never taken from the address).

#include "ledger/ledger_store.h"
#include "security/crypto.h"
#include "shop/offer.h"
#include "shop/page_support.h"
#include "shop/pages.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"
#include "shop/voucher_store.h"
#include "web/qr_svg.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::shop::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

std::int64_t me(const RouteContext& ctx) { return ctx.who.citizen->citizen_id; }

Result<std::int64_t> points_of(db::Connection& c, std::int64_t citizen) {
    return ledger::balance(c, ledger::AccountRef::citizen(citizen));
}

json offer_view(const RouteContext& ctx, const Offer& o, std::int64_t balance,
                std::int64_t taken) {
    auto no = refusal(o, taken, ctx.app.clock.now_ms());
    bool affordable = balance >= o.price_points;
    json v{{"id", o.id},
           {"href", fmt::format("/portal/shop/{}", o.id)},
           {"title", o.title},
           {"description", o.description},
           {"price", o.price_points},
           {"partner", o.partner_id ? o.partner_name : tr(ctx, "shop.town")},
           {"affordable", affordable && !no},
           {"valid_until", opt(o.valid_until_ms ? web::display_time(ctx.locale, *o.valid_until_ms)
                                                : std::string())}};
    if (o.has_image)
        v["image"] = fmt::format("/portal/shop/{}/image", o.id);
    if (no)
        v["reason"] = tr(ctx, std::string("shop.refusal_") + to_string(*no));
    else if (!affordable)
        v["reason"] = tr(ctx, "shop.refusal_points");
    return v;
}

http::Response render_offer(RouteContext& ctx, int status, std::int64_t id,
                            const std::string& error) {
    auto data = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<json>> {
            auto o = TRY(store::find_offer(c, id));
            if (!o || !o->active)
                return std::optional<json>{};
            auto balance = TRY(points_of(c, me(ctx)));
            auto view = offer_view(ctx, *o, balance, TRY(store::taken(c, o->id, me(ctx))));
            return std::optional<json>{json{{"offer", view}, {"balance", balance}}};
        });
    if (!data)
        return failure(ctx, data.error(), "portal offer");
    if (!*data)
        return not_found(ctx);
    (**data)["nonce"] = security::random_token(16);
    if (!error.empty())
        (**data)["error"] = error;
    return web::page(ctx, status, "portal_shop_offer", **data, tr(ctx, "shop.portal_offer_title"));
}

std::string check_url(const RouteContext& ctx, const Voucher& v) {
    return fmt::format("{}/partner/vouchers?code={}", ctx.app.settings.base_url,
                       format_code(v.code));
}

json voucher_view(const RouteContext& ctx, const Voucher& v) {
    auto status = effective_status(v, ctx.app.clock.now_ms());
    return {{"id", v.id},
            {"href", fmt::format("/portal/vouchers/{}", v.id)},
            {"code", format_code(v.code)},
            {"offer", v.offer_title},
            {"partner", v.partner_id ? v.partner_name : tr(ctx, "shop.town")},
            {"status", tr(ctx, "shop.status_" + status)},
            {"usable", status == "issued"},
            {"expired", status == "expired"},
            {"issued", web::display_time(ctx.locale, v.issued_at_ms)},
            {"valid_until", opt(v.valid_until_ms ? web::display_time(ctx.locale, *v.valid_until_ms)
                                                 : std::string())}};
}

Result<std::optional<Voucher>> my_voucher(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return std::optional<Voucher>{};
    return ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<Voucher>> {
            auto v = TRY(store::find_voucher(c, *id));
            if (!v || v->citizen_id != me(ctx))
                return std::optional<Voucher>{};
            return v;
        });
}

http::Response show_voucher(RouteContext& ctx, bool print) {
    auto v = my_voucher(ctx);
    if (!v)
        return failure(ctx, v.error(), "portal voucher");
    if (!*v)
        return not_found(ctx);
    auto data = voucher_view(ctx, **v);
    data["qr"] = web::qr_svg(check_url(ctx, **v), tr(ctx, "shop.qr_label")).value_or("");
    if (ctx.req.query_param("done").value_or("") == "issued")
        data["notice"] = tr(ctx, "shop.issued_notice");
    data["town"] = ctx.app.settings.town_name;
    if (print)
        return web::bare_page(ctx, 200, "portal_voucher_print", data, tr(ctx, "shop.voucher_title"));
    return web::page(ctx, 200, "portal_voucher", data, tr(ctx, "shop.voucher_title"));
}

} // namespace

http::Response portal_shop(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto balance = TRY(points_of(c, me(ctx)));
        json items = json::array();
        for (const auto& o : TRY(store::list_offers(c, {.only_active = true, .limit = 200})))
            items.push_back(offer_view(ctx, o, balance, TRY(store::taken(c, o.id, me(ctx)))));
        return json{{"balance", balance}, {"offers", items}, {"has_offers", !items.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "portal shop");
    return web::page(ctx, 200, "portal_shop", *data, tr(ctx, "shop.portal_title"));
}

http::Response portal_offer(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return render_offer(ctx, 200, *id, "");
}

http::Response portal_redeem(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto form = http::parse_form(ctx.req.body);
    auto nonce = web::form_value(form, "nonce");
    if (nonce.empty() || nonce.size() > 100)
        return render_offer(ctx, 422, *id, tr(ctx, "shop.error_form"));
    // The form's nonce makes a double click (or a reload of the POST) one redemption.
    store::RedeemOffer r{.offer_id = *id,
                         .citizen_id = me(ctx),
                         .request_key = fmt::format("portal:{}", nonce),
                         .actor = ctx.who.actor()};
    auto v = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::redeem_offer(c, r, ctx.app.clock);
    });
    if (!v) {
        if (v.error().code == ErrorCode::FailedPrecondition)
            return render_offer(ctx, 422, *id, tr(ctx, "shop.redeem_refused"));
        return failure(ctx, v.error(), "portal redeem");
    }
    return http::Response::redirect(fmt::format("/portal/vouchers/{}?done=issued", v->id));
}

http::Response portal_vouchers(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        json items = json::array();
        for (const auto& v : TRY(store::vouchers_of(c, me(ctx))))
            items.push_back(voucher_view(ctx, v));
        return json{{"vouchers", items}, {"has_vouchers", !items.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "portal vouchers");
    return web::page(ctx, 200, "portal_vouchers", *data, tr(ctx, "shop.vouchers_title"));
}

http::Response portal_voucher(RouteContext& ctx) { return show_voucher(ctx, false); }
http::Response portal_voucher_print(RouteContext& ctx) { return show_voucher(ctx, true); }

} // namespace teilhabe::shop::pages
