#pragma once
// A survey's answers as a file. A named survey: one row per response, one column per question
// (a matrix has one per row), with who answered and when. An anonymous survey: the results'
// figures, one row per answer option, small counts hidden as on the results page (answers.h
// kSmallCount) — one row per response would show each person's answers together.

#include "surveys/survey_store.h"

#include <string>
#include <vector>

namespace teilhabe::surveys {

struct ExportSheet {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<bool>> numeric; // per cell: written as a number in XLSX
};
ExportSheet export_sheet(const Survey& s, const std::vector<store::ResponseRow>& responses);
// UTF-8 with BOM, `;`, CRLF, text cells guarded against formula injection (exports/).
std::string results_csv(const ExportSheet& sheet);
Result<std::string> results_xlsx(const ExportSheet& sheet, const std::string& title);

} // namespace teilhabe::surveys
