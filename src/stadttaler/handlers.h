#pragma once
// Handlers of the Stadttaler (internal to src/stadttaler; the table is in routes.cpp).

#include "stadttaler/money.h"
#include "stadttaler/wallet_store.h"
#include "web/route.h"

#include <nlohmann/json.hpp>

namespace teilhabe::stadttaler::handlers {

// API
http::Response api_top_up(web::RouteContext& ctx, const Settings& s);
http::Response provider_webhook(web::RouteContext& ctx, const Settings& s);
http::Response api_request_payment(web::RouteContext& ctx, const Settings& s);
http::Response api_get_request(web::RouteContext& ctx, const Settings& s);
http::Response api_settlement_report(web::RouteContext& ctx);
http::Response api_settle(web::RouteContext& ctx);
http::Response api_pay_out(web::RouteContext& ctx);

// Portal (Citizen)
http::Response wallet_page(web::RouteContext& ctx, const Settings& s);
http::Response accept(web::RouteContext& ctx, const Settings& s);
http::Response decline(web::RouteContext& ctx, const Settings& s);

// Desk and settlements (ManageStadttaler)
http::Response desk_page(web::RouteContext& ctx);
http::Response desk_top_up(web::RouteContext& ctx, const Settings& s);
http::Response receipt(web::RouteContext& ctx);
http::Response desk_pay_out(web::RouteContext& ctx);
http::Response payout_receipt(web::RouteContext& ctx);
http::Response settlement_page(web::RouteContext& ctx);
http::Response settlement_file(web::RouteContext& ctx);
http::Response settlement_paid(web::RouteContext& ctx);

// Partner's till (RedeemVouchers)
http::Response till_page(web::RouteContext& ctx);
http::Response till_request(web::RouteContext& ctx, const Settings& s);
http::Response till_status(web::RouteContext& ctx, const Settings& s);

// Shared by the handlers.
namespace detail {
std::optional<std::int64_t> parse_id(std::string_view text);
// The request's Idempotency-Key (1–200 characters), or none; then answer with
// missing_idempotency_key() (400 naming the header).
std::optional<std::string_view> idempotency_key(const web::RouteContext& ctx);
http::Response missing_idempotency_key();
// A label in the request's language, and an amount of cents as the request's language writes it.
std::string tr(const web::RouteContext& ctx, std::string_view key);
std::string money(const web::RouteContext& ctx, std::int64_t cents);
// A period of whole days: from the start of `from` to the end of `to` (YYYY-MM-DD, UTC).
Result<std::pair<std::int64_t, std::int64_t>> parse_period(std::string_view from,
                                                           std::string_view to);
nlohmann::json report_json(const store::SettlementReport& r);
// The desk page (top-up, pay-out, settlements) with `data` filled in so far.
http::Response render_desk(web::RouteContext& ctx, int status, nlohmann::json data);
http::Response page_failure(web::RouteContext& ctx, const Error& e, std::string_view what);
// The pay-out form prefilled for a person (name, balance, hidden citizen_id); NotFound for an
// unknown person.
Result<void> payout_form_for(web::RouteContext& ctx, std::int64_t citizen_id,
                             nlohmann::json& data);
} // namespace detail

} // namespace teilhabe::stadttaler::handlers
