#pragma once
// A partner's settlement report as a file for the town's bookkeeping: CSV (UTF-8 with BOM, `;`,
// decimal comma, as German Excel reads it) and XLSX (libxlsxwriter, amounts as numbers in euro).

#include "stadttaler/wallet_store.h"

#include <string>

namespace teilhabe::stadttaler {

std::string settlement_csv(const store::SettlementReport& r);
Result<std::string> settlement_xlsx(const store::SettlementReport& r);

} // namespace teilhabe::stadttaler
