#pragma once
// SQL for custom field definitions. Every function works inside the caller's transaction, so
// a change, the values it drops and its activity commit together or not at all.

#include "base/clock.h"
#include "citizens/field.h"
#include "db/connection.h"

#include <optional>
#include <string_view>
#include <vector>

namespace teilhabe::citizens {

// Which fields an actor may create, change or delete: all of them (admin, editor), or only
// those of one department (department staff, see staff/role.h).
struct FieldScope {
    enum class Kind { AllFields, OwnDepartment };
    Kind kind{Kind::AllFields};
    // OwnDepartment: the actor's department; none when the account (or an API key, which
    // carries no department) has none, and then no field is theirs.
    std::optional<std::int64_t> department_id;

    static FieldScope own_department(std::optional<std::int64_t> id) {
        return {Kind::OwnDepartment, id};
    }
};

// Whether to go ahead when a change would delete people's values (type change, removed
// option, deleted field): without confirmation it is refused, naming how many people have them.
enum class Confirm { No, Yes };

// What a change of a definition does to the values people hold for it: a type change carries
// each value over that fits the new type and deletes the others; removed options go from
// whoever chose them. For the confirmation a screen asks before such a change.
struct FieldChangeImpact {
    bool retyped{false};
    std::vector<std::string> removed_options; // without a type change
    std::int64_t people{0};                   // whose values the change touches
    std::int64_t converted{0}; // of them, whose value is carried over to the new type
    std::int64_t deleted{0};   // of them, whose value (or the removed options they chose) goes
};

namespace store {

Result<std::vector<FieldDefinition>> list_fields(db::Connection& c);
// All of them, locked as find_field_for_value locks one (for checking many values at once).
Result<std::vector<FieldDefinition>> list_fields_for_values(db::Connection& c);
Result<std::optional<FieldDefinition>> find_field(db::Connection& c, std::string_view key);
// The same, with the row locked against concurrent change of the definition until the
// transaction ends (FOR SHARE on PostgreSQL): a value is checked against the definition it is
// stored under.
Result<std::optional<FieldDefinition>> find_field_for_value(db::Connection& c,
                                                            std::string_view key);

Result<FieldDefinition> create_field(db::Connection& c, const FieldChanges& in,
                                     const FieldScope& scope, const Actor& who, const Clock& clock);
Result<FieldDefinition> update_field(db::Connection& c, std::string_view key,
                                     const FieldChanges& in, const FieldScope& scope,
                                     const Actor& who, const Clock& clock);
// The same checks as update_field, and what it would do to people's values; changes nothing.
Result<FieldChangeImpact> preview_field_change(db::Connection& c, std::string_view key,
                                               const FieldChanges& in, const FieldScope& scope);
Result<void> delete_field(db::Connection& c, std::string_view key, Confirm confirm,
                          const FieldScope& scope, const Actor& who, const Clock& clock);

// How many people have a value for the field (any of `options` only, when given).
Result<std::int64_t> count_people_with_values(db::Connection& c, std::int64_t field_id,
                                              const std::vector<std::string>& options = {});

} // namespace store
} // namespace teilhabe::citizens
