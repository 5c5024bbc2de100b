#pragma once
// Reading the members of a JSON request body, with errors that name the member (the field of a
// problem+json answer). Shared by the capabilities' input parsers (shop, events, surveys).

#include "base/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace teilhabe::json_input {

// A string of min..max bytes.
Result<std::string> text_member(const nlohmann::json& v, const std::string& name,
                                std::size_t min, std::size_t max);
// A whole number within min..max.
Result<std::int64_t> number_member(const nlohmann::json& v, const std::string& name,
                                   std::int64_t min, std::int64_t max);
// null clears; otherwise a whole number within min..max.
Result<std::optional<std::int64_t>> nullable_number(const nlohmann::json& v,
                                                    const std::string& name, std::int64_t min,
                                                    std::int64_t max);
// An RFC 3339 time or unix milliseconds, as unix milliseconds.
Result<std::int64_t> parse_time_ms(const nlohmann::json& v, const std::string& name);
// null clears; otherwise as parse_time_ms.
Result<std::optional<std::int64_t>> nullable_time(const nlohmann::json& v, const std::string& name);
// 2026-09-01T08:00:00Z (seconds, UTC).
std::string iso_time(std::int64_t unix_ms);

} // namespace teilhabe::json_input
