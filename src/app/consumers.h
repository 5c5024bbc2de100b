#pragma once
// The activity consumers of `serve` (DESIGN.md "Activities are the spine"), in one list, and the
// loop that runs them in the background. Each consumer remembers its own position, so one that
// is added later starts from the first activity; points rules, segments and journeys join the
// list in consumers.cpp.

#include "activity/consumer.h"
#include "db/database.h"
#include "journeys/engine.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace teilhabe::app {

// `journeys` carries the town's quiet hours, which decide when a journey's first step is due.
std::vector<std::unique_ptr<activity::Consumer>> all_consumers(const Clock& clock,
                                                               journeys::EngineSettings journeys = {});

struct ConsumerLoopOptions {
    // How often to look for new activities when there were none. Activities are written in many
    // places and by other instances, so polling is what sees them all; 200 ms keeps automation
    // prompt at the cost of one cheap query per consumer.
    std::chrono::milliseconds poll{200};
    // Activities per transaction, and how long one may take. On SQLite a batch holds the only
    // write lock, so a request that writes (every audited read does) may wait for one batch: 200
    // took ~120 ms while catching up on a million activities (docs/benchmarks.md). The budget
    // keeps that wait near 20 ms, while cheap activities (a click that earns nothing more) still
    // go through hundreds to a transaction instead of paying a commit for every 32.
    int batch{512};
    std::chrono::milliseconds budget{20};
};

class ConsumerLoop {
public:
    // `on_progress` runs after a round in which some consumer handled activities (to wake the
    // job worker for the jobs they queued).
    ConsumerLoop(db::Database& db, const Clock& clock,
                 std::vector<std::unique_ptr<activity::Consumer>> consumers,
                 ConsumerLoopOptions options = {}, std::function<void()> on_progress = {});
    ~ConsumerLoop();

    // Every consumer once; how many activities were handled in all. Errors are logged: one
    // consumer's failure (its batch rolls back and is retried) does not stop the others.
    int run_once();

    void start();
    void notify();
    // Lets the round in progress finish, then returns.
    void stop();

private:
    void loop();

    db::Database& m_db;
    const Clock& m_clock;
    std::vector<std::unique_ptr<activity::Consumer>> m_consumers;
    ConsumerLoopOptions m_options;
    std::function<void()> m_on_progress;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping{false};
    bool m_notified{false};
};

} // namespace teilhabe::app
