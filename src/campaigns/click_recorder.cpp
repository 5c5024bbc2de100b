#include "campaigns/click_recorder.h"

#include "base/thread_name.h"
#include "campaigns/click_store.h"

#include <spdlog/spdlog.h>

namespace teilhabe::campaigns {

ClickRecorder::ClickRecorder(db::Database& db, const Clock& clock, ClickRecorderOptions options)
    : m_db(db), m_clock(clock), m_options(options) {}

ClickRecorder::~ClickRecorder() { stop(); }

void ClickRecorder::add(TrackedLink link) {
    std::lock_guard lock(m_mutex);
    if (m_pending.size() >= m_options.max_pending) {
        ++m_dropped;
        return;
    }
    m_pending.emplace_back(std::move(link), m_clock.now());
}

Result<std::size_t> ClickRecorder::flush() {
    std::deque<std::pair<TrackedLink, TimePoint>> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_pending);
    }
    if (batch.empty())
        return std::size_t{0};
    std::vector<store::Click> clicks;
    clicks.reserve(batch.size());
    for (const auto& [link, at] : batch)
        clicks.push_back({link, at});
    auto written = m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::size_t> {
        return store::record_clicks(c, clicks, m_clock);
    });
    if (!written) {
        // Given back (in order) for the next round; a database that stays away loses clicks
        // only when max_pending is reached.
        std::lock_guard lock(m_mutex);
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
            if (m_pending.size() >= m_options.max_pending) {
                ++m_dropped;
                continue;
            }
            m_pending.push_front(std::move(*it));
        }
    }
    return written;
}

void ClickRecorder::start() {
    if (m_thread.joinable())
        return;
    m_thread = std::thread([this] {
        name_this_thread("th-clicks");
        loop();
    });
}

void ClickRecorder::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (auto r = flush(); !r)
        spdlog::error("clicks not recorded at stop: {}", r.error().message);
}

std::size_t ClickRecorder::dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void ClickRecorder::loop() {
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_options.interval, [this] { return m_stopping; });
            if (m_stopping)
                return;
        }
        if (auto r = flush(); !r)
            spdlog::warn("clicks not recorded yet: {}", r.error().message);
    }
}

} // namespace teilhabe::campaigns
