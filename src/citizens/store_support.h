#pragma once
// Helpers shared by the citizens stores (internal to src/citizens).

#include "base/clock.h"
#include "citizens/citizen.h"
#include "db/connection.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::citizens::detail {

// IN lists are padded (by repeating a value) to a power of two, so a connection caches a
// handful of statements rather than one per page size.
std::size_t padded(std::size_t n);

// Appends an activity in the caller's transaction (DESIGN.md "activities are the spine").
Result<void> record_activity(db::Connection& c, const std::string& type,
                             std::optional<std::int64_t> citizen_id, const std::string& object,
                             const nlohmann::json& props, const Actor& who, const Clock& clock);

// An entry in the audit log that the data-protection officer reads (GDPR Art. 5(2)
// accountability): who, what, which subject, from where. Never the data itself.
Result<void> audit(db::Connection& c, const Actor& who, const std::string& action,
                   const std::string& subject, const std::string& detail, const Clock& clock);

} // namespace teilhabe::citizens::detail
