#pragma once
// Carrying people's values over when a field changes its type (internal to src/citizens): each
// person's stored value is read as the new type would read it (citizens::convert_value); what
// fits is kept, what does not is deleted. Runs inside the caller's transaction.

#include "citizens/field.h"
#include "db/connection.h"

#include <cstdint>

namespace teilhabe::citizens::detail {

struct ConversionCount {
    std::int64_t people{0};    // who hold a value for the field
    std::int64_t converted{0}; // whose value fits the new definition (rewritten where needed)
    std::int64_t lost{0};      // whose value does not fit and goes
};

enum class Conversion { Count, Apply };
// Walks the field's values person by person in batches (memory stays bounded however many
// people hold one). Count only counts; Apply also rewrites and deletes. A rewritten value
// keeps the time it was recorded: retention periods count from when the person gave it.
Result<ConversionCount> convert_values(db::Connection& c, const FieldDefinition& before,
                                       const FieldDefinition& after, Conversion mode);

} // namespace teilhabe::citizens::detail
