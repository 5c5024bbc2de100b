// /admin/journeys: the list with status and counters, a journey's diagram, the editor (the
// definition as JSON, with the error beside the field), switching on and off with a
// confirmation. Works without JavaScript.

#include "journeys/diagram.h"
#include "journeys/journey_store.h"
#include "journeys/routes.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::journeys::detail {

using http::Method;
using nlohmann::json;
using staff::Permission;
using web::Surface;

namespace {

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

std::string tr(const web::RouteContext& ctx, std::string_view key) { return web::tr(ctx.locale, key); }
bool english(const web::RouteContext& ctx) { return ctx.locale == web::Locale::En; }
store::Actor actor_of(const web::RouteContext& ctx) { return {ctx.who.actor(), ctx.req.remote_addr}; }

json quiet_hours_json(const web::RouteContext& ctx, const QuietHours& town) {
    return {{"town", describe_quiet_hours(town, english(ctx))}};
}

http::Response list_page(web::RouteContext& ctx, const QuietHours& town) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto rows = json::array();
        for (const auto& j : TRY(store::list(c))) {
            auto t = TRY(store::totals(c, j.id));
            rows.push_back({{"href", fmt::format("/admin/journeys/{}", j.id)},
                            {"name", j.name},
                            {"trigger", j.definition.trigger.activity_type.empty() ? j.definition.trigger.field
                                                                                   : j.definition.trigger.activity_type},
                            {"steps", j.definition.steps.size()},
                            {"state", tr(ctx, j.active ? "journeys.on" : "journeys.off")},
                            {"in_journey", t.active},
                            {"done", t.done},
                            {"exited", t.exited}});
        }
        return json{{"rows", rows}, {"has_rows", !rows.empty()}, {"quiet_hours", quiet_hours_json(ctx, town)}};
    });
    if (!data)
        return web::error_page(ctx, 500, data.error().message);
    return web::page(ctx, 200, "journeys_list", *data, tr(ctx, "journeys.title"));
}

http::Response render_form(web::RouteContext& ctx, int status, std::optional<std::int64_t> id,
                           const std::string& name, const std::string& description, const std::string& definition,
                           const std::optional<Error>& error) {
    json data{{"action", id ? fmt::format("/admin/journeys/{}/edit", *id) : "/admin/journeys/new"},
              {"name", name},
              {"description", description},
              {"definition", definition},
              {"has_errors", error.has_value()}};
    if (error) {
        bool on_name = error->field == "name";
        data[on_name ? "name_error" : "definition_error"] =
            error->field.empty() || on_name ? error->message : fmt::format("{}: {}", error->field, error->message);
    }
    return web::page(ctx, status, "journey_form", data, tr(ctx, id ? "journeys.edit_title" : "journeys.new_title"));
}

http::Response new_page(web::RouteContext& ctx) {
    json example{{"trigger", {{"type", "activity"}, {"activity", "newsletter.confirmed"}}},
                 {"reentry", "never"},
                 {"steps", json::array({{{"type", "wait"}, {"duration", "1d"}},
                                        {{"type", "add_tag"}, {"tag", "neu"}}})}};
    return render_form(ctx, 200, std::nullopt, "", "", example.dump(2), std::nullopt);
}

http::Response save(web::RouteContext& ctx, ConditionEvaluator* conditions, std::optional<std::int64_t> id) {
    auto form = http::parse_form(ctx.req.body);
    auto name = web::form_value(form, "name");
    auto description = web::form_value(form, "description");
    auto definition = web::form_value(form, "definition");
    auto parsed = json::parse(definition, nullptr, false);
    if (parsed.is_discarded())
        return render_form(ctx, 422, id, name, description, definition,
                           Error::invalid(tr(ctx, "journeys.not_json"), "definition"));
    auto in = parse_input({{"name", name}, {"description", description}, {"definition", parsed}},
                          id ? InputMode::Patch : InputMode::Create, conditions);
    if (!in)
        return render_form(ctx, 422, id, name, description, definition, in.error());
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return id ? store::update(c, *id, *in, actor_of(ctx), ctx.app.clock)
                  : store::create(c, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!saved)
        return render_form(ctx, saved.error().code == ErrorCode::NotFound ? 404 : 422, id, name, description,
                           definition, saved.error());
    return http::Response::redirect(fmt::format("/admin/journeys/{}?saved=1", saved->id));
}

Result<Journey> load(web::RouteContext& ctx, std::int64_t id) {
    return ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Journey> {
        auto j = TRY(store::find(c, id));
        if (!j)
            return fail(Error::not_found("no journey"));
        return *j;
    });
}

