#pragma once
// The few reads the activity API needs from other areas' tables: whether a person exists, who
// an e-mail address belongs to, and the readable names of actors for the timeline.

#include "base/error.h"
#include "db/connection.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace teilhabe::activity {

Result<bool> citizen_exists(db::Connection& c, std::int64_t citizen_id);
// `email` already normalised (trimmed, lower-case).
Result<std::optional<std::int64_t>> citizen_by_email(db::Connection& c, const std::string& email);
// "staff:3" -> the staff member's e-mail, "apikey:2" -> "API-Schlüssel CMS"; unknown actors
// (deleted accounts, "system") are left out and shown as they are.
Result<std::map<std::string, std::string>> actor_names(db::Connection& c,
                                                       const std::set<std::string>& actors);

} // namespace teilhabe::activity
