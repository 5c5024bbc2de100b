// The settlement pages of the Stadttaler (ManageStadttaler): a partner's accepted payments in a
// period as a page, a CSV or an XLSX file, and marking the period paid.

#include "stadttaler/handlers.h"
#include "stadttaler/settlement_export.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::stadttaler::handlers {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

struct ReportQuery {
    std::int64_t partner_id{0};
    std::string from, to;
    std::pair<std::int64_t, std::int64_t> period;
};

Result<ReportQuery> report_query(const RouteContext& ctx,
                                 const std::vector<std::pair<std::string, std::string>>* form) {
    auto get = [&](const char* name) {
        return form ? web::form_value(*form, name) : ctx.req.query_param(name).value_or("");
    };
    ReportQuery q;
    auto partner = parse_id(get("partner_id"));
    if (!partner)
        return fail(Error::invalid("partner", "partner_id"));
    q.partner_id = *partner;
    q.from = get("from");
    q.to = get("to");
    q.period = TRY(parse_period(q.from, q.to));
    return q;
}

} // namespace

http::Response settlement_page(RouteContext& ctx) {
    auto q = report_query(ctx, nullptr);
    if (!q)
        return render_desk(ctx, 422, {{"error_period", tr(ctx, "stadttaler.error_period")}});
    auto report = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::settlement_report(c, q->partner_id, q->period.first, q->period.second);
    });
    if (!report)
        return page_failure(ctx, report.error(), "settlement page");
    json rows = json::array();
    for (const auto& p : report->payments)
        rows.push_back({{"id", p.id},
                        {"when", web::display_time(ctx.locale, p.decided_at_ms.value_or(0))},
                        {"amount", money(ctx, p.amount_cents)},
                        {"note", p.note}});
    auto query = fmt::format("partner_id={}&from={}&to={}", q->partner_id, q->from, q->to);
    json data{{"partner", report->partner_name},
              {"partner_id", q->partner_id},
              {"from", q->from},
              {"to", q->to},
              {"rows", rows},
              {"has_rows", !rows.empty()},
              {"total", money(ctx, report->total_cents)},
              {"settled", report->settled_at_ms.has_value()},
              {"settled_at", report->settled_at_ms
                                 ? web::display_time(ctx.locale, *report->settled_at_ms)
                                 : std::string("–")},
              {"csv", "/admin/stadttaler/settlement.csv?" + query},
              {"xlsx", "/admin/stadttaler/settlement.xlsx?" + query}};
    if (ctx.req.query_param("done").value_or("") == "paid")
        data["notice"] = tr(ctx, "stadttaler.settled");
    if (ctx.req.query_param("done").value_or("") == "overlap")
        data["warning"] = tr(ctx, "stadttaler.overlap");
    return web::page(ctx, 200, "stadttaler_settlement", data, tr(ctx, "stadttaler.settlement_title"));
}

http::Response settlement_file(RouteContext& ctx) {
    auto q = report_query(ctx, nullptr);
    if (!q)
        return web::error_page(ctx, 400, tr(ctx, "stadttaler.error_period"));
    auto report = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::settlement_report(c, q->partner_id, q->period.first, q->period.second);
    });
    if (!report)
        return page_failure(ctx, report.error(), "settlement file");
    auto name = fmt::format("abrechnung-{}-{}-{}", q->partner_id, q->from, q->to);
    http::Response r;
    if (ctx.req.path.ends_with(".xlsx")) {
        auto bytes = settlement_xlsx(*report);
        if (!bytes)
            return page_failure(ctx, bytes.error(), "settlement xlsx");
        r = http::Response::text(200, *bytes,
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        name += ".xlsx";
    } else {
        r = http::Response::text(200, settlement_csv(*report), "text/csv; charset=utf-8");
        name += ".csv";
    }
    r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
    return r;
}

http::Response settlement_paid(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto q = report_query(ctx, &form);
    if (!q)
        return render_desk(ctx, 422, {{"error_period", tr(ctx, "stadttaler.error_period")}});
    auto query = fmt::format("partner_id={}&from={}&to={}", q->partner_id, q->from, q->to);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::settle(c, q->partner_id, q->period.first, q->period.second, ctx.who.actor(),
                             ctx.app.clock);
    });
    if (!done) {
        if (done.error().code == ErrorCode::Conflict)
            return http::Response::redirect("/admin/stadttaler/settlement?done=overlap&" + query);
        return page_failure(ctx, done.error(), "settlement paid");
    }
    return http::Response::redirect("/admin/stadttaler/settlement?done=paid&" + query);
}

} // namespace teilhabe::stadttaler::handlers