http::Response detail_page(web::RouteContext& ctx, const QuietHours& town) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "journeys.not_found"));
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto j = TRY(store::find(c, *id));
        if (!j)
            return fail(Error::not_found("no journey"));
        auto stats = TRY(store::statistics(c, *j));
        return json{{"id", j->id},
                    {"name", j->name},
                    {"description", j->description},
                    {"active", j->active},
                    {"state", tr(ctx, j->active ? "journeys.on" : "journeys.off")},
                    {"saved", ctx.req.query_param("saved").has_value()},
                    {"trigger", j->definition.trigger.activity_type.empty() ? j->definition.trigger.field
                                                                            : j->definition.trigger.activity_type},
                    {"diagram", diagram(j->definition, stats, english(ctx))},
                    // The quiet hours this journey's mail keeps: its own, none, or the town's.
                    {"quiet_hours", j->definition.quiet_hours_off ? describe_quiet_hours({0, 0, false}, english(ctx))
                                    : j->definition.quiet_hours
                                        ? describe_quiet_hours(*j->definition.quiet_hours, english(ctx))
                                        : describe_quiet_hours(town, english(ctx))},
                    {"quiet_hours_own", j->definition.quiet_hours_off || j->definition.quiet_hours.has_value()},
                    {"definition", j->definition_json.dump(2)}};
    });
    if (!data)
        return web::error_page(ctx, data.error().code == ErrorCode::NotFound ? 404 : 500, tr(ctx, "journeys.not_found"));
    return web::page(ctx, 200, "journey_detail", *data, (*data)["name"].get<std::string>());
}

http::Response edit_page(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    auto j = id ? load(ctx, *id) : Result<Journey>(fail(Error::not_found("")));
    if (!j)
        return web::error_page(ctx, 404, tr(ctx, "journeys.not_found"));
    return render_form(ctx, 200, id, j->name, j->description, j->definition_json.dump(2), std::nullopt);
}

// GET shows what will happen and asks; POST does it.
http::Response switch_page(web::RouteContext& ctx, bool on) {
    auto id = parse_id(ctx.req.param("id"));
    auto j = id ? load(ctx, *id) : Result<Journey>(fail(Error::not_found("")));
    if (!j)
        return web::error_page(ctx, 404, tr(ctx, "journeys.not_found"));
    json data{{"name", j->name},
              {"question", tr(ctx, on ? "journeys.confirm_on" : "journeys.confirm_off")},
              {"action", fmt::format("/admin/journeys/{}/{}", *id, on ? "activate" : "deactivate")},
              {"button", tr(ctx, on ? "journeys.switch_on" : "journeys.switch_off")},
              {"back", fmt::format("/admin/journeys/{}", *id)}};
    return web::page(ctx, 200, "journey_confirm", data, tr(ctx, on ? "journeys.switch_on" : "journeys.switch_off"));
}

http::Response switch_post(web::RouteContext& ctx, bool on) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "journeys.not_found"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::set_active(c, *id, on, actor_of(ctx), ctx.app.clock);
    });
    if (!done)
        return web::error_page(ctx, done.error().code == ErrorCode::NotFound ? 404 : 409, done.error().message);
    return http::Response::redirect(fmt::format("/admin/journeys/{}", *id));
}

} // namespace

std::vector<web::RouteDef> page_routes(ConditionEvaluator* conditions, QuietHours town) {
    return {
        {Method::Get, "/admin/journeys", Permission::ManageJourneys, Surface::Page,
         [town](web::RouteContext& ctx) { return list_page(ctx, town); }},
        {Method::Get, "/admin/journeys/new", Permission::ManageJourneys, Surface::Page, new_page},
        {Method::Post, "/admin/journeys/new", Permission::ManageJourneys, Surface::Page,
         [conditions](web::RouteContext& ctx) { return save(ctx, conditions, std::nullopt); }},
        {Method::Get, "/admin/journeys/{id}", Permission::ManageJourneys, Surface::Page,
         [town](web::RouteContext& ctx) { return detail_page(ctx, town); }},
        {Method::Get, "/admin/journeys/{id}/edit", Permission::ManageJourneys, Surface::Page, edit_page},
        {Method::Post, "/admin/journeys/{id}/edit", Permission::ManageJourneys, Surface::Page,
         [conditions](web::RouteContext& ctx) {
             auto id = parse_id(ctx.req.param("id"));
             if (!id)
                 return web::error_page(ctx, 404, tr(ctx, "journeys.not_found"));
             return save(ctx, conditions, id);
         }},
        {Method::Get, "/admin/journeys/{id}/activate", Permission::ManageJourneys, Surface::Page,
         [](web::RouteContext& ctx) { return switch_page(ctx, true); }},
        {Method::Post, "/admin/journeys/{id}/activate", Permission::ManageJourneys, Surface::Page,
         [](web::RouteContext& ctx) { return switch_post(ctx, true); }},
        {Method::Get, "/admin/journeys/{id}/deactivate", Permission::ManageJourneys, Surface::Page,
         [](web::RouteContext& ctx) { return switch_page(ctx, false); }},
        {Method::Post, "/admin/journeys/{id}/deactivate", Permission::ManageJourneys, Surface::Page,
         [](web::RouteContext& ctx) { return switch_post(ctx, false); }},
    };
}

} // namespace teilhabe::journeys::detail
