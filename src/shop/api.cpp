// The shop's API: offers (ManageOffers), redeeming an offer for a person, and the partner's
// voucher redemption (RedeemVouchers), exactly once.

#include "shop/api.h"

#include "http/problem.h"
#include "shop/offer.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"
#include "shop/voucher_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::shop::api {

using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kDefaultPage = 50, kMaxPage = 200;

std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

// Understood but not acceptable: 422 naming the member; malformed stays 400.
http::Response problem(const Error& e) {
    // An expired voucher is gone for good (410), unlike one redeemed before (409).
    if (e.code == ErrorCode::Conflict && e.field == store::kExpiredField)
        return http::problem(410, "Gone", e.message, e.field);
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "shop");
}

http::Response no_such_offer() { return http::problem(404, "Not Found", "There is no such offer."); }
http::Response no_such_voucher() {
    return http::problem(404, "Not Found", "There is no voucher with this code.");
}

} // namespace

Result<std::optional<std::int64_t>> acting_partner(db::Connection& c, const web::Principal& who) {
    return store::acting_partner(c, who.actor(), who.role == staff::Role::Partner);
}

Result<OfferScope> offer_scope(db::Connection& c, const web::Principal& who) {
    if (who.role != staff::Role::Department)
        return OfferScope{};
    OfferScope scope{true, std::nullopt};
    if (who.kind == web::Principal::Kind::Staff && who.session)
        scope.department = who.session->user.department_id;
    else if (who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, who.id)))
            scope.department = user->department_id;
    return scope;
}

Result<Offer> visible_offer(db::Connection& c, const OfferScope& scope, std::int64_t id,
                            bool lock) {
    auto o = TRY(store::find_offer(c, id, lock ? store::Lock::ForUpdate : store::Lock::None));
    if (!o || !scope.may_see(*o))
        return fail(Error::not_found("There is no such offer."));
    return *o;
}

http::Response list_offers(RouteContext& ctx) {
    store::OfferFilter f;
    f.limit = kDefaultPage;
    if (auto l = ctx.req.query_param("limit")) {
        auto n = parse_number(*l);
        if (!n || *n > kMaxPage)
            return problem(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage)));
        f.limit = static_cast<int>(*n);
    }
    if (auto cur = ctx.req.query_param("cursor"); cur && !cur->empty()) {
        f.after_id = parse_number(*cur);
        if (!f.after_id)
            return problem(Error::invalid("cursor is not one this server handed out"));
    }
    f.only_active = ctx.req.query_param("active").value_or("") == "true";
    int want = f.limit;
    f.limit = want + 1;
    auto offers = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::vector<Offer>> {
        f.scope = TRY(offer_scope(c, ctx.who));
        return store::list_offers(c, f);
    });
    if (!offers)
        return problem(offers.error());
    json out{{"items", json::array()}, {"next_cursor", nullptr}};
    bool more = static_cast<int>(offers->size()) > want;
    if (more)
        offers->pop_back();
    for (const auto& o : *offers)
        out["items"].push_back(to_json(o));
    if (more && !offers->empty())
        out["next_cursor"] = std::to_string(offers->back().id);
    return web::json(200, out);
}

http::Response create_offer(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_offer_input(*body, InputMode::Create);
    if (!in)
        return problem(in.error());
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Offer> {
        auto scope = TRY(offer_scope(c, ctx.who));
        auto o = apply(Offer{}, *in);
        // Department staff create in their own department when they name none.
        if (scope.limited && !in->department_id)
            o.department_id = scope.department;
        if (!scope.may_assign(o.department_id))
            return fail(Error::denied("Department staff manage only their own department's offers."));
        return store::create_offer(c, o, ctx.who.actor(), ctx.app.clock.now_ms());
    });
    if (!created)
        return problem(created.error());
    auto r = web::json(201, to_json(*created));
    r.set_header("Location", fmt::format("/api/v1/offers/{}", created->id));
    return r;
}

http::Response get_offer(RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_offer();
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Offer> {
        return visible_offer(c, TRY(offer_scope(c, ctx.who)), *id);
    });
    if (!found)
        return found.error().code == ErrorCode::NotFound ? no_such_offer() : problem(found.error());
    return web::json(200, to_json(*found));
}

http::Response patch_offer(RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_offer();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_offer_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Offer> {
        auto scope = TRY(offer_scope(c, ctx.who));
        auto o = TRY(visible_offer(c, scope, *id, true));
        if (in->department_id && !scope.may_assign(*in->department_id))
            return fail(Error::denied("Department staff manage only their own department's offers."));
        return store::update_offer(c, apply(o, *in), ctx.app.clock.now_ms());
    });
    if (!updated)
        return problem(updated.error());
    return web::json(200, to_json(*updated));
}

http::Response delete_offer(RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_offer();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::Removed> {
        TRY(visible_offer(c, TRY(offer_scope(c, ctx.who)), *id));
        return store::remove_offer(c, *id, ctx.app.clock.now_ms());
    });
    if (!done)
        return problem(done.error());
    return http::Response::no_content();
}

