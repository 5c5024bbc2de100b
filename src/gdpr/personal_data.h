#pragma once
// Where personal data of a citizen lives, in one list: what the export of GDPR Art. 15/20
// gathers, what the erasure of Art. 17 removes, and how the merge of two profiles of one person
// moves the rows of the duplicate. A test compares this list with the schema of both engines
// and fails when a table that refers to a citizen is missing from it or has no merge rule.

#include <string_view>
#include <utility>
#include <vector>

namespace teilhabe::gdpr {

enum class OnErasure {
    Delete,    // the rows go (they say nothing once the person is gone)
    Anonymise, // the rows stay for statistics, without the person: citizen column set to NULL,
               // the columns in `clear` reset to their empty value
    Cascade,   // removed by ON DELETE CASCADE from citizens; the erasure checks that none remain
};

// What merging a duplicate profile into the survivor does with the duplicate's rows. Every row
// ends on the survivor or, where the survivor already has the same row, goes with the duplicate.
enum class OnMerge {
    Unspecified,       // not decided yet: the coverage test fails and merging refuses to run
    Move,              // every row of the duplicate moves to the survivor
    MoveUnlessPresent, // a row moves unless the survivor has one with the same `merge_key` (the
                       // rest of a unique key); the duplicate's row is then dropped with it
    MoveUnlessSurvivorHasOne, // one row per person at most: the duplicate's moves unless the
                              // survivor has one, else it is dropped
};

struct PersonalTable {
    std::string_view table;
    std::string_view citizen_column;
    OnErasure on_erasure;
    // For Anonymise: columns that may describe the person, each with the SQL literal it is reset
    // to (constants written here, never input).
    std::vector<std::pair<std::string_view, std::string_view>> clear;
    std::string_view order_by{"1"};     // a stable order for the export
    OnMerge on_merge{OnMerge::Unspecified};
    // For MoveUnlessPresent: the columns that, with the citizen column, identify a row.
    std::vector<std::string_view> merge_key{};
    // What the export shows: every column, or a list where some must never leave the database
    // (the hash of a password).
    std::string_view export_columns{"*"};
};

// The profile itself (citizens.id) is not in this list: it is exported first and deleted last.
const std::vector<PersonalTable>& personal_tables();

} // namespace teilhabe::gdpr
