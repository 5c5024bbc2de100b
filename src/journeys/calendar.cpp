#include "journeys/calendar.h"

#include <fmt/format.h>

namespace teilhabe::journeys {

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

struct Civil {
    int y;
    unsigned m, d;
};

// Howard Hinnant's civil_from_days (proleptic Gregorian calendar).
Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), m, d};
}

int weekday_of(std::int64_t days) { // 1970-01-01 was a Thursday
    return static_cast<int>(((days % 7) + 11) % 7);
}

// The day (days since the epoch) of the last Sunday of a month.
std::int64_t last_sunday(int year, unsigned month) {
    unsigned next_month = month == 12 ? 1 : month + 1;
    int next_year = month == 12 ? year + 1 : year;
    auto last = days_from_civil(next_year, next_month, 1) - 1;
    return last - weekday_of(last);
}

} // namespace

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<int> parse_clock(std::string_view s) {
    if (s.size() != 5 || s[2] != ':')
        return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (s[i] < '0' || s[i] > '9')
            return std::nullopt;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return std::nullopt;
    return h * 60 + m;
}

std::string format_clock(int minutes) {
    return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

int berlin_offset_minutes(TimePoint utc) {
    auto ms = to_unix_ms(utc);
    auto days = ms >= 0 ? ms / kDay : (ms - kDay + 1) / kDay;
    int year = civil_from_days(days).y;
    auto begin = last_sunday(year, 3) * kDay + 60 * kMinute; // 01:00 UTC
    auto end = last_sunday(year, 10) * kDay + 60 * kMinute;
    return ms >= begin && ms < end ? 120 : 60;
}

LocalTime to_berlin(TimePoint utc) {
    auto ms = to_unix_ms(utc) + berlin_offset_minutes(utc) * kMinute;
    auto days = ms >= 0 ? ms / kDay : (ms - kDay + 1) / kDay;
    auto in_day = ms - days * kDay;
    auto c = civil_from_days(days);
    return {c.y,
            static_cast<int>(c.m),
            static_cast<int>(c.d),
            static_cast<int>(in_day / (60 * kMinute)),
            static_cast<int>(in_day / kMinute % 60),
            static_cast<int>(in_day / 1000 % 60),
            weekday_of(days)};
}

TimePoint from_berlin(int year, int month, int day, int hour, int minute) {
    auto local = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kDay +
                 (hour * 60 + minute) * kMinute;
    // Try the summer offset first (the earlier instant), keep it when it is consistent.
    auto summer = from_unix_ms(local - 120 * kMinute);
    if (berlin_offset_minutes(summer) == 120)
        return summer;
    return from_unix_ms(local - 60 * kMinute);
}

std::string format_local(TimePoint utc, bool english) {
    auto l = to_berlin(utc);
    if (english)
        return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", l.year, l.month, l.day, l.hour, l.minute);
    return fmt::format("{:02}.{:02}.{:04}, {:02}:{:02}", l.day, l.month, l.year, l.hour, l.minute);
}

bool in_quiet_hours(const QuietHours& q, TimePoint t) {
    auto l = to_berlin(t);
    if (q.sundays && l.weekday == 0)
        return true;
    if (q.start == q.end)
        return false;
    int m = l.hour * 60 + l.minute;
    if (q.start < q.end)
        return m >= q.start && m < q.end;
    return m >= q.start || m < q.end;
}

std::optional<QuietHours> parse_quiet_hours_setting(std::string_view text) {
    if (text == "off")
        return QuietHours{0, 0, false};
    QuietHours q{0, 0, false};
    if (text.ends_with("sundays")) {
        q.sundays = true;
        text.remove_suffix(7);
        while (!text.empty() && text.back() == ' ')
            text.remove_suffix(1);
    }
    if (text.empty())
        return q.sundays ? std::optional(q) : std::nullopt;
    if (text.size() != 11 || text[5] != '-')
        return std::nullopt;
    auto from = parse_clock(text.substr(0, 5));
    auto to = parse_clock(text.substr(6));
    if (!from || !to)
        return std::nullopt;
    q.start = *from;
    q.end = *to;
    return q;
}

std::string describe_quiet_hours(const QuietHours& q, bool english) {
    bool night = q.start != q.end;
    if (!night && !q.sundays)
        return english ? "none" : "keine";
    std::string out;
    if (night)
        out = format_clock(q.start) + "–" + format_clock(q.end) + (english ? "" : " Uhr");
    if (q.sundays)
        out += night ? (english ? " and on Sundays" : " und sonntags") : (english ? "Sundays" : "sonntags");
    return out;
}

TimePoint next_allowed(const QuietHours& q, TimePoint t) {
    // Each round moves to the end of the window or to the next midnight: at most a few rounds.
    for (int round = 0; round < 8 && in_quiet_hours(q, t); ++round) {
        auto l = to_berlin(t);
        int m = l.hour * 60 + l.minute;
        bool night = q.start != q.end &&
                     (q.start < q.end ? (m >= q.start && m < q.end) : (m >= q.start || m < q.end));
        if (night && m < q.end) { // the early hours: until the window's end today
            t = from_berlin(l.year, l.month, l.day, q.end / 60, q.end % 60);
            continue;
        }
        // Late evening or a Sunday: from the next midnight on.
        auto next = civil_from_days(days_from_civil(l.year, l.month, l.day) + 1);
        t = from_berlin(next.y, static_cast<int>(next.m), static_cast<int>(next.d), 0, 0);
    }
    return t;
}

TimePoint next_time_of_day(TimePoint after, int minutes, bool skip_sundays) {
    auto l = to_berlin(after);
    auto day = days_from_civil(l.year, l.month, l.day);
    for (int i = 0; i < 9; ++i, ++day) {
        auto c = civil_from_days(day);
        auto t = from_berlin(c.y, static_cast<int>(c.m), static_cast<int>(c.d), minutes / 60, minutes % 60);
        if (t < after)
            continue;
        if (skip_sundays && weekday_of(day) == 0)
            continue;
        return t;
    }
    return after; // not reached: a week has six days that are not Sundays
}

} // namespace teilhabe::journeys
