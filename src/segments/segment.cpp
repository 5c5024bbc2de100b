#include "segments/segment.h"

#include "segments/rule_json.h"
#include "segments/rule_text.h"

#include "base/clock.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::segments {

const char* to_string(Status s) { return s == Status::Live ? "live" : "computing"; }

bool valid_key(std::string_view key) {
    if (key.empty() || key.size() > 60 || key[0] < 'a' || key[0] > 'z')
        return false;
    return std::ranges::all_of(key, [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

namespace {

Result<std::optional<std::string>> text(const nlohmann::json& body, const char* key) {
    auto it = body.find(key);
    if (it == body.end())
        return std::optional<std::string>{};
    if (!it->is_string())
        return fail(Error::invalid(fmt::format("{} must be a string", key), key));
    return std::optional<std::string>{it->get<std::string>()};
}

} // namespace

Result<SegmentInput> parse_input(const nlohmann::json& body, InputMode mode) {
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != "key" && it.key() != "name" && it.key() != "description" &&
            it.key() != "rule" && it.key() != "rule_text")
            return fail(Error::invalid(fmt::format("'{}' is not a member of a segment", it.key()), it.key()));
    SegmentInput in;
    in.key = TRY(text(body, "key"));
    in.name = TRY(text(body, "name"));
    in.description = TRY(text(body, "description"));
    if (body.contains("rule") && body.contains("rule_text"))
        return fail(Error::invalid("give rule or rule_text, not both", "rule_text"));
    if (body.contains("rule")) {
        auto r = from_json(body["rule"], "/rule");
        if (!r)
            return fail(r.error());
        in.rule = std::move(*r);
    }
    if (auto t = TRY(text(body, "rule_text")))
        in.rule = TRY(parse_text(*t));
    TRY(check_input(in, mode));
    return in;
}

Result<void> check_input(const SegmentInput& in, InputMode mode) {
    if (mode == InputMode::Create) {
        if (!in.key)
            return fail(Error::invalid("key is missing", "key"));
        if (!in.name)
            return fail(Error::invalid("name is missing", "name"));
        if (!in.rule)
            return fail(Error::invalid("rule or rule_text is missing", "rule"));
    }
    if (in.key && !valid_key(*in.key))
        return fail(Error::invalid(
            "key is 1 to 60 of a-z, 0-9, _ and -, starting with a letter", "key"));
    if (in.name && (in.name->empty() || in.name->size() > 200))
        return fail(Error::invalid("name is 1 to 200 characters", "name"));
    if (in.description && in.description->size() > 2000)
        return fail(Error::invalid("description is at most 2000 characters", "description"));
    return {};
}

nlohmann::json to_json(const Segment& s) {
    return {{"id", s.id},
            {"key", s.key},
            {"name", s.name},
            {"description", s.description},
            {"rule", segments::to_json(s.rule)},
            {"rule_text", print_text(s.rule)},
            {"version", s.version},
            {"status", to_string(s.status)},
            {"member_count", s.member_count},
            {"computed_at", s.computed_at ? nlohmann::json(format_iso8601(from_unix_ms(*s.computed_at)))
                                          : nlohmann::json()},
            {"created_by", s.created_by},
            {"created_at", format_iso8601(from_unix_ms(s.created_at))},
            {"updated_at", format_iso8601(from_unix_ms(s.updated_at))}};
}

} // namespace teilhabe::segments
