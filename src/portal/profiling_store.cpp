#include "portal/profiling_store.h"

namespace teilhabe::portal::store {

Result<Declines> declines_of(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query(
        "SELECT field_id, declined_at FROM portal_declines WHERE citizen_id = ?", {citizen_id}));
    Declines out;
    for (const auto& r : rows.rows)
        out[r.get_int(0)] = r.get_int(1);
    return out;
}

Result<void> record_decline(db::Connection& c, std::int64_t citizen_id, std::int64_t field_id,
                            std::int64_t at) {
    // ON CONFLICT ... DO UPDATE is the same on SQLite (3.24+) and PostgreSQL.
    TRY(c.query("INSERT INTO portal_declines (citizen_id, field_id, declined_at) VALUES (?, ?, ?) "
                "ON CONFLICT (citizen_id, field_id) DO UPDATE SET declined_at = "
                "excluded.declined_at",
                {citizen_id, field_id, at}));
    return {};
}

Result<void> forget_decline(db::Connection& c, std::int64_t citizen_id, std::int64_t field_id) {
    TRY(c.query("DELETE FROM portal_declines WHERE citizen_id = ? AND field_id = ?",
                {citizen_id, field_id}));
    return {};
}

} // namespace teilhabe::portal::store
