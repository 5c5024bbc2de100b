#pragma once
// The worker loop: claims due jobs, runs the handler registered for their kind, marks them
// done or schedules a retry. Tests drive it step by step with run_once() and a ManualClock;
// `serve` runs it on background threads.

#include "db/database.h"
#include "jobs/job.h"
#include "jobs/progress_board.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace teilhabe::jobs {

// A handler must be idempotent: a job whose worker died mid-way runs again.
using JobHandler = std::function<Result<void>(const Job&)>;

struct WorkerOptions {
    std::string worker_id; // unique per process, e.g. host:pid
    int batch{16};
    std::chrono::milliseconds lease{std::chrono::minutes(5)};
    std::chrono::milliseconds idle_poll{std::chrono::seconds(2)};
};

class Worker {
public:
    Worker(db::Database& db, const Clock& clock, WorkerOptions options);
    ~Worker();

    void register_handler(std::string kind, JobHandler handler);

    // Claims one batch and runs it; returns how many jobs ran.
    Result<int> run_once();
    // Runs batches until none is due (tests).
    Result<int> run_until_idle(int max_batches = 1000);

    void start(unsigned threads = 1);
    // Wakes the loop early (a job was just queued).
    void notify();
    // Finishes the running jobs, then returns.
    void stop();

    // Where this process's long jobs report how far they are (see progress_board.h).
    ProgressBoard& progress() { return m_progress; }

private:
    void loop();
    void run_job(const Job& job);

    db::Database& m_db;
    const Clock& m_clock;
    WorkerOptions m_options;
    std::map<std::string, JobHandler, std::less<>> m_handlers;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_stopping{false};
    bool m_notified{false};
    ProgressBoard m_progress;
};

} // namespace teilhabe::jobs
