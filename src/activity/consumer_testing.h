#pragma once
// For tests: run a consumer until it has handled every activity written so far; a consumer
// that fails in the middle of a batch.
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

// Another consumer whose `fail_at`-th handle() fails, as a crash in the middle of a batch would
// end it; everything else (name, batch start, wanted types) is the wrapped consumer's.
class FailingConsumer final : public Consumer {
public:
    FailingConsumer(Consumer& inner, int fail_at) : m_inner(inner), m_fail_at(fail_at) {}
    std::string name() const override { return m_inner.name(); }
    void batch_begins() override { m_inner.batch_begins(); }
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override {
        return m_inner.wanted_types(c);
    }
    Result<void> handle(db::Connection& c, const Activity& a) override {
        if (++m_calls == m_fail_at)
            return fail(Error::unavailable("the process died here"));
        return m_inner.handle(c, a);
    }
    int calls() const { return m_calls; }

private:
    Consumer& m_inner;
    int m_fail_at;
    int m_calls{0};
};

} // namespace teilhabe::activity::testing
