#include "shop/routes.h"

#include "shop/api.h"
#include "shop/pages.h"

namespace teilhabe::shop {

using http::Method;
using staff::Permission;
using web::Surface;

// Who may do what in the shop, on one screen. Offers: ManageOffers (departments and the
// communications office). The partner's till: RedeemVouchers, limited by the handlers to the
// partner the account is bound to. Binding an account to a partner: ManageStaff. A citizen acts
// only on their own points and vouchers (Permission::Citizen).
std::vector<web::RouteDef> routes() {
    return {
        // API
        {Method::Get, "/api/v1/offers", Permission::ManageOffers, Surface::Api, api::list_offers},
        {Method::Post, "/api/v1/offers", Permission::ManageOffers, Surface::Api, api::create_offer},
        {Method::Get, "/api/v1/offers/{id}", Permission::ManageOffers, Surface::Api, api::get_offer},
        {Method::Patch, "/api/v1/offers/{id}", Permission::ManageOffers, Surface::Api, api::patch_offer},
        {Method::Delete, "/api/v1/offers/{id}", Permission::ManageOffers, Surface::Api, api::delete_offer},
        {Method::Post, "/api/v1/offers/{id}/redeem", Permission::ManageOffers, Surface::Api, api::redeem_offer},
        {Method::Get, "/api/v1/vouchers/{code}", Permission::RedeemVouchers, Surface::Api, api::get_voucher},
        {Method::Post, "/api/v1/vouchers/{code}/redeem", Permission::RedeemVouchers, Surface::Api, api::redeem_voucher},
        {Method::Post, "/api/v1/vouchers/{code}/cancel", Permission::ManageOffers, Surface::Api, api::cancel_voucher},
        {Method::Get, "/api/v1/partners", Permission::ManageOffers, Surface::Api, api::list_partners},
        {Method::Post, "/api/v1/partners", Permission::ManageOffers, Surface::Api, api::create_partner},
        {Method::Put, "/api/v1/partners/{id}/members", Permission::ManageStaff, Surface::Api, api::bind_member},
        // Admin pages
        {Method::Get, "/admin/offers", Permission::ManageOffers, Surface::Page, pages::offers},
        {Method::Get, "/admin/offers/new", Permission::ManageOffers, Surface::Page, pages::offer_new},
        {Method::Post, "/admin/offers/new", Permission::ManageOffers, Surface::Page, pages::offer_create},
        {Method::Get, "/admin/offers/partners", Permission::ManageOffers, Surface::Page, pages::partners},
        {Method::Post, "/admin/offers/partners", Permission::ManageOffers, Surface::Page, pages::partner_create},
        {Method::Post, "/admin/offers/partners/members", Permission::ManageStaff, Surface::Page, pages::member_bind},
        {Method::Post, "/admin/offers/vouchers/{id}/cancel", Permission::ManageOffers, Surface::Page, pages::voucher_cancel},
        {Method::Get, "/admin/offers/{id}", Permission::ManageOffers, Surface::Page, pages::offer_edit},
        {Method::Post, "/admin/offers/{id}", Permission::ManageOffers, Surface::Page, pages::offer_update},
        {Method::Get, "/admin/offers/{id}/image", Permission::ManageOffers, Surface::Page, pages::offer_image},
        // Partner screen
        {Method::Get, "/partner", Permission::RedeemVouchers, Surface::Page, pages::partner_home},
        {Method::Get, "/partner/vouchers", Permission::RedeemVouchers, Surface::Page, pages::partner_vouchers},
        {Method::Post, "/partner/vouchers/redeem", Permission::RedeemVouchers, Surface::Page, pages::partner_redeem},
        // Portal
        {Method::Get, "/portal/shop", Permission::Citizen, Surface::Page, pages::portal_shop},
        {Method::Get, "/portal/shop/{id}", Permission::Citizen, Surface::Page, pages::portal_offer},
        {Method::Post, "/portal/shop/{id}", Permission::Citizen, Surface::Page, pages::portal_redeem},
        {Method::Get, "/portal/shop/{id}/image", Permission::Citizen, Surface::Page, pages::offer_image},
        {Method::Get, "/portal/vouchers", Permission::Citizen, Surface::Page, pages::portal_vouchers},
        {Method::Get, "/portal/vouchers/{id}", Permission::Citizen, Surface::Page, pages::portal_voucher},
        {Method::Get, "/portal/vouchers/{id}/print", Permission::Citizen, Surface::Page, pages::portal_voucher_print},
    };
}

} // namespace teilhabe::shop
