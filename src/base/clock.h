#pragma once
// The clock is injected everywhere (DESIGN.md "Clock"): production uses SystemClock, tests a
// ManualClock they advance, so waits of days run in milliseconds.

#include "base/error.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace teilhabe {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// Milliseconds since the Unix epoch: the one representation of time in the database.
inline std::int64_t to_unix_ms(TimePoint t) {
    return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_ms(std::int64_t ms) { return TimePoint(Millis(ms)); }

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    std::int64_t now_ms() const { return to_unix_ms(now()); }
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = from_unix_ms(1'780'000'000'000)) : m_ms(to_unix_ms(start)) {}
    TimePoint now() const override { return from_unix_ms(m_ms.load()); }
    void advance(Millis d) { m_ms += d.count(); }
    void set(TimePoint t) { m_ms = to_unix_ms(t); }

private:
    std::atomic<std::int64_t> m_ms;
};

// ISO 8601 in UTC with milliseconds, e.g. 2026-11-24T10:00:00.000Z.
std::string format_iso8601(TimePoint t);

// RFC 3339 date-time as other systems send it: 2026-11-24T10:00:00Z, with optional fraction
// (up to milliseconds are kept) and a numeric offset (+01:00). A date alone is not a point in
// time and is refused. The message says what is wrong, for an API's 422.
Result<TimePoint> parse_rfc3339(std::string_view text);

} // namespace teilhabe
