#include "stadttaler/settlement_export.h"

#include "base/clock.h"
#include "exports/export_writer.h"
#include "exports/temp_file.h"

#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <xlsxwriter.h>

namespace teilhabe::stadttaler {

namespace {

std::string time_text(std::int64_t ms) { return format_iso8601(from_unix_ms(ms)); }

Result<void> check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR)
        return fail(Error::internal(fmt::format("xlsx {}: {}", what, lxw_strerror(e))));
    return {};
}

} // namespace

std::string settlement_csv(const store::SettlementReport& r) {
    std::string out = "\xEF\xBB\xBF";
    out += "payment;time;amount_eur;note\r\n";
    for (const auto& p : r.payments)
        out += fmt::format("{};{};{};{}\r\n", p.id, time_text(p.decided_at_ms.value_or(0)),
                           csv_cents(p.amount_cents), exports::csv_text_cell(p.note));
    out += fmt::format("total;;{};{}\r\n", csv_cents(r.total_cents),
                       exports::csv_text_cell(r.partner_name));
    return out;
}

Result<std::string> settlement_xlsx(const store::SettlementReport& r) {
    auto file = TRY(exports::TempFile::create(".xlsx"));
    lxw_workbook* wb = workbook_new(file.path().c_str());
    if (!wb)
        return fail(Error::internal("xlsx: cannot create the workbook"));
    lxw_worksheet* sheet = workbook_add_worksheet(wb, "Abrechnung");
    lxw_format* money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    auto fill = [&]() -> Result<void> {
        int row = 0;
        TRY(check(worksheet_write_string(sheet, row, 0, r.partner_name.c_str(), bold), "title"));
        TRY(check(worksheet_write_string(
                      sheet, row++, 1,
                      fmt::format("{} – {}", time_text(r.from_ms), time_text(r.to_ms)).c_str(),
                      nullptr),
                  "period"));
        const char* header[] = {"payment", "time", "amount_eur", "note"};
        for (int col = 0; col < 4; ++col)
            TRY(check(worksheet_write_string(sheet, row, col, header[col], bold), "header"));
        ++row;
        for (const auto& p : r.payments) {
            TRY(check(worksheet_write_number(sheet, row, 0, double(p.id), nullptr), "id"));
            TRY(check(worksheet_write_string(sheet, row, 1,
                                             time_text(p.decided_at_ms.value_or(0)).c_str(),
                                             nullptr),
                      "time"));
            TRY(check(worksheet_write_number(sheet, row, 2, p.amount_cents / 100.0, money),
                      "amount"));
            // Text as text, never a formula (worksheet_write_string does not parse "=").
            TRY(check(worksheet_write_string(sheet, row, 3, p.note.c_str(), nullptr), "note"));
            ++row;
        }
        TRY(check(worksheet_write_string(sheet, row, 0, "total", bold), "total"));
        TRY(check(worksheet_write_number(sheet, row, 2, r.total_cents / 100.0, money), "total"));
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

} // namespace teilhabe::stadttaler
