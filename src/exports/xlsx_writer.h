#pragma once
// The XLSX writer of an export (libxlsxwriter): one sheet with a frozen header row and an
// autofilter, numbers as numbers, dates and times as dates (times in UTC), yes/no as Excel's
// booleans. Text is written as text, never as a formula, so a cell that begins with "=" cannot
// run anything. The workbook is built in libxlsxwriter's constant-memory mode (row by row,
// through temporary files), so a large export needs little memory.

#include "exports/export_writer.h"

#include <memory>
#include <string>

namespace teilhabe::exports {

// Rows Excel can hold below the header; a larger export is refused (CSV has no limit).
constexpr std::int64_t kMaxXlsxRows = 1'048'575;

// Writes the workbook to `path` (created or replaced); complete after end().
Result<std::unique_ptr<ExportWriter>> xlsx_writer(const std::string& path);

} // namespace teilhabe::exports
