#pragma once
// The seams of journeys to other capabilities (journeys/interfaces.h), wired here because only
// src/app knows them all: a branch step's rule is a segment rule, evaluated for one person as
// the live membership evaluates it; an award step is a ledger transfer from the town, with the
// points' expiry setting, under the step's idempotency key (so a repeated step awards once).

#include "journeys/interfaces.h"

namespace teilhabe::app {

class SegmentConditions final : public journeys::ConditionEvaluator {
public:
    Result<bool> matches(db::Connection& c, std::string_view rule_json, std::int64_t citizen_id,
                         TimePoint now) override;
    Result<void> validate(std::string_view rule_json) override;
};

class LedgerPoints final : public journeys::PointsAwarder {
public:
    Result<void> award(db::Connection& c, std::int64_t citizen_id, std::int64_t points,
                       std::string idempotency_key, std::string reason, TimePoint now) override;
};

} // namespace teilhabe::app
