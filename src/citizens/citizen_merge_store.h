#pragma once
// SQL for merging two profiles of one person and for finding likely duplicates. Works inside
// the caller's transaction, so the merge commits whole or not at all.

#include "base/clock.h"
#include "citizens/citizen_merge.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::citizens::store {

// Merges request.duplicate_id into `survivor_id` (plan_merge decides the profile's values):
// every row that refers to the duplicate in any table of gdpr/personal_data.cpp moves to the
// survivor (its history is kept), the duplicate's profile is deleted, and a citizen.merged
// activity (with the duplicate's id and e-mail) and audit entries record who did it.
// InvalidArgument for a profile merged into itself ("duplicate_id") and for bad choices;
// NotFound for an unknown id; Conflict when either profile is restricted (GDPR Art. 18).
Result<Citizen> merge_citizens(db::Connection& c, std::int64_t survivor_id,
                               const MergeRequest& request, const Actor& who, const Clock& clock);

// Others with the same first and last name (any case), those in the same district first; none
// when the profile lacks either name. Without tags, interests and attributes.
Result<std::vector<Citizen>> possible_duplicates(db::Connection& c, const Citizen& of, int limit);

} // namespace teilhabe::citizens::store
