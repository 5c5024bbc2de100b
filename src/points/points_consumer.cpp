#include "points/points_consumer.h"

#include "points/points_store.h"

namespace teilhabe::points {

Result<void> PointsConsumer::handle(db::Connection& c, const activity::Activity& a) {
    if (!a.citizen_id || a.type.starts_with("points.") || a.type.starts_with("stadttaler."))
        return {};
    auto rules = TRY(rules_for(c, a.type));
    if (rules.empty())
        return {};
    auto settings = TRY(load_settings(c));
    TRY(apply_rules(c, a, rules, settings, m_clock.now()));
    return {};
}

} // namespace teilhabe::points
