#include "activity/activity_store.h"

#include "db/dialect.h"
#include "db/sql_text.h"

#include <fmt/format.h>

#include <algorithm>

namespace teilhabe::activity {

namespace {

constexpr const char* kColumns =
    "id, tx_order, type, citizen_id, actor, object, props, occurred_at, recorded_at, "
    "idempotency_key";

Activity from_row(const db::Row& r) {
    Activity a;
    a.id = r.get_int(0);
    a.tx_order = r.get_int(1);
    a.type = r.get_text(2);
    a.citizen_id = r.get_opt_int(3);
    a.actor = r.get_text(4);
    a.object = r.get_text(5);
    a.props = r.get_text(6);
    a.occurred_at = from_unix_ms(r.get_int(7));
    a.recorded_at = from_unix_ms(r.get_int(8));
    a.idempotency_key = r.get_opt_text(9);
    return a;
}

Result<std::optional<Activity>> find_by_key(db::Connection& c, const std::string& key) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM activities WHERE idempotency_key = ?",
                                        kColumns),
                            {key}));
    if (rows.empty())
        return std::optional<Activity>{};
    return std::optional<Activity>(from_row(rows.first()));
}

bool same_request(const Activity& earlier, const Activity& a) {
    return earlier.type == a.type && earlier.citizen_id == a.citizen_id &&
           earlier.object == a.object && earlier.props == a.props;
}

} // namespace

Result<std::optional<Activity>> find(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM activities WHERE id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Activity>{};
    return std::optional<Activity>(from_row(rows.first()));
}

Result<Activity> append(db::Connection& c, Activity a, const Clock& clock) {
    auto r = TRY(append_once(c, std::move(a), clock));
    return std::move(r.activity);
}

Result<Appended> append_once(db::Connection& c, Activity a, const Clock& clock) {
    TRY(validate(a));
    if (a.idempotency_key) {
        auto earlier = TRY(find_by_key(c, *a.idempotency_key));
        if (earlier) {
            if (same_request(*earlier, a))
                return Appended{std::move(*earlier), Appended::Outcome::Replayed};
            return fail(Error::exists("this Idempotency-Key was used for another activity"));
        }
    }
    a.recorded_at = clock.now();
    if (a.occurred_at == TimePoint{})
        a.occurred_at = a.recorded_at;
    // Two first requests with the same key can race (PostgreSQL): the loser's insert waits for
    // the winner's commit and then does nothing, and the winner's row, now visible to the next
    // statement (READ COMMITTED), is answered as a replay instead of a unique-key error.
    auto rows = TRY(c.query(
        "INSERT INTO activities (type, citizen_id, actor, object, props, occurred_at, "
        "recorded_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id, tx_order",
        {a.type, db::opt(a.citizen_id), a.actor, a.object, a.props, to_unix_ms(a.occurred_at),
         to_unix_ms(a.recorded_at), db::opt(a.idempotency_key)}));
    if (rows.empty()) {
        if (!a.idempotency_key)
            return fail(Error::internal("an activity insert returned no row"));
        auto winner = TRY(find_by_key(c, *a.idempotency_key));
        if (winner && same_request(*winner, a))
            return Appended{std::move(*winner), Appended::Outcome::Replayed};
        return fail(Error::exists("this Idempotency-Key was used for another activity"));
    }
    const auto& row = rows.first();
    a.id = row.get_int(0);
    a.tx_order = row.get_int(1);
    return Appended{std::move(a), Appended::Outcome::Created};
}

namespace {

// The part of the log after (op ">") or up to (op "<=") a position, in commit order, as a
// range the index can seek to. On SQLite tx_order is always 0 and the id is the commit order
// (writers are serialised), so the primary key alone (SQLite did not seek on
// `tx_order > ? OR (tx_order = ? AND id > ?)`, nor on the row value `(tx_order, id) > (?, ?)`;
// it walked the whole order index, a second per consumer round at 10 million activities, and
// that index is gone there since migration 0023). On PostgreSQL the row value is a range on
// activities_order (tx_order, id).
std::string log_range(db::Backend b, const char* op, Position p, db::Params& params) {
    if (b == db::Backend::Sqlite) {
        params.emplace_back(p.activity_id);
        return fmt::format("id {} ?", op);
    }
    params.emplace_back(p.tx_order);
    params.emplace_back(p.activity_id);
    return fmt::format("(tx_order, id) {} (?, ?)", op);
}

const char* log_order(db::Backend b) { return b == db::Backend::Sqlite ? "id" : "tx_order, id"; }

} // namespace

