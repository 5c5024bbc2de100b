#pragma once
// For tests: run a consumer until it has handled every activity written so far.
// On PostgreSQL a consumer sees only rows older than the oldest transaction still open anywhere
// in the cluster (db/dialect.h), and other tests run beside this one on the same server, so a
// single run may see nothing yet: retry, boundedly.

#include "activity/consumer.h"
#include "activity/activity_store.h"

#include <chrono>
#include <string>
#include <thread>

namespace teilhabe::activity::testing {

// Ok(true) once the consumer's position reached the newest activity; Ok(false) at the deadline.
inline Result<bool> consume_all(db::Database& db, Consumer& consumer, const Clock& clock,
                                std::chrono::milliseconds patience = std::chrono::seconds(20),
                                int batch = 200) {
    auto newest = [&]() -> Result<std::int64_t> {
        auto lease = TRY(db.acquire());
        return TRY(lease->query_one("SELECT COALESCE(MAX(id), 0) FROM activities")).get_int(0);
    };
    auto last = TRY(newest());
    auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        auto n = TRY(run_consumer_once(db, consumer, clock, batch));
        auto lease = TRY(db.acquire());
        if (TRY(load_position(*lease, consumer.name())).activity_id >= last)
            return true;
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        if (n == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5)); // other tests' transactions
    }
}

} // namespace teilhabe::activity::testing
