#include "citizens/field_value.h"

#include "citizens/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <regex>
#include <unordered_map>

namespace teilhabe::citizens {

namespace {

using nlohmann::json;

Error value_error(const FieldDefinition& d, std::string msg) {
    return Error::invalid(std::move(msg), "attributes." + d.key);
}

std::string list_options(const std::vector<std::string>& options) {
    std::string out;
    for (std::size_t i = 0; i < options.size() && i < 10; ++i)
        out += (i ? ", " : "") + ("\"" + options[i] + "\"");
    return options.size() > 10 ? out + ", ..." : out;
}

// Compiling a pattern costs far more than matching it, and an import checks the same few
// patterns a million times: the compiled forms are kept per thread, a handful at most.
const std::regex& compiled(const std::string& pattern) {
    thread_local std::unordered_map<std::string, std::regex> cache;
    if (auto it = cache.find(pattern); it != cache.end())
        return it->second;
    if (cache.size() >= 32)
        cache.clear();
    std::regex re(pattern, std::regex::ECMAScript); // may throw std::regex_error
    return cache.emplace(pattern, std::move(re)).first->second;
}

Result<StoredValue> text_value(const FieldDefinition& d, const json& v) {
    if (!v.is_string())
        return fail(value_error(d, d.key + " must be text (a string)."));
    std::string s = trim(v.get<std::string>());
    if (s.empty())
        return StoredValue{};
    auto n = count_chars(s);
    auto max = d.max ? static_cast<std::size_t>(*d.max) : kMaxTextChars;
    if (n > max)
        return fail(value_error(d, fmt::format("{} may have at most {} characters.", d.key, max)));
    if (d.min && n < static_cast<std::size_t>(*d.min))
        return fail(
            value_error(d, fmt::format("{} must have at least {} characters.", d.key, *d.min)));
    if (has_control_chars(s, Lines::Multi))
        return fail(value_error(d, d.key + " cannot contain control characters."));
    if (d.pattern) {
        // Definitions are validated when saved, so this cannot throw unless the stored
        // pattern was changed behind the application's back.
        try {
            if (!std::regex_match(s, compiled(*d.pattern)))
                return fail(value_error(
                    d, fmt::format("{} does not have the expected form ({}).", d.key, *d.pattern)));
        } catch (const std::regex_error&) {
            return fail(Error::internal("stored pattern of field " + d.key + " does not compile"));
        }
    }
    return StoredValue{{std::move(s)}, std::nullopt};
}

Result<StoredValue> number_value(const FieldDefinition& d, const json& v) {
    if (!v.is_number())
        return fail(value_error(d, d.key + " must be a number, e.g. 42 or 2.5."));
    double n = v.get<double>();
    if (d.min && n < *d.min)
        return fail(value_error(
            d, fmt::format("{} must be at least {}.", d.key, canonical_number(*d.min))));
    if (d.max && n > *d.max)
        return fail(
            value_error(d, fmt::format("{} must be at most {}.", d.key, canonical_number(*d.max))));
    return StoredValue{{canonical_number(n)}, n};
}

Result<StoredValue> date_value(const FieldDefinition& d, const json& v) {
    auto days = v.is_string() ? parse_date_days(v.get<std::string>()) : std::nullopt;
    if (!days)
        return fail(value_error(d, d.key + " must be a date written as YYYY-MM-DD, e.g. "
                                           "1990-12-31."));
    if (d.min && static_cast<double>(*days) < *d.min)
        return fail(
            value_error(d, fmt::format("{} must not be before {}.", d.key,
                                       format_date_days(static_cast<std::int64_t>(*d.min)))));
    if (d.max && static_cast<double>(*days) > *d.max)
        return fail(
            value_error(d, fmt::format("{} must not be after {}.", d.key,
                                       format_date_days(static_cast<std::int64_t>(*d.max)))));
    return StoredValue{{format_date_days(*days)}, std::nullopt};
}

Result<StoredValue> choice_value(const FieldDefinition& d, const json& v) {
    bool known = v.is_string() && std::find(d.options.begin(), d.options.end(),
                                            v.get<std::string>()) != d.options.end();
    if (!known)
        return fail(
            value_error(d, fmt::format("{} must be one of {}.", d.key, list_options(d.options))));
    return StoredValue{{v.get<std::string>()}, std::nullopt};
}

Result<StoredValue> multichoice_value(const FieldDefinition& d, const json& v) {
    if (!v.is_array())
        return fail(value_error(
            d, fmt::format("{} is a list of options from {}.", d.key, list_options(d.options))));
    StoredValue out;
    for (const auto& o : v) {
        bool known = o.is_string() && std::find(d.options.begin(), d.options.end(),
                                                o.get<std::string>()) != d.options.end();
        if (!known)
            return fail(value_error(d, fmt::format("{} can only hold options from {}.", d.key,
                                                   list_options(d.options))));
        out.texts.push_back(o.get<std::string>());
    }
    std::sort(out.texts.begin(), out.texts.end());
    out.texts.erase(std::unique(out.texts.begin(), out.texts.end()), out.texts.end());
    auto n = static_cast<double>(out.texts.size());
    if (n > 0 && d.min && n < *d.min)
        return fail(value_error(
            d, fmt::format("Choose at least {} options for {}.", canonical_number(*d.min), d.key)));
    if (d.max && n > *d.max)
        return fail(value_error(
            d, fmt::format("Choose at most {} options for {}.", canonical_number(*d.max), d.key)));
    return out;
}

} // namespace

std::string canonical_number(double n) {
    if (n == 0)
        return "0"; // also -0
    if (std::floor(n) == n && std::fabs(n) < 9.0e15)
        return std::to_string(static_cast<std::int64_t>(n));
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n); // shortest round-trip form
    return std::string(buf, end);
}

