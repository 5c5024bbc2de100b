// The partner screen for vouchers (/partner/vouchers, RedeemVouchers), made for a phone at the
// till: type the code or scan the voucher's QR code (it holds this page's address with the
// code, so the phone's camera opens it), see what it is for and whether it is still valid,
// redeem it exactly once. Works without JavaScript.

#include "shop/api.h"
#include "shop/page_support.h"
#include "shop/pages.h"
#include "shop/voucher_code.h"
#include "shop/voucher_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::shop::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

json voucher_view(const RouteContext& ctx, const Voucher& v) {
    auto status = effective_status(v, ctx.app.clock.now_ms());
    return {{"code", format_code(v.code)},
            {"offer", v.offer_title},
            {"partner", v.partner_id ? v.partner_name : tr(ctx, "shop.town")},
            {"status", tr(ctx, "shop.status_" + status)},
            {"issued", web::display_time(ctx.locale, v.issued_at_ms)},
            {"valid_until", opt(v.valid_until_ms ? web::display_time(ctx.locale, *v.valid_until_ms)
                                                 : std::string())},
            {"redeemed_at", opt(v.redeemed_at_ms ? web::display_time(ctx.locale, *v.redeemed_at_ms)
                                                 : std::string())},
            {"valid", status == "issued"}};
}

http::Response render(RouteContext& ctx, int status, json data) {
    return web::page(ctx, status, "shop_partner_vouchers", std::move(data),
                     tr(ctx, "shop.partner_title"));
}

// A code that is not one (wrong length, a mistyped character) as the message beside the field.
http::Response bad_code(RouteContext& ctx, const std::string& typed) {
    return render(ctx, 422, {{"typed", typed}, {"error", tr(ctx, "shop.code_mistyped")}});
}

} // namespace

http::Response partner_home(RouteContext&) { return http::Response::redirect("/partner/vouchers"); }

http::Response partner_vouchers(RouteContext& ctx) {
    auto typed = ctx.req.query_param("code").value_or("");
    if (typed.empty())
        return render(ctx, 200, json::object());
    auto code = normalise_code(typed);
    if (!code)
        return bad_code(ctx, typed);
    auto v = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<Voucher>> {
            auto partner = TRY(api::acting_partner(c, ctx.who));
            auto found = TRY(store::find_voucher_by_code(c, *code));
            if (found && partner && found->partner_id != partner)
                return fail(Error::denied("another partner's voucher"));
            return found;
        });
    if (!v && v.error().code == ErrorCode::FailedPrecondition)
        return render(ctx, 422, {{"typed", typed}, {"error", tr(ctx, "shop.not_bound")}});
    if (!v && v.error().code == ErrorCode::PermissionDenied)
        return render(ctx, 403, {{"typed", typed}, {"error", tr(ctx, "shop.code_other_partner")}});
    if (!v)
        return failure(ctx, v.error(), "partner voucher");
    if (!*v)
        return render(ctx, 404, {{"typed", typed}, {"error", tr(ctx, "shop.code_unknown")}});
    json data{{"typed", format_code(*code)}, {"voucher", voucher_view(ctx, **v)}};
    if (expired(**v, ctx.app.clock.now_ms()))
        data["error"] = tr(ctx, "shop.code_expired");
    return render(ctx, 200, data);
}

http::Response partner_redeem(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto typed = web::form_value(form, "code");
    auto code = normalise_code(typed);
    if (!code)
        return bad_code(ctx, typed);
    auto v = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Voucher> {
        auto partner = TRY(api::acting_partner(c, ctx.who));
        return store::redeem_voucher(c, *code, partner, ctx.who.actor(), ctx.app.clock);
    });
    if (!v) {
        switch (v.error().code) {
        case ErrorCode::NotFound:
            return render(ctx, 404, {{"typed", typed}, {"error", tr(ctx, "shop.code_unknown")}});
        case ErrorCode::FailedPrecondition:
            return render(ctx, 422, {{"typed", typed}, {"error", tr(ctx, "shop.not_bound")}});
        case ErrorCode::PermissionDenied:
            return render(ctx, 403,
                          {{"typed", typed}, {"error", tr(ctx, "shop.code_other_partner")}});
        case ErrorCode::Conflict: {
            auto again = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
                return store::find_voucher_by_code(c, *code);
            });
            bool gone = v.error().field == store::kExpiredField;
            json data{{"typed", format_code(*code)},
                      {"error", tr(ctx, gone ? "shop.code_expired" : "shop.code_used")}};
            if (again && *again)
                data["voucher"] = voucher_view(ctx, **again);
            return render(ctx, gone ? 410 : 409, data);
        }
        default: return failure(ctx, v.error(), "partner redeem");
        }
    }
    return render(ctx, 200, {{"redeemed", true}, {"voucher", voucher_view(ctx, *v)}});
}

} // namespace teilhabe::shop::pages
