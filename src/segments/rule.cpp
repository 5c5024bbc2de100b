#include "segments/rule.h"

#include <algorithm>
#include <chrono>
#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::segments {

namespace {

constexpr const char* kSymbols[] = {"=", "!=", "<", "<=", ">", ">=", "contains"};
constexpr const char* kNames[] = {"eq", "ne", "lt", "le", "gt", "ge", "contains"};

Result<void> check_field(const FieldCondition& f) {
    if (!is_profile_field(f.field))
        return fail(Error::invalid(
            fmt::format("unknown profile field '{}' (email, first_name, last_name, language, "
                        "district, created_at)",
                        f.field),
            "field"));
    if (f.field == "created_at") {
        auto* text = std::get_if<std::string>(&f.value);
        if (!text || !is_date(*text))
            return fail(Error::invalid("created_at compares with a date YYYY-MM-DD", "value"));
        if (f.op == Op::Contains)
            return fail(Error::invalid("created_at takes =, !=, <, <=, >, >=", "op"));
        return {};
    }
    if (!std::holds_alternative<std::string>(f.value))
        return fail(Error::invalid(fmt::format("{} compares with text in quotes", f.field), "value"));
    return {};
}

Result<void> check_attribute(const AttributeCondition& a) {
    if (!is_word(a.key))
        return fail(Error::invalid(fmt::format("'{}' is not a field key", a.key), "attribute"));
    if (a.op == Op::Contains && !std::holds_alternative<std::string>(a.value))
        return fail(Error::invalid("contains takes text", "value"));
    return {};
}

Result<void> check_window(const Window& w) {
    switch (w.kind) {
    case Window::Kind::Ever:
        return {};
    case Window::Kind::LastDays:
        if (w.days < 1 || w.days > 36500)
            return fail(Error::invalid("the window is 1 to 36500 days", "within_days"));
        return {};
    case Window::Kind::Between:
        if (!is_date(w.from))
            return fail(Error::invalid("from is a date YYYY-MM-DD", "from"));
        if (!is_date(w.until))
            return fail(Error::invalid("until is a date YYYY-MM-DD", "until"));
        if (w.until <= w.from)
            return fail(Error::invalid("until must be after from", "until"));
        return {};
    }
    return {};
}

Result<void> check_activity(const ActivityCondition& a) {
    if (a.type.empty() || a.type.size() > 64 || !is_word(a.type))
        return fail(Error::invalid(fmt::format("'{}' is not an activity type", a.type), "activity"));
    if (a.object.size() > 200)
        return fail(Error::invalid("the object is at most 200 characters", "object"));
    if (a.op == Op::Contains)
        return fail(Error::invalid("a count takes =, !=, <, <=, >, >=", "op"));
    if (a.count < 0 || a.count > 1'000'000)
        return fail(Error::invalid("a count is 0 to 1000000", "count"));
    return check_window(a.window);
}

} // namespace

const char* op_symbol(Op op) { return kSymbols[static_cast<int>(op)]; }
const char* op_name(Op op) { return kNames[static_cast<int>(op)]; }

std::optional<Op> parse_op_name(std::string_view s) {
    for (int i = 0; i < 7; ++i)
        if (s == kNames[i])
            return static_cast<Op>(i);
    return std::nullopt;
}

bool is_profile_field(std::string_view f) {
    return std::ranges::find(kProfileFields, f) != std::end(kProfileFields);
}

bool is_word(std::string_view s) {
    if (s.empty() || s.size() > 100)
        return false;
    return std::ranges::all_of(s, [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
               ch == '.' || ch == ':';
    });
}

std::optional<std::int64_t> date_ms(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (!y || !m || !d)
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(unsigned(*m)),
                                    std::chrono::day(unsigned(*d))};
    if (!ymd.ok())
        return std::nullopt;
    auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
    return static_cast<std::int64_t>(days) * 86'400'000;
}

bool is_date(std::string_view s) { return date_ms(s).has_value(); }

Result<void> check(const Condition& c) {
    return std::visit(
        [](const auto& x) -> Result<void> {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, FieldCondition>)
                return check_field(x);
            else if constexpr (std::is_same_v<T, AttributeCondition>)
                return check_attribute(x);
            else if constexpr (std::is_same_v<T, InterestCondition>) {
                if (!is_word(x.topic))
                    return fail(Error::invalid(fmt::format("'{}' is not a topic key", x.topic), "interest"));
                return {};
            } else if constexpr (std::is_same_v<T, TagCondition>) {
                if (x.tag.empty() || x.tag.size() > 100)
                    return fail(Error::invalid("a tag is 1 to 100 characters", "tag"));
                return {};
            } else if constexpr (std::is_same_v<T, ConsentCondition>) {
                if (x.kind == ConsentCondition::Kind::Topic && !is_word(x.topic))
                    return fail(Error::invalid(fmt::format("'{}' is not a topic key", x.topic), "topic"));
                return {};
            } else
                return check_activity(x);
        },
        c);
}

bool depends_on_time(const Rule& r) {
    if (r.kind != Rule::Kind::Condition)
        return std::ranges::any_of(r.children, [](const Rule& c) { return depends_on_time(c); });
    auto* a = std::get_if<ActivityCondition>(&r.condition);
    return a && a->window.kind == Window::Kind::LastDays;
}

} // namespace teilhabe::segments
