#pragma once
// The seams to other capabilities (docs/notes contracts of issues 6 and 7): journeys do not
// link segments or the ledger; src/app wires these to them. Both run inside the caller's
// transaction, so a branch or an award commits with the step that asked for it.

#include "base/clock.h"
#include "base/error.h"
#include "db/connection.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::journeys {

// A segment rule over one person (segments::citizen_matches / validate_rule_json).
class ConditionEvaluator {
public:
    virtual ~ConditionEvaluator() = default;
    virtual Result<bool> matches(db::Connection& c, std::string_view rule_json,
                                 std::int64_t citizen_id, TimePoint now) = 0;
    virtual Result<void> validate(std::string_view rule_json) = 0;
};

// Points to a person (ledger: a transfer Town -> Citizen with the idempotency key).
class PointsAwarder {
public:
    virtual ~PointsAwarder() = default;
    virtual Result<void> award(db::Connection& c, std::int64_t citizen_id, std::int64_t points,
                               std::string idempotency_key, std::string reason, TimePoint now) = 0;
};

// Whether the occasion a person entered a journey for still holds when a mail of it is about to
// go: a reminder of an event registration that was cancelled since is pointless (the events
// capability answers; src/app wires it). `context` is the enrolment's trigger props. Nothing:
// the mail goes; a text: the person leaves the journey with it as the reason.
class OccasionCheck {
public:
    virtual ~OccasionCheck() = default;
    virtual Result<std::optional<std::string>> gone(db::Connection& c, std::int64_t citizen_id,
                                                    const nlohmann::json& context) = 0;
};

// Until the segments capability is wired: a rule {"tag": "x"} (the person has the tag) or
// {"not": {...}}, {"all": [...]}, {"any": [...]} of those, read from the database. Named for
// what it is, so nobody mistakes it for the segment rules.
class TagRuleEvaluator final : public ConditionEvaluator {
public:
    Result<bool> matches(db::Connection& c, std::string_view rule_json, std::int64_t citizen_id,
                         TimePoint now) override;
    Result<void> validate(std::string_view rule_json) override;
};

} // namespace teilhabe::journeys
