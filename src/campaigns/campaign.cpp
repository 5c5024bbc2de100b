#include "campaigns/campaign.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace teilhabe::campaigns {

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxSubject = 250;
constexpr std::size_t kMaxPreheader = 250;
constexpr std::size_t kMaxBody = 200'000;
constexpr std::size_t kMaxTopics = 50;

constexpr std::array kStates{std::pair{State::Draft, "draft"},         std::pair{State::Scheduled, "scheduled"},
                             std::pair{State::Sending, "sending"},     std::pair{State::Paused, "paused"},
                             std::pair{State::Cancelled, "cancelled"}, std::pair{State::Finished, "finished"}};
constexpr std::array kActions{std::pair{Action::Schedule, "schedule"}, std::pair{Action::Unschedule, "unschedule"},
                              std::pair{Action::Pause, "pause"},       std::pair{Action::Resume, "resume"},
                              std::pair{Action::Cancel, "cancel"}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

Result<std::string> text_member(const nlohmann::json& v, const char* name, std::size_t max_len,
                                bool single_line) {
    if (v.is_null())
        return std::string();
    if (!v.is_string())
        return fail(Error::invalid(fmt::format("{} must be a string", name), name));
    auto s = v.get<std::string>();
    if (s.size() > max_len)
        return fail(Error::invalid(fmt::format("{} is longer than {} characters", name, max_len), name));
    // A subject is a header: a line break in it would end the header (or start a new one).
    if (single_line && s.find_first_of("\r\n") != std::string::npos)
        return fail(Error::invalid(fmt::format("{} must be one line", name), name));
    return std::string(single_line ? trim(s) : std::string_view(s));
}

Result<std::vector<std::string>> topics_member(const nlohmann::json& v) {
    if (!v.is_array())
        return fail(Error::invalid("topics must be a list of topic keys, e.g. [\"kultur\"]", "topics"));
    if (v.size() > kMaxTopics)
        return fail(Error::invalid(fmt::format("at most {} topics", kMaxTopics), "topics"));
    std::vector<std::string> out;
    for (const auto& t : v) {
        if (!t.is_string() || trim(t.get<std::string>()).empty())
            return fail(Error::invalid("each topic is the key of a topic, a non-empty string", "topics"));
        std::string key(trim(t.get<std::string>()));
        if (std::find(out.begin(), out.end(), key) == out.end())
            out.push_back(std::move(key));
    }
    return out;
}

} // namespace

const char* to_string(State s) {
    for (const auto& [v, name] : kStates)
        if (v == s)
            return name;
    return "draft";
}

std::optional<State> parse_state(std::string_view s) {
    for (const auto& [v, name] : kStates)
        if (s == name)
            return v;
    return std::nullopt;
}

bool is_terminal(State s) { return s == State::Cancelled || s == State::Finished; }

const char* to_string(Action a) {
    for (const auto& [v, name] : kActions)
        if (v == a)
            return name;
    return "schedule";
}

std::optional<Action> parse_action(std::string_view s) {
    for (const auto& [v, name] : kActions)
        if (s == name)
            return v;
    return std::nullopt;
}

Result<CampaignInput> parse_input(const nlohmann::json& body, InputMode mode) {
    if (!body.is_object())
        return fail(Error::invalid("the body must be a JSON object"));
    CampaignInput in;
    for (const auto& [key, value] : body.items()) {
        if (key == "name")
            in.name = TRY(text_member(value, "name", kMaxName, true));
        else if (key == "subject")
            in.subject = TRY(text_member(value, "subject", kMaxSubject, true));
        else if (key == "preheader")
            in.preheader = TRY(text_member(value, "preheader", kMaxPreheader, true));
        else if (key == "body_markdown")
            in.body = TRY(text_member(value, "body_markdown", kMaxBody, false));
        else if (key == "topics")
            in.topics = value.is_null() ? std::vector<std::string>{} : TRY(topics_member(value));
        else if (key == "scheduled_at") {
            if (value.is_null())
                in.scheduled_at = std::optional<TimePoint>{};
            else if (!value.is_string())
                return fail(Error::invalid("scheduled_at must be a date and time such as "
                                           "2026-12-01T08:00:00+01:00, or null",
                                           "scheduled_at"));
            else {
                auto t = parse_rfc3339(value.get<std::string>());
                if (!t)
                    return fail(Error::invalid("scheduled_at: " + t.error().message, "scheduled_at"));
                in.scheduled_at = std::optional<TimePoint>{*t};
            }
        } else if (key == "segment_id") {
            if (value.is_null())
                in.segment_id = std::optional<std::int64_t>{};
            else if (!value.is_number_integer() || value.get<std::int64_t>() <= 0)
                return fail(Error::invalid("segment_id is the id of a segment, or null", "segment_id"));
            else
                in.segment_id = std::optional<std::int64_t>{value.get<std::int64_t>()};
        } else if (key == "id" || key == "status" || key == "started_at" ||
                 key == "finished_at" || key == "created_by" || key == "created_at" ||
                 key == "updated_at")
            continue; // read-only members of the resource, as a client may send it back
        else
            return fail(Error::invalid("unknown member '" + key + "'", key));
    }
    if (mode == InputMode::Create && (!in.name || in.name->empty()) && (!in.subject || in.subject->empty()))
        return fail(Error::invalid("a campaign needs a subject (or at least a name, seen by staff only)", "subject"));
    return in;
}

