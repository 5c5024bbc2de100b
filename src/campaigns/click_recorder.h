#pragma once
// Records clicks on tracked links in batches, apart from the redirect: /r/{token} answers at
// once (it reads nothing and writes nothing), and a background thread writes what came in
// every `interval` in one transaction — one commit for many clicks instead of one each. A
// graceful stop writes what is left. A crash loses at most the clicks of the last interval
// (default 50 ms): a click is a measurement, not a promise to the person, and nothing that
// was acknowledged to anybody is lost with it (docs/decisions.md).

#include "base/clock.h"
#include "campaigns/tracking.h"
#include "db/database.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace teilhabe::campaigns {

struct ClickRecorderOptions {
    std::chrono::milliseconds interval{50};
    std::size_t max_pending{100'000}; // beyond this, clicks are dropped (and counted) not queued
};

class ClickRecorder {
public:
    ClickRecorder(db::Database& db, const Clock& clock, ClickRecorderOptions options = {});
    ~ClickRecorder();

    // Never blocks on the database.
    void add(TrackedLink link);
    // Writes everything queued so far (tests call this instead of starting the thread).
    Result<std::size_t> flush();

    void start();
    void stop();

    std::size_t dropped() const;

private:
    void loop();

    db::Database& m_db;
    const Clock& m_clock;
    ClickRecorderOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::pair<TrackedLink, TimePoint>> m_pending;
    std::size_t m_dropped{0};
    bool m_stopping{false};
    std::thread m_thread;
};

} // namespace teilhabe::campaigns
