#include "segments/membership.h"

#include "activity/activity_store.h"
#include "jobs/job_store.h"
#include "segments/rule_json.h"
#include "segments/rule_sql.h"
#include "segments/segment_store.h"

#include <fmt/format.h>
#include <set>

namespace teilhabe::segments {

namespace {

// Sweeps of due rechecks run on the minute: one job per minute at most, however many people
// are due in it (a person may leave a window up to a minute late).
constexpr std::int64_t kSweepGrain = 60'000;

Result<void> record(db::Connection& c, const char* type, std::int64_t segment_id, const std::string& key,
                    std::int64_t citizen_id, const Clock& clock) {
    activity::Activity a;
    a.type = type;
    a.citizen_id = citizen_id;
    a.actor = "system";
    a.object = fmt::format("segment:{}", segment_id);
    a.props = nlohmann::json{{"segment", key}}.dump();
    a.occurred_at = clock.now();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

// Insert or delete one membership; the activity only when this call changed it (two instances
// evaluating the same person at once write one activity between them).
Result<bool> enter(db::Connection& c, std::int64_t segment_id, const std::string& key,
                   std::int64_t citizen_id, const Clock& clock) {
    auto n = TRY(c.execute("INSERT INTO segment_members (segment_id, citizen_id, entered_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (segment_id, citizen_id) DO NOTHING",
                           {segment_id, citizen_id, clock.now_ms()}));
    if (n == 0)
        return false;
    TRY(record(c, "segment.entered", segment_id, key, citizen_id, clock));
    return true;
}

Result<bool> leave(db::Connection& c, std::int64_t segment_id, const std::string& key,
                   std::int64_t citizen_id, const Clock& clock) {
    auto n = TRY(c.execute("DELETE FROM segment_members WHERE segment_id = ? AND citizen_id = ?",
                           {segment_id, citizen_id}));
    if (n == 0)
        return false;
    TRY(record(c, "segment.left", segment_id, key, citizen_id, clock));
    return true;
}

Result<void> plan_sweep(db::Connection& c, std::int64_t due_ms, const Clock& clock) {
    auto at = (due_ms + kSweepGrain - 1) / kSweepGrain * kSweepGrain;
    TRY(jobs::enqueue(c,
                      {.kind = store::kRecheckJob,
                       .due_at = from_unix_ms(at),
                       .unique_key = fmt::format("{}:{}", store::kRecheckJob, at)},
                      clock));
    return {};
}

// The earliest of a person's due times: kept in segment_rechecks (replaced, or removed when
// nothing depends on time), with a sweep planned for it.
Result<void> set_recheck(db::Connection& c, std::int64_t citizen_id, std::optional<TimePoint> due,
                         const Clock& clock) {
    if (!due) {
        TRY(c.execute("DELETE FROM segment_rechecks WHERE citizen_id = ?", {citizen_id}));
        return {};
    }
    auto ms = to_unix_ms(*due);
    TRY(c.execute("INSERT INTO segment_rechecks (citizen_id, due_at) VALUES (?, ?) "
                  "ON CONFLICT (citizen_id) DO UPDATE SET due_at = excluded.due_at",
                  {citizen_id, ms}));
    return plan_sweep(c, ms, clock);
}

// Keeps the earlier of the stored and the new due time (the bulk job sees one segment only).
Result<void> lower_recheck(db::Connection& c, std::int64_t citizen_id, std::int64_t due_ms,
                           const Clock& clock) {
    TRY(c.execute("INSERT INTO segment_rechecks (citizen_id, due_at) VALUES (?, ?) "
                  "ON CONFLICT (citizen_id) DO UPDATE SET due_at = CASE WHEN excluded.due_at < "
                  "segment_rechecks.due_at THEN excluded.due_at ELSE segment_rechecks.due_at END",
                  {citizen_id, due_ms}));
    return plan_sweep(c, due_ms, clock);
}

} // namespace

Result<std::vector<const RuleCache::Entry*>> RuleCache::load(db::Connection& c) {
    auto rows = TRY(c.query("SELECT id, key, version, rule FROM segments ORDER BY id"));
    std::set<std::int64_t> seen;
    std::vector<const Entry*> out;
    for (const auto& r : rows.rows) {
        auto id = r.get_int(0);
        seen.insert(id);
        auto& e = m_entries[id];
        if (e.id != id || e.version != r.get_int(2) || e.key != r.get_text(1)) {
            auto rule = parse_json(r.get_text(3));
            if (!rule)
                return fail(Error::internal(fmt::format("segment {} has a broken rule", id)));
            e = Entry{id, r.get_text(1), r.get_int(2), std::move(*rule), false};
            e.timed = depends_on_time(e.rule);
        }
        out.push_back(&e);
    }
    std::erase_if(m_entries, [&](const auto& kv) { return !seen.contains(kv.first); });
    return out;
}

Result<Changes> refresh_citizen(db::Connection& c, std::int64_t citizen_id, const Clock& clock,
                                RuleCache& cache) {
    Changes changes;
    if (TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {citizen_id})).rows.empty())
        return changes;
    auto segments = TRY(cache.load(c));
    if (segments.empty()) {
        TRY(set_recheck(c, citizen_id, std::nullopt, clock));
        return changes;
    }
    auto fields = TRY(load_field_types(c));
    std::set<std::int64_t> current;
    for (const auto& r : TRY(c.query("SELECT segment_id FROM segment_members WHERE citizen_id = ?", {citizen_id})).rows)
        current.insert(r.get_int(0));
    auto now = clock.now();
    std::optional<TimePoint> next;
    for (const auto* s : segments) {
        auto sql = TRY(compile(s->rule, c.backend(), fields, now));
        db::Params params;
        params.emplace_back(citizen_id);
        params.insert(params.end(), sql.params.begin(), sql.params.end());
        bool match = !TRY(c.query("SELECT 1 FROM citizens c WHERE c.id = ? AND " + sql.where, params)).rows.empty();
        bool in = current.contains(s->id);
        if (match && !in && TRY(enter(c, s->id, s->key, citizen_id, clock)))
            ++changes.entered;
        if (!match && in && TRY(leave(c, s->id, s->key, citizen_id, clock)))
            ++changes.left;
        if (s->timed) {
            auto t = TRY(next_change(c, s->rule, citizen_id, now));
            if (t && (!next || *t < *next))
                next = t;
        }
    }
    TRY(set_recheck(c, citizen_id, next, clock));
    return changes;
}

