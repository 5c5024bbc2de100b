#pragma once
// Handlers of the shop's API (internal to src/shop; the table is in routes.cpp).

#include "shop/offer.h"
#include "web/route.h"

namespace teilhabe::shop::api {

http::Response list_offers(web::RouteContext& ctx);
http::Response create_offer(web::RouteContext& ctx);
http::Response get_offer(web::RouteContext& ctx);
http::Response patch_offer(web::RouteContext& ctx);
http::Response delete_offer(web::RouteContext& ctx);
http::Response redeem_offer(web::RouteContext& ctx);
http::Response get_voucher(web::RouteContext& ctx);
http::Response redeem_voucher(web::RouteContext& ctx);
http::Response cancel_voucher(web::RouteContext& ctx);
http::Response list_partners(web::RouteContext& ctx);
http::Response create_partner(web::RouteContext& ctx);
http::Response bind_member(web::RouteContext& ctx);

// The partner a principal acts for: none for staff of the town (Admin), PermissionDenied for a
// Partner-role principal that is bound to no partner.
Result<std::optional<std::int64_t>> acting_partner(db::Connection& c, const web::Principal& who);

// Which offers the principal sees and manages: department staff only their department's (as
// with topics, consent/route_support.cpp); API keys of that role have no department and see none.
Result<OfferScope> offer_scope(db::Connection& c, const web::Principal& who);
// The offer when the principal may see it; NotFound otherwise (another department's offer is
// not shown to exist).
Result<Offer> visible_offer(db::Connection& c, const OfferScope& scope, std::int64_t id,
                            bool lock = false);

} // namespace teilhabe::shop::api
