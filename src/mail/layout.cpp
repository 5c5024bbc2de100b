#include "mail/layout.h"

#include "mail/placeholders.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

std::optional<std::string_view> mailassets_lookup(std::string_view path);

namespace teilhabe::mail {

namespace {

using Data = kainjow::mustache::data;

std::string asset(std::string_view name) {
    auto a = mailassets_lookup(name);
    if (!a)
        std::abort(); // the build embeds web/templates/mail; a missing file is a broken build
    return std::string(*a);
}

const nlohmann::json& texts(Language lang) {
    static const nlohmann::json all = nlohmann::json::parse(asset("texts.json"));
    return all.at(lang == Language::English ? "en" : "de");
}

bool http_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

// Staff-entered settings lose any private-use characters (reserved for slots).
Data text(std::string_view s) {
    auto clean = detail::strip_private_use(s);
    return clean.empty() ? Data(false) : Data(clean);
}

std::string join_topics(const std::vector<std::string>& names, const nlohmann::json& t) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " " + t.at("and").get<std::string>() + " " : ", ";
        out += "„" + names[i] + "“";
    }
    return out;
}

Data layout_data(const LayoutSettings& s, Language lang, const std::vector<std::string>& topics,
                 const detail::LayoutSlots& slots) {
    const auto& t = texts(lang);
    Data tx{Data::type::object};
    for (auto& [k, v] : t.items())
        tx.set(k, v.get<std::string>());
    std::string why = t.at(topics.empty() ? "why_general" : "why_topics").get<std::string>();
    auto replace = [&](std::string_view key, const std::string& value) {
        auto pos = why.find(key);
        if (pos != std::string::npos)
            why.replace(pos, key.size(), value);
    };
    replace("{town}", s.branding.town_name);
    replace("{topics}", join_topics(topics, t));
    Data imprint{Data::type::object};
    imprint.set("organisation", text(s.imprint.organisation));
    imprint.set("street", text(s.imprint.street));
    imprint.set("postcode_city", text(s.imprint.postcode_city));
    imprint.set("represented_by", text(s.imprint.represented_by));
    imprint.set("phone", text(s.imprint.phone));
    imprint.set("email", text(s.imprint.email));
    imprint.set("imprint_url", text(s.imprint.imprint_url));
    imprint.set("privacy_url", text(s.imprint.privacy_url));
    Data d{Data::type::object};
    d.set("lang", std::string(lang == Language::English ? "en" : "de"));
    d.set("t", tx);
    d.set("why", detail::strip_private_use(why));
    d.set("imprint", imprint);
    d.set("town_name", text(s.branding.town_name));
    d.set("logo_url", text(s.branding.logo_url));
    d.set("primary_color", std::string(s.branding.primary_color));
    d.set("subject", slots.subject);
    d.set("preheader", slots.preheader);
    d.set("unsubscribe_url", slots.unsubscribe);
    d.set("preferences_url", slots.preferences);
    return d;
}

Result<std::string> render(const std::string& name, Data& data, bool html) {
    kainjow::mustache::mustache tpl(asset(name));
    if (!tpl.is_valid())
        return fail(Error::internal(fmt::format("mail layout {}: {}", name, tpl.error_message())));
    if (!html)
        tpl.set_custom_escape([](const std::string& s) { return s; });
    auto out = tpl.render(data);
    if (!tpl.is_valid())
        return fail(Error::internal(fmt::format("mail layout {}: {}", name, tpl.error_message())));
    return out;
}

} // namespace

Result<> validate(const LayoutSettings& s) {
    const auto& c = s.branding.primary_color;
    bool hex = c.size() == 7 && c[0] == '#' &&
               c.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
    if (!hex)
        return fail(Error::invalid("the primary colour must be #rrggbb", "primary_color"));
    if (!s.branding.logo_url.empty() && !http_url(s.branding.logo_url))
        return fail(Error::invalid("the logo URL must start with https://", "logo_url"));
    for (auto* url : {&s.imprint.imprint_url, &s.imprint.privacy_url})
        if (!url->empty() && !http_url(*url))
            return fail(Error::invalid("imprint and privacy links must start with https://",
                                       "imprint_url"));
    if (s.imprint.organisation.empty())
        return fail(Error::invalid("the imprint needs the organisation's name", "organisation"));
    return {};
}

Language language_from_tag(std::string_view tag) {
    return tag.size() >= 2 && (tag[0] == 'e' || tag[0] == 'E') &&
                   (tag[1] == 'n' || tag[1] == 'N') &&
                   (tag.size() == 2 || tag[2] == '-' || tag[2] == '_')
               ? Language::English
               : Language::German;
}

std::string_view mail_asset(std::string_view name) {
    auto a = mailassets_lookup(name);
    return a ? *a : std::string_view{};
}

namespace detail {

Result<std::string> render_layout_html(const LayoutSettings& s, Language lang,
                                       const std::vector<std::string>& topics,
                                       const LayoutSlots& slots) {
    TRY(validate(s));
    Data d = layout_data(s, lang, topics, slots);
    d.set("content", slots.content_html);
    return render("layout.html", d, true);
}

Result<std::string> render_layout_text(const LayoutSettings& s, Language lang,
                                       const std::vector<std::string>& topics,
                                       const LayoutSlots& slots) {
    TRY(validate(s));
    Data d = layout_data(s, lang, topics, slots);
    d.set("content", slots.content_text);
    return render("layout.txt", d, false);
}

} // namespace detail

} // namespace teilhabe::mail
