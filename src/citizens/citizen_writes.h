#pragma once
// The parts of a profile that live in their own tables (tags, interests, custom field values):
// checking what a create or patch asks for, and writing it (internal to src/citizens).

#include "base/clock.h"
#include "citizens/citizen.h"
#include "citizens/field.h"
#include "citizens/field_value.h"
#include "db/connection.h"

#include <map>
#include <string>
#include <vector>

namespace teilhabe::citizens::detail {

struct AttributeWrite {
    FieldDefinition def;
    StoredValue value; // no texts: remove the value
};

// Current stored texts per field key of one person (sorted).
using StoredTexts = std::map<std::string, std::vector<std::string>>;
Result<StoredTexts> stored_texts(db::Connection& c, std::int64_t citizen_id);

// Checks the requested attribute changes against the field definitions (locked against
// concurrent change, see find_field_for_value) and returns those that change something.
// `clear_attributes` turns every current value into a removal.
Result<std::vector<AttributeWrite>> plan_attributes(db::Connection& c, const CitizenChanges& in,
                                                    const StoredTexts& current);
// On create: every required field needs a value (the error names the first one missing).
Result<void> check_required(db::Connection& c, const std::vector<AttributeWrite>& writes);

Result<std::vector<std::int64_t>> topic_ids(db::Connection& c,
                                            const std::vector<std::string>& keys);

Result<void> write_attributes(db::Connection& c, std::int64_t citizen_id,
                              const std::vector<AttributeWrite>& writes, std::int64_t now);
// Replaces the sets by adding what is new and deleting what is gone (an interest keeps the
// time it was first recorded).
Result<void> write_tags(db::Connection& c, std::int64_t citizen_id,
                        const std::vector<std::string>& before,
                        const std::vector<std::string>& after);
Result<void> write_interests(db::Connection& c, std::int64_t citizen_id,
                             const std::vector<std::string>& before,
                             const std::vector<std::string>& after, std::int64_t now);

} // namespace teilhabe::citizens::detail
