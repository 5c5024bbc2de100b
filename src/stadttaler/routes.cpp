#include "stadttaler/routes.h"

#include "stadttaler/handlers.h"

namespace teilhabe::stadttaler {

using http::Method;
using staff::Permission;
using web::Csrf;
using web::Surface;

// Who may do what with the Stadttaler, on one screen. Money in (desk top-ups) and out
// (settlements, pay-outs to a person at the desk): ManageStadttaler. The till: RedeemVouchers, for the partner the account is
// bound to. The person accepts or declines a payment in the portal (Citizen). The payment
// provider's webhook has no session: its HMAC signature over the body is the credential
// (checked by the handler), so it is Public and exempt from the CSRF token.
std::vector<web::RouteDef> routes(Settings settings) {
    using namespace handlers;
    auto s = std::make_shared<Settings>(std::move(settings));
    auto top_up = [s](web::RouteContext& ctx) { return api_top_up(ctx, *s); };
    auto webhook = [s](web::RouteContext& ctx) { return provider_webhook(ctx, *s); };
    auto wallet = [s](web::RouteContext& ctx) { return wallet_page(ctx, *s); };
    auto desk = [s](web::RouteContext& ctx) { return desk_top_up(ctx, *s); };
    // Payment requests expire after s->request_ttl_ms: every handler that reads them needs it.
    auto request = [s](web::RouteContext& ctx) { return api_request_payment(ctx, *s); };
    auto get_request = [s](web::RouteContext& ctx) { return api_get_request(ctx, *s); };
    auto accept_request = [s](web::RouteContext& ctx) { return accept(ctx, *s); };
    auto decline_request = [s](web::RouteContext& ctx) { return decline(ctx, *s); };
    auto till_ask = [s](web::RouteContext& ctx) { return till_request(ctx, *s); };
    auto till_show = [s](web::RouteContext& ctx) { return till_status(ctx, *s); };
    return {
        // API
        {Method::Post, "/api/v1/stadttaler/topups", Permission::ManageStadttaler, Surface::Api, top_up},
        {Method::Post, "/api/v1/stadttaler/payouts", Permission::ManageStadttaler, Surface::Api, api_pay_out},
        {Method::Post, "/api/v1/stadttaler/provider/payments", Permission::Public, Surface::Api, webhook, Csrf::Exempt},
        {Method::Post, "/api/v1/stadttaler/payment-requests", Permission::RedeemVouchers, Surface::Api, request},
        {Method::Get, "/api/v1/stadttaler/payment-requests/{id}", Permission::RedeemVouchers, Surface::Api, get_request},
        {Method::Get, "/api/v1/stadttaler/settlements", Permission::ManageStadttaler, Surface::Api, api_settlement_report},
        {Method::Post, "/api/v1/stadttaler/settlements", Permission::ManageStadttaler, Surface::Api, api_settle},
        // Portal
        {Method::Get, "/portal/wallet", Permission::Citizen, Surface::Page, wallet},
        {Method::Post, "/portal/wallet/requests/{id}/accept", Permission::Citizen, Surface::Page, accept_request},
        {Method::Post, "/portal/wallet/requests/{id}/decline", Permission::Citizen, Surface::Page, decline_request},
        // Town-hall desk and settlements
        {Method::Get, "/admin/stadttaler", Permission::ManageStadttaler, Surface::Page, desk_page},
        {Method::Post, "/admin/stadttaler/topups", Permission::ManageStadttaler, Surface::Page, desk},
        {Method::Get, "/admin/stadttaler/topups/{id}", Permission::ManageStadttaler, Surface::Page, receipt},
        {Method::Post, "/admin/stadttaler/payouts", Permission::ManageStadttaler, Surface::Page, desk_pay_out},
        {Method::Get, "/admin/stadttaler/payouts/{id}", Permission::ManageStadttaler, Surface::Page, payout_receipt},
        {Method::Get, "/admin/stadttaler/settlement", Permission::ManageStadttaler, Surface::Page, settlement_page},
        {Method::Get, "/admin/stadttaler/settlement.csv", Permission::ManageStadttaler, Surface::Page, settlement_file},
        {Method::Get, "/admin/stadttaler/settlement.xlsx", Permission::ManageStadttaler, Surface::Page, settlement_file},
        {Method::Post, "/admin/stadttaler/settlement", Permission::ManageStadttaler, Surface::Page, settlement_paid},
        // Partner's till
        {Method::Get, "/partner/payments", Permission::RedeemVouchers, Surface::Page, till_page},
        {Method::Post, "/partner/payments", Permission::RedeemVouchers, Surface::Page, till_ask},
        {Method::Get, "/partner/payments/{id}", Permission::RedeemVouchers, Surface::Page, till_show},
    };
}

} // namespace teilhabe::stadttaler
