#include "points/points_consumer.h"

#include "points/points_store.h"

namespace teilhabe::points {

Result<void> PointsConsumer::handle(db::Connection& c, const activity::Activity& a) {
    if (!a.citizen_id || a.type.starts_with("points.") || a.type.starts_with("stadttaler."))
        return {};
    auto found = m_rules.find(a.type);
    if (found == m_rules.end())
        found = m_rules.emplace(a.type, TRY(rules_for(c, a.type))).first;
    if (found->second.empty())
        return {};
    if (!m_settings)
        m_settings = TRY(load_settings(c));
    TRY(apply_rules(c, a, found->second, *m_settings, m_clock.now(), m_memory, &m_town));
    return {};
}

} // namespace teilhabe::points
