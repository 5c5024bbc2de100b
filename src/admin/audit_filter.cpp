#include "admin/audit_filter.h"

#include "citizens/citizen.h"
#include "citizens/field.h"
#include "citizens/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace teilhabe::admin {

namespace {

constexpr std::size_t kMaxFilterChars = 200;
constexpr std::int64_t kDayMs = 86'400'000;

std::optional<std::int64_t> parse_positive(std::string_view s) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || n < 0)
        return std::nullopt;
    return n;
}

bool printable(const std::string& s) {
    return s.size() <= kMaxFilterChars && citizens::valid_utf8(s) &&
           !citizens::has_control_chars(s, citizens::Lines::Single);
}

// The subject as the log writes it: a number is a person ("citizen:17"), an address is
// resolved by the store, "kind:name" (field:birth_year, staff:3) is taken as it is.
void parse_subject(const std::string& s, AuditQuery& q, AuditFilterErrors& errors) {
    if (s.empty())
        return;
    if (auto id = parse_positive(s); id && *id > 0) {
        q.subject = "citizen:" + s;
    } else if (s.find('@') != std::string::npos) {
        q.subject_email = citizens::normalise_email(s);
    } else if (auto colon = s.find(':'); colon != std::string::npos && colon > 0 &&
                                         colon + 1 < s.size() && printable(s) &&
                                         s.find(' ') == std::string::npos) {
        q.subject = s;
    } else {
        errors["subject"] = "subject";
    }
}

// An address (IPv4 or IPv6) or its beginning followed by "*".
void parse_ip(const std::string& s, AuditQuery& q, AuditFilterErrors& errors) {
    if (s.empty())
        return;
    std::string body = s.ends_with('*') ? s.substr(0, s.size() - 1) : s;
    bool ok =
        !body.empty() && body.size() <= 64 && std::all_of(body.begin(), body.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
        });
    if (!ok) {
        errors["ip"] = "ip";
        return;
    }
    (s.ends_with('*') ? q.ip_prefix : q.ip) = body;
}

std::optional<std::int64_t> day_start_ms(const std::string& s, const char* member,
                                         AuditFilterErrors& errors) {
    if (s.empty())
        return std::nullopt;
    auto days = citizens::parse_date_days(s);
    if (!days) {
        errors[member] = "date";
        return std::nullopt;
    }
    return *days * kDayMs;
}

} // namespace

AuditFilterInput read_audit_filter(const std::vector<std::pair<std::string, std::string>>& query) {
    AuditFilterInput in;
    for (const auto& [k, v] : query) {
        std::string value = citizens::trim(v);
        if (k == "actor")
            in.actor = value;
        else if (k == "action")
            in.action = value;
        else if (k == "subject")
            in.subject = value;
        else if (k == "from")
            in.from = value;
        else if (k == "to")
            in.to = value;
        else if (k == "ip")
            in.ip = value;
        else if (k == "cursor")
            in.cursor = value;
    }
    return in;
}

std::vector<std::pair<std::string, std::string>> filter_params(const AuditFilterInput& in) {
    const std::pair<const char*, const std::string*> filters[] = {
        {"actor", &in.actor}, {"action", &in.action}, {"subject", &in.subject},
        {"from", &in.from},   {"to", &in.to},         {"ip", &in.ip}};
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : filters)
        if (!value->empty())
            out.emplace_back(name, *value);
    return out;
}

std::string to_string(const AuditCursor& c) {
    return std::to_string(c.at) + "." + std::to_string(c.id);
}

ParsedAuditFilter parse_audit_filter(const AuditFilterInput& in) {
    ParsedAuditFilter out;
    auto& q = out.query;
    auto& errors = out.errors;
    if (!in.actor.empty()) {
        if (!printable(in.actor))
            errors["actor"] = "actor";
        else if (in.actor == "system")
            q.actor_is_system = true;
        else
            q.actor = in.actor;
    }
    if (!in.action.empty()) {
        if (printable(in.action))
            q.action = in.action;
        else
            errors["action"] = "action";
    }
    parse_subject(in.subject, q, errors);
    parse_ip(in.ip, q, errors);
    q.from_ms = day_start_ms(in.from, "from", errors);
    if (auto to = day_start_ms(in.to, "to", errors))
        q.until_ms = *to + kDayMs;
    if (q.from_ms && q.until_ms && *q.from_ms >= *q.until_ms)
        errors["to"] = "range";
    if (!in.cursor.empty()) {
        auto dot = in.cursor.find('.');
        auto at = parse_positive(in.cursor.substr(0, dot));
        auto id =
            dot == std::string::npos ? std::nullopt : parse_positive(in.cursor.substr(dot + 1));
        if (at && id)
            q.before = AuditCursor{*at, *id};
        else
            errors["cursor"] = "cursor";
    }
    return out;
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string cell = cells[i];
        if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string::npos)
            cell = "'" + cell;
        bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
        if (i)
            out += ',';
        if (!quote) {
            out += cell;
            continue;
        }
        out += '"';
        for (char c : cell)
            out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
    }
    return out + "\r\n";
}

} // namespace teilhabe::admin
