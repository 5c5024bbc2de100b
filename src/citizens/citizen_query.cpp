#include "citizens/citizen_query.h"

#include "citizens/text.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::citizens {

namespace {

Result<int> parse_limit(const std::string& text) {
    int n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || p != text.data() + text.size() || n < 1 || n > kMaxPageSize)
        return fail(Error::invalid(
            fmt::format("limit must be a whole number from 1 to {}", kMaxPageSize), "limit"));
    return n;
}

Result<void> read_param(const std::string& name, const std::string& value, CitizenQuery& out) {
    if (!valid_utf8(name) || !valid_utf8(value) || has_control_chars(name, Lines::Single) ||
        has_control_chars(value, Lines::Single))
        return fail(Error::invalid("A query parameter is not valid UTF-8 text or contains "
                                   "control characters."));
    if (name == "q") {
        out.q = lower(trim(value));
    } else if (name == "district") {
        out.district = trim(value);
    } else if (name == "tag") {
        out.tags.push_back(TRY(normalise_tag(value)));
    } else if (name == "interest") {
        out.interests.push_back(trim(value));
    } else if (name.starts_with("field.") && name.size() > 6) {
        out.fields.push_back({name.substr(6), value});
    } else if (name == "restricted") {
        if (value != "true" && value != "false")
            return fail(Error::invalid("restricted must be true or false", "restricted"));
        out.restricted = value == "true";
    } else if (name == "limit") {
        out.limit = TRY(parse_limit(value));
    } else if (name == "cursor") {
        out.after_id = TRY(decode_cursor(value));
    } else {
        return fail(Error::invalid(
            fmt::format("unknown parameter '{}'; filters are q, district, tag, interest, "
                        "field.<key>, restricted, limit and cursor",
                        name),
            name));
    }
    return {};
}

} // namespace

Result<CitizenQuery>
parse_citizen_query(const std::vector<std::pair<std::string, std::string>>& params) {
    CitizenQuery out;
    out.limit = kDefaultPageSize;
    for (const auto& [name, value] : params)
        TRY(read_param(name, value, out));
    return out;
}

} // namespace teilhabe::citizens
