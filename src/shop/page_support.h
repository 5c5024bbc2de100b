#pragma once
// What the shop's pages share (internal to src/shop): texts, ids from the path, errors.

#include "web/route.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::shop::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key);
std::optional<std::int64_t> parse_id(std::string_view text);
// A whole number typed by a person ("" -> none; anything else that is not one -> error).
Result<std::optional<std::int64_t>> parse_count(std::string_view text, std::string_view field);
// Logs the detail and answers the generic error page (a 500 never shows SQL).
http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what);
http::Response not_found(web::RouteContext& ctx);
// A date typed in a form (2026-12-31 or 31.12.2026) as the end of that day in UTC, unix ms.
Result<std::optional<std::int64_t>> parse_day_end(std::string_view text, std::string_view field);
std::string day_text(std::int64_t unix_ms); // 2026-12-31 (for a date input)
// The field's error as the template wants it: {"value", "error", "has_error"}.
nlohmann::json field(const std::string& value, const std::string& error);

} // namespace teilhabe::shop::detail

namespace teilhabe::shop::detail {
// A JSON string, or null (false in a template) when empty: kainjow treats "" as true.
nlohmann::json opt(const std::string& s);
} // namespace teilhabe::shop::detail
