// Reading a citizen from a request body: the POST shape and the JSON merge patch (RFC 7396).

#include "citizens/citizen.h"
#include "citizens/text.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::citizens {

namespace {

using nlohmann::json;

// Names and district: trimmed single-line text of at most 100 characters.
Result<std::string> read_short_text(const json& v, const std::string& name) {
    if (!v.is_string())
        return fail(Error::invalid(name + " must be a string", name));
    std::string s = trim(v.get<std::string>());
    if (count_chars(s) > kMaxNameChars)
        return fail(Error::invalid(
            fmt::format("{} may have at most {} characters", name, kMaxNameChars), name));
    if (has_control_chars(s, Lines::Single))
        return fail(
            Error::invalid(name + " cannot contain line breaks or control characters", name));
    return s;
}

Result<std::vector<std::string>> read_tags(const json& v) {
    if (v.is_null())
        return std::vector<std::string>{};
    if (!v.is_array())
        return fail(Error::invalid("tags must be a list of strings", "tags"));
    if (v.size() > kMaxTags)
        return fail(
            Error::invalid(fmt::format("a person can have at most {} tags", kMaxTags), "tags"));
    std::vector<std::string> out;
    for (const auto& t : v) {
        if (!t.is_string())
            return fail(Error::invalid("tags must be a list of strings", "tags"));
        out.push_back(TRY(normalise_tag(t.get<std::string>())));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Result<std::vector<std::string>> read_interests(const json& v) {
    if (v.is_null())
        return std::vector<std::string>{};
    if (!v.is_array() || v.size() > kMaxInterests)
        return fail(Error::invalid(
            fmt::format("interests must be a list of at most {} topic keys", kMaxInterests),
            "interests"));
    std::vector<std::string> out;
    for (const auto& t : v) {
        if (!t.is_string() || t.get<std::string>().empty() ||
            has_control_chars(t.get<std::string>(), Lines::Single))
            return fail(
                Error::invalid("interests must be a list of topic keys (strings)", "interests"));
        out.push_back(t.get<std::string>());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Result<void> read_attributes(const json& v, CitizenChanges& out) {
    if (v.is_null()) {
        out.clear_attributes = true;
        return {};
    }
    if (!v.is_object())
        return fail(
            Error::invalid("attributes must be an object of field keys and values", "attributes"));
    for (const auto& [key, value] : v.items())
        out.attributes.emplace_back(key, value);
    return {};
}

// A member that cannot be removed: null is refused in a patch and means "absent" on create.
Result<bool> present(const json& v, const std::string& name, InputMode mode) {
    if (!v.is_null())
        return true;
    if (mode == InputMode::Create)
        return false;
    return fail(Error::invalid(name + " cannot be removed, only changed", name));
}

Result<void> read_member(const std::string& key, const json& v, InputMode mode,
                         CitizenChanges& out) {
    if (key == "email") {
        if (!TRY(present(v, key, mode)))
            return {};
        if (!v.is_string())
            return fail(Error::invalid("email must be a string", "email"));
        std::string email = normalise_email(v.get<std::string>());
        TRY(validate_email(email));
        out.email = std::move(email);
    } else if (key == "first_name" || key == "last_name" || key == "district") {
        // Removing a name or district in a merge patch leaves it empty.
        std::string text = v.is_null() ? std::string() : TRY(read_short_text(v, key));
        (key == "first_name"  ? out.first_name
         : key == "last_name" ? out.last_name
                              : out.district) = std::move(text);
    } else if (key == "language") {
        if (!TRY(present(v, key, mode)))
            return {};
        auto l = v.is_string() ? parse_language(v.get<std::string>()) : std::nullopt;
        if (!l)
            return fail(Error::invalid("language must be \"de\" or \"en\"", "language"));
        out.language = *l;
    } else if (key == "preferred_channel") {
        if (!TRY(present(v, key, mode)))
            return {};
        auto c = v.is_string() ? parse_channel(v.get<std::string>()) : std::nullopt;
        if (!c)
            return fail(Error::invalid("preferred_channel must be \"email\", \"post\" or \"none\"",
                                       "preferred_channel"));
        out.preferred_channel = *c;
    } else if (key == "tags") {
        out.tags = TRY(read_tags(v));
    } else if (key == "interests") {
        out.interests = TRY(read_interests(v));
    } else if (key == "attributes") {
        TRY(read_attributes(v, out));
    } else if (key == "id" || key == "created_at" || key == "updated_at" || key == "restricted" ||
               key == "restricted_at") {
        // Read-only; restriction has its own route (GDPR Art. 18 requests).
    } else {
        return fail(Error::invalid(
            fmt::format("unknown member '{}'; a citizen has email, first_name, last_name, "
                        "language, preferred_channel, district, tags, interests and attributes",
                        key),
            key));
    }
    return {};
}

} // namespace

Result<CitizenChanges> parse_citizen_input(const json& body, InputMode mode) {
    if (!body.is_object())
        return fail(Error::invalid("The body must be a JSON object."));
    CitizenChanges out;
    for (const auto& [key, value] : body.items())
        TRY(read_member(key, value, mode, out));
    if (mode == InputMode::Create && !out.email)
        return fail(Error::invalid("The e-mail address is missing.", "email"));
    return out;
}

} // namespace teilhabe::citizens
