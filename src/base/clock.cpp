#include "base/clock.h"

#include <ctime>
#include <fmt/format.h>

namespace teilhabe {

std::string format_iso8601(TimePoint t) {
    auto ms = to_unix_ms(t);
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    if (ms % 1000 < 0)
        --secs;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       ((ms % 1000) + 1000) % 1000);
}

} // namespace teilhabe
