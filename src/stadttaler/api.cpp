// The Stadttaler API: top-ups at the desk (ManageStadttaler), the payment provider's signed
// webhook (no session; the HMAC signature is the credential), partners' payment requests
// (RedeemVouchers) and settlements (ManageStadttaler).

#include "http/problem.h"
#include "shop/offer.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"
#include "stadttaler/handlers.h"
#include "stadttaler/settlement_export.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::stadttaler::handlers {

using nlohmann::json;
using web::RouteContext;

namespace detail {

std::optional<std::string_view> idempotency_key(const RouteContext& ctx) {
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty() || key->size() > 200)
        return std::nullopt;
    return key;
}

http::Response missing_idempotency_key() {
    return http::problem(400, "Bad Request", "Send an Idempotency-Key header.", "Idempotency-Key");
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

Result<std::pair<std::int64_t, std::int64_t>> parse_period(std::string_view from,
                                                           std::string_view to) {
    auto day_end = [](std::string_view text, const char* field) -> Result<std::int64_t> {
        auto t = parse_rfc3339(std::string(text) + "T00:00:00Z");
        if (text.size() != 10 || !t)
            return fail(Error::invalid(fmt::format("{} must be a date (YYYY-MM-DD)", field), field));
        return to_unix_ms(*t) + 86'400'000;
    };
    auto start = TRY(day_end(from, "from")) - 86'400'000;
    auto end = TRY(day_end(to, "to"));
    if (end <= start)
        return fail(Error::invalid("to must not be before from", "to"));
    return std::pair{start, end};
}

json report_json(const store::SettlementReport& r) {
    json payments = json::array();
    for (const auto& p : r.payments)
        payments.push_back({{"id", p.id},
                            {"amount_cents", p.amount_cents},
                            {"note", p.note},
                            {"accepted_at", shop::iso_time(p.decided_at_ms.value_or(0))}});
    return {{"partner", {{"id", r.partner_id}, {"name", r.partner_name}}},
            {"from", shop::iso_time(r.from_ms)},
            {"to", shop::iso_time(r.to_ms)},
            {"payments", payments},
            {"total_cents", r.total_cents},
            {"settled_at", r.settled_at_ms ? json(shop::iso_time(*r.settled_at_ms)) : json(nullptr)}};
}

} // namespace detail

using namespace detail;

namespace {

http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "stadttaler");
}

Result<std::int64_t> int_member(const json& body, const char* name) {
    if (!body.contains(name) || !body[name].is_number_integer())
        return fail(Error::invalid(fmt::format("{} must be a whole number", name), name));
    return body[name].get<std::int64_t>();
}

// A string member, "" when it is absent or not a string (never throws).
std::string str(const json& body, const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json top_up_json(const store::TopUpDone& t) {
    return {{"id", t.id},
            {"citizen_id", t.citizen_id},
            {"amount_cents", t.amount_cents},
            {"balance_cents", t.balance_cents},
            {"created_at", shop::iso_time(t.created_at_ms)}};
}

json request_json(const store::PaymentRequest& r) {
    return {{"id", r.id},
            {"partner_id", r.partner_id},
            {"amount_cents", r.amount_cents},
            {"note", r.note},
            {"status", r.status},
            {"created_at", shop::iso_time(r.created_at_ms)},
            {"expires_at", shop::iso_time(r.expires_at_ms)},
            {"decided_at", r.decided_at_ms ? json(shop::iso_time(*r.decided_at_ms)) : json(nullptr)}};
}

bool is_partner(const RouteContext& ctx) { return ctx.who.role == staff::Role::Partner; }

} // namespace

