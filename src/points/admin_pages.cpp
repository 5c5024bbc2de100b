// /admin/points (ManagePoints): the rules with their caps, the expiry setting, a person's
// ledger with manual award and correction by reversal. Every form carries the CSRF token; a
// form answered with an error shows the message beside its field.

#include "activity/timeline_store.h"
#include "base/email.h"
#include "ledger/ledger_store.h"
#include "points/api_routes.h"
#include "points/pages.h"
#include "points/points_json.h"
#include "points/points_store.h"
#include "security/crypto.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::points::pages {

using nlohmann::json;

namespace {

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size())
        return std::nullopt;
    return n;
}

// A fresh key in each rendered form: submitting the same form twice awards once.
std::string form_key() {
    return security::random_token(16);
}

Result<void> audit(db::Connection& c, web::RouteContext& ctx, std::string action,
                   std::string subject, std::string detail = {}) {
    return staff::store::audit(c,
                               {.actor = ctx.who.actor(),
                                .action = std::move(action),
                                .subject = std::move(subject),
                                .detail = std::move(detail),
                                .ip = ctx.req.remote_addr},
                               ctx.app.clock);
}

// The person looked up by id or e-mail address.
Result<std::optional<std::int64_t>> find_person(db::Connection& c, const std::string& q) {
    if (auto id = parse_int(q)) {
        if (*id > 0 && TRY(activity::citizen_exists(c, *id)))
            return std::optional<std::int64_t>(*id);
        return std::optional<std::int64_t>{};
    }
    return activity::citizen_by_email(c, normalise_email(q));
}

struct Notice {
    std::string field; // which form it concerns: "award", "correct", "settings", "lookup"
    std::string message;
};

http::Response render_home(web::RouteContext& ctx, int status, const std::string& query,
                           const Notice& error = {}) {
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        json view{{"query", query}};
        json rules = json::array();
        for (const auto& r : TRY(list_rules(c))) {
            auto j = to_json(r);
            j["filter"] = r.filter == "{}" ? "" : r.filter;
            j["edit"] = fmt::format("/admin/points/rules/{}", r.id);
            rules.push_back(j);
        }
        view["rules"] = rules;
        view["expiry_days"] = TRY(load_settings(c)).expiry_days;
        if (query.empty())
            return view;
        auto person = TRY(find_person(c, query));
        if (!person) {
            view["not_found"] = true;
            return view;
        }
        auto points = TRY(api::points_of(c, *person, 100));
        TRY(audit(c, ctx, "points.read", fmt::format("citizen:{}", *person)));
        view["person"] = {{"id", *person},
                          {"points", points["balances"]["points"]},
                          {"stadttaler", money(ctx.locale, points["balances"]["stadttaler"].get<std::int64_t>())},
                          {"key", form_key()}};
        auto rows = entry_rows(ctx, points["entries"]);
        for (auto& row : rows) {
            row["correctable"] = !row["reversed"].get<bool>() && !row["reversal"].get<bool>();
            row["key"] = form_key();
        }
        view["person"]["rows"] = rows;
        view["person"]["has_rows"] = !rows.empty();
        return view;
    });
    if (!data)
        return web::error_page(ctx, 503, tr(ctx, "points.unavailable"));
    auto& view = *data;
    view["csrf"] = ctx.csrf_token;
    if (!error.message.empty())
        view["error_" + error.field] = error.message;
    for (auto flag : {"saved", "awarded", "corrected"})
        if (ctx.req.query_param(flag))
            view[flag] = true;
    return web::page(ctx, status, "admin_points", std::move(view), tr(ctx, "points.title"));
}

http::Response render_rule(web::RouteContext& ctx, int status, const json& values,
                           const Error* error) {
    json view = values;
    view["csrf"] = ctx.csrf_token;
    view["action"] = values.contains("id") && values["id"].get<std::int64_t>() > 0
                         ? fmt::format("/admin/points/rules/{}", values["id"].get<std::int64_t>())
                         : std::string("/admin/points/rules");
    if (error) {
        view["has_error"] = true;
        view["error_message"] = error->message;
        view["error_" + (error->field.empty() ? std::string("form") : error->field)] = error->message;
    }
    return web::page(ctx, status, "admin_points_rule", std::move(view), tr(ctx, "points.rule_title"));
}

// The form's text fields as the JSON body of the API, so that both check the same way.
Result<json> rule_body(const std::vector<std::pair<std::string, std::string>>& form) {
    json body{{"name", web::form_value(form, "name")},
              {"activity_type", web::form_value(form, "activity_type")},
              {"once_key", web::form_value(form, "once_key")},
              {"enabled", web::form_value(form, "enabled") == "yes"}};
    auto filter = web::form_value(form, "filter");
    body["filter"] = filter.empty() ? json::object() : json::parse(filter, nullptr, false);
    if (body["filter"].is_discarded())
        return fail(Error::invalid("the filter is not valid JSON", "filter"));
    for (auto name : {"points", "position"}) {
        auto n = parse_int(web::form_value(form, name));
        if (!n && !(std::string_view(name) == "position" && web::form_value(form, name).empty()))
            return fail(Error::invalid("please enter a whole number", name));
        body[name] = n.value_or(0);
    }
    for (auto name : {"cap_per_day", "cap_per_month"}) {
        auto text = web::form_value(form, name);
        if (text.empty()) {
            body[name] = nullptr;
            continue;
        }
        auto n = parse_int(text);
        if (!n)
            return fail(Error::invalid("please enter a whole number or leave it empty", name));
        body[name] = *n;
    }
    return body;
}

