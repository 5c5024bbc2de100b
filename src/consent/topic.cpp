#include "consent/topic.h"

#include "base/clock.h"

#include <fmt/format.h>

namespace teilhabe::consent {

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDescription = 2000;

Result<std::optional<std::string>> text_member(const nlohmann::json& body, const char* name,
                                               std::size_t max) {
    if (!body.contains(name))
        return std::optional<std::string>{};
    const auto& v = body[name];
    if (!v.is_string())
        return fail(Error::invalid(fmt::format("{} must be a string", name), name));
    auto s = v.get<std::string>();
    if (s.size() > max)
        return fail(Error::invalid(fmt::format("{} must have at most {} characters", name, max),
                                   name));
    return std::optional<std::string>(std::move(s));
}

Result<std::optional<bool>> bool_member(const nlohmann::json& body, const char* name) {
    if (!body.contains(name))
        return std::optional<bool>{};
    if (!body[name].is_boolean())
        return fail(Error::invalid(fmt::format("{} must be true or false", name), name));
    return std::optional<bool>(body[name].get<bool>());
}

std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

} // namespace

const std::string& Topic::name(std::string_view language) const {
    if (language == "en")
        return name_en.empty() ? name_de : name_en;
    return name_de.empty() ? name_en : name_de;
}

const std::string& Topic::description(std::string_view language) const {
    if (language == "en")
        return description_en.empty() ? description_de : description_en;
    return description_de.empty() ? description_en : description_de;
}

Result<void> validate_topic_key(std::string_view key) {
    if (key.size() < 2 || key.size() > 50)
        return fail(Error::invalid("The key must have 2 to 50 characters.", "key"));
    for (char ch : key)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return fail(Error::invalid(
                "The key may contain only lower-case letters a-z, digits, '-' and '_'.", "key"));
    return {};
}

Result<TopicInput> parse_topic_input(const nlohmann::json& body, InputMode mode) {
    static const char* known[] = {"key",         "name_de",       "name_en", "description_de",
                                  "description_en", "department_id", "public", "active",
                                  "id",          "created_at",    "updated_at", "subscribers",
                                  "consents"};
    for (const auto& [k, v] : body.items())
        if (std::ranges::find_if(known, [&](const char* n) { return k == n; }) == std::end(known))
            return fail(Error::invalid(fmt::format("unknown member {}", k), k));
    TopicInput in;
    in.key = TRY(text_member(body, "key", 50));
    in.name_de = TRY(text_member(body, "name_de", kMaxName));
    in.name_en = TRY(text_member(body, "name_en", kMaxName));
    in.description_de = TRY(text_member(body, "description_de", kMaxDescription));
    in.description_en = TRY(text_member(body, "description_en", kMaxDescription));
    if (in.name_de)
        in.name_de = trimmed(*in.name_de);
    if (in.name_en)
        in.name_en = trimmed(*in.name_en);
    if (body.contains("department_id")) {
        const auto& d = body["department_id"];
        if (d.is_null())
            in.department_id = std::optional<std::int64_t>{};
        else if (d.is_number_integer() && d.get<std::int64_t>() > 0)
            in.department_id = std::optional<std::int64_t>(d.get<std::int64_t>());
        else
            return fail(Error::invalid("department_id must be a department's id or null",
                                       "department_id"));
    }
    in.is_public = TRY(bool_member(body, "public"));
    in.active = TRY(bool_member(body, "active"));
    TRY(validate_topic_input(in, mode));
    return in;
}

Result<void> validate_topic_input(const TopicInput& in, InputMode mode) {
    if (mode == InputMode::Create) {
        if (!in.key)
            return fail(Error::invalid("The key is missing.", "key"));
        if (!in.name_de || in.name_de->empty())
            return fail(Error::invalid("The German name is missing.", "name_de"));
    }
    if (in.key)
        TRY(validate_topic_key(*in.key));
    if (in.name_de && in.name_de->empty())
        return fail(Error::invalid("The German name must not be empty.", "name_de"));
    return {};
}

nlohmann::json to_json(const Topic& t) {
    return {{"id", t.id},
            {"key", t.key},
            {"name_de", t.name_de},
            {"name_en", t.name_en},
            {"description_de", t.description_de},
            {"description_en", t.description_en},
            {"department_id", t.department_id ? nlohmann::json(*t.department_id) : nullptr},
            {"public", t.is_public},
            {"active", t.active()},
            {"subscribers", t.subscribers},
            {"created_at", format_iso8601(from_unix_ms(t.created_at))},
            {"updated_at", format_iso8601(from_unix_ms(t.updated_at))}};
}

} // namespace teilhabe::consent
