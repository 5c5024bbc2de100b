#pragma once
// The activity consumer "points" (DESIGN.md "Activities are the spine"): applies the points
// rules to each new activity in the consumer's batch transaction, exactly once per activity and
// rule (the transfer's idempotency key names both; points_awards is unique per pair).

#include "activity/consumer.h"
#include "points/rule.h"

#include <map>
#include <vector>

namespace teilhabe::points {

class PointsConsumer final : public activity::Consumer {
public:
    explicit PointsConsumer(const Clock& clock) : m_clock(clock) {}
    std::string name() const override { return "points"; }
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;

private:
    const Clock& m_clock;
};

} // namespace teilhabe::points
