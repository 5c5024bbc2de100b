#include "web/i18n.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

std::optional<std::string_view> webassets_lookup(std::string_view path);

namespace teilhabe::web {

namespace {

using Catalogue = std::map<std::string, std::string, std::less<>>;

Catalogue load(const char* path) {
    Catalogue out;
    auto text = webassets_lookup(path);
    if (!text)
        return out;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object())
        return out;
    for (auto& [k, v] : j.items())
        if (v.is_string())
            out.emplace(k, v.get<std::string>());
    return out;
}

const Catalogue& catalogue(Locale l) {
    static const Catalogue de = load("i18n/de.json");
    static const Catalogue en = load("i18n/en.json");
    return l == Locale::En ? en : de;
}

} // namespace

const char* to_string(Locale l) { return l == Locale::En ? "en" : "de"; }

Locale parse_locale(std::string_view s, Locale fallback) {
    if (s.starts_with("en"))
        return Locale::En;
    if (s.starts_with("de"))
        return Locale::De;
    return fallback;
}

Locale choose_locale(const http::Request& req) {
    if (auto c = req.cookie("lang"))
        return parse_locale(*c);
    auto al = req.header("accept-language");
    if (!al)
        return Locale::De;
    // The first language we have wins, in the order the browser lists them.
    std::string_view rest = *al;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        if (item.starts_with("de"))
            return Locale::De;
        if (item.starts_with("en"))
            return Locale::En;
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return Locale::De;
}

const std::string& tr(Locale l, std::string_view key) {
    const auto& c = catalogue(l);
    if (auto it = c.find(key); it != c.end())
        return it->second;
    static thread_local std::string missing;
    missing = std::string(key);
    return missing;
}

std::vector<std::string> catalogue_keys(Locale l) {
    std::vector<std::string> out;
    for (const auto& [k, v] : catalogue(l))
        out.push_back(k);
    return out;
}

} // namespace teilhabe::web
