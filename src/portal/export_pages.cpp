// The person's own copy of everything stored about them (GDPR Art. 15 and 20), through the
// same export staff use (gdpr/gdpr_store.h, audited as citizen.exported by citizen:<id>):
// GET /portal/privacy/export.json as a download (machine-readable), GET /portal/privacy/export
// as a page people can read (every table of the export, times as dates, fields by their label).

#include "citizens/field_store.h"
#include "gdpr/gdpr_store.h"
#include "portal/me_pages.h"
#include "portal/me_support.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <map>

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

gdpr::Requester requester(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

struct Export {
    json data;
    std::map<std::int64_t, std::string> field_labels; // field id -> label
};

Result<Export> export_of(web::RouteContext& ctx) {
    return ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Export> {
        Export out;
        out.data = TRY(gdpr::export_person(c, me(ctx), requester(ctx), ctx.app.clock));
        for (const auto& f : TRY(citizens::store::list_fields(c)))
            out.field_labels[f.id] = field_label(ctx, f);
        return out;
    });
}

bool is_time(const std::string& column) {
    return column == "at" || column.ends_with("_at");
}

std::string text_of(const web::RouteContext& ctx, const std::string& column, const json& v,
                    const std::map<std::int64_t, std::string>& labels) {
    if (v.is_null())
        return "–";
    if (is_time(column) && v.is_number_integer())
        return web::display_time(ctx.locale, v.get<std::int64_t>());
    if (column == "field_id" && v.is_number_integer())
        if (auto it = labels.find(v.get<std::int64_t>()); it != labels.end())
            return it->second;
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// A label for a column or table where the texts have one, else its name.
std::string label_of(const web::RouteContext& ctx, const std::string& group,
                     const std::string& name) {
    std::string key = "portal_export." + group + "." + name;
    std::string text = tr(ctx, key);
    return text == key ? name : text;
}

json table_of(const web::RouteContext& ctx, const std::string& name, const json& rows,
              const std::map<std::int64_t, std::string>& labels) {
    json columns = json::array();
    json body = json::array();
    if (!rows.empty())
        for (const auto& [column, _] : rows.front().items())
            columns.push_back(label_of(ctx, "column", column));
    for (const auto& row : rows) {
        json cells = json::array();
        for (const auto& [column, v] : row.items())
            cells.push_back(text_of(ctx, column, v, labels));
        body.push_back({{"cells", cells}});
    }
    return {{"id", "t-" + name},
            {"title", label_of(ctx, "table", name)},
            {"columns", columns},
            {"rows", body},
            {"empty", rows.empty()}};
}

} // namespace

http::Response export_download(web::RouteContext& ctx) {
    auto e = export_of(ctx);
    if (!e)
        return failure(ctx, e.error(), "portal export");
    auto r = web::json(200, e->data);
    auto day = format_iso8601(ctx.app.clock.now()).substr(0, 10);
    r.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"meine-daten-{}.json\"", day));
    return r;
}

http::Response export_page(web::RouteContext& ctx) {
    auto e = export_of(ctx);
    if (!e)
        return failure(ctx, e.error(), "portal export");
    const json& d = e->data;
    json profile = json::array();
    for (const auto& [column, v] : d.at("profile").items())
        profile.push_back({{"label", label_of(ctx, "column", column)},
                           {"value", text_of(ctx, column, v, e->field_labels)}});
    json tables = json::array();
    for (const auto& [name, rows] : d.at("tables").items())
        tables.push_back(table_of(ctx, name, rows, e->field_labels));
    tables.push_back(table_of(ctx, "accesses", d.at("accesses"), e->field_labels));
    json data{{"profile", profile},
              {"tables", tables},
              {"exported_at", web::display_time(ctx.locale, ctx.app.clock.now_ms())}};
    return web::page(ctx, 200, "portal_export", std::move(data), tr(ctx, "portal_export.title"));
}

} // namespace teilhabe::portal::detail
