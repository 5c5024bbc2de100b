// /admin/citizens: the list with search and filters, and the create form.

#include "admin/citizen_pages.h"

#include "admin/admin_store.h"
#include "admin/citizen_form.h"
#include "admin/page_support.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "exports/routes.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

struct ListFilters {
    std::string q, district, tag, interest, restricted, cursor;
};

ListFilters read_filters(const http::Request& req) {
    auto p = http::parse_form(req.query);
    return {web::form_value(p, "q"),        web::form_value(p, "district"),
            web::form_value(p, "tag"),      web::form_value(p, "interest"),
            web::form_value(p, "restricted"), web::form_value(p, "cursor")};
}

// The filters as the query parameters of citizens::parse_citizen_query; empty ones left out.
Form query_params(const ListFilters& f) {
    Form out;
    auto add = [&](const char* name, const std::string& v) {
        if (!v.empty())
            out.emplace_back(name, v);
    };
    add("q", f.q);
    add("district", f.district);
    add("tag", f.tag);
    add("interest", f.interest);
    if (f.restricted == "yes" || f.restricted == "no")
        out.emplace_back("restricted", f.restricted == "yes" ? "true" : "false");
    add("cursor", f.cursor);
    return out;
}

// The list's filters as a query string for a link ("" or ending in "&").
std::string filter_query(const ListFilters& f) {
    std::string out;
    for (const auto& [k, v] : Form{{"q", f.q}, {"district", f.district}, {"tag", f.tag},
                                   {"interest", f.interest}, {"restricted", f.restricted}})
        if (!v.empty())
            out += k + "=" + http::url_encode(v) + "&";
    return out;
}

std::string next_link(const ListFilters& f, const std::string& cursor) {
    return "/admin/citizens?" + filter_query(f) + "cursor=" + http::url_encode(cursor);
}

// The export buttons keep the filters of the list on screen (not its page).
std::string export_link(const ListFilters& f, const char* format) {
    return "/admin/exports/citizens?" + filter_query(f) + "format=" + format;
}

json topic_options(const RouteContext& ctx, const std::vector<store::NamedRow>& topics,
                   const std::string& chosen) {
    json out = json::array();
    for (const auto& t : topics)
        out.push_back({{"value", t.key},
                       {"label", ctx.locale == web::Locale::En ? t.name_en : t.name_de},
                       {"selected", t.key == chosen}});
    return out;
}

json row_of(const RouteContext& ctx, const citizens::Citizen& c) {
    std::string name = c.first_name + (c.first_name.empty() || c.last_name.empty() ? "" : " ") +
                       c.last_name;
    std::string tags;
    for (const auto& t : c.tags)
        tags += (tags.empty() ? "" : ", ") + t;
    return {{"href", fmt::format("/admin/citizens/{}", c.id)},
            {"name", name.empty() ? tr(ctx, "citizens.no_name") : name},
            {"email", c.email},
            {"district", c.district},
            {"tags", tags},
            {"restricted", c.restricted_at.has_value()}};
}

http::Response render_form(RouteContext& ctx, int status, const CitizenFormValues& v,
                           const FieldErrors& errors) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto defs = TRY(citizens::store::list_fields(c));
        auto topics = TRY(store::topics(c));
        return citizen_form_data(ctx,
                                 {"/admin/citizens/new", tr(ctx, "citizens.new_title"),
                                  tr(ctx, "citizens.create"), "/admin/citizens"},
                                 v, defs, topics, errors);
    });
    if (!data)
        return failure(ctx, data.error(), "citizen form");
    return web::page(ctx, status, "citizen_form", *data, tr(ctx, "citizens.new_title"));
}

} // namespace

