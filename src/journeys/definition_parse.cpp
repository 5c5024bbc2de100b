// Reading a journey definition (JSON as staff write it) into a Definition, with errors that
// name the wrong part ("definition.steps[0].duration"). The types and their small helpers are in
// journey.cpp.

#include "journeys/journey.h"

#include "journeys/interfaces.h"
#include "mail/template.h"

#include <charconv>
#include <fmt/format.h>
#include <set>

namespace teilhabe::journeys {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxSteps = 100;

Error bad(std::string field, std::string msg) { return Error::invalid(std::move(msg), std::move(field)); }

Result<std::string> text_member(const json& j, const std::string& path, const char* name,
                                bool required, std::size_t max = 200) {
    if (!j.contains(name)) {
        if (required)
            return fail(bad(path + name, fmt::format("{} is missing", name)));
        return std::string();
    }
    if (!j[name].is_string())
        return fail(bad(path + name, fmt::format("{} must be text", name)));
    auto s = j[name].get<std::string>();
    if (required && s.empty())
        return fail(bad(path + name, fmt::format("{} must not be empty", name)));
    if (s.size() > max)
        return fail(bad(path + name, fmt::format("{} is longer than {} characters", name, max)));
    return s;
}

Result<std::int64_t> int_member(const json& j, const std::string& path, const char* name,
                                std::int64_t min, std::int64_t max) {
    if (!j.contains(name) || !j[name].is_number_integer())
        return fail(bad(path + name, fmt::format("{} must be a whole number", name)));
    auto v = j[name].get<std::int64_t>();
    if (v < min || v > max)
        return fail(bad(path + name, fmt::format("{} must be between {} and {}", name, min, max)));
    return v;
}

bool valid_type(std::string_view t) {
    if (t.empty() || t.size() > 64)
        return false;
    for (char c : t)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return false;
    return true;
}

Result<Trigger> parse_trigger(const json& j) {
    if (!j.is_object())
        return fail(bad("trigger", "the trigger must be an object"));
    Trigger t;
    auto type = TRY(text_member(j, "trigger.", "type", true));
    if (type == "activity") {
        t.kind = TriggerKind::Activity;
        t.activity_type = TRY(text_member(j, "trigger.", "activity", true, 64));
        if (!valid_type(t.activity_type))
            return fail(bad("trigger.activity", "an activity type is lower-case dotted words, e.g. newsletter.confirmed"));
        if (j.contains("filter")) {
            const auto& f = j["filter"];
            if (!f.is_object())
                return fail(bad("trigger.filter", "the filter must be an object with object and/or props"));
            for (const auto& [k, v] : f.items())
                if (k != "object" && k != "props")
                    return fail(bad("trigger.filter." + k, "unknown member; the filter knows object and props"));
            if (f.contains("object")) {
                if (!f["object"].is_string())
                    return fail(bad("trigger.filter.object", "object must be text, e.g. topic:kultur"));
                t.object = f["object"].get<std::string>();
            }
            if (f.contains("props")) {
                if (!f["props"].is_object())
                    return fail(bad("trigger.filter.props", "props must be an object of values to match"));
                t.props = f["props"];
            }
        }
    } else if (type == "segment") {
        t.kind = TriggerKind::Segment;
        t.activity_type = "segment.entered";
        t.segment_id = TRY(int_member(j, "trigger.", "segment_id", 1, INT64_MAX));
        t.object = fmt::format("segment:{}", t.segment_id);
    } else if (type == "date_field") {
        t.kind = TriggerKind::DateField;
        t.field = TRY(text_member(j, "trigger.", "field", true, 40));
        if (j.contains("offset_days"))
            t.offset_days = static_cast<int>(TRY(int_member(j, "trigger.", "offset_days", -366, 366)));
        if (j.contains("at")) {
            auto at = j["at"].is_string() ? parse_clock(j["at"].get<std::string>()) : std::nullopt;
            if (!at)
                return fail(bad("trigger.at", "at is a time of day HH:MM, e.g. 09:00"));
            t.at_minutes = *at;
        }
    } else {
        return fail(bad("trigger.type", "the trigger type is activity, segment or date_field"));
    }
    return t;
}

Result<ReentryRule> parse_reentry(const json& j) {
    ReentryRule r;
    if (j.is_string()) {
        auto s = j.get<std::string>();
        if (s == "never")
            return r;
        if (s == "always")
            return ReentryRule{Reentry::Always, 0};
        return fail(bad("reentry", "reentry is never, always or {\"after_days\": N}"));
    }
    if (j.is_object() && j.contains("after_days")) {
        r.mode = Reentry::AfterDays;
        r.days = static_cast<int>(TRY(int_member(j, "reentry.", "after_days", 1, 3650)));
        return r;
    }
    return fail(bad("reentry", "reentry is never, always or {\"after_days\": N}"));
}

Result<QuietHours> parse_quiet(const json& j) {
    QuietHours q;
    if (!j.is_object())
        return fail(bad("quiet_hours", "quiet_hours is false or {\"from\": \"20:00\", \"to\": \"08:00\", \"sundays\": true}"));
    for (auto [name, target] : {std::pair{"from", &q.start}, std::pair{"to", &q.end}}) {
        if (!j.contains(name))
            continue;
        auto v = j[name].is_string() ? parse_clock(j[name].get<std::string>()) : std::nullopt;
        if (!v)
            return fail(bad(fmt::format("quiet_hours.{}", name), "a time of day HH:MM, e.g. 20:00"));
        *target = *v;
    }
    if (j.contains("sundays")) {
        if (!j["sundays"].is_boolean())
            return fail(bad("quiet_hours.sundays", "sundays is true or false"));
        q.sundays = j["sundays"].get<bool>();
    }
    return q;
}

// A valid frame, only to check that a step's mail compiles (the town's own is used to send).
const mail::LayoutSettings& check_layout() {
    static const mail::LayoutSettings layout{{"Musterstadt", "", "#005ea8"},
                                             {"Stadt Musterstadt", "", "", "", "", "", "", ""}};
    return layout;
}

Result<void> parse_wait(const json& j, const std::string& p, Step& s) {
    int forms = 0;
    if (j.contains("duration")) {
        ++forms;
        auto d = j["duration"].is_string() ? parse_duration(j["duration"].get<std::string>()) : std::nullopt;
        if (!d || d->count() <= 0)
            return fail(bad(p + "duration", "a duration such as 3d, 12h, 30m or 2d12h"));
        s.duration = *d;
    }
    if (j.contains("until_time")) {
        ++forms;
        auto m = j["until_time"].is_string() ? parse_clock(j["until_time"].get<std::string>()) : std::nullopt;
        if (!m)
            return fail(bad(p + "until_time", "a time of day HH:MM (Europe/Berlin), e.g. 09:00"));
        s.until_minutes = *m;
    }
    if (j.contains("until_date")) {
        ++forms;
        auto t = j["until_date"].is_string() ? parse_rfc3339(j["until_date"].get<std::string>())
                                             : Result<TimePoint>(fail(Error::invalid("")));
        if (!t)
            return fail(bad(p + "until_date", "a date-time such as 2026-12-24T10:00:00+01:00"));
        s.until_date = *t;
    }
    if (j.contains("until_trigger")) {
        ++forms;
        s.until_trigger = TRY(text_member(j, p, "until_trigger", true, 64));
    }
    if (forms != 1)
        return fail(bad(p + "duration", "a wait has exactly one of duration, until_time, until_date, until_trigger"));
    if (j.contains("offset")) {
        auto d = j["offset"].is_string() ? parse_duration(j["offset"].get<std::string>()) : std::nullopt;
        if (!d || s.duration || s.until_minutes)
            return fail(bad(p + "offset", "an offset such as -2d, only with until_date or until_trigger"));
        s.offset = *d;
    }
    if (j.contains("skip_sundays"))
        s.skip_sundays = j["skip_sundays"].is_boolean() && j["skip_sundays"].get<bool>();
    if (j.contains("if_past")) {
        auto v = j["if_past"].is_string() ? j["if_past"].get<std::string>() : "";
        if (v != "continue" && v != "exit")
            return fail(bad(p + "if_past", "if_past is continue or exit"));
        s.exit_if_past = v == "exit";
    }
    return {};
}

Result<void> parse_step_body(const json& j, const std::string& p, Step& s, ConditionEvaluator* ev) {
    switch (s.kind) {
    case StepKind::Wait:
        return parse_wait(j, p, s);
    case StepKind::Branch:
        if (!j.contains("rule") || !j["rule"].is_object())
            return fail(bad(p + "rule", "a branch needs a rule (a segment rule as a JSON object)"));
        s.rule = j["rule"];
        if (ev)
            if (auto v = ev->validate(s.rule.dump()); !v)
                return fail(bad(p + "rule", v.error().message));
        s.then_step = TRY(text_member(j, p, "then", false, 40));
        s.else_step = TRY(text_member(j, p, "else", false, 40));
        return {};
    case StepKind::SendEmail:
        s.subject = TRY(text_member(j, p, "subject", true, 200));
        s.body = TRY(text_member(j, p, "body", true, 50'000));
        s.topic = TRY(text_member(j, p, "topic", false, 64));
        // The mail must compile: its errors name line and column of subject or body.
        if (auto m = mail::CompiledCampaign::compile({s.subject, "", s.body, {}}, check_layout()); !m) {
            auto msg = m.error().message;
            return fail(bad(p + (msg.starts_with("subject") ? "subject" : "body"), msg));
        }
        return {};
    case StepKind::AwardPoints:
        s.points = TRY(int_member(j, p, "points", 1, 1'000'000));
        s.reason = TRY(text_member(j, p, "reason", false, 200));
        return {};
    case StepKind::SetField:
        s.field = TRY(text_member(j, p, "field", true, 40));
        if (!j.contains("value"))
            return fail(bad(p + "value", "value is missing (null removes the value)"));
        s.value = j["value"];
        return {};
    case StepKind::AddTag:
        s.tag = TRY(text_member(j, p, "tag", true, 64));
        return {};
    case StepKind::AddInterest:
        s.tag = TRY(text_member(j, p, "topic", true, 64));
        return {};
    case StepKind::Webhook:
        s.webhook_id = TRY(int_member(j, p, "webhook_id", 1, INT64_MAX));
        return {};
    case StepKind::Exit:
        return {};
    }
    return {};
}

std::optional<StepKind> parse_kind(std::string_view t) {
    for (auto k : {StepKind::Wait, StepKind::Branch, StepKind::SendEmail, StepKind::AwardPoints,
                   StepKind::SetField, StepKind::AddTag, StepKind::AddInterest, StepKind::Webhook,
                   StepKind::Exit})
        if (t == to_string(k))
            return k;
    return std::nullopt;
}

bool valid_step_id(std::string_view id) {
    if (id.empty() || id.size() > 40 || id == kExit)
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

// Jumps go forward only (or to "exit"), so a person can never loop in a journey.
Result<void> check_jump(const Definition& d, std::size_t from, const std::string& target,
                        const std::string& field) {
    if (target.empty() || target == kExit)
        return {};
    auto to = d.index_of(target);
    if (to == d.steps.size())
        return fail(bad(field, fmt::format("there is no step '{}'", target)));
    if (to <= from)
        return fail(bad(field, fmt::format("'{}' is not after this step; jumps go forward only", target)));
    return {};
}

} // namespace

Result<Definition> parse_definition(const json& j, ConditionEvaluator* evaluator) {
    if (!j.is_object())
        return fail(bad("definition", "the definition must be a JSON object"));
    for (const auto& [k, v] : j.items())
        if (k != "trigger" && k != "steps" && k != "reentry" && k != "quiet_hours")
            return fail(bad(k, "unknown member; a journey has trigger, steps, reentry, quiet_hours"));
    if (!j.contains("trigger"))
        return fail(bad("trigger", "the trigger is missing"));
    Definition d;
    d.trigger = TRY(parse_trigger(j["trigger"]));
    if (j.contains("reentry"))
        d.reentry = TRY(parse_reentry(j["reentry"]));
    if (j.contains("quiet_hours")) {
        if (j["quiet_hours"].is_boolean() && !j["quiet_hours"].get<bool>())
            d.quiet_hours_off = true;
        else
            d.quiet_hours = TRY(parse_quiet(j["quiet_hours"]));
    }
    if (!j.contains("steps") || !j["steps"].is_array() || j["steps"].empty())
        return fail(bad("steps", "steps must be a list of at least one step"));
    if (j["steps"].size() > kMaxSteps)
        return fail(bad("steps", fmt::format("at most {} steps", kMaxSteps)));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < j["steps"].size(); ++i) {
        const auto& sj = j["steps"][i];
        auto p = fmt::format("steps[{}].", i);
        if (!sj.is_object())
            return fail(bad(fmt::format("steps[{}]", i), "a step must be an object"));
        Step s;
        auto type = TRY(text_member(sj, p, "type", true, 40));
        auto kind = parse_kind(type);
        if (!kind)
            return fail(bad(p + "type", "the type is wait, branch, send_email, award_points, set_field, "
                                        "add_tag, add_interest, webhook or exit"));
        s.kind = *kind;
        s.id = sj.contains("id") ? TRY(text_member(sj, p, "id", true, 40)) : fmt::format("s{}", i + 1);
        if (!valid_step_id(s.id))
            return fail(bad(p + "id", "a step id is lower-case letters, digits, _ and - (not 'exit')"));
        if (!ids.insert(s.id).second)
            return fail(bad(p + "id", fmt::format("the id '{}' is used twice", s.id)));
        s.next = sj.contains("next") ? TRY(text_member(sj, p, "next", true, 40)) : "";
        TRY(parse_step_body(sj, p, s, evaluator));
        d.steps.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < d.steps.size(); ++i) {
        auto& s = d.steps[i];
        auto p = fmt::format("steps[{}].", i);
        TRY(check_jump(d, i, s.next, p + "next"));
        TRY(check_jump(d, i, s.then_step, p + "then"));
        TRY(check_jump(d, i, s.else_step, p + "else"));
        // The default successor is the following step; the last one ends the journey.
        if (s.next.empty() && i + 1 < d.steps.size())
            s.next = d.steps[i + 1].id;
        if (s.kind == StepKind::Branch) {
            if (s.then_step.empty())
                s.then_step = s.next;
            if (s.else_step.empty())
                s.else_step = s.next;
        }
    }
    if (d.trigger.kind == TriggerKind::DateField)
        for (std::size_t i = 0; i < d.steps.size(); ++i)
            if (!d.steps[i].until_trigger.empty() && d.steps[i].until_trigger != "date")
                return fail(bad(fmt::format("steps[{}].until_trigger", i),
                                "a date-field journey's trigger has only the member date"));
    return d;
}

Result<JourneyInput> parse_input(const json& body, InputMode mode, ConditionEvaluator* evaluator) {
    JourneyInput in;
    for (const auto& [k, v] : body.items()) {
        if (k == "id" || k == "key" || k == "active" || k == "created_at" || k == "updated_at" || k == "statistics")
            continue; // read-only: a client may send back what it read
        if (k != "name" && k != "description" && k != "definition")
            return fail(bad(k, "unknown member; a journey has name, description and definition"));
    }
    if (body.contains("name")) {
        auto n = TRY(text_member(body, "", "name", true, 120));
        in.name = n;
    } else if (mode == InputMode::Create) {
        return fail(bad("name", "name is missing"));
    }
    if (body.contains("description"))
        in.description = TRY(text_member(body, "", "description", false, 2000));
    if (body.contains("definition")) {
        auto parsed = parse_definition(body["definition"], evaluator);
        if (!parsed) {
            auto e = parsed.error();
            e.field = "definition." + e.field;
            return fail(e);
        }
        in.definition = body["definition"];
    } else if (mode == InputMode::Create) {
        return fail(bad("definition", "definition is missing"));
    }
    return in;
}

} // namespace teilhabe::journeys
