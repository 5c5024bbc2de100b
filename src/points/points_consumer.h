#pragma once
// The activity consumer "points" (DESIGN.md "Activities are the spine"): applies the points
// rules to each new activity in the consumer's batch transaction, exactly once per activity and
// rule (the transfer's idempotency key names both; points_awards is unique per pair).

#include "activity/consumer.h"
#include "ledger/ledger_store.h"
#include "points/points_store.h"
#include "points/rule.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::points {

class PointsConsumer final : public activity::Consumer {
public:
    explicit PointsConsumer(const Clock& clock) : m_clock(clock) {}
    std::string name() const override { return "points"; }
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;
    // Only the activity types of enabled rules are read (not the ledger's own points.* and
    // stadttaler.* activities, nor clicks no rule is about).
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override {
        return std::optional<std::vector<std::string>>(TRY(rule_types(c)));
    }
    // The rules (per activity type), the settings, the town's issuing account and BatchMemory
    // are kept for a batch (one transaction), not looked up per activity.
    void batch_begins() override {
        m_rules.clear();
        m_settings.reset();
        m_town.clear();
        m_memory.clear();
    }

private:
    const Clock& m_clock;
    std::map<std::string, std::vector<Rule>, std::less<>> m_rules;
    std::optional<Settings> m_settings;
    ledger::TownAccounts m_town;
    BatchMemory m_memory;
};

} // namespace teilhabe::points
