// /admin/offers: the offers of the town and its partners (a list with the latest vouchers, a
// form for a new one and for changes, with a picture). Cancelling vouchers and the partners'
// pages are in admin_partner_pages.cpp.

#include "shop/api.h"
#include "shop/image.h"
#include "shop/offer.h"
#include "shop/page_support.h"
#include "shop/pages.h"
#include "shop/shop_store.h"
#include "shop/voucher_code.h"
#include "shop/voucher_store.h"
#include "web/multipart.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <map>
#include <set>

namespace teilhabe::shop::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kRecentVouchers = 30;

// The offer form's values as typed, whichever encoding the browser used.
struct OfferForm {
    std::string title, description, price, stock, limit, valid_until, partner, department;
    bool active{true};
    std::optional<std::string> image; // the uploaded bytes, when a file was chosen
};

OfferForm read_form(const RouteContext& ctx, Error& broken) {
    OfferForm f;
    auto type = std::string(ctx.req.header("content-type").value_or(""));
    std::function<std::string(std::string_view)> value;
    std::vector<web::MultipartPart> parts;
    std::vector<std::pair<std::string, std::string>> form;
    if (type.starts_with("multipart/form-data")) {
        auto p = web::parse_multipart_request(type, ctx.req.body);
        if (!p)
            broken = p.error();
        else
            parts = std::move(*p);
        value = [&](std::string_view n) { return web::multipart_value(parts, n); };
        if (auto file = web::multipart_file(parts, "image"); file && !file->body.empty())
            f.image = file->body;
    } else {
        form = http::parse_form(ctx.req.body);
        value = [&](std::string_view n) { return web::form_value(form, n); };
    }
    f.title = value("title");
    f.description = value("description");
    f.price = value("price_points");
    f.stock = value("stock");
    f.limit = value("per_person_limit");
    f.valid_until = value("valid_until");
    f.partner = value("partner_id");
    f.department = value("department_id");
    f.active = value("active") == "yes";
    return f;
}

OfferForm form_of(const Offer& o) {
    return {o.title,
            o.description,
            std::to_string(o.price_points),
            o.stock ? std::to_string(*o.stock) : "",
            o.per_person_limit ? std::to_string(*o.per_person_limit) : "",
            o.valid_until_ms ? day_text(*o.valid_until_ms) : "",
            o.partner_id ? std::to_string(*o.partner_id) : "",
            o.department_id ? std::to_string(*o.department_id) : "",
            o.active,
            std::nullopt};
}

using Errors = std::map<std::string, std::string>;

// The form's values onto the offer; messages beside the fields that do not fit. Department staff
// keep their own department whatever the form says.
Offer to_offer(const RouteContext& ctx, Offer o, const OfferForm& f, const OfferScope& scope,
               Errors& errors) {
    o.title = f.title;
    o.description = f.description;
    o.active = f.active;
    if (f.title.empty() || f.title.size() > 200)
        errors["title"] = tr(ctx, "shop.error_title");
    if (f.description.size() > 5000)
        errors["description"] = tr(ctx, "shop.error_description");
    auto price = parse_count(f.price, "price_points");
    if (!price || !*price || **price < 1)
        errors["price_points"] = tr(ctx, "shop.error_price");
    else
        o.price_points = **price;
    auto stock = parse_count(f.stock, "stock");
    if (!stock)
        errors["stock"] = tr(ctx, "shop.error_number");
    else
        o.stock = *stock;
    auto limit = parse_count(f.limit, "per_person_limit");
    if (!limit || (*limit && **limit < 1))
        errors["per_person_limit"] = tr(ctx, "shop.error_number");
    else
        o.per_person_limit = *limit;
    auto until = parse_day_end(f.valid_until, "valid_until");
    if (!until)
        errors["valid_until"] = tr(ctx, "shop.error_date");
    else
        o.valid_until_ms = *until;
    o.partner_id = f.partner.empty() ? std::nullopt : parse_id(f.partner);
    o.department_id = scope.limited ? scope.department
                      : f.department.empty() ? std::nullopt
                                             : parse_id(f.department);
    return o;
}

