#include "journeys/enrolment_store.h"

#include "db/dialect.h"
#include "db/sql_text.h"

#include <algorithm>
#include <fmt/format.h>
#include <iterator>

namespace teilhabe::journeys::enrolments {

namespace {

constexpr const char* kColumns = "e.id, e.journey_id, e.citizen_id, e.trigger_key, e.context, e.step, e.state, "
                                 "e.due_at, e.attempts, e.last_error, e.entered_at, e.step_entered_at";

State parse_state(const std::string& s) {
    return s == "done" ? State::Done : s == "exited" ? State::Exited : State::Active;
}

Enrolment from_row(const db::Row& r) {
    Enrolment e;
    e.id = r.get_int(0);
    e.journey_id = r.get_int(1);
    e.citizen_id = r.get_int(2);
    e.trigger_key = r.get_text(3);
    e.context = nlohmann::json::parse(r.get_text(4), nullptr, false);
    if (!e.context.is_object())
        e.context = nlohmann::json::object();
    e.step = r.get_text(5);
    e.state = parse_state(r.get_text(6));
    e.due_at = r.get_opt_int(7);
    e.attempts = static_cast<int>(r.get_int(8));
    e.last_error = r.get_opt_text(9);
    e.entered_at = r.get_int(10);
    e.step_entered_at = r.get_int(11);
    return e;
}

} // namespace

const char* to_string(State s) {
    switch (s) {
    case State::Active: return "active";
    case State::Done: return "done";
    case State::Exited: return "exited";
    }
    return "active";
}

Result<bool> may_enter(db::Connection& c, std::int64_t journey_id, std::int64_t citizen_id,
                       const ReentryRule& rule, TimePoint now) {
    if (rule.mode == Reentry::Always)
        return true;
    auto rows = TRY(c.query("SELECT MAX(entered_at), COUNT(*) FROM journey_enrolments WHERE citizen_id = ? "
                            "AND journey_id = ?",
                            {citizen_id, journey_id}));
    if (rows.empty() || rows.first().get_int(1) == 0)
        return true;
    if (rule.mode == Reentry::Never)
        return false;
    auto active = TRY(c.query_one("SELECT COUNT(*) FROM journey_enrolments WHERE citizen_id = ? AND "
                                  "journey_id = ? AND state = 'active'",
                                  {citizen_id, journey_id}));
    if (active.get_int(0) > 0)
        return false;
    auto last = rows.first().get_int(0);
    return to_unix_ms(now) - last >= std::int64_t{rule.days} * 86'400'000;
}

Result<std::optional<std::int64_t>> insert(db::Connection& c, const Enrolment& e) {
    auto rows = TRY(c.query("INSERT INTO journey_enrolments (journey_id, citizen_id, trigger_key, context, step, "
                            "state, due_at, entered_at, step_entered_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?) "
                            "ON CONFLICT (journey_id, trigger_key) DO NOTHING RETURNING id",
                            {e.journey_id, e.citizen_id, e.trigger_key, e.context.dump(), e.step,
                             db::opt(e.due_at), e.entered_at, e.step_entered_at}));
    if (rows.empty())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows.first().get_int(0));
}

Result<std::vector<Enrolment>> claim_due(db::Connection& c, TimePoint now, int limit) {
    // The partial index journey_enrolments_due drives this; the journey's flag is checked per row.
    auto sql = fmt::format("SELECT {} FROM journey_enrolments e WHERE e.state = 'active' AND e.due_at <= ? "
                           "AND EXISTS (SELECT 1 FROM journeys j WHERE j.id = e.journey_id AND j.active) "
                           "ORDER BY e.due_at, e.id LIMIT ?{}",
                           kColumns, db::dialect::skip_locked(c.backend()));
    auto rows = TRY(c.query(sql, {to_unix_ms(now), std::int64_t{limit}}));
    std::vector<Enrolment> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<std::optional<Enrolment>> find(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM journey_enrolments e WHERE e.id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Enrolment>{};
    return std::optional<Enrolment>(from_row(rows.first()));
}

Result<std::vector<Enrolment>> of_journey(db::Connection& c, std::int64_t journey_id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM journey_enrolments e WHERE e.journey_id = ? ORDER BY e.id",
                                        kColumns),
                            {journey_id}));
    std::vector<Enrolment> out;
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<void> save(db::Connection& c, const Enrolment& e, std::int64_t now) {
    bool finished = e.state != State::Active;
    TRY(c.execute("UPDATE journey_enrolments SET step = ?, state = ?, due_at = ?, attempts = ?, last_error = ?, "
                  "step_entered_at = ?, finished_at = ? WHERE id = ?",
                  {e.step, std::string(to_string(e.state)), finished ? db::null() : db::opt(e.due_at),
                   std::int64_t{e.attempts}, db::opt(e.last_error), e.step_entered_at,
                   finished ? db::Value(now) : db::null(), e.id}));
    return {};
}

Result<void> save_all(db::Connection& c, const std::vector<Enrolment>& es, std::int64_t now) {
    // UPDATE ... FROM a list of values (SQLite 3.33+, PostgreSQL); the casts give PostgreSQL
    // the values' types.
    constexpr std::size_t chunk = 100;
    constexpr std::string_view row = "(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), "
                                     "CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))";
    std::string sql;
    db::Params params;
    for (std::size_t start = 0; start < es.size(); start += chunk) {
        auto end = std::min(es.size(), start + chunk);
        sql = "WITH v (id, step, state, due_at, attempts, last_error, step_entered_at, finished_at) AS (VALUES " +
              db::repeated(row, end - start);
        params.clear();
        params.reserve((end - start) * 8);
        for (std::size_t i = start; i < end; ++i) {
            const auto& e = es[i];
            bool finished = e.state != State::Active;
            db::Params values{e.id,
                              e.step,
                              std::string(to_string(e.state)),
                              finished ? db::null() : db::opt(e.due_at),
                              std::int64_t{e.attempts},
                              db::opt(e.last_error),
                              e.step_entered_at,
                              finished ? db::Value(now) : db::null()};
            std::move(values.begin(), values.end(), std::back_inserter(params));
        }
        sql += ") UPDATE journey_enrolments SET step = v.step, state = v.state, due_at = v.due_at, "
               "attempts = v.attempts, last_error = v.last_error, step_entered_at = v.step_entered_at, "
               "finished_at = v.finished_at FROM v WHERE journey_enrolments.id = v.id";
        TRY(c.execute(sql, params));
    }
    return {};
}

Result<std::optional<TimePoint>> next_due(db::Connection& c) {
    auto rows = TRY(c.query("SELECT e.due_at FROM journey_enrolments e WHERE e.state = 'active' AND EXISTS "
                            "(SELECT 1 FROM journeys j WHERE j.id = e.journey_id AND j.active) "
                            "ORDER BY e.due_at LIMIT 1"));
    if (rows.empty() || rows.first().is_null(0))
        return std::optional<TimePoint>{};
    return std::optional<TimePoint>(from_unix_ms(rows.first().get_int(0)));
}

} // namespace teilhabe::journeys::enrolments
