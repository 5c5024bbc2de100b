#include "segments/segment_store.h"

#include "jobs/job_store.h"
#include "segments/rule_json.h"
#include "segments/rule_sql.h"

#include <fmt/format.h>

namespace teilhabe::segments::store {

namespace {

constexpr const char* kColumns =
    "s.id, s.key, s.name, s.description, s.rule, s.version, s.status, s.computed_upto, "
    "s.computed_at, s.created_by, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = s.id)";

Result<Segment> from_row(const db::Row& r) {
    Segment s;
    s.id = r.get_int(0);
    s.key = r.get_text(1);
    s.name = r.get_text(2);
    s.description = r.get_text(3);
    auto rule = parse_json(r.get_text(4));
    if (!rule)
        return fail(Error::internal(fmt::format("segment {} has a broken rule: {}", s.id, rule.error().message)));
    s.rule = std::move(*rule);
    s.version = r.get_int(5);
    s.status = r.get_text(6) == "live" ? Status::Live : Status::Computing;
    s.computed_upto = r.get_int(7);
    s.computed_at = r.get_opt_int(8);
    s.created_by = r.get_text(9);
    s.created_at = r.get_int(10);
    s.updated_at = r.get_int(11);
    s.member_count = r.get_int(12);
    return s;
}

Result<void> queue_compute(db::Connection& c, std::int64_t id, std::int64_t version, const Clock& clock) {
    TRY(jobs::enqueue(c,
                      {.kind = kComputeJob,
                       .payload = nlohmann::json{{"segment_id", id}, {"version", version}}.dump(),
                       .unique_key = fmt::format("{}:{}:{}", kComputeJob, id, version)},
                      clock));
    return {};
}

Result<void> key_free(db::Connection& c, const std::string& key, std::int64_t except) {
    auto rows = TRY(c.query("SELECT id FROM segments WHERE key = ? AND id <> ?", {key, except}));
    if (!rows.rows.empty())
        return fail(Error::invalid(fmt::format("the key '{}' is taken by another segment", key), "key"));
    return {};
}

Result<void> check_rule(db::Connection& c, const Rule& r) {
    auto checked = check_references(c, r);
    if (!checked) {
        auto e = checked.error();
        e.field = "/rule" + e.field;
        return fail(e);
    }
    return {};
}

} // namespace

Result<Segment> create(db::Connection& c, const SegmentInput& in, const std::string& actor,
                       const Clock& clock) {
    TRY(check_input(in, InputMode::Create));
    TRY(key_free(c, *in.key, 0));
    TRY(check_rule(c, *in.rule));
    auto now = clock.now_ms();
    auto row = TRY(c.query_one(
        "INSERT INTO segments (key, name, description, rule, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*in.key, *in.name, in.description.value_or(""), dump_json(*in.rule), actor, now, now}));
    auto id = row.get_int(0);
    TRY(queue_compute(c, id, 1, clock));
    return *TRY(find(c, id));
}

Result<Segment> update(db::Connection& c, std::int64_t id, const SegmentInput& in, const Clock& clock) {
    TRY(check_input(in, InputMode::Patch));
    auto found = TRY(find(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no segment {}.", id)));
    auto s = std::move(*found);
    if (in.key) {
        TRY(key_free(c, *in.key, id));
        s.key = *in.key;
    }
    if (in.name)
        s.name = *in.name;
    if (in.description)
        s.description = *in.description;
    bool new_rule = in.rule && !(*in.rule == s.rule);
    if (new_rule) {
        TRY(check_rule(c, *in.rule));
        s.rule = *in.rule;
        ++s.version;
    }
    TRY(c.execute(fmt::format("UPDATE segments SET key = ?, name = ?, description = ?, rule = ?, version = ?, "
                              "updated_at = ?{} WHERE id = ?",
                              new_rule ? ", status = 'computing', computed_upto = 0" : ""),
                  {s.key, s.name, s.description, dump_json(s.rule), s.version, clock.now_ms(), id}));
    if (new_rule)
        TRY(queue_compute(c, id, s.version, clock));
    return *TRY(find(c, id));
}

Result<void> remove(db::Connection& c, std::int64_t id) {
    auto used = TRY(c.query("SELECT id, name FROM campaigns WHERE segment_id = ? ORDER BY id LIMIT 1", {id}));
    if (!used.rows.empty())
        return fail(Error::conflict(fmt::format("The campaign \"{}\" (id {}) goes to this segment; it cannot be "
                                                "deleted while a campaign refers to it.",
                                                used.first().get_text(1), used.first().get_int(0))));
    auto n = TRY(c.execute("DELETE FROM segments WHERE id = ?", {id}));
    if (n == 0)
        return fail(Error::not_found(fmt::format("There is no segment {}.", id)));
    return {};
}

Result<std::optional<Segment>> find(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM segments s WHERE s.id = ?", kColumns), {id}));
    if (rows.rows.empty())
        return std::optional<Segment>{};
    return std::optional<Segment>{TRY(from_row(rows.rows[0]))};
}

Result<std::vector<Segment>> list(db::Connection& c) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM segments s ORDER BY s.name, s.id", kColumns)));
    std::vector<Segment> out;
    for (const auto& r : rows.rows)
        out.push_back(TRY(from_row(r)));
    return out;
}

Result<std::vector<Member>> members(db::Connection& c, std::int64_t segment_id, std::int64_t after,
                                    int limit) {
    auto rows = TRY(c.query("SELECT m.citizen_id, c.email, c.first_name, c.last_name, m.entered_at "
                            "FROM segment_members m JOIN citizens c ON c.id = m.citizen_id "
                            "WHERE m.segment_id = ? AND m.citizen_id > ? ORDER BY m.citizen_id LIMIT ?",
                            {segment_id, after, static_cast<std::int64_t>(limit)}));
    std::vector<Member> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_int(4)});
    return out;
}

Result<Preview> preview(db::Connection& c, const Rule& rule, TimePoint now, int sample) {
    TRY(check_rule(c, rule));
    auto sql = TRY(compile(rule, c.backend(), TRY(load_field_types(c)), now));
    Preview p;
    p.count = TRY(c.query_one("SELECT COUNT(*) FROM citizens c WHERE " + sql.where, sql.params)).get_int(0);
    auto params = sql.params;
    params.push_back(static_cast<std::int64_t>(sample));
    auto rows = TRY(c.query("SELECT c.id, c.email, c.first_name, c.last_name FROM citizens c WHERE " +
                                sql.where + " ORDER BY c.id LIMIT ?",
                            params));
    for (const auto& r : rows.rows)
        p.sample.push_back({r.get_int(0), r.get_text(1), r.get_text(2), r.get_text(3), 0});
    return p;
}

} // namespace teilhabe::segments::store
