#pragma once
// SQL for the activity log and the consumers' positions.

#include "activity/activity.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::activity {

// Appends inside the caller's transaction. With an idempotency key that was used before, the
// earlier activity is returned unchanged (same key, same request -> same result) when it has
// the same type, citizen, object and props, and AlreadyExists otherwise.
Result<Activity> append(db::Connection& c, Activity a, const Clock& clock);
// The same, telling whether this call recorded it or an earlier one with the same key did.
struct Appended {
    enum class Outcome { Created, Replayed };
    Activity activity;
    Outcome outcome{Outcome::Created};
};
Result<Appended> append_once(db::Connection& c, Activity a, const Clock& clock);
// Appends activities that have no idempotency key, several rows per INSERT where that saves
// round trips (PostgreSQL), inside the caller's transaction: for writers of many at once, such as the
// click recorder's batch. Their ids are not read back. Refuses (and appends none) when one is
// invalid or carries a key.
Result<void> append_all(db::Connection& c, std::vector<Activity> all, const Clock& clock);

// One activity by its id (empty when there is none, e.g. it was erased with its person).
Result<std::optional<Activity>> find(db::Connection& c, std::int64_t id);

struct Position {
    std::int64_t tx_order{0};
    std::int64_t activity_id{0};
};

// Committed activities after `after` in commit order, at most `limit`.
Result<std::vector<Activity>> read_after(db::Connection& c, Position after, int limit);
// The position of the last committed activity ({} when there is none).
Result<Position> last_position(db::Connection& c);
// Committed activities after `after` up to `upto` (inclusive) whose type is one of `types`, in
// commit order, at most `limit` (none for no types). With `upto` from last_position() read
// before, on PostgreSQL too this sees every committed row up to it (below the snapshot's xmin
// nothing is still in flight), so a consumer may move its position to `upto` when fewer than
// `limit` came back.
Result<std::vector<Activity>> read_types(db::Connection& c, Position after, Position upto,
                                         const std::vector<std::string>& types, int limit);
Result<Position> load_position(db::Connection& c, std::string_view consumer);
Result<void> save_position(db::Connection& c, std::string_view consumer, Position p,
                           const Clock& clock);

// The timeline, newest first, a page at a time: `before` is the last item of the previous page.
struct TimelineCursor {
    std::int64_t occurred_at_ms{0};
    std::int64_t id{0};
};
Result<std::vector<Activity>> for_citizen_page(db::Connection& c, std::int64_t citizen_id,
                                              std::optional<TimelineCursor> before, int limit);

// Newest first, for the timeline.
Result<std::vector<Activity>> for_citizen(db::Connection& c, std::int64_t citizen_id, int limit);

} // namespace teilhabe::activity