json form_values(const std::vector<std::pair<std::string, std::string>>& form, std::int64_t id) {
    json v{{"id", id}};
    for (auto name : {"name", "activity_type", "filter", "points", "cap_per_day", "cap_per_month",
                      "once_key", "position"})
        v[name] = web::form_value(form, name);
    v["enabled"] = web::form_value(form, "enabled") == "yes";
    return v;
}

http::Response save_rule(web::RouteContext& ctx, std::int64_t id) {
    auto form = http::parse_form(ctx.req.body);
    auto body = rule_body(form);
    if (!body)
        return render_rule(ctx, 422, form_values(form, id), &body.error());
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Rule> {
        auto rule = TRY(rule_from_json(*body));
        rule.id = id;
        auto out = id > 0 ? TRY(update_rule(c, rule, ctx.app.clock.now()))
                          : TRY(create_rule(c, rule, ctx.app.clock.now()));
        TRY(audit(c, ctx, id > 0 ? "points.rule_changed" : "points.rule_created",
                  fmt::format("points_rule:{}", out.id), out.name));
        return out;
    });
    if (!saved && saved.error().code == ErrorCode::InvalidArgument)
        return render_rule(ctx, 422, form_values(form, id), &saved.error());
    if (!saved && saved.error().code == ErrorCode::NotFound)
        return web::error_page(ctx, 404, tr(ctx, "points.no_rule"));
    if (!saved)
        return web::error_page(ctx, 503, tr(ctx, "points.unavailable"));
    return http::Response::redirect("/admin/points?saved=1");
}

} // namespace

http::Response admin_home(web::RouteContext& ctx) {
    return render_home(ctx, 200, ctx.req.query_param("citizen").value_or(""));
}

http::Response admin_rule_new(web::RouteContext& ctx) {
    return render_rule(ctx, 200, {{"id", 0}, {"enabled", true}, {"position", "100"}}, nullptr);
}

http::Response admin_rule_edit(web::RouteContext& ctx) {
    auto id = parse_int(ctx.req.param("id"));
    auto r = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return find_rule(c, id.value_or(0));
    });
    if (!r)
        return web::error_page(ctx, 404, tr(ctx, "points.no_rule"));
    json v{{"id", r->id},
           {"name", r->name},
           {"activity_type", r->activity_type},
           {"filter", r->filter == "{}" ? "" : r->filter},
           {"points", std::to_string(r->points)},
           {"cap_per_day", r->cap_per_day ? std::to_string(*r->cap_per_day) : ""},
           {"cap_per_month", r->cap_per_month ? std::to_string(*r->cap_per_month) : ""},
           {"once_key", r->once_key},
           {"position", std::to_string(r->position)},
           {"enabled", r->enabled}};
    return render_rule(ctx, 200, v, nullptr);
}

http::Response admin_rule_create(web::RouteContext& ctx) { return save_rule(ctx, 0); }

http::Response admin_rule_update(web::RouteContext& ctx) {
    auto id = parse_int(ctx.req.param("id"));
    if (!id || *id <= 0)
        return web::error_page(ctx, 404, tr(ctx, "points.no_rule"));
    return save_rule(ctx, *id);
}

http::Response admin_settings(web::RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto days = parse_int(web::form_value(form, "expiry_days"));
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!days)
            return fail(Error::invalid("please enter a whole number of days", "expiry_days"));
        TRY(save_settings(c, {.expiry_days = static_cast<int>(*days)}, ctx.app.clock.now()));
        return audit(c, ctx, "points.settings_changed", "points_settings",
                     fmt::format("expiry_days={}", *days));
    });
    if (!saved)
        return render_home(ctx, 422, "", {"settings", saved.error().message});
    return http::Response::redirect("/admin/points?saved=1");
}

http::Response admin_award(web::RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto citizen = parse_int(web::form_value(form, "citizen_id")).value_or(0);
    auto pts = parse_int(web::form_value(form, "points"));
    auto query = std::to_string(citizen);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!pts)
            return fail(Error::invalid("please enter a whole number of points", "points"));
        auto t = TRY(manual_award(c, citizen, *pts, web::form_value(form, "reason"),
                                  web::form_value(form, "key"), ctx.who.actor(), ctx.app.clock.now()));
        return audit(c, ctx, "points.awarded", fmt::format("citizen:{}", citizen),
                     fmt::format("{} points, transfer {}", t.amount, t.id));
    });
    if (!done)
        return render_home(ctx, 422, query, {"award", done.error().message});
    return http::Response::redirect(fmt::format("/admin/points?citizen={}&awarded=1", citizen));
}

http::Response admin_correct(web::RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto citizen = parse_int(web::form_value(form, "citizen_id")).value_or(0);
    auto transfer = parse_int(web::form_value(form, "transfer_id")).value_or(0);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto t = TRY(correct(c, citizen, transfer, web::form_value(form, "reason"),
                             web::form_value(form, "key"), ctx.who.actor(), ctx.app.clock.now()));
        return audit(c, ctx, "points.corrected", fmt::format("citizen:{}", citizen),
                     fmt::format("transfer {} reversed by {}", transfer, t.id));
    });
    if (!done)
        return render_home(ctx, 422, std::to_string(citizen), {"correct", done.error().message});
    return http::Response::redirect(fmt::format("/admin/points?citizen={}&corrected=1", citizen));
}

} // namespace teilhabe::points::pages
