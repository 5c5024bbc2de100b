#pragma once
// Rate limits of the sender, per minute and per hour (0 = unlimited), over sliding windows.
// They hold per instance (per process): with several instances sharing the outbox, give each
// the town's limit divided by the number of instances.

#include "base/clock.h"

#include <deque>
#include <mutex>
#include <optional>

namespace teilhabe::delivery {

class RateLimiter {
public:
    RateLimiter(unsigned per_minute, unsigned per_hour)
        : m_per_minute(per_minute), m_per_hour(per_hour) {}

    // Takes a slot at `now` and returns nothing, or returns when the next slot frees up.
    std::optional<TimePoint> acquire(TimePoint now);

private:
    static std::optional<TimePoint> check(std::deque<TimePoint>& sent, unsigned limit,
                                          std::chrono::milliseconds window, TimePoint now);

    std::mutex m_mutex;
    unsigned m_per_minute, m_per_hour;
    std::deque<TimePoint> m_minute, m_hour;
};

} // namespace teilhabe::delivery
