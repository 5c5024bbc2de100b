#pragma once
// An activity: one interaction of a person with the town (DESIGN.md "Activities are the
// spine"). Appended in the same transaction as the change that caused it; read in order by
// the consumers (points rules, segments, journeys, webhooks, timeline).

#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace teilhabe::activity {

struct Activity {
    std::int64_t id{0};
    std::int64_t tx_order{0}; // commit order on PostgreSQL (see db/dialect.h), 0 on SQLite
    std::string type;         // e.g. newsletter.confirmed, email.clicked, staff.login
    std::optional<std::int64_t> citizen_id;
    std::string actor;       // who caused it: "staff:3", "apikey:2", "citizen:7", "system"
    std::string object;      // what it concerns, e.g. "topic:kultur"
    std::string props{"{}"}; // JSON object
    TimePoint occurred_at{};
    TimePoint recorded_at{};
    std::optional<std::string> idempotency_key;
};

// Types are lower-case dotted words ("survey.completed"), at most 64 characters.
Result<void> validate_type(std::string_view type);
Result<void> validate(const Activity& a);

// Activities that other systems may record through the API. Types that Teilhabe records itself
// as the proof of something (a consent, a delivered e-mail, a points transfer, a log-in) cannot
// be posted from outside: a forged "newsletter.confirmed" would be a forged consent.
Result<void> validate_external(const Activity& a);

} // namespace teilhabe::activity
