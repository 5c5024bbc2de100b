#pragma once
// Campaigns (SPEC capability 2): one e-mail, written once in Markdown with personalisation,
// sent to the confirmed subscribers of the chosen topics minus suppressed and restricted
// people. A campaign moves draft → scheduled → sending → finished, and can be paused, resumed
// and cancelled on the way. Domain types and rules only: no HTTP, no SQL.

#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::campaigns {

enum class State { Draft, Scheduled, Sending, Paused, Cancelled, Finished };
const char* to_string(State s);
std::optional<State> parse_state(std::string_view s);
// Cancelled and finished campaigns never change again.
bool is_terminal(State s);

struct Campaign {
    std::int64_t id{0};
    std::string name;      // for staff only; the subject when none is given
    std::string subject;   // with personalisation
    std::string preheader; // the line mail programs show after the subject
    std::string body;      // Markdown with personalisation and conditional blocks
    std::vector<std::string> topics; // keys of the topics whose subscribers receive it
    // Only the members of this segment (segments/) among them; a segment without topics: its
    // members who have confirmed at least one topic (docs/decisions.md, issue 6).
    std::optional<std::int64_t> segment_id;
    State state{State::Draft};
    std::optional<TimePoint> scheduled_at;
    std::optional<TimePoint> started_at;
    std::optional<TimePoint> finished_at;
    std::string created_by;
    TimePoint created_at{};
    TimePoint updated_at{};
};

// The body of POST or PATCH (members that are present), with SPEC.md's names: `subject`,
// `body_markdown`, `topics`, `scheduled_at`, `status` (read-only here). Errors name the member,
// for a 422 or the message beside a form field.
enum class InputMode { Create, Patch };
struct CampaignInput {
    std::optional<std::string> name;
    std::optional<std::string> subject;
    std::optional<std::string> preheader;
    std::optional<std::string> body;
    std::optional<std::vector<std::string>> topics;
    // Present: that segment (null: none). Absent: leave as it is.
    std::optional<std::optional<std::int64_t>> segment_id;
    // Present: schedule for then (null: take the schedule back). Absent: leave as it is.
    std::optional<std::optional<TimePoint>> scheduled_at;
};
Result<CampaignInput> parse_input(const nlohmann::json& body, InputMode mode);
void apply(Campaign& c, const CampaignInput& in);

// What staff can do with a campaign, and where it leads. A change that does not fit the state
// is a Conflict that says why ("a campaign that is sending cannot be scheduled").
enum class Action { Schedule, Unschedule, Pause, Resume, Cancel };
const char* to_string(Action a);
std::optional<Action> parse_action(std::string_view s);
Result<State> next_state(State from, Action a);

// Only a draft can be edited or deleted; a scheduled one is unscheduled first.
Result<void> check_editable(const Campaign& c);
// Before scheduling: everything a message needs is there.
Result<void> check_ready(const Campaign& c);

nlohmann::json to_json(const Campaign& c);

} // namespace teilhabe::campaigns
