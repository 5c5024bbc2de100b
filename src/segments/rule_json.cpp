#include "segments/rule_json.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::segments {

namespace {

using nlohmann::json;

Error at(const std::string& pointer, std::string message) {
    return Error::invalid(std::move(message), pointer.empty() ? "/" : pointer);
}

Result<std::string> text_member(const json& j, const char* key, const std::string& pointer) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return fail(at(pointer + "/" + key, fmt::format("'{}' must be a string", key)));
    return it->get<std::string>();
}

Result<Op> op_member(const json& j, Op fallback, const std::string& pointer) {
    auto it = j.find("op");
    if (it == j.end())
        return fallback;
    if (!it->is_string() || !parse_op_name(it->get<std::string>()))
        return fail(at(pointer + "/op", "op is one of eq, ne, lt, le, gt, ge, contains"));
    return *parse_op_name(it->get<std::string>());
}

Result<Value> value_member(const json& j, const std::string& pointer) {
    auto it = j.find("value");
    if (it == j.end())
        return fail(at(pointer + "/value", "a value is missing"));
    if (it->is_string())
        return Value(it->get<std::string>());
    if (it->is_boolean())
        return Value(std::string(it->get<bool>() ? "true" : "false"));
    if (it->is_number())
        return Value(it->get<double>());
    return fail(at(pointer + "/value", "the value is a string or a number"));
}

Result<void> only(const json& j, std::initializer_list<const char*> keys, const std::string& pointer) {
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::ranges::none_of(keys, [&](const char* k) { return it.key() == k; }))
            return fail(at(pointer + "/" + it.key(), fmt::format("'{}' is not known here", it.key())));
    return {};
}

Result<Window> window_of(const json& j, const std::string& pointer) {
    Window w;
    if (j.contains("within_days")) {
        auto& d = j["within_days"];
        if (!d.is_number_integer())
            return fail(at(pointer + "/within_days", "within_days is a whole number of days"));
        if (j.contains("from") || j.contains("until"))
            return fail(at(pointer + "/from", "give within_days or from/until, not both"));
        w.kind = Window::Kind::LastDays;
        w.days = d.get<std::int64_t>();
    } else if (j.contains("from") || j.contains("until")) {
        w.kind = Window::Kind::Between;
        w.from = TRY(text_member(j, "from", pointer));
        w.until = TRY(text_member(j, "until", pointer));
    }
    return w;
}

Result<Condition> condition_of(const json& j, const std::string& pointer) {
    if (j.contains("field")) {
        TRY(only(j, {"field", "op", "value"}, pointer));
        return Condition(FieldCondition{TRY(text_member(j, "field", pointer)),
                                        TRY(op_member(j, Op::Eq, pointer)),
                                        TRY(value_member(j, pointer))});
    }
    if (j.contains("attribute")) {
        TRY(only(j, {"attribute", "op", "value"}, pointer));
        return Condition(AttributeCondition{TRY(text_member(j, "attribute", pointer)),
                                            TRY(op_member(j, Op::Eq, pointer)),
                                            TRY(value_member(j, pointer))});
    }
    if (j.contains("interest")) {
        TRY(only(j, {"interest"}, pointer));
        return Condition(InterestCondition{TRY(text_member(j, "interest", pointer))});
    }
    if (j.contains("tag")) {
        TRY(only(j, {"tag"}, pointer));
        return Condition(TagCondition{TRY(text_member(j, "tag", pointer))});
    }
    if (j.contains("consent")) {
        auto kind = TRY(text_member(j, "consent", pointer));
        if (kind == "tracking") {
            TRY(only(j, {"consent"}, pointer));
            return Condition(ConsentCondition{ConsentCondition::Kind::Tracking, ""});
        }
        if (kind != "topic")
            return fail(at(pointer + "/consent", "consent is \"topic\" or \"tracking\""));
        TRY(only(j, {"consent", "topic"}, pointer));
        return Condition(ConsentCondition{ConsentCondition::Kind::Topic,
                                          TRY(text_member(j, "topic", pointer))});
    }
    if (j.contains("activity")) {
        TRY(only(j, {"activity", "object", "op", "count", "within_days", "from", "until"}, pointer));
        ActivityCondition a;
        a.type = TRY(text_member(j, "activity", pointer));
        if (j.contains("object"))
            a.object = TRY(text_member(j, "object", pointer));
        a.op = TRY(op_member(j, Op::Ge, pointer));
        if (j.contains("count")) {
            if (!j["count"].is_number_integer())
                return fail(at(pointer + "/count", "count is a whole number"));
            a.count = j["count"].get<std::int64_t>();
        }
        a.window = TRY(window_of(j, pointer));
        return Condition(std::move(a));
    }
    return fail(at(pointer, "expected all, any, not, field, attribute, interest, tag, consent "
                            "or activity"));
}

