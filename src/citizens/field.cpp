#include "citizens/field.h"

#include "base/clock.h"
#include "citizens/text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <regex>
#include <set>

namespace teilhabe::citizens {

const char* to_string(FieldType t) {
    switch (t) {
    case FieldType::Text:
        return "text";
    case FieldType::Number:
        return "number";
    case FieldType::Date:
        return "date";
    case FieldType::Bool:
        return "bool";
    case FieldType::Choice:
        return "choice";
    case FieldType::Multichoice:
        return "multichoice";
    }
    return "text";
}

std::optional<FieldType> parse_field_type(std::string_view s) {
    for (auto t : {FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Bool,
                   FieldType::Choice, FieldType::Multichoice})
        if (s == to_string(t))
            return t;
    return std::nullopt;
}

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace

bool valid_field_key(std::string_view k) {
    if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z')
        return false;
    return std::all_of(k.begin(), k.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

namespace {

Result<void> validate_label(const std::string& label, const char* lang) {
    std::string field = std::string("label.") + lang;
    if (label.empty())
        return fail(
            Error::invalid(fmt::format("The {} label is missing.",
                                       lang == std::string_view("de") ? "German" : "English"),
                           field));
    if (count_chars(label) > 100 || has_control_chars(label, Lines::Single))
        return fail(Error::invalid("A label is one line of at most 100 characters.", field));
    return {};
}

Result<void> validate_options(const FieldDefinition& d) {
    if (!is_choice_type(d.type)) {
        if (!d.options.empty())
            return fail(
                Error::invalid("Only choice and multichoice fields have options.", "options"));
        return {};
    }
    if (d.options.empty())
        return fail(Error::invalid("A choice field needs at least one option.", "options"));
    if (d.options.size() > kMaxOptions)
        return fail(Error::invalid(fmt::format("A field can have at most {} options.", kMaxOptions),
                                   "options"));
    std::set<std::string> seen;
    for (const auto& o : d.options) {
        if (o.empty() || count_chars(o) > 100 || has_control_chars(o, Lines::Single))
            return fail(
                Error::invalid("Each option is one line of 1 to 100 characters.", "options"));
        if (!seen.insert(o).second)
            return fail(
                Error::invalid(fmt::format("The option '{}' is listed twice.", o), "options"));
    }
    return {};
}

Result<void> validate_bounds(const FieldDefinition& d) {
    if (!d.min && !d.max)
        return {};
    if (d.type == FieldType::Bool || d.type == FieldType::Choice)
        return fail(
            Error::invalid(fmt::format("min and max do not apply to {} fields.", to_string(d.type)),
                           d.min ? "min" : "max"));
    for (const auto* b : {&d.min, &d.max}) {
        if (!*b)
            continue;
        const char* name = b == &d.min ? "min" : "max";
        if (!std::isfinite(**b))
            return fail(Error::invalid(std::string(name) + " must be a finite number.", name));
        bool counts = d.type == FieldType::Text || d.type == FieldType::Multichoice;
        if (counts && (**b < 0 || std::floor(**b) != **b))
            return fail(Error::invalid(
                fmt::format("{} of a {} field is a count and must be a whole number of at least "
                            "0.",
                            name, to_string(d.type)),
                name));
        if (d.type == FieldType::Text && **b > static_cast<double>(kMaxTextChars))
            return fail(Error::invalid(
                fmt::format("Text values have at most {} characters.", kMaxTextChars), name));
    }
    if (d.min && d.max && *d.min > *d.max)
        return fail(Error::invalid("min must not be greater than max.", "min"));
    return {};
}

Result<void> validate_pattern(const FieldDefinition& d) {
    if (!d.pattern)
        return {};
    if (d.type != FieldType::Text)
        return fail(Error::invalid("Only text fields can have a pattern.", "pattern"));
    if (d.pattern->empty() || count_chars(*d.pattern) > kMaxPatternChars ||
        has_control_chars(*d.pattern, Lines::Single))
        return fail(Error::invalid(
            fmt::format("A pattern has 1 to {} characters.", kMaxPatternChars), "pattern"));
    return check_pattern_syntax(*d.pattern);
}

} // namespace

Result<void> check_pattern_syntax(const std::string& pattern) {
    try {
        std::regex re(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        return fail(Error::invalid(
            fmt::format("The pattern is not a valid regular expression ({}).", e.what()),
            "pattern"));
    }
    return {};
}

std::optional<std::int64_t> parse_date_days(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    int parts[3] = {0, 0, 0};
    std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p)
        for (std::size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return std::nullopt;
            parts[p] = parts[p] * 10 + (s[i] - '0');
        }
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = parts[0], m = parts[1], d = parts[2];
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap))
        return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_date_days(std::int64_t days) {
    // civil_from_days; the date part of an ISO 8601 time does the same arithmetic.
    return format_iso8601(from_unix_ms(days * 86'400'000)).substr(0, 10);
}

Result<void> validate_definition(const FieldDefinition& d) {
    if (!valid_field_key(d.key))
        return fail(Error::invalid(
            "The key starts with a lower-case letter followed by up to 39 lower-case letters, "
            "digits or underscores, e.g. birth_year.",
            "key"));
    TRY(validate_label(d.label_de, "de"));
    TRY(validate_label(d.label_en, "en"));
    TRY(validate_options(d));
    TRY(validate_bounds(d));
    TRY(validate_pattern(d));
    if (d.retention_days && (*d.retention_days < 1 || *d.retention_days > kMaxRetentionDays))
        return fail(
            Error::invalid("retention_days is between 1 and 36500 (100 years).", "retention_days"));
    if (d.retention_months &&
        (*d.retention_months < 1 || *d.retention_months > kMaxRetentionMonths))
        return fail(Error::invalid("retention_months is between 1 and 1200 (100 years).",
                                   "retention_months"));
    if (d.retention_days && d.retention_months)
        return fail(Error::invalid("Give the retention period in days or in months, not both.",
                                   "retention_months"));
    if (d.department && d.department->empty())
        return fail(Error::invalid("department is a department key or null.", "department"));
    return {};
}

std::vector<std::string> removed_options(const FieldDefinition& before,
                                         const FieldDefinition& after) {
    std::vector<std::string> out;
    for (const auto& o : before.options)
        if (std::find(after.options.begin(), after.options.end(), o) == after.options.end())
            out.push_back(o);
    return out;
}

} // namespace teilhabe::citizens
