// /admin/segments: the list with live counts, the editor (the rule as text, with a live count
// and a sample of members as one types: htmx posts the form to /admin/segments/preview; without
// JavaScript the Preview button does the same as a full page), errors beside the field, and
// deleting with confirmation. ManageSegments (see routes.cpp).

#include "segments/routes.h"

#include "http/problem.h"
#include "jobs/worker.h"
#include "segments/rule_text.h"
#include "segments/segment_store.h"
#include "staff/staff_store.h"
#include "web/i18n.h"
#include "web/respond.h"
#include "web/templates.h"

#include <charconv>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::segments {

using http::Method;
using nlohmann::json;
using staff::Permission;
using web::RouteContext;
using web::Surface;

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

std::string tr(const RouteContext& ctx, std::string_view key) { return web::tr(ctx.locale, key); }

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

http::Response failure(RouteContext& ctx, const Error& e) {
    if (e.code == ErrorCode::NotFound)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    spdlog::error("segments page: {}", e.message);
    return web::error_page(ctx, 500, tr(ctx, "error.internal"));
}

struct FormValues {
    std::string key, name, description, rule_text;
};

FormValues values_of(const Form& f) {
    return {web::form_value(f, "key"), web::form_value(f, "name"), web::form_value(f, "description"),
            web::form_value(f, "rule_text")};
}

// Which form field an error of the store or the parser belongs to.
std::string field_of(const Error& e) {
    if (e.field == "key" || e.field == "name" || e.field == "description")
        return e.field;
    return "rule_text";
}

json field(const FormValues& v, const std::string& member, const std::map<std::string, Error>& errors) {
    const std::string& value = member == "key"           ? v.key
                               : member == "name"        ? v.name
                               : member == "description" ? v.description
                                                         : v.rule_text;
    json j{{"value", value}, {"has_error", errors.contains(member)}};
    if (auto it = errors.find(member); it != errors.end()) {
        j["error"] = member == "rule_text" ? "segments.rule_invalid" : "segments." + member + "_invalid";
        j["detail"] = it->second.message;
    }
    return j;
}

// The live count and sample for the text typed so far (or its error).
json preview_view(RouteContext& ctx, const std::string& text) {
    json out{{"has_text", !text.empty()}};
    if (text.empty())
        return out;
    auto rule = parse_text(text);
    if (!rule) {
        out["error"] = rule.error().message;
        return out;
    }
    auto p = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::Preview> {
        auto r = TRY(store::preview(c, *rule, ctx.app.clock.now()));
        TRY(staff::store::audit(c, {ctx.who.actor(), "segment.previewed", "", text, ctx.req.remote_addr},
                                ctx.app.clock));
        return r;
    });
    if (!p) {
        out["error"] = p.error().message;
        return out;
    }
    out["count"] = fmt::format(fmt::runtime(tr(ctx, "segments.preview_count")), p->count);
    json sample = json::array();
    for (const auto& m : p->sample)
        sample.push_back({{"email", m.email}, {"name", m.first_name + " " + m.last_name},
                          {"href", fmt::format("/admin/citizens/{}", m.citizen_id)}});
    out["sample"] = sample;
    out["has_sample"] = !sample.empty();
    out["canonical"] = print_text(*rule);
    return out;
}

std::string preview_html(RouteContext& ctx, const std::string& text) {
    auto html = web::render_template("segment_preview", preview_view(ctx, text), ctx.locale);
    return html ? *html : std::string{};
}

http::Response render_form(RouteContext& ctx, int status, std::optional<std::int64_t> id, const FormValues& v,
                           const std::map<std::string, Error>& errors, bool with_preview,
                           const std::optional<Segment>& existing = std::nullopt) {
    json error_list = json::array();
    for (const auto& [member, e] : errors)
        error_list.push_back({{"href", "#" + member}, {"message", e.message}});
    json data{{"action", id ? fmt::format("/admin/segments/{}", *id) : "/admin/segments/new"},
              {"editing", id.has_value()},
              {"has_errors", !errors.empty()},
              {"errors", error_list},
              {"key", field(v, "key", errors)},
              {"name", field(v, "name", errors)},
              {"description", field(v, "description", errors)},
              {"rule_text", field(v, "rule_text", errors)},
              {"preview_html", with_preview ? preview_html(ctx, v.rule_text) : std::string{}}};
    if (existing) {
        data["status"] = tr(ctx, existing->status == Status::Live ? "segments.live" : "segments.computing");
        data["member_count"] = existing->member_count;
        data["delete_href"] = fmt::format("/admin/segments/{}/delete", existing->id);
        if (ctx.app.worker)
            if (auto p = ctx.app.worker->progress().get(fmt::format("segment:{}", existing->id)))
                data["progress"] = fmt::format("{} / {}", p->done, p->total);
    }
    for (auto member : {"key", "name", "description", "rule_text"})
        if (data[member].contains("error"))
            data[member]["error"] = tr(ctx, data[member]["error"].get<std::string>());
    return web::page(ctx, status, "segment_form", data,
                     tr(ctx, id ? "segments.edit_title" : "segments.new_title"));
}

