#include "admin/citizen_form.h"

#include "citizens/field_value.h"
#include "web/respond.h"

#include <algorithm>
#include <cctype>

namespace teilhabe::admin::detail {

using citizens::FieldDefinition;
using citizens::FieldType;
using nlohmann::json;

namespace {

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

json split_tags(const std::string& text) {
    json out = json::array();
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string tag = trimmed(text.substr(start, comma == std::string::npos ? std::string::npos
                                                                                 : comma - start));
        if (!tag.empty())
            out.push_back(tag);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

// The typed value of one custom field from its texts; null for "no value".
std::optional<json> attribute_value(const FieldDefinition& def,
                                    const std::vector<std::string>& texts, Error& error) {
    if (def.type == FieldType::Multichoice) {
        json list = json::array();
        for (const auto& t : texts)
            if (!t.empty())
                list.push_back(t);
        return list.empty() ? json(nullptr) : list;
    }
    std::string text = texts.empty() ? std::string() : trimmed(texts.front());
    if (text.empty())
        return json(nullptr);
    auto parsed = citizens::parse_value_text(def, text);
    if (!parsed) {
        error = parsed.error();
        if (error.field.empty())
            error.field = "attributes." + def.key;
        return std::nullopt;
    }
    return *parsed;
}

// The body the JSON API would take, member by member.
json body_of(const CitizenFormValues& v) {
    return {{"email", v.email},         {"first_name", v.first_name},
            {"last_name", v.last_name}, {"language", v.language},
            {"preferred_channel", v.channel}, {"district", v.district},
            {"tags", split_tags(v.tags)}, {"interests", v.interests}};
}

json options_of(const std::vector<std::pair<std::string, std::string>>& values,
                const std::string& chosen) {
    json out = json::array();
    for (const auto& [value, label] : values)
        out.push_back({{"value", value}, {"label", label}, {"selected", value == chosen}});
    return out;
}

} // namespace

std::vector<std::string> attribute_texts(FieldType type, const json& value) {
    if (value.is_null())
        return {};
    if (value.is_array()) {
        std::vector<std::string> out;
        for (const auto& v : value)
            out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        return out;
    }
    if (value.is_boolean())
        return {value.get<bool>() ? "yes" : "no"};
    if (value.is_number())
        return {citizens::canonical_number(value.get<double>())};
    if (value.is_string())
        return {value.get<std::string>()};
    (void)type;
    return {value.dump()};
}

CitizenFormValues values_from_form(const Form& form, const std::vector<FieldDefinition>& defs) {
    CitizenFormValues v;
    v.email = web::form_value(form, "email");
    v.first_name = web::form_value(form, "first_name");
    v.last_name = web::form_value(form, "last_name");
    // A form without the selects (a script, an old page) keeps the defaults.
    if (auto l = web::form_value(form, "language"); !l.empty())
        v.language = l;
    if (auto ch = web::form_value(form, "preferred_channel"); !ch.empty())
        v.channel = ch;
    v.district = web::form_value(form, "district");
    v.tags = web::form_value(form, "tags");
    v.interests = form_values(form, "interests");
    for (const auto& d : defs)
        v.attributes[d.key] = form_values(form, "attr." + d.key);
    return v;
}

CitizenFormValues values_from_citizen(const citizens::Citizen& c,
                                      const std::vector<FieldDefinition>& defs) {
    CitizenFormValues v{c.email, c.first_name, c.last_name, c.district, {},
                        citizens::to_string(c.language), citizens::to_string(c.preferred_channel),
                        c.interests, {}};
    for (const auto& t : c.tags)
        v.tags += (v.tags.empty() ? "" : ", ") + t;
    for (const auto& d : defs)
        if (c.attributes.contains(d.key))
            v.attributes[d.key] = attribute_texts(d.type, c.attributes[d.key]);
    return v;
}

std::optional<citizens::CitizenChanges>
changes_from_values(const web::RouteContext& ctx, const CitizenFormValues& v,
                    const std::vector<FieldDefinition>& defs, citizens::InputMode mode,
                    FieldErrors& errors) {
    json body = body_of(v);
    // Member by member, so that every wrong one gets its message at once.
    for (const auto& [member, value] : body.items()) {
        if (member == "email" && v.email.empty() && mode == citizens::InputMode::Create) {
            errors["email"] = {tr(ctx, "citizens.errors.email_missing"), ""};
            continue;
        }
        auto one = citizens::parse_citizen_input(json{{member, value}}, citizens::InputMode::Patch);
        if (!one)
            add_input_error(ctx, "citizens", one.error(), errors);
    }
    json attributes = json::object();
    for (const auto& d : defs) {
        Error e;
        auto it = v.attributes.find(d.key);
        auto value = attribute_value(d, it == v.attributes.end() ? std::vector<std::string>{}
                                                                  : it->second, e);
        if (!value)
            add_input_error(ctx, "citizens", e, errors);
        else if (!value->is_null() || mode == citizens::InputMode::Patch)
            attributes[d.key] = *value;
    }
    if (!errors.empty())
        return std::nullopt;
    body["attributes"] = attributes;
    auto all = citizens::parse_citizen_input(body, mode);
    if (!all) {
        add_input_error(ctx, "citizens", all.error(), errors);
        return std::nullopt;
    }
    return *all;
}

json citizen_form_data(const web::RouteContext& ctx, const CitizenFormView& view,
                       const CitizenFormValues& v, const std::vector<FieldDefinition>& defs,
                       const std::vector<store::NamedRow>& topics, const FieldErrors& errors) {
    std::map<std::string, std::string> anchors{
        {"email", "email"}, {"first_name", "first_name"}, {"last_name", "last_name"},
        {"language", "language"}, {"preferred_channel", "preferred_channel"},
        {"district", "district"}, {"tags", "tags"}, {"interests", "interests"}};
    json fields = json::array();
    for (const auto& d : defs) {
        std::string member = "attributes." + d.key;
        anchors[member] = "attr-" + d.key;
        auto it = v.attributes.find(d.key);
        std::vector<std::string> texts = it == v.attributes.end() ? std::vector<std::string>{}
                                                                   : it->second;
        std::string first = texts.empty() ? "" : texts.front();
        json f = form_field(first, errors, member);
        f["key"] = d.key;
        f["label"] = field_label(ctx, d);
        f["required"] = d.required;
        f["is_text"] = d.type == FieldType::Text;
        f["is_number"] = d.type == FieldType::Number;
        f["is_date"] = d.type == FieldType::Date;
        f["is_bool"] = d.type == FieldType::Bool;
        f["is_choice"] = d.type == FieldType::Choice;
        f["is_multichoice"] = d.type == FieldType::Multichoice;
        f["is_yes"] = first == "yes" || first == "ja" || first == "true";
        f["is_no"] = first == "no" || first == "nein" || first == "false";
        json options = json::array();
        int n = 0;
        for (const auto& o : d.options)
            options.push_back({{"value", o},
                               {"id", "attr-" + d.key + "-" + std::to_string(n++)},
                               {"selected", std::find(texts.begin(), texts.end(), o) != texts.end()}});
        f["options"] = options;
        fields.push_back(f);
    }
    json topic_items = json::array();
    for (const auto& t : topics)
        topic_items.push_back(
            {{"key", t.key},
             {"label", ctx.locale == web::Locale::En ? t.name_en : t.name_de},
             {"checked", std::find(v.interests.begin(), v.interests.end(), t.key) != v.interests.end()}});
    return {{"action", view.action},
            {"heading", view.heading},
            {"submit", view.submit},
            {"cancel", view.cancel},
            {"errors", error_summary(errors, anchors)},
            {"has_errors", !errors.empty()},
            {"form_error", form_field("", errors, "")},
            {"email", form_field(v.email, errors, "email")},
            {"first_name", form_field(v.first_name, errors, "first_name")},
            {"last_name", form_field(v.last_name, errors, "last_name")},
            {"district", form_field(v.district, errors, "district")},
            {"tags", form_field(v.tags, errors, "tags")},
            {"interests", form_field("", errors, "interests")},
            {"language", form_field(v.language, errors, "language")},
            {"channel", form_field(v.channel, errors, "preferred_channel")},
            {"languages", options_of({{"de", tr(ctx, "citizens.lang_de")},
                                      {"en", tr(ctx, "citizens.lang_en")}},
                                     v.language)},
            {"channels", options_of({{"email", tr(ctx, "citizens.channel_email")},
                                     {"post", tr(ctx, "citizens.channel_post")},
                                     {"none", tr(ctx, "citizens.channel_none")}},
                                    v.channel)},
            {"topics", topic_items},
            {"has_topics", !topic_items.empty()},
            {"fields", fields},
            {"has_fields", !fields.empty()}};
}

} // namespace teilhabe::admin::detail
