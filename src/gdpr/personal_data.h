#pragma once
// Where personal data of a citizen lives, in one list: what the export of GDPR Art. 15/20
// gathers and what the erasure of Art. 17 removes. A test compares this list with the schema
// of both engines and fails when a table that refers to a citizen is missing from it.

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

struct PersonalTable {
    std::string_view table;
    std::string_view citizen_column;
    OnErasure on_erasure;
    // For Anonymise: columns that may describe the person, each with the SQL literal it is reset
    // to (constants written here, never input).
    std::vector<std::pair<std::string_view, std::string_view>> clear;
    std::string_view order_by{"1"};     // a stable order for the export
};

// The profile itself (citizens.id) is not in this list: it is exported first and deleted last.
const std::vector<PersonalTable>& personal_tables();

} // namespace teilhabe::gdpr
