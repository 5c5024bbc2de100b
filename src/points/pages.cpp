// The pages of the points programme: /portal/points for the person (balance and history, no
// JavaScript needed, one column on a phone) and the admin screen /admin/points (rules, settings,
// a person's ledger, manual award and correction by reversal).

#include "points/pages.h"

#include "points/api_routes.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::points::pages {

using nlohmann::json;

std::string tr(const web::RouteContext& ctx, std::string_view key) {
    return web::tr(ctx.locale, key);
}

// 1234 cents as "12,34" (de) or "12.34" (en).
std::string money(web::Locale l, std::int64_t cents) {
    auto sign = cents < 0 ? "-" : "";
    auto abs = cents < 0 ? -cents : cents;
    return fmt::format("{}{}{}{:02}", sign, abs / 100, l == web::Locale::De ? "," : ".", abs % 100);
}

std::string signed_amount(web::Locale l, const json& e) {
    auto amount = e["amount"].get<std::int64_t>();
    auto text = e["currency"] == "stadttaler" ? money(l, amount < 0 ? -amount : amount)
                                              : std::to_string(amount < 0 ? -amount : amount);
    return (amount < 0 ? "−" : "+") + text;
}

// The entries of points_of() for a page: date, what, amount, and what the kind means.
json entry_rows(const web::RouteContext& ctx, const json& entries) {
    json rows = json::array();
    for (const auto& e : entries) {
        auto kind = e["kind"].get<std::string>();
        auto label = tr(ctx, "points.kind_" + kind);
        auto created = parse_rfc3339(e["created_at"].get<std::string>());
        rows.push_back({{"transfer_id", e["transfer_id"]},
                        {"date", created ? web::display_time(ctx.locale, to_unix_ms(*created)) : ""},
                        {"what", e["reason"].get<std::string>().empty() ? label : e["reason"].get<std::string>()},
                        {"kind", label},
                        {"amount", signed_amount(ctx.locale, e)},
                        {"credit", e["amount"].get<std::int64_t>() > 0},
                        {"stadttaler", e["currency"] == "stadttaler"},
                        {"reversed", !e["reversed_by"].is_null()},
                        {"reversal", !e["reverses"].is_null()}});
    }
    return rows;
}

// GET /portal/points: the person's own balances and history (newest first, 25 a page).
http::Response portal_points(web::RouteContext& ctx) {
    std::int64_t before = 0;
    if (auto b = ctx.req.query_param("before"); b && !b->empty()) {
        try {
            before = std::stoll(*b);
        } catch (...) {
            before = 0;
        }
    }
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return api::points_of(c, ctx.who.id, 25, before < 0 ? 0 : before);
    });
    if (!data)
        return web::error_page(ctx, 503, tr(ctx, "points.unavailable"));
    auto rows = entry_rows(ctx, (*data)["entries"]);
    json view{{"points", (*data)["balances"]["points"]},
              {"stadttaler", money(ctx.locale, (*data)["balances"]["stadttaler"].get<std::int64_t>())},
              {"rows", rows},
              {"has_rows", !rows.empty()},
              {"paged", before > 0}};
    auto expiring = (*data)["expiring"];
    if (expiring["points"].get<std::int64_t>() > 0 && expiring["next_at"].is_string()) {
        auto at = parse_rfc3339(expiring["next_at"].get<std::string>());
        view["expiring"] = {{"points", expiring["points"]},
                            {"date", at ? web::display_time(ctx.locale, to_unix_ms(*at)) : ""}};
    }
    if (!(*data)["next_cursor"].is_null())
        view["older"] = "/portal/points?before=" + (*data)["next_cursor"].get<std::string>();
    return web::page(ctx, 200, "portal_points", std::move(view), tr(ctx, "portal_points.title"));
}

} // namespace teilhabe::points::pages
