#include "delivery/rate_limiter.h"

namespace teilhabe::delivery {

std::optional<TimePoint> RateLimiter::check(std::deque<TimePoint>& sent, unsigned limit,
                                            std::chrono::milliseconds window, TimePoint now) {
    while (!sent.empty() && sent.front() <= now - window)
        sent.pop_front();
    if (limit == 0 || sent.size() < limit)
        return std::nullopt;
    return sent.front() + window;
}

std::optional<TimePoint> RateLimiter::acquire(TimePoint now) {
    std::lock_guard lock(m_mutex);
    auto minute = check(m_minute, m_per_minute, std::chrono::minutes(1), now);
    auto hour = check(m_hour, m_per_hour, std::chrono::hours(1), now);
    if (minute || hour)
        return std::max(minute.value_or(now), hour.value_or(now));
    if (m_per_minute > 0)
        m_minute.push_back(now);
    if (m_per_hour > 0)
        m_hour.push_back(now);
    return std::nullopt;
}

} // namespace teilhabe::delivery
