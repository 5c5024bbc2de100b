#include "base/json_input.h"

#include "base/clock.h"

#include <fmt/format.h>

namespace teilhabe::json_input {

Result<std::string> text_member(const nlohmann::json& v, const std::string& name,
                                std::size_t min, std::size_t max) {
    if (!v.is_string())
        return fail(Error::invalid(fmt::format("{} must be a string", name), name));
    auto s = v.get<std::string>();
    if (s.size() < min || s.size() > max)
        return fail(Error::invalid(
            fmt::format("{} must have between {} and {} characters", name, min, max), name));
    return s;
}

Result<std::int64_t> number_member(const nlohmann::json& v, const std::string& name,
                                   std::int64_t min, std::int64_t max) {
    if (!v.is_number_integer())
        return fail(Error::invalid(fmt::format("{} must be a whole number", name), name));
    auto n = v.get<std::int64_t>();
    if (n < min || n > max)
        return fail(
            Error::invalid(fmt::format("{} must be between {} and {}", name, min, max), name));
    return n;
}

Result<std::optional<std::int64_t>> nullable_number(const nlohmann::json& v,
                                                    const std::string& name, std::int64_t min,
                                                    std::int64_t max) {
    if (v.is_null())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{TRY(number_member(v, name, min, max))};
}

Result<std::int64_t> parse_time_ms(const nlohmann::json& v, const std::string& name) {
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (!v.is_string())
        return fail(Error::invalid(fmt::format("{} must be an RFC 3339 time", name), name));
    auto t = parse_rfc3339(v.get<std::string>());
    if (!t)
        return fail(Error::invalid(fmt::format("{}: {}", name, t.error().message), name));
    return to_unix_ms(*t);
}

Result<std::optional<std::int64_t>> nullable_time(const nlohmann::json& v, const std::string& name) {
    if (v.is_null())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{TRY(parse_time_ms(v, name))};
}

std::string iso_time(std::int64_t unix_ms) { return format_iso8601(from_unix_ms(unix_ms)); }

} // namespace teilhabe::json_input
