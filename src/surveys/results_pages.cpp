// /admin/surveys/{id}/results: per question a bar chart drawn on the server as SVG (no script,
// no inline style: the page's Content-Security-Policy allows it as it is) with the same figures
// in a table beside it for screen readers, the free-text answers, and the downloads.

#include "base/html.h"
#include "surveys/handlers.h"
#include "surveys/results_export.h"
#include "surveys/support.h"
#include "web/respond.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace teilhabe::surveys::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr std::size_t kMaxTexts = 200;

std::string small_count_text() { return fmt::format("< {}", kSmallCount); }

int percent(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? static_cast<int>(std::lround(100.0 * double(part) / double(whole))) : 0;
}

// Horizontal bars, one per label; the bar's length is its share of `whole`. Decorative for
// assistive technology (aria-hidden): the table next to it carries the figures.
// A hidden count (anonymous surveys, answers.h kSmallCount) has no bar and reads "< 5".
std::string bar_chart(const std::vector<std::string>& labels,
                      const std::vector<std::int64_t>& counts, const std::vector<bool>& hidden,
                      std::int64_t whole) {
    constexpr int kRow = 28, kLabel = 180, kBar = 260, kWidth = kLabel + kBar + 60;
    int height = static_cast<int>(labels.size()) * kRow + 4;
    std::string out = fmt::format(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
        "width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-hidden=\"true\" "
        "focusable=\"false\">",
        kWidth, height);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        int y = static_cast<int>(i) * kRow + 2;
        int len = whole > 0 && !hidden[i]
                      ? static_cast<int>(double(kBar) * double(counts[i]) / double(whole))
                      : 0;
        auto label = labels[i].size() > 28 ? labels[i].substr(0, 27) + "…" : labels[i];
        out += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#1b1b1b\">{}</text>",
                           y + 17, html_escape(label));
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"#e6e6e6\"/>",
                           kLabel, y + 2, kBar);
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"#1d5c8c\"/>",
                           kLabel, y + 2, len);
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#1b1b1b\">{}</text>",
                           kLabel + kBar + 6, y + 17,
                           hidden[i] ? html_escape(small_count_text()) : std::to_string(counts[i]));
    }
    return out + "</svg>";
}

// What a hidden count reads as: "< 5".
json count_cell(std::int64_t count, bool hidden) {
    return hidden ? json(small_count_text()) : json(count);
}

json question_view(const RouteContext& ctx, const QuestionResult& qr, std::int64_t n) {
    const auto& q = *qr.question;
    json v{{"n", n},
           {"text", q.text},
           {"kind", tr(ctx, std::string("surveys.kind_") + to_string(q.kind))},
           {"answered", qr.answered}};
    if (q.kind == QuestionKind::FreeText) {
        json texts = json::array();
        for (std::size_t i = 0; i < qr.texts.size() && i < kMaxTexts; ++i)
            texts.push_back(qr.texts[i]);
        v["texts"] = texts;
        v["is_text"] = true;
        v["texts_withheld"] = qr.texts_withheld;
        v["has_texts"] = !texts.empty() && !qr.texts_withheld;
        if (qr.texts_withheld)
            v["texts_withheld_text"] =
                fmt::format(fmt::runtime(tr(ctx, "surveys.texts_withheld")), kSmallCount);
        return v;
    }
    if (q.kind == QuestionKind::Matrix) {
        json head = json::array(), rows = json::array();
        for (const auto& o : q.options)
            head.push_back(o);
        for (std::size_t r = 0; r < q.rows.size(); ++r) {
            json cells = json::array();
            for (std::size_t i = 0; i < qr.matrix[r].size(); ++i)
                cells.push_back(count_cell(qr.matrix[r][i], qr.matrix_hidden[r][i]));
            rows.push_back(
                {{"row", q.rows[r]},
                 {"cells", cells},
                 {"chart", bar_chart(q.options, qr.matrix[r], qr.matrix_hidden[r], qr.answered)}});
        }
        v["is_matrix"] = true;
        v["head"] = head;
        v["rows"] = rows;
        return v;
    }
    auto labels = value_labels(q);
    // Multiple choice: shares of the people who answered (they add up to more than 100 %).
    json lines = json::array();
    for (std::size_t i = 0; i < labels.size(); ++i)
        lines.push_back({{"label", labels[i]},
                         {"count", count_cell(qr.counts[i], qr.hidden[i])},
                         {"percent", qr.hidden[i] ? std::string("–")
                                                  : fmt::format("{} %", percent(qr.counts[i],
                                                                                qr.answered))}});
    v["is_counts"] = true;
    v["lines"] = lines;
    v["chart"] = bar_chart(labels, qr.counts, qr.hidden, qr.answered);
    if (q.kind == QuestionKind::Rating || q.kind == QuestionKind::Scale)
        v["average"] = qr.answered && !qr.average_withheld ? fmt::format("{:.1f}", qr.average) : "–";
    return v;
}

} // namespace

http::Response results(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto s = TRY(scoped_survey(ctx, c));
        auto r = compute_results(s, TRY(store::answer_sets(c, s.id)));
        json qs = json::array();
        for (std::size_t i = 0; i < r.questions.size(); ++i)
            qs.push_back(question_view(ctx, r.questions[i], static_cast<std::int64_t>(i + 1)));
        return json{{"id", s.id},
                    {"title", s.title},
                    {"status", tr(ctx, std::string("surveys.status_") + to_string(s.status))},
                    {"anonymous", s.anonymous},
                    {"small_counts_text",
                     s.anonymous ? fmt::format(fmt::runtime(tr(ctx, "surveys.small_counts_hidden")),
                                               kSmallCount)
                                 : std::string()},
                    {"participants", s.response_count},
                    {"responses", r.responses},
                    {"questions", qs},
                    {"portal_url", portal_url(ctx, s.id)},
                    {"edit_href", fmt::format("/admin/surveys/{}", s.id)},
                    {"csv_href", fmt::format("/admin/surveys/{}/results.csv", s.id)},
                    {"xlsx_href", fmt::format("/admin/surveys/{}/results.xlsx", s.id)}};
    });
    if (!data)
        return page_failure(ctx, data.error(), "survey results");
    return web::page(ctx, 200, "survey_results", *data, tr(ctx, "surveys.results_title"));
}

http::Response results_file(RouteContext& ctx) {
    bool xlsx = ctx.req.path.ends_with(".xlsx");
    auto data = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::pair<Survey, ExportSheet>> {
            auto s = TRY(scoped_survey(ctx, c));
            return std::pair{s, export_sheet(s, TRY(store::responses(c, s.id)))};
        });
    if (!data)
        return page_failure(ctx, data.error(), "survey results file");
    auto name = fmt::format("umfrage-{}-ergebnisse", data->first.id);
    http::Response r;
    if (xlsx) {
        auto bytes = results_xlsx(data->second, data->first.title);
        if (!bytes)
            return page_failure(ctx, bytes.error(), "survey xlsx");
        r = http::Response::text(
            200, *bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        name += ".xlsx";
    } else {
        r = http::Response::text(200, results_csv(data->second), "text/csv; charset=utf-8");
        name += ".csv";
    }
    r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
    return r;
}

} // namespace teilhabe::surveys::pages