http::Response list_page(RouteContext& ctx) {
    auto all = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) { return store::list(c); });
    if (!all)
        return failure(ctx, all.error());
    json rows = json::array();
    for (const auto& s : *all)
        rows.push_back({{"name", s.name},
                        {"key", s.key},
                        {"count", s.member_count},
                        {"status", tr(ctx, s.status == Status::Live ? "segments.live" : "segments.computing")},
                        {"rule_text", print_text(s.rule)},
                        {"href", fmt::format("/admin/segments/{}", s.id)}});
    return web::page(ctx, 200, "segments_list",
                     {{"rows", rows}, {"has_rows", !rows.empty()},
                      {"deleted", ctx.req.query_param("deleted").has_value()}},
                     tr(ctx, "segments.title"));
}

http::Response new_page(RouteContext& ctx) { return render_form(ctx, 200, std::nullopt, {}, {}, false); }

// Save, or (the Preview button) show the count for the text as it is.
http::Response save(RouteContext& ctx, std::optional<std::int64_t> id) {
    auto form = http::parse_form(ctx.req.body);
    auto v = values_of(form);
    std::optional<Segment> existing;
    if (id) {
        auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
        if (!found)
            return failure(ctx, found.error());
        if (!*found)
            return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
        existing = **found;
    }
    if (web::form_value(form, "action") == "preview")
        return render_form(ctx, 200, id, v, {}, true, existing);
    json body{{"key", v.key}, {"name", v.name}, {"description", v.description}, {"rule_text", v.rule_text}};
    auto in = parse_input(body, id ? InputMode::Patch : InputMode::Create);
    Result<Segment> saved = in ? ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return id ? store::update(c, *id, *in, ctx.app.clock) : store::create(c, *in, ctx.who.actor(), ctx.app.clock);
    })
                               : Result<Segment>(std::unexpected(in.error()));
    if (!saved) {
        if (saved.error().code != ErrorCode::InvalidArgument)
            return failure(ctx, saved.error());
        return render_form(ctx, 422, id, v, {{field_of(saved.error()), saved.error()}}, false, existing);
    }
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return http::Response::redirect(fmt::format("/admin/segments/{}", saved->id));
}

http::Response create_page(RouteContext& ctx) { return save(ctx, std::nullopt); }

http::Response edit_page(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
    if (!found)
        return failure(ctx, found.error());
    if (!*found)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    const auto& s = **found;
    return render_form(ctx, 200, *id, {s.key, s.name, s.description, print_text(s.rule)}, {}, false, s);
}

http::Response update_page(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    return save(ctx, id);
}

// The htmx fragment: count and sample for the text in the form.
http::Response preview_fragment(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    return http::Response::html(200, preview_html(ctx, web::form_value(form, "rule_text")));
}

http::Response delete_confirm(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
    if (!found)
        return failure(ctx, found.error());
    if (!*found)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    return web::page(ctx, 200, "segment_delete",
                     {{"name", (*found)->name}, {"count", (*found)->member_count},
                      {"action", fmt::format("/admin/segments/{}/delete", *id)},
                      {"back", fmt::format("/admin/segments/{}", *id)}},
                     tr(ctx, "segments.delete_title"));
}

http::Response delete_page(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) { return store::remove(c, *id); });
    if (!done) {
        if (done.error().code == ErrorCode::Conflict)
            return web::error_page(ctx, 409, done.error().message);
        return failure(ctx, done.error());
    }
    return http::Response::redirect("/admin/segments?deleted=1");
}

} // namespace

std::vector<web::RouteDef> page_routes() {
    return {
        {Method::Get, "/admin/segments", Permission::ManageSegments, Surface::Page, list_page},
        {Method::Get, "/admin/segments/new", Permission::ManageSegments, Surface::Page, new_page},
        {Method::Post, "/admin/segments/new", Permission::ManageSegments, Surface::Page, create_page},
        {Method::Post, "/admin/segments/preview", Permission::ManageSegments, Surface::Page, preview_fragment},
        {Method::Get, "/admin/segments/{id}", Permission::ManageSegments, Surface::Page, edit_page},
        {Method::Post, "/admin/segments/{id}", Permission::ManageSegments, Surface::Page, update_page},
        {Method::Get, "/admin/segments/{id}/delete", Permission::ManageSegments, Surface::Page, delete_confirm},
        {Method::Post, "/admin/segments/{id}/delete", Permission::ManageSegments, Surface::Page, delete_page},
    };
}

} // namespace teilhabe::segments
