#pragma once
// Events and projects (SPEC.md capability 4): a clean-up day, a course, a consultation. Domain
// only: what an event is, which input is acceptable, whether a person may register or cancel
// now. No SQL, no HTTP.

#include "base/json_input.h"
#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::events {

enum class Status { Draft, Published, Cancelled };
const char* to_string(Status s); // "draft", "published", "cancelled"
std::optional<Status> status_from(std::string_view s);

struct Event {
    std::int64_t id{0};
    std::string title;
    std::string description;
    std::string place;
    std::int64_t starts_at_ms{0}, ends_at_ms{0};
    std::optional<std::int64_t> capacity; // none: unlimited
    bool waiting_list{true};
    std::optional<std::int64_t> deadline_ms; // none: registration open until the start
    std::optional<std::int64_t> department_id;
    std::int64_t points{0}; // shown to people; the points rule for event.attended awards them
    Status status{Status::Draft};
    std::int64_t created_at_ms{0}, updated_at_ms{0};
    // Read with the event (not stored in its row).
    std::int64_t registered{0}, waitlisted{0}, checked_in{0};

    // Free places; none: unlimited.
    std::optional<std::int64_t> free_places() const;
    // Registration closes at the deadline, or at the start when there is none.
    std::int64_t registration_closes_ms() const;
};

// A create or a patch: the members that were sent. For optional members, a present outer
// optional holding nothing means "clear it" (JSON null).
struct EventInput {
    std::optional<std::string> title, description, place;
    std::optional<std::int64_t> starts_at_ms, ends_at_ms, points;
    std::optional<std::optional<std::int64_t>> capacity, deadline_ms, department_id;
    std::optional<bool> waiting_list;
    std::optional<Status> status;
};

enum class InputMode { Create, Patch };
// From the API's JSON: title (1-200), description (<= 10000), place (<= 300), starts_at and
// ends_at (RFC 3339 or unix ms), capacity (1..100000 or null), waiting_list, registration_deadline
// (or null), department_id, points (0..100000), status. Errors name the member.
Result<EventInput> parse_event_input(const nlohmann::json& body, InputMode mode);
Event apply(Event base, const EventInput& in);
// The whole event: required members, end after start, deadline not after the start.
Result<void> validate(const Event& e);

// Why a person may not register now; nothing when they may (a full event with a waiting list
// is not a refusal: they go on the list).
enum class Refusal { NotOpen, Cancelled, Past, DeadlinePassed, Full };
std::optional<Refusal> registration_refusal(const Event& e, std::int64_t now_ms);
Error to_error(Refusal r);
const char* to_string(Refusal r); // "not_open", "cancelled", "past", "deadline", "full"

nlohmann::json to_json(const Event& e);

using json_input::iso_time;
using json_input::parse_time_ms;

} // namespace teilhabe::events
