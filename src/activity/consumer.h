#pragma once
// Consumers read the activity log in commit order and remember their position durably. Each
// batch is one transaction: the consumer's database effects and its new position commit
// together, so a crash loses or doubles nothing. Several instances may run the same consumer:
// the position row is locked (SKIP LOCKED on PostgreSQL), so only one works on it at a time.

#include "activity/activity.h"
#include "db/database.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::activity {

class Consumer {
public:
    virtual ~Consumer() = default;
    virtual std::string name() const = 0;
    // Runs inside the batch's transaction. An error rolls the whole batch back; it is retried
    // on the next run.
    virtual Result<void> handle(db::Connection& c, const Activity& a) = 0;
    // Called at the start of each batch, inside its transaction, before the first handle():
    // a consumer may keep what it read (its rules, its settings) for the batch and forget it
    // here, so that a change made between batches is seen by the next one.
    virtual void batch_begins() {}
    // The activity types this consumer handles, asked inside each batch's transaction (after
    // batch_begins()); none (the default) = every type. Activities of other types are not read
    // at all, and the consumer's position still moves past them.
    virtual Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection&) {
        return std::optional<std::vector<std::string>>{};
    }
};

// Processes at most `batch` new activities; returns how many (0 = caught up, or another
// instance holds this consumer right now). With a `budget`, the batch also ends once handling
// has taken that long on `clock` (after at least one activity): cheap activities go through
// many to a transaction, expensive ones do not hold the write lock for long.
Result<int> run_consumer_once(db::Database& db, Consumer& consumer, const Clock& clock,
                              int batch = 200, std::chrono::milliseconds budget = {});

} // namespace teilhabe::activity
