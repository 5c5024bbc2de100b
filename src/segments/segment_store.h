#pragma once
// SQL of segment definitions. Every function runs inside the caller's transaction.

#include "base/clock.h"
#include "db/connection.h"
#include "segments/segment.h"

#include <vector>

namespace teilhabe::segments::store {

inline constexpr const char* kComputeJob = "segments.compute";
inline constexpr const char* kRecheckJob = "segments.recheck";

// Checks the rule's names against the database, stores the segment and queues its bulk
// computation (segments.compute) in the same transaction.
Result<Segment> create(db::Connection& c, const SegmentInput& in, const std::string& actor,
                       const Clock& clock);
// A new rule makes a new version, computed again in bulk; the members stay until the job
// reaches them, and the consumer keeps them live meanwhile.
Result<Segment> update(db::Connection& c, std::int64_t id, const SegmentInput& in,
                       const Clock& clock);
// The members go with it (no segment.left: the segment itself is gone). Conflict while a
// campaign refers to it.
Result<void> remove(db::Connection& c, std::int64_t id);
Result<std::optional<Segment>> find(db::Connection& c, std::int64_t id);
// Every segment with its current count, by name.
Result<std::vector<Segment>> list(db::Connection& c);

struct Member {
    std::int64_t citizen_id{0};
    std::string email;
    std::string first_name;
    std::string last_name;
    std::int64_t entered_at{0};
};
// Members by citizen id, after `after`.
Result<std::vector<Member>> members(db::Connection& c, std::int64_t segment_id,
                                    std::int64_t after, int limit);

// Who would be in it now: the count and the first few, for the editor and the API's preview.
struct Preview {
    std::int64_t count{0};
    std::vector<Member> sample;
};
Result<Preview> preview(db::Connection& c, const Rule& rule, TimePoint now, int sample = 10);

} // namespace teilhabe::segments::store
