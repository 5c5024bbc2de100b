#include "journeys/journey_store.h"

#include "db/rows.h"
#include "journeys/ready_made.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::journeys::store {

namespace {

constexpr const char* kColumns =
    "id, COALESCE(key, ''), name, description, definition, active, created_at, updated_at";

Result<Journey> from_row(const db::Row& r) {
    Journey j;
    j.id = r.get_int(0);
    j.key = r.get_text(1);
    j.name = r.get_text(2);
    j.description = r.get_text(3);
    j.definition_json = nlohmann::json::parse(r.get_text(4), nullptr, false);
    j.active = r.get_bool(5);
    j.created_at = from_unix_ms(r.get_int(6));
    j.updated_at = from_unix_ms(r.get_int(7));
    // Stored definitions were checked when written; one that no longer parses (a rule the
    // segments capability now refuses) still lists, with no steps.
    auto d = parse_definition(j.definition_json);
    if (d)
        j.definition = std::move(*d);
    return j;
}

Result<std::vector<Journey>> select(db::Connection& c, const std::string& sql, const db::Params& p = {}) {
    auto rows = TRY(c.query(sql, p));
    std::vector<Journey> out;
    for (const auto& r : rows.rows)
        out.push_back(TRY(from_row(r)));
    return out;
}

std::string trigger_type_of(const nlohmann::json& definition) {
    auto d = parse_definition(definition);
    return d ? d->trigger.activity_type : "";
}

Result<void> audit(db::Connection& c, const Actor& who, std::string action, std::int64_t id,
                   std::string detail, const Clock& clock) {
    return staff::store::audit(c,
                               {.actor = who.id,
                                .action = std::move(action),
                                .subject = fmt::format("journey:{}", id),
                                .detail = std::move(detail),
                                .ip = who.ip},
                               clock);
}

Result<Journey> must_find(db::Connection& c, std::int64_t id) {
    auto j = TRY(find(c, id));
    if (!j)
        return fail(Error::not_found(fmt::format("There is no journey {}.", id)));
    return *j;
}

} // namespace

Result<Journey> create(db::Connection& c, const JourneyInput& in, const Actor& who, const Clock& clock) {
    auto now = clock.now_ms();
    auto def = in.definition.value_or(nlohmann::json::object());
    auto row = TRY(c.query_one("INSERT INTO journeys (name, description, definition, trigger_type, active, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, FALSE, ?, ?) RETURNING id",
                               {in.name.value_or(""), in.description.value_or(""), def.dump(),
                                trigger_type_of(def), now, now}));
    auto id = row.get_int(0);
    TRY(audit(c, who, "journey.created", id, in.name.value_or(""), clock));
    return must_find(c, id);
}

Result<Journey> update(db::Connection& c, std::int64_t id, const JourneyInput& in, const Actor& who,
                       const Clock& clock) {
    auto j = TRY(must_find(c, id));
    auto def = in.definition.value_or(j.definition_json);
    // Never the same millisecond twice: the engine's cache of definitions goes by updated_at.
    auto now = std::max(clock.now_ms(), to_unix_ms(j.updated_at) + 1);
    TRY(c.execute("UPDATE journeys SET name = ?, description = ?, definition = ?, trigger_type = ?, "
                  "updated_at = ? WHERE id = ?",
                  {in.name.value_or(j.name), in.description.value_or(j.description), def.dump(),
                   trigger_type_of(def), now, id}));
    TRY(audit(c, who, "journey.updated", id, in.name.value_or(j.name), clock));
    return must_find(c, id);
}

Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock) {
    TRY(must_find(c, id));
    // Children first: SQLite enforces ON DELETE CASCADE only with foreign keys on.
    TRY(c.execute("DELETE FROM journey_enrolments WHERE journey_id = ?", {id}));
    TRY(c.execute("DELETE FROM journey_step_stats WHERE journey_id = ?", {id}));
    TRY(c.execute("DELETE FROM journeys WHERE id = ?", {id}));
    return audit(c, who, "journey.deleted", id, "", clock);
}

Result<std::optional<Journey>> find(db::Connection& c, std::int64_t id) {
    auto found = TRY(select(c, fmt::format("SELECT {} FROM journeys WHERE id = ?", kColumns), {id}));
    if (found.empty())
        return std::optional<Journey>{};
    return std::optional<Journey>(std::move(found.front()));
}

Result<std::vector<Journey>> list(db::Connection& c) {
    return select(c, fmt::format("SELECT {} FROM journeys ORDER BY id", kColumns));
}

Result<Journey> set_active(db::Connection& c, std::int64_t id, bool active, const Actor& who,
                           const Clock& clock) {
    auto j = TRY(must_find(c, id));
    if (active && j.definition.steps.empty())
        return fail(Error::precondition("The journey's definition is not valid; correct it first."));
    if (j.active != active) {
        auto now = std::max(clock.now_ms(), to_unix_ms(j.updated_at) + 1);
        TRY(c.execute("UPDATE journeys SET active = ?, updated_at = ? WHERE id = ?",
                      {std::int64_t{active}, now, id}));
        TRY(audit(c, who, active ? "journey.activated" : "journey.deactivated", id, "", clock));
    }
    return must_find(c, id);
}

