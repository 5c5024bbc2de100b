#pragma once
// The data-protection officer's filters over the audit log (GDPR Art. 5(2) accountability):
// read from the address of the screen (a GET form, so that a filtered view can be shared as a
// link), checked, and turned into a query. No SQL and no HTTP here.

#include "base/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace teilhabe::admin {

// The filters as typed, in the names of the form (and of the address).
struct AuditFilterInput {
    std::string actor;   // "staff:3", "apikey:2", "system"
    std::string action;  // "citizen.read"
    std::string subject; // a person's number or e-mail address, or "field:birth_year"
    std::string from;    // YYYY-MM-DD (UTC), inclusive
    std::string to;      // YYYY-MM-DD (UTC), inclusive
    std::string ip;      // an address, or its beginning followed by * ("192.0.2.*")
    std::string cursor;  // where the previous page ended ("<at>.<id>")
};
AuditFilterInput read_audit_filter(const std::vector<std::pair<std::string, std::string>>& query);
// The filters as query parameters (empty ones left out), without the cursor: for the links to
// older entries and the download.
std::vector<std::pair<std::string, std::string>> filter_params(const AuditFilterInput& in);

struct AuditCursor {
    std::int64_t at{0};
    std::int64_t id{0};
};
std::string to_string(const AuditCursor& c);

// What the store looks for. The subject, when typed as an e-mail address, is resolved by the
// store to the person's "citizen:<id>" (subject_email), because the log never holds addresses.
struct AuditQuery {
    std::optional<std::string> actor;
    bool actor_is_system{false}; // "system" also matches "system:demo", "system:cli" ...
    std::optional<std::string> action;
    std::optional<std::string> subject;
    std::optional<std::string> subject_email;
    std::optional<std::string> ip;        // exact
    std::optional<std::string> ip_prefix; // from "192.0.2.*"
    std::optional<std::int64_t> from_ms;  // inclusive
    std::optional<std::int64_t> until_ms; // exclusive (the day after "to")
    std::optional<AuditCursor> before;
    int limit{50};
};

// Which filter is wrong and why: member ("from", "subject", ...) -> a text key of the
// "audit.errors." group, so the screen can say it beside the field in either language.
using AuditFilterErrors = std::map<std::string, std::string>;

struct ParsedAuditFilter {
    AuditQuery query;
    AuditFilterErrors errors;
};
ParsedAuditFilter parse_audit_filter(const AuditFilterInput& in);

// RFC 4180 CSV for the download; a cell that a spreadsheet would run as a formula (=, +, -, @
// at the start) is prefixed with an apostrophe (OWASP "CSV injection").
std::string csv_line(const std::vector<std::string>& cells);

} // namespace teilhabe::admin
