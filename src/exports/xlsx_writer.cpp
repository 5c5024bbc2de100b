#include "exports/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

namespace teilhabe::exports {

namespace {

// Excel's serial day number of 1970-01-01 (days since 1899-12-30).
constexpr double kUnixEpochSerial = 25569.0;

Error xlsx_error(lxw_error e, std::string_view what) {
    return Error::internal(fmt::format("XLSX {}: {}", what, lxw_strerror(e)));
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

class XlsxWriter final : public ExportWriter {
public:
    explicit XlsxWriter(lxw_workbook* wb) : m_wb(wb) {
        m_sheet = workbook_add_worksheet(m_wb, nullptr);
        m_bold = workbook_add_format(m_wb);
        format_set_bold(m_bold);
        m_date = workbook_add_format(m_wb);
        format_set_num_format(m_date, "dd.mm.yyyy");
        m_time = workbook_add_format(m_wb);
        format_set_num_format(m_time, "dd.mm.yyyy hh:mm:ss");
    }
    ~XlsxWriter() override {
        if (m_wb)
            workbook_close(m_wb); // frees it; the caller removes an unfinished file
    }
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    Result<void> begin(const ExportTable& table, std::string&) override {
        m_columns = static_cast<lxw_col_t>(table.header().size());
        for (lxw_col_t col = 0; col < m_columns; ++col) {
            const auto& name = table.header()[col];
            TRY(check(worksheet_write_string(m_sheet, 0, col, name.c_str(), m_bold), "header"));
            double width = name == "email" ? 32 : name.ends_with("_at") ? 20 : 16;
            TRY(check(worksheet_set_column(m_sheet, col, col, width, nullptr), "column"));
        }
        worksheet_freeze_panes(m_sheet, 1, 0);
        return {};
    }

    Result<void> row(const ExportTable& table, const citizens::Citizen& c, std::string&) override {
        if (m_row > kMaxXlsxRows)
            return fail(Error::precondition(fmt::format(
                "An XLSX sheet holds at most {} people; export this list as CSV, or narrow the "
                "filter.",
                kMaxXlsxRows)));
        auto cells = table.row(c);
        for (lxw_col_t col = 0; col < cells.size(); ++col)
            TRY(write(static_cast<lxw_row_t>(m_row), col, cells[col]));
        ++m_row;
        return {};
    }

    Result<void> end(std::string&) override {
        if (m_columns > 0)
            worksheet_autofilter(m_sheet, 0, 0, static_cast<lxw_row_t>(m_row - 1),
                                 static_cast<lxw_col_t>(m_columns - 1));
        auto e = workbook_close(m_wb);
        m_wb = nullptr;
        if (e != LXW_NO_ERROR)
            return fail(xlsx_error(e, "close"));
        return {};
    }

private:
    static Result<void> check(lxw_error e, std::string_view what) {
        if (e != LXW_NO_ERROR)
            return fail(xlsx_error(e, what));
        return {};
    }

    Result<void> write(lxw_row_t r, lxw_col_t col, const Cell& cell) {
        lxw_error e = LXW_NO_ERROR;
        if (const auto* t = std::get_if<Text>(&cell)) {
            if (!t->value.empty())
                e = worksheet_write_string(m_sheet, r, col, t->value.c_str(), nullptr);
        } else if (const auto* n = std::get_if<Number>(&cell)) {
            e = worksheet_write_number(m_sheet, r, col, n->value, nullptr);
        } else if (const auto* d = std::get_if<Date>(&cell)) {
            lxw_datetime dt{d->year, d->month, d->day, 0, 0, 0.0};
            e = worksheet_write_datetime(m_sheet, r, col, &dt, m_date);
        } else if (const auto* t = std::get_if<Time>(&cell)) {
            double serial = static_cast<double>(t->unix_ms) / 86'400'000.0 + kUnixEpochSerial;
            e = worksheet_write_number(m_sheet, r, col, serial, m_time);
        } else if (const auto* b = std::get_if<bool>(&cell)) {
            e = worksheet_write_boolean(m_sheet, r, col, *b ? 1 : 0, nullptr);
        } else if (const auto* l = std::get_if<List>(&cell)) {
            if (!l->items.empty())
                e = worksheet_write_string(m_sheet, r, col, joined(l->items).c_str(), nullptr);
        }
        return check(e, "cell");
    }

    lxw_workbook* m_wb;
    lxw_worksheet* m_sheet{nullptr};
    lxw_format* m_bold{nullptr};
    lxw_format* m_date{nullptr};
    lxw_format* m_time{nullptr};
    lxw_col_t m_columns{0};
    std::int64_t m_row{1}; // the next row; 0 is the header
};

} // namespace

Result<std::unique_ptr<ExportWriter>> xlsx_writer(const std::string& path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    if (!wb)
        return fail(Error::internal(fmt::format("XLSX: cannot create a workbook at {}", path)));
    return std::unique_ptr<ExportWriter>(std::make_unique<XlsxWriter>(wb));
}

} // namespace teilhabe::exports
