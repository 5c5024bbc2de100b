#pragma once
// SQL of the audit screen: pages of the filtered log, newest first, the actions that occur,
// and who the actors are. Writing the log is staff::store::audit.

#include "admin/audit_filter.h"
#include "db/connection.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::admin::store {

struct AuditRow {
    std::int64_t id{0};
    std::int64_t at{0};
    std::string actor, action, subject, detail, ip;
};
struct AuditPage {
    std::vector<AuditRow> rows;
    std::optional<AuditCursor> next; // where the next (older) page starts; none at the end
};
// One page of the entries that match every filter, ordered by (at, id) descending. The
// subject must already be resolved (no subject_email).
Result<AuditPage> audit_page(db::Connection& c, const AuditQuery& q);

// Every action that occurs in the log, in order (a loose index scan: one probe per action,
// however many entries there are).
Result<std::vector<std::string>> audit_actions(db::Connection& c);

// Staff accounts and API keys, for the actor filter and for naming actors.
struct Principal {
    std::string actor; // "staff:3", "apikey:2"
    std::string name;  // e-mail of staff, name of the key
    bool api_key{false};
};
Result<std::vector<Principal>> principals(db::Connection& c);

} // namespace teilhabe::admin::store
