#pragma once
// The town's local time for journeys: waits "until 9:00", quiet hours and date fields are meant
// in Europe/Berlin. g++ 12's libstdc++ has no time-zone database (std::chrono::zoned_time came
// with GCC 14), so the zone's rule is written here: CET (UTC+1), and CEST (UTC+2) from the last
// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (EU Directive 2000/84/EC,
// in force for Germany since 1996). Should the EU end the clock change, this file changes.

#include "base/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::journeys {

struct LocalTime {
    int year{1970};
    int month{1}; // 1..12
    int day{1};   // 1..31
    int hour{0};
    int minute{0};
    int second{0};
    int weekday{4}; // 0 = Sunday ... 6 = Saturday
};

// Minutes after midnight, "HH:MM" -> 0..1439.
std::optional<int> parse_clock(std::string_view hh_mm);
std::string format_clock(int minutes);

std::int64_t days_from_civil(int y, unsigned m, unsigned d);
int berlin_offset_minutes(TimePoint utc); // 60 or 120
LocalTime to_berlin(TimePoint utc);
// The instant of a Berlin wall-clock time. A time that does not exist (02:30 on the day the
// clocks go forward) is read with the winter offset, i.e. one hour later in summer time; a time
// that exists twice (02:30 in October) is its first occurrence.
TimePoint from_berlin(int year, int month, int day, int hour, int minute);
// "05.12.2026, 10:00" (de) / "2026-12-05 10:00" (en), Berlin time.
std::string format_local(TimePoint utc, bool english);

// No mail between `start` and `end` (minutes after midnight, Berlin; the window may span
// midnight) and, when `sundays`, none on Sundays. start == end: no nightly window.
struct QuietHours {
    int start{20 * 60};
    int end{8 * 60};
    bool sundays{true};
};
bool in_quiet_hours(const QuietHours& q, TimePoint t);
// The town's setting (quiet_hours in teilhabe.toml): "20:00-08:00 sundays" (the default),
// "22:00-07:00", "sundays", or "off". Nothing when malformed.
std::optional<QuietHours> parse_quiet_hours_setting(std::string_view text);
// For people: "20:00–08:00 Uhr und sonntags" / "20:00–08:00 and on Sundays", "keine" / "none".
std::string describe_quiet_hours(const QuietHours& q, bool english);
// `t` itself when allowed, else the first allowed moment after it.
TimePoint next_allowed(const QuietHours& q, TimePoint t);

// The first moment >= `after` at `minutes` after midnight Berlin time, skipping Sundays when
// asked (the welcome mail's "next suitable morning").
TimePoint next_time_of_day(TimePoint after, int minutes, bool skip_sundays);

} // namespace teilhabe::journeys
