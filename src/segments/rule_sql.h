#pragma once
// A rule as SQL: one condition over `citizens c`, built from fixed fragments per kind of
// condition, every value bound (DESIGN.md "every value is bound"; nothing of the rule's text
// reaches the SQL). The same condition answers one person (membership), a range of people (the
// bulk job), a count and a sample (the editor's preview).

#include "base/clock.h"
#include "db/connection.h"
#include "segments/rule.h"

#include <map>

namespace teilhabe::segments {

struct FieldInfo {
    std::int64_t id{0};
    std::string type; // text, number, date, bool, choice, multichoice
};
using FieldTypes = std::map<std::string, FieldInfo, std::less<>>;

Result<FieldTypes> load_field_types(db::Connection& c);

struct Sql {
    std::string where; // a condition on citizens c; people whose processing is restricted never match
    db::Params params;
};

// `now` fixes the activity windows "within N days". Fails when an attribute names no field,
// or its value does not fit the field's type (Error::field is the JSON pointer).
Result<Sql> compile(const Rule& r, db::Backend backend, const FieldTypes& fields, TimePoint now);

// Checks the names a rule uses against the database: fields with their types, topics.
Result<void> check_references(db::Connection& c, const Rule& r);

// The earliest time after `now` at which the person's result can change by time alone: an
// activity counted in a "within N days" window leaves it, or one dated in the future enters it.
Result<std::optional<TimePoint>> next_change(db::Connection& c, const Rule& r,
                                             std::int64_t citizen_id, TimePoint now);

// The people for whom next_change can answer anything, as a condition on `citizens c`: those
// with an activity of one of the rule's activity conditions (type and object) that lies in the
// future, or inside a "within N days" window. Empty `where` when the rule has no activity
// condition. The bulk job asks next_change only of them, instead of everyone with an activity.
Sql time_candidates(const Rule& r, TimePoint now);

} // namespace teilhabe::segments
