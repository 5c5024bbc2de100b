#pragma once
// The rows of two profiles of one person brought together (SPEC "merge of duplicates"), driven
// by the same list as export and erasure (personal_data.h), so that no table is forgotten:
// every table with a citizen reference names its OnMerge rule. The profile rows themselves
// (citizens) are the caller's: citizens/citizen_merge_store.cpp decides what the survivor keeps.

#include "base/clock.h"
#include "base/error.h"
#include "db/connection.h"

#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::gdpr {

// Moves the rows of `duplicate` to `survivor` in every table of personal_tables(), inside the
// caller's transaction. Where the survivor already has a row with the same merge key, the
// duplicate's row is deleted instead. Internal error (nothing should be committed) when a
// table has no merge rule. First the duplicate's ledger balances (points, Stadttaler) move to
// the survivor's accounts by balanced, idempotent ledger transfers (kind merge, by `actor` at
// `now`; ledger::move_citizen_balances), so the survivor can spend them; the duplicate's
// emptied accounts and all entries then move with its other rows.
Result<void> move_person_rows(db::Connection& c, std::int64_t duplicate, std::int64_t survivor,
                              const std::string& actor, TimePoint now);

// After the duplicate's profile is deleted: Internal error when a table still refers to it.
Result<void> expect_nothing_left(db::Connection& c, std::int64_t citizen_id,
                                 std::string_view after);

// The unique keys (primary key included) of `table` that contain `column`, each as the list of
// its other columns, from the engine's own catalogue; for the test that a MoveUnlessPresent
// rule's merge key really avoids every unique violation.
Result<std::vector<std::vector<std::string>>>
unique_keys_with(db::Connection& c, const std::string& table, const std::string& column);

// The ids of the profiles that were merged into this one (read from its citizen.merged
// activities; a duplicate's own earlier merges moved with its history).
Result<std::vector<std::int64_t>> merged_into(db::Connection& c, std::int64_t citizen_id);

} // namespace teilhabe::gdpr
