#include "citizens/store_support.h"

#include "activity/activity_store.h"
#include "staff/staff_store.h"

namespace teilhabe::citizens::detail {

std::size_t padded(std::size_t n) {
    std::size_t p = 1;
    while (p < n)
        p *= 2;
    return p;
}

Result<void> record_activity(db::Connection& c, const std::string& type,
                             std::optional<std::int64_t> citizen_id, const std::string& object,
                             const nlohmann::json& props, const Actor& who, const Clock& clock) {
    activity::Activity a;
    a.type = type;
    a.citizen_id = citizen_id;
    a.actor = who.id;
    a.object = object;
    a.props = props.dump();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

Result<void> audit(db::Connection& c, const Actor& who, const std::string& action,
                   const std::string& subject, const std::string& detail, const Clock& clock) {
    return staff::store::audit(c, {who.id, action, subject, detail, who.ip}, clock);
}

} // namespace teilhabe::citizens::detail
