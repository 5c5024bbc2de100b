#pragma once
// A survey's answers as a file: one row per response, one column per question (a matrix has
// one per row). A named survey adds who answered and when; an anonymous one has neither.

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
