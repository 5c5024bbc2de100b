#include "surveys/results_export.h"

#include "exports/export_writer.h"
#include "exports/temp_file.h"
#include "surveys/answers.h"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <xlsxwriter.h>

namespace teilhabe::surveys {

namespace {

using nlohmann::json;

Result<void> check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR)
        return fail(Error::internal(fmt::format("xlsx {}: {}", what, lxw_strerror(e))));
    return {};
}

std::string cell_text(const json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_integer())
        return std::to_string(v.get<std::int64_t>());
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v)
            out += (out.empty() ? "" : "; ") +
                   (item.is_string() ? item.get<std::string>() : item.dump());
        return out;
    }
    return "";
}

// An anonymous survey: the figures of the results page, one row per answer (small counts as
// "< 5", without a share), never one row per response (which would be each person's answers).
ExportSheet aggregate_sheet(const Survey& s, const std::vector<store::ResponseRow>& responses) {
    std::vector<json> sets;
    for (const auto& r : responses)
        sets.push_back(r.answers);
    auto results = compute_results(s, sets);
    ExportSheet sheet;
    sheet.header = {"question", "answer", "count", "percent"};
    auto add = [&](const std::string& question, const std::string& answer, std::int64_t n,
                   bool hidden, std::int64_t whole) {
        std::string share;
        if (!hidden && whole > 0)
            share = std::to_string(std::lround(100.0 * double(n) / double(whole)));
        sheet.rows.push_back({question, answer,
                              hidden ? fmt::format("< {}", kSmallCount) : std::to_string(n), share});
        sheet.numeric.push_back({false, false, !hidden, !share.empty()});
    };
    for (const auto& qr : results.questions) {
        const auto& q = *qr.question;
        auto question = fmt::format("{} {}", q.id, q.text);
        if (q.kind == QuestionKind::FreeText) {
            if (qr.texts_withheld) {
                sheet.rows.push_back({question,
                                      fmt::format("(free texts shown from {} responses on)",
                                                  kSmallCount),
                                      "", ""});
                sheet.numeric.push_back({false, false, false, false});
            }
            for (std::size_t i = 0; !qr.texts_withheld && i < qr.texts.size(); ++i) {
                sheet.rows.push_back({question, qr.texts[i], "", ""});
                sheet.numeric.push_back({false, false, false, false});
            }
        } else if (q.kind == QuestionKind::Matrix) {
            for (std::size_t row = 0; row < q.rows.size(); ++row)
                for (std::size_t i = 0; i < q.options.size(); ++i)
                    add(question, fmt::format("{}: {}", q.rows[row], q.options[i]),
                        qr.matrix[row][i], qr.matrix_hidden[row][i], qr.answered);
        } else {
            auto labels = value_labels(q);
            for (std::size_t i = 0; i < labels.size(); ++i)
                add(question, labels[i], qr.counts[i], qr.hidden[i], qr.answered);
        }
    }
    return sheet;
}

} // namespace

ExportSheet export_sheet(const Survey& s, const std::vector<store::ResponseRow>& responses) {
    if (s.anonymous)
        return aggregate_sheet(s, responses);
    ExportSheet sheet;
    if (!s.anonymous)
        sheet.header = {"citizen_id", "submitted_at"};
    for (const auto& q : s.questions) {
        if (q.kind == QuestionKind::Matrix)
            for (const auto& row : q.rows)
                sheet.header.push_back(fmt::format("{} {}: {}", q.id, q.text, row));
        else
            sheet.header.push_back(fmt::format("{} {}", q.id, q.text));
    }
    for (const auto& r : responses) {
        std::vector<std::string> cells;
        std::vector<bool> numeric;
        if (!s.anonymous) {
            cells.push_back(r.citizen_id ? std::to_string(*r.citizen_id) : "");
            numeric.push_back(r.citizen_id.has_value());
            cells.push_back(r.submitted_at_ms ? iso_time(*r.submitted_at_ms) : "");
            numeric.push_back(false);
        }
        for (const auto& q : s.questions) {
            const json& v = r.answers.contains(q.id) ? r.answers[q.id] : json();
            if (q.kind == QuestionKind::Matrix) {
                for (const auto& row : q.rows) {
                    cells.push_back(v.is_object() && v.contains(row) ? cell_text(v[row]) : "");
                    numeric.push_back(false);
                }
                continue;
            }
            cells.push_back(cell_text(v));
            numeric.push_back(v.is_number_integer());
        }
        sheet.rows.push_back(std::move(cells));
        sheet.numeric.push_back(std::move(numeric));
    }
    return sheet;
}

std::string results_csv(const ExportSheet& sheet) {
    std::string out = "\xEF\xBB\xBF";
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i)
            out += (i ? ";" : "") + exports::csv_text_cell(cells[i]);
        out += "\r\n";
    };
    line(sheet.header);
    for (const auto& r : sheet.rows)
        line(r);
    return out;
}

Result<std::string> results_xlsx(const ExportSheet& sheet, const std::string& title) {
    auto file = TRY(exports::TempFile::create(".xlsx"));
    lxw_workbook* wb = workbook_new(file.path().c_str());
    if (!wb)
        return fail(Error::internal("xlsx: cannot create the workbook"));
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Antworten");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    auto fill = [&]() -> Result<void> {
        TRY(check(worksheet_write_string(ws, 0, 0, title.c_str(), bold), "title"));
        for (std::size_t col = 0; col < sheet.header.size(); ++col)
            TRY(check(
                worksheet_write_string(ws, 1, lxw_col_t(col), sheet.header[col].c_str(), bold),
                "header"));
        for (std::size_t row = 0; row < sheet.rows.size(); ++row)
            for (std::size_t col = 0; col < sheet.rows[row].size(); ++col) {
                const auto& text = sheet.rows[row][col];
                auto r = lxw_row_t(row + 2);
                // Text as text, never a formula (worksheet_write_string does not parse "=").
                if (sheet.numeric[row][col] && !text.empty())
                    TRY(check(
                        worksheet_write_number(ws, r, lxw_col_t(col), std::stod(text), nullptr),
                        "number"));
                else
                    TRY(check(worksheet_write_string(ws, r, lxw_col_t(col), text.c_str(), nullptr),
                              "text"));
            }
        return {};
    };
    auto filled = fill();
    auto closed = check(workbook_close(wb), "close");
    if (!filled)
        return fail(filled.error());
    if (!closed)
        return fail(closed.error());
    std::ifstream in(file.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

} // namespace teilhabe::surveys
