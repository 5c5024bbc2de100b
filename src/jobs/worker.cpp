#include "jobs/worker.h"

#include "base/thread_name.h"
#include "jobs/job_store.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace teilhabe::jobs {

Worker::Worker(db::Database& db, const Clock& clock, WorkerOptions options)
    : m_db(db), m_clock(clock), m_options(std::move(options)) {}

Worker::~Worker() { stop(); }

void Worker::register_handler(std::string kind, JobHandler handler) {
    m_handlers.emplace(std::move(kind), std::move(handler));
}

void Worker::run_job(const Job& job) {
    auto it = m_handlers.find(job.kind);
    Result<void> r = it == m_handlers.end()
                         ? Result<void>(fail(Error::internal("no handler for job kind " + job.kind)))
                         : it->second(job);
    auto finish = m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        if (r)
            return complete(c, job.id, m_options.worker_id, m_clock);
        return fail_attempt(c, job, m_options.worker_id, r.error().message, m_clock);
    });
    if (!finish)
        spdlog::error("job {} ({}): could not record the outcome: {}", job.id, job.kind,
                      finish.error().message);
    else if (!*finish)
        spdlog::warn("job {} ({}): claim expired before it finished", job.id, job.kind);
    if (!r)
        spdlog::warn("job {} ({}) attempt {} failed: {}", job.id, job.kind, job.attempts,
                     r.error().message);
}

Result<int> Worker::run_once() {
    auto batch = TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return claim(c, m_options.worker_id, m_options.batch, m_options.lease, m_clock);
    }));
    for (const auto& job : batch)
        run_job(job);
    return static_cast<int>(batch.size());
}

Result<int> Worker::run_until_idle(int max_batches) {
    int total = 0;
    for (int i = 0; i < max_batches; ++i) {
        int n = TRY(run_once());
        if (n == 0)
            break;
        total += n;
    }
    return total;
}

void Worker::start(unsigned threads) {
    m_stopping = false;
    for (unsigned i = 0; i < threads; ++i)
        m_threads.emplace_back([this] {
            name_this_thread("th-jobs");
            loop();
        });
}

void Worker::notify() {
    {
        std::lock_guard lock(m_mutex);
        m_notified = true;
    }
    m_wake.notify_all();
}

void Worker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable())
            t.join();
    m_threads.clear();
}

void Worker::loop() {
    while (!m_stopping) {
        auto ran = run_once();
        if (!ran)
            spdlog::error("job worker: {}", ran.error().message);
        if (ran && *ran > 0)
            continue;
        auto wait = m_options.idle_poll;
        if (auto lease = m_db.acquire()) {
            // Sleep until the next job is due, but never longer than idle_poll: another
            // instance may queue work without being able to wake this one.
            if (auto due = next_due(**lease); due && *due) {
                auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**due -
                                                                                   m_clock.now());
                wait = std::clamp(until, std::chrono::milliseconds(0), wait);
            }
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, wait, [&] { return m_stopping.load() || m_notified; });
        m_notified = false;
    }
}

} // namespace teilhabe::jobs
