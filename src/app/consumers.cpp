#include "app/consumers.h"

#include "base/thread_name.h"
#include "journeys/consumer.h"
#include "points/points_consumer.h"
#include "segments/consumer.h"
#include "webhooks/consumer.h"

#include <spdlog/spdlog.h>

namespace teilhabe::app {

std::vector<std::unique_ptr<activity::Consumer>> all_consumers(const Clock& clock,
                                                               journeys::EngineSettings journeys) {
    std::vector<std::unique_ptr<activity::Consumer>> out;
    out.push_back(std::make_unique<webhooks::DeliveryConsumer>(clock));
    out.push_back(std::make_unique<points::PointsConsumer>(clock));
    out.push_back(std::make_unique<segments::MembershipConsumer>(clock));
    out.push_back(std::make_unique<journeys::EnrolmentConsumer>(clock, std::move(journeys)));
    return out;
}

ConsumerLoop::ConsumerLoop(db::Database& db, const Clock& clock,
                           std::vector<std::unique_ptr<activity::Consumer>> consumers,
                           ConsumerLoopOptions options, std::function<void()> on_progress)
    : m_db(db), m_clock(clock), m_consumers(std::move(consumers)), m_options(options),
      m_on_progress(std::move(on_progress)) {}

ConsumerLoop::~ConsumerLoop() {
    stop();
}

int ConsumerLoop::run_once() {
    int total = 0;
    for (auto& consumer : m_consumers) {
        auto n = activity::run_consumer_once(m_db, *consumer, m_clock, m_options.batch, m_options.budget);
        if (!n)
            spdlog::error("activity consumer {}: {}", consumer->name(), n.error().message);
        else
            total += *n;
    }
    if (total > 0 && m_on_progress)
        m_on_progress();
    return total;
}

void ConsumerLoop::start() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] {
        name_this_thread("th-consumers");
        loop();
    });
}

void ConsumerLoop::notify() {
    {
        std::lock_guard lock(m_mutex);
        m_notified = true;
    }
    m_wake.notify_all();
}

void ConsumerLoop::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void ConsumerLoop::loop() {
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
        }
        // Progress: there may be more right behind; go on at once.
        if (run_once() > 0)
            continue;
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_options.poll, [&] { return m_stopping || m_notified; });
        m_notified = false;
    }
}

} // namespace teilhabe::app
