#include "web/templates.h"

#include <kainjow/mustache.hpp>
#include <map>

std::optional<std::string_view> webassets_lookup(std::string_view path);

namespace teilhabe::web {

namespace {

using Data = kainjow::mustache::data;

Data to_data(const nlohmann::json& j) {
    switch (j.type()) {
    case nlohmann::json::value_t::object: {
        Data d{Data::type::object};
        for (auto& [k, v] : j.items())
            d.set(k, to_data(v));
        return d;
    }
    case nlohmann::json::value_t::array: {
        Data d{Data::type::list};
        for (const auto& v : j)
            d.push_back(to_data(v));
        return d;
    }
    case nlohmann::json::value_t::boolean: return Data(j.get<bool>());
    // An empty text is false in a section, as in most Mustache implementations: otherwise
    // {{#error}}...{{/error}} shows an empty alert (and marks fields invalid) on a fresh form.
    // As a variable, false renders as nothing, like the empty text it stands for.
    case nlohmann::json::value_t::string:
        return j.get_ref<const std::string&>().empty() ? Data(false) : Data(j.get<std::string>());
    case nlohmann::json::value_t::null: return Data(false);
    default: return Data(j.dump());
    }
}

nlohmann::json nest(Locale l) {
    nlohmann::json root = nlohmann::json::object();
    for (const auto& key : catalogue_keys(l)) {
        nlohmann::json* node = &root;
        std::string_view rest = key;
        for (;;) {
            auto dot = rest.find('.');
            std::string part(rest.substr(0, dot));
            if (dot == std::string_view::npos) {
                (*node)[part] = tr(l, key);
                break;
            }
            if (!(*node)[part].is_object())
                (*node)[part] = nlohmann::json::object();
            node = &(*node)[part];
            rest = rest.substr(dot + 1);
        }
    }
    return root;
}

} // namespace

const nlohmann::json& texts(Locale locale) {
    static const nlohmann::json de = nest(Locale::De);
    static const nlohmann::json en = nest(Locale::En);
    return locale == Locale::En ? en : de;
}

std::optional<std::string_view> static_file(std::string_view path) {
    return webassets_lookup("static/" + std::string(path));
}

Result<std::string> render_template(std::string_view name, const nlohmann::json& data,
                                    Locale locale) {
    // Templates are parsed once per thread: kainjow's renderer keeps state while rendering.
    thread_local std::map<std::string, kainjow::mustache::mustache, std::less<>> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        auto text = webassets_lookup("templates/" + std::string(name) + ".mustache");
        if (!text)
            return fail(Error::internal("template not found: " + std::string(name)));
        kainjow::mustache::mustache m{std::string(*text)};
        if (!m.is_valid())
            return fail(Error::internal("template " + std::string(name) + ": " + m.error_message()));
        it = cache.emplace(std::string(name), std::move(m)).first;
    }
    nlohmann::json full = data;
    full["t"] = texts(locale);
    full["lang"] = to_string(locale);
    return it->second.render(to_data(full));
}

} // namespace teilhabe::web