Result<StoredValue> validate_value(const FieldDefinition& d, const json& v) {
    StoredValue out;
    if (!v.is_null()) {
        switch (d.type) {
        case FieldType::Text:
            out = TRY(text_value(d, v));
            break;
        case FieldType::Number:
            out = TRY(number_value(d, v));
            break;
        case FieldType::Date:
            out = TRY(date_value(d, v));
            break;
        case FieldType::Bool:
            if (!v.is_boolean())
                return fail(value_error(d, d.key + " must be true or false."));
            out.texts = {v.get<bool>() ? "true" : "false"};
            break;
        case FieldType::Choice:
            out = TRY(choice_value(d, v));
            break;
        case FieldType::Multichoice:
            out = TRY(multichoice_value(d, v));
            break;
        }
    }
    if (out.texts.empty() && d.required)
        return fail(value_error(d, d.key + " is required and cannot be empty."));
    return out;
}

Result<json> parse_value_text(const FieldDefinition& d, std::string_view raw) {
    if (!valid_utf8(raw))
        return fail(value_error(d, "The value is not valid UTF-8 text."));
    std::string text = trim(raw);
    switch (d.type) {
    case FieldType::Number: {
        double n = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (text.empty() || ec != std::errc{} || p != text.data() + text.size() ||
            !std::isfinite(n))
            return fail(value_error(d, d.key + " must be a number, e.g. 42 or 2.5."));
        return json(n);
    }
    case FieldType::Bool: {
        std::string l = lower(text);
        if (l == "true" || l == "1" || l == "yes" || l == "ja")
            return json(true);
        if (l == "false" || l == "0" || l == "no" || l == "nein")
            return json(false);
        return fail(value_error(d, d.key + " must be true or false."));
    }
    case FieldType::Multichoice:
        return json::array({text});
    case FieldType::Text:
    case FieldType::Date:
    case FieldType::Choice:
        return json(text);
    }
    return json(text);
}

std::optional<StoredValue> convert_value(const std::vector<std::string>& texts,
                                         const FieldDefinition& to) {
    if (texts.empty())
        return std::nullopt;
    json typed;
    if (to.type == FieldType::Multichoice) {
        typed = texts;
    } else {
        if (texts.size() != 1)
            return std::nullopt;
        auto parsed = parse_value_text(to, texts.front());
        if (!parsed)
            return std::nullopt;
        typed = std::move(*parsed);
    }
    auto checked = validate_value(to, typed);
    if (!checked || checked->texts.empty())
        return std::nullopt;
    return std::move(*checked);
}

json value_to_json(FieldType type, const std::vector<std::string>& texts) {
    if (type == FieldType::Multichoice)
        return texts;
    if (texts.empty())
        return nullptr;
    const std::string& t = texts.front();
    switch (type) {
    case FieldType::Number: {
        double n = 0;
        std::from_chars(t.data(), t.data() + t.size(), n);
        if (std::floor(n) == n && std::fabs(n) < 9.0e15)
            return static_cast<std::int64_t>(n);
        return n;
    }
    case FieldType::Bool:
        return t == "true";
    default:
        return t;
    }
}

} // namespace teilhabe::citizens