// POST /api/v1/offers/{id}/redeem {"citizen_id": n}, Idempotency-Key required: 201 with the
// voucher; a retry with the same key gives the same voucher.
http::Response redeem_offer(RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_offer();
    auto key = ctx.req.header("idempotency-key");
    if (!key || key->empty() || key->size() > 200)
        return http::problem(400, "Bad Request",
                             "Send an Idempotency-Key header (e.g. a UUID) so that a retry "
                             "cannot issue a second voucher.",
                             "Idempotency-Key");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    if (!body->contains("citizen_id") || !(*body)["citizen_id"].is_number_integer())
        return problem(Error::invalid("citizen_id must be a whole number", "citizen_id"));
    store::RedeemOffer r{.offer_id = *id,
                         .citizen_id = (*body)["citizen_id"].get<std::int64_t>(),
                         .request_key = fmt::format("api:{}:{}", ctx.who.actor(), *key),
                         .actor = ctx.who.actor()};
    auto v = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Voucher> {
        TRY(visible_offer(c, TRY(offer_scope(c, ctx.who)), *id));
        return store::redeem_offer(c, r, ctx.app.clock);
    });
    if (!v)
        return problem(v.error());
    auto out = web::json(201, {{"voucher", to_json(*v, ctx.app.clock.now_ms())}});
    out.set_header("Location", fmt::format("/api/v1/vouchers/{}", v->code));
    return out;
}

http::Response get_voucher(RouteContext& ctx) {
    auto code = normalise_code(ctx.req.param("code"));
    if (!code)
        return no_such_voucher();
    auto v = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<Voucher>> {
            auto partner = TRY(acting_partner(c, ctx.who));
            auto found = TRY(store::find_voucher_by_code(c, *code));
            if (found && partner && found->partner_id != partner)
                return fail(Error::denied("This voucher is for another partner's offer."));
            return found;
        });
    if (!v)
        return problem(v.error());
    if (!*v)
        return no_such_voucher();
    return web::json(200, {{"voucher", to_json(**v, ctx.app.clock.now_ms())}});
}

// POST /api/v1/vouchers/{code}/redeem: 200 the first time, 409 every later time, 404 unknown.
http::Response redeem_voucher(RouteContext& ctx) {
    auto code = normalise_code(ctx.req.param("code"));
    if (!code)
        return no_such_voucher();
    auto v = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Voucher> {
        auto partner = TRY(acting_partner(c, ctx.who));
        return store::redeem_voucher(c, *code, partner, ctx.who.actor(), ctx.app.clock);
    });
    if (!v)
        return problem(v.error());
    return web::json(200, {{"voucher", to_json(*v, ctx.app.clock.now_ms())}});
}

// POST /api/v1/vouchers/{code}/cancel (staff): the points go back by a ledger reversal.
http::Response cancel_voucher(RouteContext& ctx) {
    auto code = normalise_code(ctx.req.param("code"));
    if (!code)
        return no_such_voucher();
    auto v = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Voucher> {
        auto found = TRY(store::find_voucher_by_code(c, *code));
        if (!found)
            return fail(Error::not_found("There is no voucher with this code."));
        // Another department's voucher is not shown to exist.
        if (!visible_offer(c, TRY(offer_scope(c, ctx.who)), found->offer_id))
            return fail(Error::not_found("There is no voucher with this code."));
        return store::cancel_voucher(c, found->id, ctx.who.actor(), ctx.app.clock);
    });
    if (!v)
        return problem(v.error());
    return web::json(200, {{"voucher", to_json(*v, ctx.app.clock.now_ms())}});
}

http::Response list_partners(RouteContext& ctx) {
    auto all = ctx.app.db.transaction(db::TxMode::Read,
                                      [](db::Connection& c) { return store::list_partners(c); });
    if (!all)
        return problem(all.error());
    json items = json::array();
    for (const auto& p : *all)
        items.push_back({{"id", p.id}, {"name", p.name}, {"description", p.description}});
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response create_partner(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto name = body->value("name", json()).is_string() ? (*body)["name"].get<std::string>() : "";
    auto description = body->value("description", json()).is_string()
                           ? (*body)["description"].get<std::string>()
                           : "";
    auto p = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create_partner(c, name, description, ctx.app.clock.now_ms());
    });
    if (!p)
        return problem(p.error());
    auto r = web::json(201, {{"id", p->id}, {"name", p->name}, {"description", p->description}});
    r.set_header("Location", fmt::format("/api/v1/partners/{}", p->id));
    return r;
}

// PUT /api/v1/partners/{id}/members {"principal": "staff:3"}: that account now acts for it.
http::Response bind_member(RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return http::problem(404, "Not Found", "There is no such partner.");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto principal = body->value("principal", json()).is_string()
                         ? (*body)["principal"].get<std::string>()
                         : "";
    if (!principal.starts_with("staff:") && !principal.starts_with("apikey:"))
        return problem(Error::invalid("principal is staff:<id> or apikey:<id>", "principal"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        if (!TRY(store::find_partner(c, *id)))
            return fail(Error::not_found("There is no such partner."));
        TRY(store::bind_member(c, principal, *id, ctx.app.clock.now_ms()));
        return true;
    });
    if (!done)
        return problem(done.error());
    return web::json(200, {{"principal", principal}, {"partner_id", *id}});
}

} // namespace teilhabe::shop::api