// A list shows personal data of many people at once, so it is audited like the API's list,
// with the number shown and the names (not the values) of the filters (GDPR Art. 5(2)).
http::Response citizens_list(RouteContext& ctx) {
    ListFilters f = read_filters(ctx.req);
    Form params = query_params(f);
    auto query = citizens::parse_citizen_query(params);
    std::string filter_error;
    if (!query) {
        filter_error = tr(ctx, "citizens.filter_invalid") + " " + query.error().message;
        query = citizens::CitizenQuery{};
    }
    query->limit = citizens::kDefaultPageSize;
    std::string filters;
    for (const auto& [name, _] : params)
        if (name != "cursor")
            filters += (filters.empty() ? "" : ", ") + name;
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto topics = TRY(store::topics(c));
        auto page = citizens::store::list_citizens(c, *query);
        if (!page && page.error().code == ErrorCode::InvalidArgument) {
            // An unknown topic or a bad cursor: say so and show the filter form.
            filter_error = tr(ctx, "citizens.filter_invalid") + " " + page.error().message;
            page = citizens::CitizenPage{};
        }
        if (!page)
            return fail(page.error());
        TRY(staff::store::audit(c,
                                {ctx.who.actor(), "citizen.listed", "",
                                 fmt::format("{} profiles; filters: {}; admin screen",
                                             page->items.size(),
                                             filters.empty() ? "none" : filters),
                                 ctx.req.remote_addr},
                                ctx.app.clock));
        json rows = json::array();
        for (const auto& p : page->items)
            rows.push_back(row_of(ctx, p));
        bool filtered = !f.q.empty() || !f.district.empty() || !f.tag.empty() ||
                        !f.interest.empty() || !f.restricted.empty();
        return json{{"q", f.q},
                    {"erased", ctx.req.query_param("erased").has_value()},
                    {"district", f.district},
                    {"tag", f.tag},
                    {"topics", topic_options(ctx, topics, f.interest)},
                    {"restricted_any", f.restricted.empty()},
                    {"restricted_yes", f.restricted == "yes"},
                    {"restricted_no", f.restricted == "no"},
                    {"rows", rows},
                    {"has_rows", !rows.empty()},
                    {"count", fmt::format(fmt::runtime(tr(ctx, "citizens.count")), rows.size())},
                    {"filtered", filtered},
                    {"empty_all", rows.empty() && !filtered && f.cursor.empty()},
                    {"empty_filtered", rows.empty() && (filtered || !f.cursor.empty())},
                    {"filter_error", opt(filter_error)},
                    {"can_write", staff::allows(ctx.who.role, staff::Permission::WriteCitizens)},
                    {"can_import", staff::allows(ctx.who.role, staff::Permission::ImportCitizens)},
                    {"can_export", staff::allows(ctx.who.role, staff::Permission::ExportCitizens)},
                    {"export_csv", export_link(f, "csv")},
                    {"export_xlsx", export_link(f, "xlsx")},
                    {"next", page->next_cursor ? json(next_link(f, *page->next_cursor))
                                               : json(nullptr)}};
    });
    if (!data)
        return failure(ctx, data.error(), "citizen list");
    return web::page(ctx, 200, "citizens_list", *data, tr(ctx, "citizens.title"));
}

// /admin/exports/citizens?format=csv|xlsx&<the list's filters>: the download, audited as the
// API's export is (exports/citizen_export.h).
http::Response citizens_export(RouteContext& ctx) {
    ListFilters f = read_filters(ctx.req);
    f.cursor.clear(); // the whole list, not the page on screen
    Form params = query_params(f);
    params.emplace_back("format", ctx.req.query_param("format").value_or("csv"));
    auto request = exports::parse_export_request(params);
    if (!request)
        return web::error_page(ctx, 400,
                               tr(ctx, "citizens.export_invalid") + " " + request.error().message);
    auto download = exports::export_response(ctx, std::move(*request));
    if (!download) {
        const auto& e = download.error();
        if (e.code == ErrorCode::InvalidArgument || e.code == ErrorCode::FailedPrecondition)
            return web::error_page(ctx, 422, tr(ctx, "citizens.export_invalid") + " " + e.message);
        return failure(ctx, e, "citizen export");
    }
    return std::move(*download);
}

http::Response citizen_new(RouteContext& ctx) { return render_form(ctx, 200, {}, {}); }

http::Response citizen_create(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto defs = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return citizens::store::list_fields(c);
    });
    if (!defs)
        return failure(ctx, defs.error(), "citizen create");
    CitizenFormValues v = values_from_form(form, *defs);
    FieldErrors errors;
    auto changes = changes_from_values(ctx, v, *defs, citizens::InputMode::Create, errors);
    if (!changes)
        return render_form(ctx, 422, v, errors);
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return citizens::store::create_citizen(c, *changes, actor_of(ctx), ctx.app.clock);
    });
    if (!created) {
        if (!add_input_error(ctx, "citizens", created.error(), errors))
            return failure(ctx, created.error(), "citizen create");
        return render_form(ctx, 422, v, errors);
    }
    return http::Response::redirect(fmt::format("/admin/citizens/{}?created=1", created->id));
}

} // namespace teilhabe::admin
