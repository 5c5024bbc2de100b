// SQL of the campaigns.

#include "campaigns/campaign_store.h"

#include "db/dialect.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::campaigns::store {

namespace {

constexpr const char* kColumns = "id, name, subject, preheader, body, state, scheduled_at, started_at, "
                                 "finished_at, created_by, created_at, updated_at, segment_id";

std::optional<TimePoint> opt_time(const db::Row& r, std::size_t i) {
    auto v = r.get_opt_int(i);
    if (!v)
        return std::nullopt;
    return from_unix_ms(*v);
}

db::Value time_value(const std::optional<TimePoint>& t) {
    if (!t)
        return db::null();
    return to_unix_ms(*t);
}

Campaign from_row(const db::Row& r) {
    Campaign k;
    k.id = r.get_int(0);
    k.name = r.get_text(1);
    k.subject = r.get_text(2);
    k.preheader = r.get_text(3);
    k.body = r.get_text(4);
    k.state = parse_state(r.get_text(5)).value_or(State::Draft);
    k.scheduled_at = opt_time(r, 6);
    k.started_at = opt_time(r, 7);
    k.finished_at = opt_time(r, 8);
    k.created_by = r.get_text(9);
    k.created_at = from_unix_ms(r.get_int(10));
    k.updated_at = from_unix_ms(r.get_int(11));
    k.segment_id = r.get_opt_int(12);
    return k;
}

// A campaign's segment must exist (a segment used by a campaign cannot be deleted).
Result<void> check_segment(db::Connection& c, const std::optional<std::int64_t>& segment_id) {
    if (segment_id && TRY(c.query("SELECT 1 FROM segments WHERE id = ?", {*segment_id})).rows.empty())
        return fail(Error::invalid(fmt::format("there is no segment {}", *segment_id), "segment_id"));
    return {};
}

Result<void> load_topics(db::Connection& c, Campaign& k) {
    auto rows = TRY(c.query("SELECT t.key FROM campaign_topics ct JOIN topics t ON t.id = ct.topic_id "
                            "WHERE ct.campaign_id = ? ORDER BY ct.position",
                            {k.id}));
    k.topics.clear();
    for (const auto& r : rows.rows)
        k.topics.push_back(r.get_text(0));
    return {};
}

Result<std::optional<Campaign>> find_with(db::Connection& c, std::int64_t id, std::string_view lock) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM campaigns WHERE id = ?{}", kColumns, lock), {id}));
    if (rows.rows.empty())
        return std::nullopt;
    auto k = from_row(rows.rows.front());
    TRY(load_topics(c, k));
    return k;
}

Result<void> save_topics(db::Connection& c, std::int64_t id, const std::vector<std::string>& keys) {
    TRY(c.execute("DELETE FROM campaign_topics WHERE campaign_id = ?", {id}));
    std::int64_t position = 0;
    for (const auto& key : keys) {
        auto rows = TRY(c.query("SELECT id FROM topics WHERE key = ?", {key}));
        if (rows.rows.empty())
            return fail(Error::invalid(fmt::format("there is no topic '{}'", key), "topics"));
        TRY(c.execute("INSERT INTO campaign_topics (campaign_id, topic_id, position) VALUES (?, ?, ?)",
                      {id, rows.rows.front().get_int(0), position++}));
    }
    return {};
}

Result<void> audit(db::Connection& c, const Actor& who, std::string_view action, std::int64_t id,
                   std::string detail, const Clock& clock) {
    return staff::store::audit(c,
                               {.actor = who.actor,
                                .action = std::string(action),
                                .subject = fmt::format("campaign:{}", id),
                                .detail = std::move(detail),
                                .ip = who.ip},
                               clock);
}

} // namespace

