// /admin/offers, the rest: cancelling a voucher (from the offer list's latest vouchers), and the
// partners with the accounts that act for them (binding needs ManageStaff).

#include "shop/api.h"
#include "shop/page_support.h"
#include "shop/pages.h"
#include "shop/shop_store.h"
#include "shop/voucher_store.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <map>

namespace teilhabe::shop::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

http::Response voucher_cancel(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Voucher> {
        auto v = TRY(store::find_voucher(c, *id));
        if (!v)
            return fail(Error::not_found("no such voucher"));
        TRY(api::visible_offer(c, TRY(api::offer_scope(c, ctx.who)), v->offer_id));
        return store::cancel_voucher(c, *id, ctx.who.actor(), ctx.app.clock);
    });
    if (!done) {
        if (done.error().code == ErrorCode::Conflict)
            return http::Response::redirect("/admin/offers?done=cancel-failed");
        return failure(ctx, done.error(), "voucher cancel");
    }
    return http::Response::redirect("/admin/offers?done=cancelled");
}

http::Response partners(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        json rows = json::array();
        auto all = TRY(store::list_partners(c));
        std::map<std::int64_t, std::string> names;
        for (const auto& p : all) {
            names[p.id] = p.name;
            rows.push_back({{"id", p.id}, {"name", p.name}, {"description", p.description}});
        }
        json members = json::array();
        for (const auto& [principal, partner] : TRY(store::list_members(c)))
            members.push_back({{"principal", principal}, {"partner", names[partner]}});
        return json{{"rows", rows},
                    {"has_rows", !rows.empty()},
                    {"members", members},
                    {"has_members", !members.empty()},
                    {"may_bind", staff::allows(ctx.who.role, staff::Permission::ManageStaff)}};
    });
    if (!data)
        return failure(ctx, data.error(), "partners page");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "created" || done == "bound")
        (*data)["notice"] = tr(ctx, "shop.partner_saved");
    if (auto e = ctx.req.query_param("error"))
        (*data)["warning"] = tr(ctx, "shop.partner_error");
    return web::page(ctx, 200, "shop_partners", *data, tr(ctx, "shop.partners_title"));
}

http::Response partner_create(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create_partner(c, web::form_value(form, "name"),
                                     web::form_value(form, "description"), ctx.app.clock.now_ms());
    });
    if (!done) {
        if (done.error().code == ErrorCode::InvalidArgument ||
            done.error().code == ErrorCode::AlreadyExists)
            return http::Response::redirect("/admin/offers/partners?error=name");
        return failure(ctx, done.error(), "partner create");
    }
    return http::Response::redirect("/admin/offers/partners?done=created");
}

http::Response member_bind(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto principal = web::form_value(form, "principal");
    auto partner = parse_id(web::form_value(form, "partner_id"));
    bool well_formed = (principal.starts_with("staff:") && parse_id(principal.substr(6))) ||
                       (principal.starts_with("apikey:") && parse_id(principal.substr(7)));
    if (!partner || !well_formed)
        return http::Response::redirect("/admin/offers/partners?error=member");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::bind_member(c, principal, *partner, ctx.app.clock.now_ms());
    });
    if (!done) {
        if (done.error().code == ErrorCode::InvalidArgument)
            return http::Response::redirect("/admin/offers/partners?error=member");
        return failure(ctx, done.error(), "partner member");
    }
    return http::Response::redirect("/admin/offers/partners?done=bound");
}

} // namespace teilhabe::shop::pages
