#include "events/ics.h"

#include <chrono>
#include <fmt/format.h>

namespace teilhabe::events {

std::string ics_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        switch (c) {
        case '\\': out += "\\\\"; break;
        case ';': out += "\\;"; break;
        case ',': out += "\\,"; break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            out += "\\n";
            break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string ics_fold(std::string_view line) {
    constexpr std::size_t kMax = 75;
    std::string out;
    std::size_t room = kMax; // octets left on the current physical line
    std::size_t i = 0;
    while (i < line.size()) {
        // One UTF-8 character: its lead byte says how long it is.
        auto lead = static_cast<unsigned char>(line[i]);
        std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3
                                                            : (lead >> 3) == 30   ? 4
                                                                                  : 1;
        len = std::min(len, line.size() - i);
        if (len > room) {
            out += "\r\n ";
            room = kMax - 1;
        }
        out.append(line.substr(i, len));
        room -= len;
        i += len;
    }
    out += "\r\n";
    return out;
}

std::string ics_time(std::int64_t unix_ms) {
    auto t = std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{unix_ms}};
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", int(ymd.year()), unsigned(ymd.month()),
                       unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count());
}

std::string calendar(const std::vector<CalendarEntry>& entries) {
    std::string out;
    auto line = [&](std::string_view l) { out += ics_fold(l); };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Teilhabe//Events//DE");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    for (const auto& e : entries) {
        line("BEGIN:VEVENT");
        line("UID:" + ics_escape(e.uid));
        line("DTSTAMP:" + ics_time(e.stamp_ms));
        line("DTSTART:" + ics_time(e.starts_at_ms));
        line("DTEND:" + ics_time(e.ends_at_ms));
        line("SUMMARY:" + ics_escape(e.summary));
        if (!e.description.empty())
            line("DESCRIPTION:" + ics_escape(e.description));
        if (!e.location.empty())
            line("LOCATION:" + ics_escape(e.location));
        if (!e.url.empty())
            line("URL:" + e.url);
        line(e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    return out;
}

} // namespace teilhabe::events
