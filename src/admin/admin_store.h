#pragma once
// Read-only queries of the admin screens.

#include "db/connection.h"

#include <string>
#include <vector>

namespace teilhabe::admin::store {

struct Figures {
    std::int64_t citizens{0}, topics{0}, departments{0}, activities{0}, jobs_waiting{0};
};
Result<Figures> figures(db::Connection& c);

struct RecentActivity {
    std::int64_t at{0};
    std::string type, actor;
};
Result<std::vector<RecentActivity>> recent_activities(db::Connection& c, int limit);

// Topics (for interests) and departments (for field ownership), by key, for forms and filters.
struct NamedRow {
    std::string key, name_de, name_en;
};
Result<std::vector<NamedRow>> topics(db::Connection& c);
Result<std::vector<NamedRow>> departments(db::Connection& c);

// "staff:3" -> the staff member's e-mail, for "who did it" in timelines; the actor text as it
// is for anything else ("system", "apikey:2", an erased account).
Result<std::string> actor_name(db::Connection& c, const std::string& actor);

} // namespace teilhabe::admin::store
