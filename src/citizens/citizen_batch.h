#pragma once
// Reading many profiles at once: the batch form of citizen_store.h's find_citizen, for code that
// handles people in batches (the journeys' engine reads the recipients of a batch's mails).
// A header of its own because citizen_store.h is included nearly everywhere.

#include "citizens/citizen.h"
#include "db/connection.h"

#include <cstdint>
#include <vector>

namespace teilhabe::citizens::store {

// The profiles with these ids, as find_citizen reads each (tags, interests, values), in
// ascending id order; ids without a profile are left out, a repeated id counts once. Four
// statements per 500 ids, however many there are.
Result<std::vector<Citizen>> find_citizens(db::Connection& c, std::vector<std::int64_t> ids);

} // namespace teilhabe::citizens::store
