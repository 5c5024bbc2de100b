#include "segments/consumer.h"

namespace teilhabe::segments {

Result<void> MembershipConsumer::handle(db::Connection& c, const activity::Activity& a) {
    if (!a.citizen_id || a.type.starts_with("segment.") || !m_refreshed.insert(*a.citizen_id).second)
        return {};
    TRY(refresh_citizen(c, *a.citizen_id, m_clock, m_cache));
    return {};
}

} // namespace teilhabe::segments
