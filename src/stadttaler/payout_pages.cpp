// The desk's pay-out (Auszahlung): the town pays a person's Stadttaler back, the whole balance
// or a given amount, with a printable receipt to sign — needed before the person can be erased
// (gdpr::erase_person refuses while money is left). The form sits on the desk page; the link
// from the erasure's confirmation opens it for that person (?payout_for=<id>).

#include "security/crypto.h"
#include "shop/voucher_code.h"
#include "stadttaler/handlers.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::stadttaler::handlers {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {


Result<std::string> person_name(db::Connection& c, std::int64_t citizen_id) {
    auto name = TRY(c.query("SELECT first_name, last_name FROM citizens WHERE id = ?", {citizen_id}));
    if (name.empty())
        return std::string("–");
    return name.first().get_text(0) + " " + name.first().get_text(1);
}

} // namespace

namespace detail {

Result<void> payout_form_for(RouteContext& ctx, std::int64_t citizen_id, json& data) {
    auto shown = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto person = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {citizen_id}));
        if (person.empty())
            return fail(Error::not_found("no such person"));
        return json{{"citizen_id", citizen_id},
                    {"name", TRY(person_name(c, citizen_id))},
                    {"balance", money(ctx, TRY(store::balance(c, citizen_id)))}};
    });
    if (!shown)
        return fail(shown.error());
    data["payout_for"] = *shown;
    return {};
}

} // namespace detail

// POST /admin/stadttaler/payouts: wallet_code (or the hidden citizen_id of ?payout_for), amount
// (empty: the whole balance), the form's nonce (a second click books once).
http::Response desk_pay_out(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto typed_code = web::form_value(form, "wallet_code");
    auto typed_amount = web::form_value(form, "payout_amount");
    auto nonce = web::form_value(form, "nonce");
    auto given_citizen = parse_id(web::form_value(form, "citizen_id"));
    json data{{"payout_wallet_code", typed_code}, {"payout_amount", typed_amount}};
    auto again = [&](int status) {
        if (given_citizen)
            if (auto filled = payout_form_for(ctx, *given_citizen, data); !filled)
                return page_failure(ctx, filled.error(), "desk pay-out");
        return render_desk(ctx, status, data);
    };
    std::optional<std::string> code;
    if (!given_citizen) {
        auto normal = shop::normalise_code(typed_code);
        if (!normal) {
            data["error_payout_wallet_code"] = tr(ctx, "stadttaler.error_code");
            return again(422);
        }
        code = *normal;
    }
    std::optional<std::int64_t> amount;
    if (!typed_amount.empty()) {
        auto parsed = parse_amount(typed_amount);
        if (!parsed) {
            data["error_payout_amount"] = tr(ctx, "stadttaler.error_amount");
            return again(422);
        }
        amount = *parsed;
    }
    if (nonce.empty() || nonce.size() > 100)
        return again(422);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::PayOutDone> {
        auto citizen = given_citizen.value_or(0);
        if (code) {
            auto w = TRY(store::find_wallet_by_code(c, *code));
            if (!w)
                return fail(Error::invalid("unknown wallet", "wallet_code"));
            citizen = w->citizen_id;
        }
        return store::pay_out(c,
                              {.citizen_id = citizen,
                               .amount_cents = amount,
                               .key = fmt::format("desk:{}", nonce),
                               .actor = ctx.who.actor()},
                              ctx.app.clock);
    });
    if (!done) {
        const auto& e = done.error();
        if (e.code == ErrorCode::InvalidArgument && e.field == "wallet_code")
            data["error_payout_wallet_code"] = tr(ctx, "stadttaler.error_wallet_unknown");
        else if (e.code == ErrorCode::InvalidArgument && e.field == "citizen_id")
            return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
        else if (e.code == ErrorCode::FailedPrecondition)
            data["error_payout_amount"] =
                tr(ctx, amount ? "stadttaler.error_payout_more" : "stadttaler.error_payout_empty");
        else
            return page_failure(ctx, e, "desk pay-out");
        return again(422);
    }
    return http::Response::redirect(fmt::format("/admin/stadttaler/payouts/{}", done->id));
}

http::Response payout_receipt(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto t = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto found = TRY(store::find_pay_out(c, *id));
        if (!found)
            return fail(Error::not_found("no such pay-out"));
        return json{{"id", found->id},
                    {"person", TRY(person_name(c, found->citizen_id))},
                    {"amount", money(ctx, found->amount_cents)},
                    {"balance", money(ctx, found->balance_cents)},
                    {"when", web::display_time(ctx.locale, found->created_at_ms)},
                    {"by", found->created_by},
                    {"town", ctx.app.settings.town_name},
                    {"title", tr(ctx, "stadttaler.payout_receipt_title")},
                    {"signature", tr(ctx, "stadttaler.payout_signature")},
                    {"hint", tr(ctx, "stadttaler.payout_receipt_hint")}};
    });
    if (!t)
        return page_failure(ctx, t.error(), "pay-out receipt");
    return web::page(ctx, 200, "stadttaler_receipt", *t, tr(ctx, "stadttaler.payout_receipt_title"));
}

} // namespace teilhabe::stadttaler::handlers