// The departments to choose from, for staff who may choose (administrators, editors).
Result<json> department_options(db::Connection& c, const RouteContext& ctx,
                                const std::string& chosen) {
    json out = json::array();
    auto rows = TRY(c.query("SELECT id, name_de, name_en FROM departments ORDER BY name_de"));
    for (const auto& r : rows.rows)
        out.push_back({{"id", r.get_int(0)},
                       {"name", ctx.locale == web::Locale::En ? r.get_text(2) : r.get_text(1)},
                       {"selected", std::to_string(r.get_int(0)) == chosen}});
    return out;
}

Result<json> partner_options(db::Connection& c, const std::string& chosen) {
    json out = json::array();
    for (const auto& p : TRY(store::list_partners(c)))
        out.push_back({{"id", p.id},
                       {"name", p.name},
                       {"selected", std::to_string(p.id) == chosen}});
    return out;
}

http::Response render_form(RouteContext& ctx, int status, std::optional<std::int64_t> id,
                           const OfferForm& f, const Errors& errors) {
    auto choices = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto scope = TRY(api::offer_scope(c, ctx.who));
        return json{{"partners", TRY(partner_options(c, f.partner))},
                    {"departments", scope.limited ? json::array()
                                                  : TRY(department_options(c, ctx, f.department))},
                    {"may_choose_department", !scope.limited}};
    });
    if (!choices)
        return failure(ctx, choices.error(), "offer form");
    auto err = [&](const char* k) { return errors.contains(k) ? errors.at(k) : std::string(); };
    json summary = json::array();
    for (const auto& [k, v] : errors)
        summary.push_back({{"href", "#" + k}, {"message", v}});
    json data{{"action", id ? fmt::format("/admin/offers/{}", *id) : "/admin/offers/new"},
              {"editing", id.has_value()},
              {"has_errors", !errors.empty()},
              {"errors", summary},
              {"title", field(f.title, err("title"))},
              {"description", field(f.description, err("description"))},
              {"price_points", field(f.price, err("price_points"))},
              {"stock", field(f.stock, err("stock"))},
              {"per_person_limit", field(f.limit, err("per_person_limit"))},
              {"valid_until", field(f.valid_until, err("valid_until"))},
              {"image", field("", err("image"))},
              {"partners", (*choices)["partners"]},
              {"departments", (*choices)["departments"]},
              {"may_choose_department", (*choices)["may_choose_department"]},
              {"active", f.active}};
    if (id)
        data["image_href"] = fmt::format("/admin/offers/{}/image", *id);
    return web::page(ctx, status, "shop_offer_form", data,
                     tr(ctx, id ? "shop.edit_title" : "shop.new_title"));
}

// Saves a new or changed offer with its picture, in one transaction.
http::Response save(RouteContext& ctx, std::optional<std::int64_t> id) {
    Error broken;
    auto f = read_form(ctx, broken);
    if (!broken.message.empty())
        return web::error_page(ctx, 400, tr(ctx, "shop.error_form"));
    Errors errors;
    std::optional<std::string> type;
    if (f.image) {
        auto t = image_type(*f.image);
        if (!t)
            errors["image"] = tr(ctx, "shop.error_image");
        else
            type = *t;
    }
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Offer> {
        auto scope = TRY(api::offer_scope(c, ctx.who));
        Offer base;
        if (id)
            base = TRY(api::visible_offer(c, scope, *id, true));
        if (scope.limited && !scope.department) // a set-up gap, not a missing permission
            return fail(Error::precondition("department staff without a department"));
        auto o = to_offer(ctx, base, f, scope, errors);
        if (!errors.empty())
            return fail(Error::invalid("form"));
        auto now = ctx.app.clock.now_ms();
        auto out = id ? TRY(store::update_offer(c, o, now))
                      : TRY(store::create_offer(c, o, ctx.who.actor(), now));
        if (type)
            TRY(store::put_image(c, out.id, {*type, *f.image}, now));
        return out;
    });
    if (!saved) {
        const auto& e = saved.error();
        if (e.code == ErrorCode::FailedPrecondition)
            return web::error_page(ctx, 422, tr(ctx, "shop.no_department_account"));
        if (e.code != ErrorCode::InvalidArgument)
            return failure(ctx, e, "offer save");
        if (!e.field.empty() && !errors.contains(e.field))
            errors[e.field] = tr(ctx, "shop.error_invalid");
        return render_form(ctx, 422, id, f, errors);
    }
    return http::Response::redirect("/admin/offers?done=saved");
}

