#include "journeys/journey.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::journeys {

using nlohmann::json;

const char* to_string(TriggerKind k) {
    switch (k) {
    case TriggerKind::Activity: return "activity";
    case TriggerKind::Segment: return "segment";
    case TriggerKind::DateField: return "date_field";
    }
    return "activity";
}

const char* to_string(StepKind k) {
    switch (k) {
    case StepKind::Wait: return "wait";
    case StepKind::Branch: return "branch";
    case StepKind::SendEmail: return "send_email";
    case StepKind::AwardPoints: return "award_points";
    case StepKind::SetField: return "set_field";
    case StepKind::AddTag: return "add_tag";
    case StepKind::AddInterest: return "add_interest";
    case StepKind::Webhook: return "webhook";
    case StepKind::Exit: return "exit";
    }
    return "exit";
}

const Step* Definition::find(std::string_view id) const {
    auto i = index_of(id);
    return i < steps.size() ? &steps[i] : nullptr;
}

std::size_t Definition::index_of(std::string_view id) const {
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].id == id)
            return i;
    return steps.size();
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    bool negative = !text.empty() && text.front() == '-';
    if (negative)
        text.remove_prefix(1);
    if (text.empty())
        return std::nullopt;
    std::int64_t total = 0;
    while (!text.empty()) {
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc{} || p == text.data() || p == text.data() + text.size() || n > 100'000)
            return std::nullopt;
        char unit = *p;
        std::int64_t ms = unit == 'd' ? 86'400'000 : unit == 'h' ? 3'600'000 : unit == 'm' ? 60'000
                        : unit == 's' ? 1000 : 0;
        if (ms == 0)
            return std::nullopt;
        total += n * ms;
        text.remove_prefix(static_cast<std::size_t>(p - text.data()) + 1);
    }
    return std::chrono::milliseconds(negative ? -total : total);
}

std::string format_duration(std::chrono::milliseconds d) {
    auto ms = d.count();
    std::string out = ms < 0 ? "-" : "";
    ms = ms < 0 ? -ms : ms;
    for (auto [unit, size] : {std::pair{'d', 86'400'000LL}, {'h', 3'600'000LL}, {'m', 60'000LL}, {'s', 1000LL}}) {
        if (ms >= size) {
            out += fmt::format("{}{}", ms / size, unit);
            ms %= size;
        }
    }
    return out == "" || out == "-" ? "0s" : out;
}

json to_json(const Definition& d) {
    // The stored JSON is what staff wrote (Journey::definition_json); this is for summaries.
    json steps = json::array();
    for (const auto& s : d.steps)
        steps.push_back({{"id", s.id}, {"type", to_string(s.kind)}, {"next", s.next}});
    return {{"trigger", to_string(d.trigger.kind)}, {"steps", steps}};
}

bool trigger_matches(const Trigger& t, std::string_view type, std::string_view object, const json& props) {
    if (t.kind == TriggerKind::DateField || type != t.activity_type)
        return false;
    if (t.object && object != *t.object)
        return false;
    for (const auto& [k, v] : t.props.items())
        if (!props.is_object() || !props.contains(k) || props[k] != v)
            return false;
    return true;
}

} // namespace teilhabe::journeys