void apply(Campaign& c, const CampaignInput& in) {
    if (in.name && !in.name->empty())
        c.name = *in.name;
    if (in.subject)
        c.subject = *in.subject;
    if (in.preheader)
        c.preheader = *in.preheader;
    if (in.body)
        c.body = *in.body;
    if (in.topics)
        c.topics = *in.topics;
    if (in.segment_id)
        c.segment_id = *in.segment_id;
    if (c.name.empty())
        c.name = c.subject;
}

Result<State> next_state(State from, Action a) {
    auto refuse = [&](std::string_view why) -> Result<State> {
        return fail(Error::conflict(fmt::format("A campaign that is {} cannot be {}: {}", to_string(from),
                                                a == Action::Schedule     ? "scheduled"
                                                : a == Action::Unschedule ? "unscheduled"
                                                : a == Action::Pause      ? "paused"
                                                : a == Action::Resume     ? "resumed"
                                                                          : "cancelled",
                                                why)));
    };
    if (is_terminal(from))
        return refuse("it is over.");
    switch (a) {
    case Action::Schedule:
        if (from == State::Draft)
            return State::Scheduled;
        return refuse("only a draft can be scheduled.");
    case Action::Unschedule:
        if (from == State::Scheduled)
            return State::Draft;
        return refuse("only a scheduled campaign that has not started can go back to draft.");
    case Action::Pause:
        if (from == State::Sending)
            return State::Paused;
        return refuse(from == State::Scheduled
                          ? "it has not started; unschedule it to stop it from starting."
                          : "only a campaign that is sending can be paused.");
    case Action::Resume:
        if (from == State::Paused)
            return State::Sending;
        return refuse("only a paused campaign can be resumed.");
    case Action::Cancel:
        return State::Cancelled;
    }
    return refuse("unknown action.");
}

Result<void> check_editable(const Campaign& c) {
    if (c.state == State::Draft)
        return {};
    return fail(Error::conflict(
        fmt::format("The campaign is {}; only a draft can be changed or deleted.{}", to_string(c.state),
                    c.state == State::Scheduled ? " Unschedule it first." : "")));
}

Result<void> check_ready(const Campaign& c) {
    if (c.subject.empty())
        return fail(Error::invalid("the subject is missing", "subject"));
    if (trim(c.body).empty())
        return fail(Error::invalid("the text of the e-mail is missing", "body"));
    if (c.topics.empty() && !c.segment_id)
        return fail(Error::invalid("choose at least one topic or a segment: its confirmed subscribers "
                                   "receive the campaign",
                                   "topics"));
    return {};
}

nlohmann::json to_json(const Campaign& c) {
    auto opt = [](const std::optional<TimePoint>& t) -> nlohmann::json {
        return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json(nullptr);
    };
    return {{"id", c.id},
            {"name", c.name},
            {"subject", c.subject},
            {"preheader", c.preheader},
            {"body_markdown", c.body},
            {"topics", c.topics},
            {"segment_id", c.segment_id ? nlohmann::json(*c.segment_id) : nlohmann::json(nullptr)},
            {"status", to_string(c.state)},
            {"scheduled_at", opt(c.scheduled_at)},
            {"started_at", opt(c.started_at)},
            {"finished_at", opt(c.finished_at)},
            {"created_by", c.created_by},
            {"created_at", format_iso8601(c.created_at)},
            {"updated_at", format_iso8601(c.updated_at)}};
}

} // namespace teilhabe::campaigns
