#include "activity/consumer.h"

#include "activity/activity_store.h"
#include "db/dialect.h"

#include <fmt/format.h>

#include <algorithm>

namespace teilhabe::activity {

namespace {

// Ensures the position row exists and locks it for this transaction. Returns nullopt when
// another instance holds it.
Result<std::optional<Position>> lock_position(db::Connection& c, const std::string& name,
                                              const Clock& clock) {
    TRY(c.query("INSERT INTO consumer_positions (consumer, tx_order, activity_id, updated_at) "
                "VALUES (?, 0, 0, ?) ON CONFLICT (consumer) DO NOTHING",
                {name, clock.now_ms()}));
    auto rows = TRY(c.query(fmt::format("SELECT tx_order, activity_id FROM consumer_positions "
                                        "WHERE consumer = ?{}",
                                        db::dialect::skip_locked(c.backend())),
                            {name}));
    if (rows.empty())
        return std::optional<Position>{};
    return std::optional<Position>(Position{rows.first().get_int(0), rows.first().get_int(1)});
}

} // namespace

Result<int> run_consumer_once(db::Database& db, Consumer& consumer, const Clock& clock,
                              int batch, std::chrono::milliseconds budget) {
    // Read in chunks, so that a batch the budget ends early has not read hundreds of rows for
    // nothing.
    constexpr int kChunk = 64;
    const std::string name = consumer.name();
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<int> {
        auto pos = TRY(lock_position(c, name, clock));
        if (!pos)
            return 0;
        consumer.batch_begins();
        // The newest position is read before the consumer says what it wants: whatever it
        // started wanting since (a first segment, a new journey) was created after everything
        // up to `newest` had committed, and takes care of what came before itself.
        auto newest = TRY(last_position(c));
        auto types = TRY(consumer.wanted_types(c));
        // Only the wanted types are read; once a read comes back short, everything up to `end`
        // was seen and the position moves there, past the unwanted ones.
        std::optional<Position> end;
        if (types) {
            end = newest;
            if (std::pair{end->tx_order, end->activity_id} <= std::pair{pos->tx_order, pos->activity_id})
                return 0;
        }
        const auto started = clock.now();
        Position at = *pos;
        int handled = 0;
        bool seen_all = false;
        bool out_of_time = false;
        while (handled < batch && !seen_all && !out_of_time) {
            int want = std::min(kChunk, batch - handled);
            auto items = types ? TRY(read_types(c, at, *end, *types, want)) : TRY(read_after(c, at, want));
            seen_all = static_cast<int>(items.size()) < want;
            for (const auto& a : items) {
                TRY(consumer.handle(c, a));
                ++handled;
                at = Position{a.tx_order, a.id};
                if (budget.count() > 0 && clock.now() - started >= budget) {
                    out_of_time = &a != &items.back() || !seen_all;
                    break;
                }
            }
        }
        if (end && seen_all && !out_of_time)
            at = *end;
        if (at.tx_order == pos->tx_order && at.activity_id == pos->activity_id)
            return 0;
        TRY(save_position(c, name, at, clock));
        return handled;
    });
}

} // namespace teilhabe::activity
