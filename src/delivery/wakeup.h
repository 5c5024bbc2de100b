#pragma once
// Wakes the outbox sender when rows were queued, so that a started campaign or a confirmation
// mail goes out at once instead of at the sender's next poll (idle_poll, 2 s). The app connects
// it to Sender::notify; whoever queues rows calls notify() AFTER the transaction that queued
// them committed (before, the sender could look and find nothing). Unconnected (no SMTP
// configured, tests without a sender) notify() does nothing. Header only: the areas that queue
// mail (consent, campaigns) need no link to the delivery library for it.

#include <functional>
#include <mutex>

namespace teilhabe::delivery {

class Wakeup {
public:
    void connect(std::function<void()> wake) {
        std::lock_guard lock(m_mutex);
        m_wake = std::move(wake);
    }
    void disconnect() { connect(nullptr); } // before the sender stops
    void notify() const {
        std::lock_guard lock(m_mutex);
        if (m_wake)
            m_wake();
    }

private:
    mutable std::mutex m_mutex;
    std::function<void()> m_wake;
};

} // namespace teilhabe::delivery