// POST /api/v1/stadttaler/topups {"citizen_id", "amount_cents"}, Idempotency-Key required.
http::Response api_top_up(RouteContext& ctx, const Settings& s) {
    auto key = idempotency_key(ctx);
    if (!key)
        return missing_idempotency_key();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto citizen = int_member(*body, "citizen_id");
    auto amount = int_member(*body, "amount_cents");
    if (!citizen)
        return problem(citizen.error());
    if (!amount)
        return problem(amount.error());
    store::TopUp t{.citizen_id = *citizen,
                   .amount_cents = *amount,
                   .source = store::TopUp::Source::Desk,
                   .key = fmt::format("api:{}:{}", ctx.who.actor(), *key),
                   .actor = ctx.who.actor()};
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::top_up(c, t, s, ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    return web::json(201, {{"topup", top_up_json(*done)}});
}

// POST /api/v1/stadttaler/payouts {"citizen_id"[, "amount_cents"]}, Idempotency-Key required:
// the town pays a balance back at the desk (without amount_cents: the whole balance), e.g.
// before the person's erasure. 201 with the pay-out; a repeat 200 with replayed: true.
http::Response api_pay_out(RouteContext& ctx) {
    auto key = idempotency_key(ctx);
    if (!key)
        return missing_idempotency_key();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto citizen = int_member(*body, "citizen_id");
    if (!citizen)
        return problem(citizen.error());
    std::optional<std::int64_t> amount;
    if (body->contains("amount_cents") && !(*body)["amount_cents"].is_null()) {
        auto given = int_member(*body, "amount_cents");
        if (!given)
            return problem(given.error());
        amount = *given;
    }
    store::PayOut p{.citizen_id = *citizen,
                    .amount_cents = amount,
                    .key = fmt::format("api:{}:{}", ctx.who.actor(), *key),
                    .actor = ctx.who.actor()};
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::pay_out(c, p, ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    json out{{"id", done->id},
             {"citizen_id", done->citizen_id},
             {"amount_cents", done->amount_cents},
             {"balance_cents", done->balance_cents},
             {"created_at", shop::iso_time(done->created_at_ms)},
             {"receipt", fmt::format("/admin/stadttaler/payouts/{}", done->id)}};
    return web::json(done->replayed ? 200 : 201, {{"payout", out}, {"replayed", done->replayed}});
}

// POST /api/v1/stadttaler/provider/payments: the payment provider confirms a payment. The body
// is signed (header X-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>);
// the provider's payment_id makes a repeated call book nothing twice.
http::Response provider_webhook(RouteContext& ctx, const Settings& s) {
    if (s.webhook_secret.empty())
        return http::problem(503, "Service Unavailable",
                             "The payment provider's webhook is not configured.");
    auto signature = ctx.req.header("x-signature").value_or("");
    if (!signature_ok(s.webhook_secret, ctx.req.body, signature))
        return http::problem(401, "Unauthorized", "The signature does not match the body.",
                             "X-Signature");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto payment = body->value("payment_id", json());
    auto wallet = body->value("wallet_code", json());
    auto amount = int_member(*body, "amount_cents");
    if (!payment.is_string() || payment.get<std::string>().empty() ||
        payment.get<std::string>().size() > 200)
        return problem(Error::invalid("payment_id must be a string", "payment_id"));
    if (!wallet.is_string())
        return problem(Error::invalid("wallet_code must be a string", "wallet_code"));
    if (!amount)
        return problem(amount.error());
    if (body->contains("status") && str(*body, "status") != "succeeded")
        return web::json(200, {{"ignored", true}});
    auto code = shop::normalise_code(wallet.get<std::string>());
    if (!code)
        return problem(Error::invalid("wallet_code is not a wallet code", "wallet_code"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::TopUpDone> {
        auto w = TRY(store::find_wallet_by_code(c, *code));
        if (!w)
            return fail(Error::invalid("There is no wallet with this code.", "wallet_code"));
        return store::top_up(c,
                             {.citizen_id = w->citizen_id,
                              .amount_cents = *amount,
                              .source = store::TopUp::Source::Provider,
                              .key = payment.get<std::string>(),
                              .actor = "system:payment-provider"},
                             s, ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    return web::json(done->replayed ? 200 : 201,
                     {{"topup", top_up_json(*done)}, {"replayed", done->replayed}});
}

// POST /api/v1/stadttaler/payment-requests {"wallet_code", "amount_cents", "note"}: a partner
// asks; the person accepts in the portal. An administrator names the partner ("partner_id").
http::Response api_request_payment(RouteContext& ctx, const Settings& s) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto amount = int_member(*body, "amount_cents");
    if (!amount)
        return problem(amount.error());
    auto wallet = body->value("wallet_code", json());
    if (!wallet.is_string())
        return problem(Error::invalid("wallet_code must be a string", "wallet_code"));
    auto code = shop::normalise_code(wallet.get<std::string>());
    if (!code)
        return problem(Error::invalid("wallet_code is not a wallet code", "wallet_code"));
    auto note = body->value("note", json(""));
    if (!note.is_string())
        return problem(Error::invalid("note must be a string", "note"));
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::PaymentRequest> {
        auto partner = TRY(shop::store::acting_partner(c, ctx.who.actor(), is_partner(ctx)));
        if (!partner) {
            if (!body->contains("partner_id") || !(*body)["partner_id"].is_number_integer())
                return fail(Error::invalid("partner_id is required for an account bound to no partner",
                                           "partner_id"));
            partner = (*body)["partner_id"].get<std::int64_t>();
        }
        auto out = store::request_payment(c, *partner, *code, *amount, note.get<std::string>(),
                                          ctx.who.actor(), ctx.app.clock.now_ms(),
                                          s.request_ttl_ms);
        if (!out && out.error().code == ErrorCode::NotFound)
            return fail(Error::invalid(out.error().message, "wallet_code"));
        return out;
    });
    if (!r)
        return problem(r.error());
    auto out = web::json(201, request_json(*r));
    out.set_header("Location", fmt::format("/api/v1/stadttaler/payment-requests/{}", r->id));
    return out;
}

http::Response api_get_request(RouteContext& ctx, const Settings& s) {
    auto id = parse_id(ctx.req.param("id"));
    auto none = http::problem(404, "Not Found", "There is no such payment request.");
    if (!id)
        return none;
    auto r = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<store::PaymentRequest>> {
        auto partner = TRY(shop::store::acting_partner(c, ctx.who.actor(), is_partner(ctx)));
        auto found = TRY(store::find_request(c, *id, ctx.app.clock.now_ms(), s.request_ttl_ms));
        if (found && partner && found->partner_id != *partner)
            return std::optional<store::PaymentRequest>{};
        return found;
    });
    if (!r)
        return problem(r.error());
    if (!*r)
        return none;
    return web::json(200, request_json(**r));
}

// GET /api/v1/stadttaler/settlements?partner_id=&from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv|xlsx
http::Response api_settlement_report(RouteContext& ctx) {
    auto partner = parse_id(ctx.req.query_param("partner_id").value_or(""));
    if (!partner)
        return problem(Error::invalid("partner_id is required", "partner_id"));
    auto period = parse_period(ctx.req.query_param("from").value_or(""),
                               ctx.req.query_param("to").value_or(""));
    if (!period)
        return problem(period.error());
    auto report = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::settlement_report(c, *partner, period->first, period->second);
    });
    if (!report)
        return problem(report.error());
    auto format = ctx.req.query_param("format").value_or("json");
    if (format == "csv")
        return http::Response::text(200, settlement_csv(*report), "text/csv; charset=utf-8");
    if (format == "xlsx") {
        auto bytes = settlement_xlsx(*report);
        if (!bytes)
            return problem(bytes.error());
        return http::Response::text(
            200, *bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
    if (format != "json")
        return problem(Error::invalid("format is json, csv or xlsx", "format"));
    return web::json(200, report_json(*report));
}

// POST /api/v1/stadttaler/settlements {"partner_id", "from", "to"}: marks the period paid.
http::Response api_settle(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto partner = int_member(*body, "partner_id");
    if (!partner)
        return problem(partner.error());
    auto period = parse_period(str(*body, "from"), str(*body, "to"));
    if (!period)
        return problem(period.error());
    auto report = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::settle(c, *partner, period->first, period->second, ctx.who.actor(),
                             ctx.app.clock);
    });
    if (!report)
        return problem(report.error());
    return web::json(201, report_json(*report));
}

} // namespace teilhabe::stadttaler::handlers
