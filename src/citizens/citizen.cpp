#include "citizens/citizen.h"

#include "base/clock.h"
#include "citizens/text.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::citizens {

const char* to_string(Language l) {
    return l == Language::En ? "en" : "de";
}

const char* to_string(Channel c) {
    switch (c) {
    case Channel::Email:
        return "email";
    case Channel::Post:
        return "post";
    case Channel::None:
        return "none";
    }
    return "email";
}

std::optional<Language> parse_language(std::string_view s) {
    if (s == "de")
        return Language::De;
    if (s == "en")
        return Language::En;
    return std::nullopt;
}

std::optional<Channel> parse_channel(std::string_view s) {
    if (s == "email")
        return Channel::Email;
    if (s == "post")
        return Channel::Post;
    if (s == "none")
        return Channel::None;
    return std::nullopt;
}

nlohmann::json to_json(const Citizen& c) {
    return {{"id", c.id},
            {"email", c.email},
            {"first_name", c.first_name},
            {"last_name", c.last_name},
            {"language", to_string(c.language)},
            {"preferred_channel", to_string(c.preferred_channel)},
            {"district", c.district},
            {"tags", c.tags},
            {"interests", c.interests},
            {"attributes", c.attributes},
            {"restricted", c.restricted_at.has_value()},
            {"restricted_at", c.restricted_at
                                  ? nlohmann::json(format_iso8601(from_unix_ms(*c.restricted_at)))
                                  : nlohmann::json(nullptr)},
            {"created_at", format_iso8601(from_unix_ms(c.created_at))},
            {"updated_at", format_iso8601(from_unix_ms(c.updated_at))}};
}

namespace {

Error email_error(std::string msg) {
    return Error::invalid(std::move(msg), "email");
}

bool is_atext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// RFC 5321/5322 "dot-atom" local part, the form mail servers accept without quoting.
Result<void> validate_local(std::string_view local) {
    if (local.empty())
        return fail(email_error("The part before the @ is missing."));
    if (local.size() > 64)
        return fail(email_error("The part before the @ may have at most 64 characters."));
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return fail(email_error(
            "The part before the @ cannot start or end with a dot or have two dots in a row."));
    for (char c : local)
        if (c != '.' && !is_atext(c))
            return fail(email_error(fmt::format(
                "The part before the @ contains '{}', which an e-mail address cannot contain.",
                c)));
    return {};
}

// A host name (RFC 1123): labels of letters, digits and hyphens, joined by dots.
Result<void> validate_domain(std::string_view domain) {
    if (domain.empty())
        return fail(email_error("The part after the @ (the domain, e.g. example.org) is missing."));
    if (domain.find('.') == std::string_view::npos)
        return fail(email_error("The domain after the @ needs a dot, e.g. example.org."));
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto dot = domain.find('.', start);
        auto label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty())
            return fail(email_error("The domain after the @ cannot have two dots in a row or "
                                    "start or end with a dot."));
        if (label.size() > 63)
            return fail(email_error("A part of the domain may have at most 63 characters."));
        if (label.front() == '-' || label.back() == '-')
            return fail(email_error("A part of the domain cannot start or end with a hyphen."));
        for (char c : label)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return fail(email_error(fmt::format(
                    "The domain after the @ contains '{}'; only letters, digits, hyphens and "
                    "dots are possible.",
                    c)));
        if (dot == std::string_view::npos) {
            if (std::all_of(label.begin(), label.end(),
                            [](char c) { return c >= '0' && c <= '9'; }))
                return fail(email_error("The domain must end in a name such as .de or .org."));
            break;
        }
        start = dot + 1;
    }
    return {};
}

} // namespace

Result<void> validate_email(std::string_view e) {
    if (e.empty())
        return fail(email_error("The e-mail address is missing."));
    if (e.size() > 254)
        return fail(email_error("An e-mail address may have at most 254 characters."));
    for (char c : e) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x80)
            return fail(email_error(
                "E-mail addresses with letters such as ä, ö or ü are not supported; for an "
                "international domain use its xn-- form."));
        if (u <= 0x20 || u == 0x7F)
            return fail(email_error("An e-mail address cannot contain spaces."));
    }
    auto at = e.find('@');
    if (at == std::string_view::npos)
        return fail(email_error("An e-mail address needs an @, e.g. name@example.org."));
    if (e.find('@', at + 1) != std::string_view::npos)
        return fail(email_error("An e-mail address has only one @."));
    TRY(validate_local(e.substr(0, at)));
    return validate_domain(e.substr(at + 1));
}

Result<std::string> normalise_tag(std::string_view tag) {
    auto bad = [&](std::string msg) { return fail(Error::invalid(std::move(msg), "tags")); };
    if (!valid_utf8(tag))
        return bad("A tag is not valid UTF-8 text.");
    std::string t = lower(trim(tag));
    if (t.empty())
        return bad("A tag cannot be empty.");
    if (count_chars(t) > 50)
        return bad("A tag may have at most 50 characters.");
    if (has_control_chars(t, Lines::Single) || t.find(',') != std::string::npos)
        return bad(fmt::format("The tag '{}' cannot contain commas or control characters.", t));
    return t;
}

} // namespace teilhabe::citizens