Result<void> append_all(db::Connection& c, std::vector<Activity> all, const Clock& clock) {
    for (const auto& a : all) {
        TRY(validate(a));
        if (a.idempotency_key)
            return fail(Error::internal("append_all takes no activity with an idempotency key"));
    }
    // On PostgreSQL 32 rows of 7 values per statement (a round trip each; the statement of each
    // row count is prepared once and kept). On SQLite one row per statement, without the
    // RETURNING of append_once: a multi-row INSERT measured no faster there (db/dialect.h).
    const std::size_t kRows = db::dialect::rows_per_insert(c.backend(), 32);
    auto recorded = clock.now();
    for (std::size_t start = 0; start < all.size(); start += kRows) {
        auto n = std::min(kRows, all.size() - start);
        db::Params params;
        params.reserve(n * 7);
        for (std::size_t i = start; i < start + n; ++i) {
            auto& a = all[i];
            if (a.occurred_at == TimePoint{})
                a.occurred_at = recorded;
            params.emplace_back(std::move(a.type));
            params.push_back(db::opt(a.citizen_id));
            params.emplace_back(std::move(a.actor));
            params.emplace_back(std::move(a.object));
            params.emplace_back(std::move(a.props));
            params.emplace_back(to_unix_ms(a.occurred_at));
            params.emplace_back(to_unix_ms(recorded));
        }
        TRY(c.execute("INSERT INTO activities (type, citizen_id, actor, object, props, occurred_at, recorded_at) "
                      "VALUES " + db::repeated("(?, ?, ?, ?, ?, ?, ?)", n),
                      params));
    }
    return {};
}

Result<std::vector<Activity>> read_after(db::Connection& c, Position after, int limit) {
    db::Params params;
    auto range = log_range(c.backend(), ">", after, params);
    params.emplace_back(std::int64_t{limit});
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM activities WHERE {}{} ORDER BY {} LIMIT ?", kColumns, range,
                                        db::dialect::committed_activity_filter(c.backend()),
                                        log_order(c.backend())),
                            params));
    std::vector<Activity> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<Position> last_position(db::Connection& c) {
    // SQLite has no activities_order (tx_order is always 0 there): the newest id.
    auto rows = TRY(c.query(c.backend() == db::Backend::Sqlite
                                ? std::string("SELECT tx_order, id FROM activities ORDER BY id DESC LIMIT 1")
                                : fmt::format("SELECT tx_order, id FROM activities WHERE 1 = 1{} ORDER "
                                              "BY tx_order DESC, id DESC LIMIT 1",
                                              db::dialect::committed_activity_filter(c.backend()))));
    if (rows.empty())
        return Position{};
    return Position{rows.first().get_int(0), rows.first().get_int(1)};
}

Result<std::vector<Activity>> read_types(db::Connection& c, Position after, Position upto,
                                         const std::vector<std::string>& types, int limit) {
    std::vector<Activity> out;
    if (types.empty())
        return out;
    db::Params params;
    auto from = log_range(c.backend(), ">", after, params);
    auto to = log_range(c.backend(), "<=", upto, params);
    for (const auto& t : types)
        params.emplace_back(t);
    params.emplace_back(std::int64_t{limit});
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM activities WHERE {} AND {} AND type IN ({}) ORDER BY {} LIMIT ?",
                                        kColumns, from, to, db::placeholders(types.size()), log_order(c.backend())),
                            params));
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<Position> load_position(db::Connection& c, std::string_view consumer) {
    auto rows = TRY(c.query("SELECT tx_order, activity_id FROM consumer_positions WHERE consumer = ?",
                            {std::string(consumer)}));
    if (rows.empty())
        return Position{};
    return Position{rows.first().get_int(0), rows.first().get_int(1)};
}

Result<void> save_position(db::Connection& c, std::string_view consumer, Position p,
                           const Clock& clock) {
    TRY(c.query("INSERT INTO consumer_positions (consumer, tx_order, activity_id, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (consumer) DO UPDATE SET tx_order = "
                "excluded.tx_order, activity_id = excluded.activity_id, updated_at = "
                "excluded.updated_at",
                {std::string(consumer), p.tx_order, p.activity_id, clock.now_ms()}));
    return {};
}

Result<std::vector<Activity>> for_citizen_page(db::Connection& c, std::int64_t citizen_id,
                                              std::optional<TimelineCursor> before, int limit) {
    // Two fixed statements rather than one assembled: both stay in the statement cache.
    auto rows = before
                    ? TRY(c.query(fmt::format("SELECT {} FROM activities WHERE citizen_id = ? AND "
                                              "(occurred_at < ? OR (occurred_at = ? AND id < ?)) "
                                              "ORDER BY occurred_at DESC, id DESC LIMIT ?",
                                              kColumns),
                                  {citizen_id, before->occurred_at_ms, before->occurred_at_ms,
                                   before->id, std::int64_t{limit}}))
                    : TRY(c.query(fmt::format("SELECT {} FROM activities WHERE citizen_id = ? "
                                              "ORDER BY occurred_at DESC, id DESC LIMIT ?",
                                              kColumns),
                                  {citizen_id, std::int64_t{limit}}));
    std::vector<Activity> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<std::vector<Activity>> for_citizen(db::Connection& c, std::int64_t citizen_id, int limit) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM activities WHERE citizen_id = ? ORDER BY "
                                        "occurred_at DESC, id DESC LIMIT ?",
                                        kColumns),
                            {citizen_id, std::int64_t{limit}}));
    std::vector<Activity> out;
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

} // namespace teilhabe::activity
