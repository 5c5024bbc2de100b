#pragma once
// iCalendar files (RFC 5545) for an event and for one registration: CRLF line ends, content
// lines folded at 75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::events {

struct CalendarEntry {
    std::string uid; // globally unique and stable: "event-7@host" / "registration-9@host"
    std::int64_t starts_at_ms{0}, ends_at_ms{0};
    std::int64_t stamp_ms{0}; // DTSTAMP: when the file was made
    std::string summary, description, location, url;
    bool cancelled{false}; // STATUS:CANCELLED
};

// RFC 5545 3.3.11: backslash, semicolon, comma and line breaks escaped.
std::string ics_escape(std::string_view text);
// RFC 5545 3.1: a content line longer than 75 octets is split, each continuation starting with
// one space; every line ends in CRLF.
std::string ics_fold(std::string_view line);
// 20260901T080000Z
std::string ics_time(std::int64_t unix_ms);
// A VCALENDAR with one VEVENT per entry.
std::string calendar(const std::vector<CalendarEntry>& entries);

} // namespace teilhabe::events