// The member of a checked condition that the error names, as in the JSON.
std::string member_pointer(const std::string& pointer, const std::string& member) {
    if (member == "window")
        return pointer + "/within_days";
    return pointer + "/" + member;
}

} // namespace

Result<Rule> from_json(const json& j, const std::string& pointer) {
    if (!j.is_object())
        return fail(at(pointer, "a rule is a JSON object"));
    for (const char* list : {"all", "any"}) {
        if (!j.contains(list))
            continue;
        TRY(only(j, {list}, pointer));
        auto& items = j[list];
        if (!items.is_array() || items.empty())
            return fail(at(pointer + "/" + list, fmt::format("'{}' is a non-empty array", list)));
        if (items.size() == 1)
            return from_json(items[0], pointer + "/" + list + "/0");
        Rule r{.kind = list[1] == 'l' ? Rule::Kind::All : Rule::Kind::Any};
        for (std::size_t i = 0; i < items.size(); ++i)
            r.children.push_back(TRY(from_json(items[i], fmt::format("{}/{}/{}", pointer, list, i))));
        return r;
    }
    if (j.contains("not")) {
        TRY(only(j, {"not"}, pointer));
        Rule r{.kind = Rule::Kind::Not};
        r.children.push_back(TRY(from_json(j["not"], pointer + "/not")));
        return r;
    }
    auto c = TRY(condition_of(j, pointer));
    if (auto ok = check(c); !ok)
        return fail(at(member_pointer(pointer, ok.error().field), ok.error().message));
    return Rule{.kind = Rule::Kind::Condition, .condition = std::move(c)};
}

Result<Rule> parse_json(std::string_view text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        return fail(Error::invalid("the rule is not valid JSON", "/"));
    return from_json(j);
}

namespace {

json value_json(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v))
        return *s;
    return std::get<double>(v);
}

json condition_json(const Condition& c) {
    return std::visit(
        [](const auto& x) -> json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, FieldCondition>)
                return {{"field", x.field}, {"op", op_name(x.op)}, {"value", value_json(x.value)}};
            else if constexpr (std::is_same_v<T, AttributeCondition>)
                return {{"attribute", x.key}, {"op", op_name(x.op)}, {"value", value_json(x.value)}};
            else if constexpr (std::is_same_v<T, InterestCondition>)
                return {{"interest", x.topic}};
            else if constexpr (std::is_same_v<T, TagCondition>)
                return {{"tag", x.tag}};
            else if constexpr (std::is_same_v<T, ConsentCondition>) {
                if (x.kind == ConsentCondition::Kind::Tracking)
                    return {{"consent", "tracking"}};
                return {{"consent", "topic"}, {"topic", x.topic}};
            } else {
                json j{{"activity", x.type}, {"op", op_name(x.op)}, {"count", x.count}};
                if (!x.object.empty())
                    j["object"] = x.object;
                if (x.window.kind == Window::Kind::LastDays)
                    j["within_days"] = x.window.days;
                else if (x.window.kind == Window::Kind::Between) {
                    j["from"] = x.window.from;
                    j["until"] = x.window.until;
                }
                return j;
            }
        },
        c);
}

} // namespace

json to_json(const Rule& r) {
    switch (r.kind) {
    case Rule::Kind::Condition:
        return condition_json(r.condition);
    case Rule::Kind::Not:
        return {{"not", to_json(r.children.at(0))}};
    case Rule::Kind::All:
    case Rule::Kind::Any: {
        json items = json::array();
        for (const auto& c : r.children)
            items.push_back(to_json(c));
        return {{r.kind == Rule::Kind::All ? "all" : "any", items}};
    }
    }
    return {};
}

std::string dump_json(const Rule& r) { return to_json(r).dump(); }

Result<void> validate_rule_json(std::string_view rule_json) {
    TRY(parse_json(rule_json));
    return {};
}

} // namespace teilhabe::segments