std::string stock_text(const RouteContext& ctx, const Offer& o) {
    return o.stock ? std::to_string(*o.stock) : tr(ctx, "shop.unlimited");
}

} // namespace

http::Response offers(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        json rows = json::array();
        auto scope = TRY(api::offer_scope(c, ctx.who));
        std::set<std::int64_t> visible;
        // The department column: names in the page's language, once per page.
        std::map<std::int64_t, std::string> departments;
        for (const auto& d : TRY(department_options(c, ctx, "")))
            departments[d["id"].get<std::int64_t>()] = d["name"].get<std::string>();
        auto department = [&](const Offer& o) {
            auto it = o.department_id ? departments.find(*o.department_id) : departments.end();
            return it != departments.end() ? it->second : tr(ctx, "shop.department_none");
        };
        for (const auto& o : TRY(store::list_offers(c, {.scope = scope, .limit = 500}))) {
            visible.insert(o.id);
            rows.push_back({{"href", fmt::format("/admin/offers/{}", o.id)},
                            {"title", o.title},
                            {"price", o.price_points},
                            {"stock", stock_text(ctx, o)},
                            {"partner", o.partner_id ? o.partner_name : tr(ctx, "shop.town")},
                            {"department", department(o)},
                            {"valid_until", o.valid_until_ms
                                                ? web::display_time(ctx.locale, *o.valid_until_ms)
                                                : std::string("–")},
                            {"state", tr(ctx, o.active ? "shop.active" : "shop.inactive")}});
        }
        json vouchers = json::array();
        for (const auto& v : TRY(store::recent_vouchers(c, kRecentVouchers))) {
            if (scope.limited && !visible.contains(v.offer_id))
                continue;
            vouchers.push_back({{"id", v.id},
                                {"code", format_code(v.code)},
                                {"offer", v.offer_title},
                                {"citizen_href", opt(v.citizen_id ? fmt::format("/admin/citizens/{}",
                                                                                *v.citizen_id)
                                                                  : std::string())},
                                {"status", tr(ctx, "shop.status_" +
                                                       effective_status(v, ctx.app.clock.now_ms()))},
                                {"issued", web::display_time(ctx.locale, v.issued_at_ms)},
                                {"cancellable", v.status == "issued"}});
        }
        return json{{"rows", rows},
                    {"has_rows", !rows.empty()},
                    {"vouchers", vouchers},
                    {"has_vouchers", !vouchers.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "offers page");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "saved")
        (*data)["notice"] = tr(ctx, "shop.saved");
    else if (done == "cancelled")
        (*data)["notice"] = tr(ctx, "shop.cancelled");
    else if (done == "cancel-failed")
        (*data)["warning"] = tr(ctx, "shop.cancel_failed");
    return web::page(ctx, 200, "shop_offers", *data, tr(ctx, "shop.title"));
}

http::Response offer_new(RouteContext& ctx) { return render_form(ctx, 200, std::nullopt, {}, {}); }
http::Response offer_create(RouteContext& ctx) { return save(ctx, std::nullopt); }

http::Response offer_edit(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto o = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Offer> {
        return api::visible_offer(c, TRY(api::offer_scope(c, ctx.who)), *id);
    });
    if (!o)
        return failure(ctx, o.error(), "offer page");
    return render_form(ctx, 200, id, form_of(*o), {});
}

http::Response offer_update(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return save(ctx, id);
}

http::Response offer_image(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    // Staff see the pictures of the offers they may see; a citizen (the portal's route) all.
    auto img = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<store::Image>> {
        if (!ctx.who.is_citizen())
            TRY(api::visible_offer(c, TRY(api::offer_scope(c, ctx.who)), *id));
        return store::find_image(c, *id);
    });
    if (!img)
        return failure(ctx, img.error(), "offer image");
    if (!*img)
        return not_found(ctx);
    http::Response r;
    r.status = 200;
    r.body = (*img)->bytes;
    r.set_header("Content-Type", (*img)->content_type);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Cache-Control", "private, max-age=300");
    return r;
}

} // namespace teilhabe::shop::pages
