#include "gdpr/personal_data.h"

namespace teilhabe::gdpr {

const std::vector<PersonalTable>& personal_tables() {
    // Adding a table with a citizen reference? Add it here, or the coverage test fails.
    static const std::vector<PersonalTable> tables = {
        {"citizen_tags", "citizen_id", OnErasure::Cascade, {}, "tag"},
        {"citizen_interests", "citizen_id", OnErasure::Cascade, {}, "topic_id"},
        {"citizen_values", "citizen_id", OnErasure::Cascade, {}, "field_id, value"},
        // The dialogue history. Counts per type stay meaningful for the town's statistics;
        // what the person did in detail (object, props) goes with them.
        {"activities", "citizen_id", OnErasure::Anonymise, {{"object", "''"}, {"props", "'{}'"}, {"idempotency_key", "NULL"}},
         "occurred_at, id"},
        // Which events about the person went to which other system (webhooks/): the export shows
        // these recipients (Art. 15(1)(c)); on erasure the log of them goes, and deliveries not
        // yet sent are never sent. Attempts go with their delivery (ON DELETE CASCADE).
        {"webhook_deliveries", "citizen_id", OnErasure::Delete, {}, "id"},
    };
    return tables;
}

} // namespace teilhabe::gdpr
