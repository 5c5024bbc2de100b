#pragma once
// Page handlers of the shop (internal to src/shop; the table is in routes.cpp).

#include "web/route.h"

namespace teilhabe::shop::pages {

// /admin/offers (ManageOffers)
http::Response offers(web::RouteContext& ctx);
http::Response offer_new(web::RouteContext& ctx);
http::Response offer_create(web::RouteContext& ctx);
http::Response offer_edit(web::RouteContext& ctx);
http::Response offer_update(web::RouteContext& ctx);
http::Response offer_image(web::RouteContext& ctx);
http::Response voucher_cancel(web::RouteContext& ctx);
http::Response partners(web::RouteContext& ctx);
http::Response partner_create(web::RouteContext& ctx);
http::Response member_bind(web::RouteContext& ctx); // ManageStaff

// /partner/vouchers (RedeemVouchers)
http::Response partner_home(web::RouteContext& ctx);
http::Response partner_vouchers(web::RouteContext& ctx);
http::Response partner_redeem(web::RouteContext& ctx);

// /portal/shop, /portal/vouchers (Citizen)
http::Response portal_shop(web::RouteContext& ctx);
http::Response portal_offer(web::RouteContext& ctx);
http::Response portal_redeem(web::RouteContext& ctx);
http::Response portal_vouchers(web::RouteContext& ctx);
http::Response portal_voucher(web::RouteContext& ctx);
http::Response portal_voucher_print(web::RouteContext& ctx);

} // namespace teilhabe::shop::pages