Result<Campaign> create(db::Connection& c, const CampaignInput& in, const Actor& who, const Clock& clock) {
    Campaign k;
    apply(k, in);
    k.created_by = who.actor;
    k.created_at = k.updated_at = clock.now();
    TRY(check_segment(c, k.segment_id));
    auto row = TRY(c.query_one("INSERT INTO campaigns (name, subject, preheader, body, state, created_by, "
                               "created_at, updated_at, segment_id) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?) "
                               "RETURNING id",
                               {k.name, k.subject, k.preheader, k.body, k.created_by, to_unix_ms(k.created_at),
                                to_unix_ms(k.updated_at), db::opt(k.segment_id)}));
    k.id = row.get_int(0);
    TRY(save_topics(c, k.id, k.topics));
    TRY(audit(c, who, "campaign.created", k.id, k.name, clock));
    return k;
}

Result<std::optional<Campaign>> find(db::Connection& c, std::int64_t id) { return find_with(c, id, ""); }

Result<std::optional<Campaign>> find_for_update(db::Connection& c, std::int64_t id) {
    return find_with(c, id, db::dialect::for_update(c.backend()));
}

Result<std::optional<State>> state_of(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query("SELECT state FROM campaigns WHERE id = ?", {id}));
    if (rows.rows.empty())
        return std::optional<State>{};
    return parse_state(rows.rows.front().get_text(0));
}

Result<std::vector<Campaign>> list(db::Connection& c, const ListQuery& q) {
    std::string sql = fmt::format("SELECT {} FROM campaigns WHERE 1 = 1", kColumns);
    db::Params params;
    if (q.state) {
        sql += " AND state = ?";
        params.emplace_back(std::string(to_string(*q.state)));
    }
    if (q.before_id) {
        sql += " AND id < ?";
        params.emplace_back(*q.before_id);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(std::int64_t{q.limit});
    auto rows = TRY(c.query(sql, params));
    std::vector<Campaign> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
        out.push_back(from_row(r));
        TRY(load_topics(c, out.back()));
    }
    return out;
}

Result<Campaign> update(db::Connection& c, std::int64_t id, const CampaignInput& in, const Actor& who,
                        const Clock& clock) {
    auto found = TRY(find_for_update(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no campaign {}.", id)));
    TRY(check_editable(*found));
    Campaign k = std::move(*found);
    apply(k, in);
    k.updated_at = clock.now();
    TRY(check_segment(c, k.segment_id));
    TRY(c.execute("UPDATE campaigns SET name = ?, subject = ?, preheader = ?, body = ?, updated_at = ?, "
                  "segment_id = ? WHERE id = ?",
                  {k.name, k.subject, k.preheader, k.body, to_unix_ms(k.updated_at), db::opt(k.segment_id), id}));
    if (in.topics)
        TRY(save_topics(c, id, k.topics));
    TRY(audit(c, who, "campaign.updated", id, k.name, clock));
    return k;
}

Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock) {
    auto found = TRY(find_for_update(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no campaign {}.", id)));
    TRY(check_editable(*found));
    TRY(c.execute("DELETE FROM campaigns WHERE id = ?", {id}));
    return audit(c, who, "campaign.deleted", id, found->name, clock);
}

Result<void> save_state(db::Connection& c, const Campaign& k, const Actor& who, std::string_view action,
                        const Clock& clock) {
    TRY(c.execute("UPDATE campaigns SET state = ?, scheduled_at = ?, started_at = ?, finished_at = ?, "
                  "updated_at = ? WHERE id = ?",
                  {std::string(to_string(k.state)), time_value(k.scheduled_at), time_value(k.started_at),
                   time_value(k.finished_at), to_unix_ms(clock.now()), k.id}));
    return audit(c, who, fmt::format("campaign.{}", action), k.id, to_string(k.state), clock);
}

Result<std::vector<std::int64_t>> topic_ids(db::Connection& c, std::int64_t campaign_id) {
    auto rows = TRY(c.query("SELECT topic_id FROM campaign_topics WHERE campaign_id = ? ORDER BY position",
                            {campaign_id}));
    std::vector<std::int64_t> out;
    for (const auto& r : rows.rows)
        out.push_back(r.get_int(0));
    return out;
}

} // namespace teilhabe::campaigns::store
