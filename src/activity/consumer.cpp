#include "activity/consumer.h"

#include "activity/activity_store.h"
#include "db/dialect.h"

#include <fmt/format.h>

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
                              int batch) {
    const std::string name = consumer.name();
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<int> {
        auto pos = TRY(lock_position(c, name, clock));
        if (!pos)
            return 0;
        consumer.batch_begins();
        auto types = TRY(consumer.wanted_types(c));
        if (types) {
            // Only the wanted types are read; when fewer than a batch came back, everything up
            // to `end` was seen and the position moves there, past the unwanted ones.
            auto end = TRY(last_position(c));
            if (std::pair{end.tx_order, end.activity_id} <=
                std::pair{pos->tx_order, pos->activity_id})
                return 0;
            auto items = TRY(read_types(c, *pos, end, *types, batch));
            for (const auto& a : items)
                TRY(consumer.handle(c, a));
            auto next = static_cast<int>(items.size()) < batch
                            ? end
                            : Position{items.back().tx_order, items.back().id};
            TRY(save_position(c, name, next, clock));
            return static_cast<int>(items.size());
        }
        auto items = TRY(read_after(c, *pos, batch));
        if (items.empty())
            return 0;
        for (const auto& a : items)
            TRY(consumer.handle(c, a));
        const auto& last = items.back();
        TRY(save_position(c, name, Position{last.tx_order, last.id}, clock));
        return static_cast<int>(items.size());
    });
}

} // namespace teilhabe::activity
