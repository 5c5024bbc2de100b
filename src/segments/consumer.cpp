#include "segments/consumer.h"

namespace teilhabe::segments {

Result<void> MembershipConsumer::handle(db::Connection& c, const activity::Activity& a) {
    if (!a.citizen_id || a.type.starts_with("segment.") || !m_refreshed.insert(*a.citizen_id).second)
        return {};
    TRY(refresh_citizen(c, *a.citizen_id, m_clock, m_cache));
    return {};
}

Result<std::optional<std::vector<std::string>>> MembershipConsumer::wanted_types(db::Connection& c) {
    if (TRY(c.query("SELECT 1 FROM segments LIMIT 1")).rows.empty())
        return std::optional<std::vector<std::string>>(std::vector<std::string>{});
    return std::optional<std::vector<std::string>>{}; // every type
}

} // namespace teilhabe::segments