Result<std::vector<Journey>> active_for_activity(db::Connection& c, std::string_view type) {
    return select(c, fmt::format("SELECT {} FROM journeys WHERE active AND trigger_type = ? ORDER BY id", kColumns),
                  {std::string(type)});
}

Result<std::vector<std::string>> active_trigger_types(db::Connection& c) {
    return db::query_as(c, "SELECT DISTINCT trigger_type FROM journeys WHERE active AND trigger_type <> '' ORDER BY trigger_type",
                        {}, [](const db::Row& r) { return r.get_text(0); });
}

Result<std::vector<Journey>> active_date_journeys(db::Connection& c) {
    auto all = TRY(select(c, fmt::format("SELECT {} FROM journeys WHERE active AND trigger_type = '' ORDER BY id",
                                         kColumns)));
    std::erase_if(all, [](const Journey& j) { return j.definition.trigger.kind != TriggerKind::DateField; });
    return all;
}

Result<std::vector<Version>> versions(db::Connection& c) {
    auto rows = TRY(c.query("SELECT id, updated_at, active FROM journeys"));
    std::vector<Version> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0), r.get_int(1), r.get_bool(2)});
    return out;
}

Result<std::vector<StepStats>> statistics(db::Connection& c, const Journey& j) {
    std::vector<StepStats> out;
    for (const auto& s : j.definition.steps)
        out.push_back({s.id, to_string(s.kind)});
    auto find_step = [&](const std::string& id) -> StepStats* {
        for (auto& s : out)
            if (s.step == id)
                return &s;
        return nullptr;
    };
    auto counters = TRY(c.query("SELECT step, entered, done, exited, failed FROM journey_step_stats WHERE journey_id = ?",
                                {j.id}));
    for (const auto& r : counters.rows)
        if (auto* s = find_step(r.get_text(0))) {
            s->entered = r.get_int(1);
            s->done = r.get_int(2);
            s->exited = r.get_int(3);
            s->failed = r.get_int(4);
        }
    auto waiting = TRY(c.query("SELECT step, COUNT(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) FROM "
                               "journey_enrolments WHERE journey_id = ? AND state = 'active' GROUP BY step",
                               {j.id}));
    for (const auto& r : waiting.rows)
        if (auto* s = find_step(r.get_text(0))) {
            s->waiting = r.get_int(1);
            s->retrying = r.get_int(2);
        }
    // The latest failure per step: of someone waiting for another attempt, or who gave up.
    auto errors = TRY(c.query("SELECT step, last_error FROM journey_enrolments WHERE journey_id = ? AND attempts > 0 "
                              "AND last_error IS NOT NULL ORDER BY id DESC LIMIT 200",
                              {j.id}));
    for (const auto& r : errors.rows)
        if (auto* s = find_step(r.get_text(0)); s && !s->last_error)
            s->last_error = r.get_text(1);
    return out;
}

Result<Totals> totals(db::Connection& c, std::int64_t journey_id) {
    Totals t;
    auto rows = TRY(c.query("SELECT state, COUNT(*) FROM journey_enrolments WHERE journey_id = ? GROUP BY state",
                            {journey_id}));
    for (const auto& r : rows.rows) {
        auto s = r.get_text(0);
        (s == "active" ? t.active : s == "done" ? t.done : t.exited) = r.get_int(1);
    }
    return t;
}

Result<void> count(db::Connection& c, std::int64_t journey_id, const std::string& step,
                   std::int64_t entered, std::int64_t done, std::int64_t exited, std::int64_t failed) {
    TRY(c.execute("INSERT INTO journey_step_stats (journey_id, step, entered, done, exited, failed) VALUES (?, ?, ?, "
                  "?, ?, ?) ON CONFLICT (journey_id, step) DO UPDATE SET entered = journey_step_stats.entered + "
                  "excluded.entered, done = journey_step_stats.done + excluded.done, exited = "
                  "journey_step_stats.exited + excluded.exited, failed = journey_step_stats.failed + excluded.failed",
                  {journey_id, step, entered, done, exited, failed}));
    return {};
}

Result<void> seed_ready_made(db::Connection& c, const Clock& clock) {
    auto now = clock.now_ms();
    for (const auto& r : ready_made()) {
        TRY(c.execute("INSERT INTO journeys (key, name, description, definition, trigger_type, active, "
                      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, FALSE, ?, ?) ON CONFLICT (key) DO NOTHING",
                      {r.key, r.name, r.description, r.definition.dump(), trigger_type_of(r.definition), now, now}));
    }
    return {};
}

} // namespace teilhabe::journeys::store
