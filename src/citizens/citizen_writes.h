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
#include <string_view>
#include <vector>

namespace teilhabe::citizens::detail {

struct AttributeWrite {
    FieldDefinition def;
    StoredValue value; // no texts: remove the value
};

// The field definitions and topics that writes are checked against, read once per write or,
// for many writes in one transaction (the CSV import), once for all of them. The definitions
// are read FOR SHARE on PostgreSQL (as find_field_for_value does for one): a value is checked
// against the definition it is stored under.
class Definitions {
public:
    static Result<Definitions> load(db::Connection& c);
    const FieldDefinition* field(std::string_view key) const;
    const std::vector<FieldDefinition>& fields() const { return m_fields; }
    // InvalidArgument naming "interests" for an unknown key.
    Result<std::int64_t> topic_id(std::string_view key) const;

private:
    std::vector<FieldDefinition> m_fields;
    std::map<std::string, std::size_t, std::less<>> m_field_index;
    std::map<std::string, std::int64_t, std::less<>> m_topics;
};

// Current stored texts per field key of one person (sorted).
using StoredTexts = std::map<std::string, std::vector<std::string>>;
Result<StoredTexts> stored_texts(db::Connection& c, std::int64_t citizen_id);

// Checks the requested attribute changes against the field definitions (locked against
// concurrent change, see find_field_for_value) and returns those that change something.
// `clear_attributes` turns every current value into a removal.
Result<std::vector<AttributeWrite>> plan_attributes(db::Connection& c, const CitizenChanges& in,
                                                    const StoredTexts& current);
Result<std::vector<AttributeWrite>>
plan_attributes(const Definitions& defs, const CitizenChanges& in, const StoredTexts& current);
// On create: every required field needs a value (the error names the first one missing).
Result<void> check_required(db::Connection& c, const std::vector<AttributeWrite>& writes);
Result<void> check_required(const Definitions& defs, const std::vector<AttributeWrite>& writes);

Result<std::vector<std::int64_t>> topic_ids(db::Connection& c,
                                            const std::vector<std::string>& keys);
Result<std::vector<std::int64_t>> topic_ids(const Definitions& defs,
                                            const std::vector<std::string>& keys);

Result<void> write_attributes(db::Connection& c, std::int64_t citizen_id,
                              const std::vector<AttributeWrite>& writes, std::int64_t now);
// For a person who has no values yet (a create): only the inserts of write_attributes.
Result<void> insert_attributes(db::Connection& c, std::int64_t citizen_id,
                               const std::vector<AttributeWrite>& writes, std::int64_t now);
// Replaces the sets by adding what is new and deleting what is gone (an interest keeps the
// time it was first recorded).
Result<void> write_tags(db::Connection& c, std::int64_t citizen_id,
                        const std::vector<std::string>& before,
                        const std::vector<std::string>& after);
Result<void> write_interests(db::Connection& c, std::int64_t citizen_id,
                             const std::vector<std::string>& before,
                             const std::vector<std::string>& after, std::int64_t now);
Result<void> write_interests(db::Connection& c, const Definitions& defs, std::int64_t citizen_id,
                             const std::vector<std::string>& before,
                             const std::vector<std::string>& after, std::int64_t now);

} // namespace teilhabe::citizens::detail