Result<ChunkResult> compute_chunk(db::Connection& c, std::int64_t segment_id, std::int64_t version,
                                  const Clock& clock, int chunk) {
    ChunkResult out;
    auto found = TRY(store::find(c, segment_id));
    if (!found || found->version != version || found->status == Status::Live)
        return out;
    const auto& s = *found;
    auto after = s.computed_upto;
    auto upto_row = TRY(c.query_one("SELECT MAX(id) FROM (SELECT id FROM citizens WHERE id > ? ORDER BY id LIMIT ?) x",
                                    {after, static_cast<std::int64_t>(chunk)}));
    auto now = clock.now();
    if (upto_row.is_null(0)) {
        // Members beyond the last profile are gone with their profiles (ON DELETE CASCADE).
        TRY(c.execute("UPDATE segments SET status = 'live', computed_at = ? WHERE id = ? AND version = ?",
                      {clock.now_ms(), segment_id, version}));
        return out;
    }
    auto upto = upto_row.get_int(0);
    auto sql = TRY(compile(s.rule, c.backend(), TRY(load_field_types(c)), now));
    db::Params params;
    params.emplace_back(after);
    params.emplace_back(upto);
    params.insert(params.end(), sql.params.begin(), sql.params.end());
    std::set<std::int64_t> matching, current;
    for (const auto& r : TRY(c.query("SELECT c.id FROM citizens c WHERE c.id > ? AND c.id <= ? AND " + sql.where, params)).rows)
        matching.insert(r.get_int(0));
    for (const auto& r : TRY(c.query("SELECT citizen_id FROM segment_members WHERE segment_id = ? AND citizen_id > ? "
                                     "AND citizen_id <= ?",
                                     {segment_id, after, upto}))
                             .rows)
        current.insert(r.get_int(0));
    for (auto id : matching)
        if (!current.contains(id) && TRY(enter(c, segment_id, s.key, id, clock)))
            ++out.changes.entered;
    for (auto id : current)
        if (!matching.contains(id) && TRY(leave(c, segment_id, s.key, id, clock)))
            ++out.changes.left;
    auto candidates = time_candidates(s.rule, now);
    if (depends_on_time(s.rule) && !candidates.where.empty()) {
        // Everyone in the chunk whose result can change by time gets a recheck: only people with
        // an activity the rule's windows can count later or stop counting (at 1M people and 10M
        // activities, asking next_change of everyone with any activity took the job minutes).
        db::Params range{after, upto};
        range.insert(range.end(), candidates.params.begin(), candidates.params.end());
        for (auto id : TRY(c.query("SELECT c.id FROM citizens c WHERE c.id > ? AND c.id <= ? AND c.restricted_at IS NULL "
                                   "AND " + candidates.where,
                                   range))
                           .rows) {
            auto t = TRY(next_change(c, s.rule, id.get_int(0), now));
            if (t)
                TRY(lower_recheck(c, id.get_int(0), to_unix_ms(*t), clock));
        }
    }
    TRY(c.execute("UPDATE segments SET computed_upto = ? WHERE id = ?", {upto, segment_id}));
    out.more = true;
    out.done = TRY(c.query_one("SELECT COUNT(*) FROM citizens WHERE id > ? AND id <= ?", {after, upto})).get_int(0);
    return out;
}

Result<int> recheck_due(db::Connection& c, const Clock& clock, RuleCache& cache, int limit) {
    auto rows = TRY(c.query("SELECT citizen_id FROM segment_rechecks WHERE due_at <= ? ORDER BY due_at LIMIT ?",
                            {clock.now_ms(), static_cast<std::int64_t>(limit)}));
    for (const auto& r : rows.rows)
        TRY(refresh_citizen(c, r.get_int(0), clock, cache));
    return static_cast<int>(rows.rows.size());
}

Result<bool> citizen_matches(db::Connection& c, std::string_view rule_json, std::int64_t citizen_id,
                             TimePoint now) {
    auto rule = TRY(parse_json(rule_json));
    auto sql = TRY(compile(rule, c.backend(), TRY(load_field_types(c)), now));
    db::Params params;
    params.emplace_back(citizen_id);
    params.insert(params.end(), sql.params.begin(), sql.params.end());
    return !TRY(c.query("SELECT 1 FROM citizens c WHERE c.id = ? AND " + sql.where, params)).rows.empty();
}

} // namespace teilhabe::segments
