#pragma once
// Reading profiles from their rows, shared by the citizens stores (internal to src/citizens).

#include "citizens/citizen.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::citizens::detail {

constexpr const char* kCitizenColumns =
    "c.id, c.email, c.first_name, c.last_name, c.language, c.preferred_channel, c.district, "
    "c.restricted_at, c.created_at, c.updated_at";

Citizen citizen_from_row(const db::Row& r);
// Fills tags, interests and attributes of the given profiles with three queries.
Result<void> load_details(db::Connection& c, std::vector<Citizen>& citizens);

} // namespace teilhabe::citizens::detail
