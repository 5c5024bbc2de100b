#pragma once
// SQL for the activity log and the consumers' positions.

#include "activity/activity.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::activity {

// Appends inside the caller's transaction. With an idempotency key that was used before, the
// earlier activity is returned unchanged (same key, same request -> same result) when it has
// the same type, citizen and object, and AlreadyExists otherwise.
Result<Activity> append(db::Connection& c, Activity a, const Clock& clock);

struct Position {
    std::int64_t tx_order{0};
    std::int64_t activity_id{0};
};

// Committed activities after `after` in commit order, at most `limit`.
Result<std::vector<Activity>> read_after(db::Connection& c, Position after, int limit);
Result<Position> load_position(db::Connection& c, std::string_view consumer);
Result<void> save_position(db::Connection& c, std::string_view consumer, Position p,
                           const Clock& clock);

// Newest first, for the timeline.
Result<std::vector<Activity>> for_citizen(db::Connection& c, std::int64_t citizen_id, int limit);

} // namespace teilhabe::activity
