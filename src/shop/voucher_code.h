#pragma once
// Codes that people read out and type: vouchers and Stadttaler wallet codes. 19 random
// Crockford base32 symbols (95 bits from libsodium) and one check symbol, shown in five groups
// of four ("7KQ2-M4XD-9HTA-BE3W-R5N0"). The check symbol is Damm's algorithm over GF(32): it
// catches every single mistyped symbol and every swap of two neighbours (docs/decisions.md).

#include "base/error.h"

#include <string>
#include <string_view>

namespace teilhabe::shop {

inline constexpr std::size_t kCodeSymbols = 20; // 19 random + 1 check

// A fresh code, normalised (no dashes).
std::string new_code();
// The check symbol for a normalised prefix of base32 symbols.
char check_symbol(std::string_view symbols);
// True when the normalised code's last symbol is its check symbol.
bool check_ok(std::string_view normalised);

// What a person typed, as stored: upper case, O read as 0, I and L as 1, spaces and dashes
// dropped. InvalidArgument when a symbol is not base32, the length is wrong or the check fails.
Result<std::string> normalise_code(std::string_view typed);
// For people: groups of four separated by dashes.
std::string format_code(std::string_view normalised);

} // namespace teilhabe::shop
