#pragma once
// What a signed-in citizen does with their own data, each step inside the caller's
// transaction: reading and changing their profile, answering or declining the questions of
// progressive profiling. Changes go through citizens::store::update_citizen, so that they are
// audited and recorded as activities as staff edits are; the actor is "citizen:<id>".
// No HTTP here.

#include "base/clock.h"
#include "citizens/citizen.h"
#include "citizens/field.h"
#include "db/connection.h"
#include "portal/profiling.h"

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace teilhabe::portal {

struct OwnProfile {
    citizens::Citizen citizen;
    // The custom fields the person may see and change: those staff marked "may be asked in
    // the portal", in the order staff set.
    std::vector<citizens::FieldDefinition> fields;
};

// The person's own profile. Not audited as a read: the person is looking at their own data.
Result<OwnProfile> load_own_profile(db::Connection& c, std::int64_t citizen_id);

// A change of the person's own profile. Only their name, district, language, channel and the
// fields marked for the portal; anything else (the e-mail address, tags, interests, other
// fields) is PermissionDenied naming the member. Conflict while processing is restricted.
Result<citizens::Citizen> update_own_profile(db::Connection& c, std::int64_t citizen_id,
                                             const citizens::CitizenChanges& in,
                                             const citizens::Actor& who, const Clock& clock);

// The questions to ask now (progressive profiling); none while processing is restricted.
Result<std::vector<citizens::FieldDefinition>> open_questions(db::Connection& c,
                                                              std::int64_t citizen_id,
                                                              const ProfilingPolicy& policy,
                                                              const Clock& clock);

// An answer: the value goes into the profile (update_own_profile) and the activity
// "portal.answered" (object "field:<key>") records that it came from a question. A field that
// may not be asked now is FailedPrecondition; a value that does not fit, InvalidArgument
// naming "attributes.<key>".
Result<void> answer_question(db::Connection& c, std::int64_t citizen_id, std::string_view key,
                             const nlohmann::json& value, const ProfilingPolicy& policy,
                             const citizens::Actor& who, const Clock& clock);

// "Not now": the question rests for policy.ask_again_after ("portal.declined").
Result<void> decline_question(db::Connection& c, std::int64_t citizen_id, std::string_view key,
                              const citizens::Actor& who, const Clock& clock);

} // namespace teilhabe::portal
