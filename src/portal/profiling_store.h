#pragma once
// SQL of progressive profiling (migration 0013): when a person declined which question. Runs
// inside the caller's transaction.

#include "db/connection.h"
#include "portal/profiling.h"

namespace teilhabe::portal::store {

Result<Declines> declines_of(db::Connection& c, std::int64_t citizen_id);
// Remembers (or renews) the time the person declined the field.
Result<void> record_decline(db::Connection& c, std::int64_t citizen_id, std::int64_t field_id,
                            std::int64_t at);
// The person answered after all: the decline says nothing any more.
Result<void> forget_decline(db::Connection& c, std::int64_t citizen_id, std::int64_t field_id);

} // namespace teilhabe::portal::store
