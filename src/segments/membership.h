#pragma once
// Live membership (issue 6, DESIGN.md "Activities are the spine"): who is in each segment,
// changed only here, and each change written with its activity (segment.entered/segment.left,
// object "segment:<id>", props {"segment": key}, actor "system") in the same transaction.
// Three things drive it, none a nightly batch:
//  - an activity of a person: the consumer re-evaluates that person's segments (consumer.h);
//  - time alone: a person's next moment of change (an activity leaving a "within N days"
//    window) is a row in segment_rechecks, swept by the job segments.recheck when it is due;
//  - a new or edited rule: the job segments.compute walks every profile in chunks.

#include "base/clock.h"
#include "db/connection.h"
#include "segments/rule.h"

#include <map>
#include <memory>

namespace teilhabe::segments {

// The rules of every segment, parsed once per version (the consumer keeps one across batches).
class RuleCache {
public:
    struct Entry {
        std::int64_t id{0};
        std::string key;
        std::int64_t version{0};
        Rule rule;
        bool timed{false};
    };
    Result<std::vector<const Entry*>> load(db::Connection& c);

private:
    std::map<std::int64_t, Entry> m_entries;
};

struct Changes {
    int entered{0};
    int left{0};
};

// Re-evaluates every segment for one person now; writes the differences with their
// activities and plans the next recheck. A person who no longer exists changes nothing.
Result<Changes> refresh_citizen(db::Connection& c, std::int64_t citizen_id, const Clock& clock,
                                RuleCache& cache);

// One chunk of a segment's bulk computation: the next `chunk` people after computed_upto.
// `more` is false when the segment is live (done) or its version is not `version` any more.
struct ChunkResult {
    bool more{false};
    std::int64_t done{0}; // people looked at in this chunk
    Changes changes;
};
Result<ChunkResult> compute_chunk(db::Connection& c, std::int64_t segment_id, std::int64_t version,
                                  const Clock& clock, int chunk = 2000);

// Re-evaluates up to `limit` people whose recheck is due; returns how many.
Result<int> recheck_due(db::Connection& c, const Clock& clock, RuleCache& cache, int limit = 200);

// The contract for journeys' branch step: does the rule (JSON definition) hold for this person
// now? Same evaluation as the membership.
Result<bool> citizen_matches(db::Connection& c, std::string_view rule_json, std::int64_t citizen_id,
                             TimePoint now);

} // namespace teilhabe::segments
