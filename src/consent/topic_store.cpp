#include "consent/topic_store.h"

#include "db/rows.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::consent::store {

namespace {

constexpr const char* kColumns =
    "t.id, t.key, t.name_de, t.name_en, t.description_de, t.description_en, t.department_id, "
    "t.is_public, t.archived_at, t.created_at, t.updated_at, "
    "(SELECT COUNT(*) FROM consents s WHERE s.topic_id = t.id AND s.status = 'confirmed'), "
    "(SELECT COUNT(*) FROM consents s WHERE s.topic_id = t.id)";

Topic read(const db::Row& r) {
    Topic t;
    t.id = r.get_int(0);
    t.key = r.get_text(1);
    t.name_de = r.get_text(2);
    t.name_en = r.get_text(3);
    t.description_de = r.get_text(4);
    t.description_en = r.get_text(5);
    t.department_id = r.get_opt_int(6);
    t.is_public = r.get_int(7) != 0;
    t.archived_at = r.get_opt_int(8);
    t.created_at = r.get_int(9);
    t.updated_at = r.get_int(10);
    t.subscribers = r.get_int(11);
    t.consents = r.get_int(12);
    return t;
}

Result<std::vector<Topic>> select(db::Connection& c, const std::string& where_order,
                                  const db::Params& p = {}) {
    return db::query_as(c, fmt::format("SELECT {} FROM topics t {}", kColumns, where_order), p, read);
}

Result<void> check_department(db::Connection& c, const std::optional<std::int64_t>& dept) {
    if (!dept)
        return {};
    auto rows = TRY(c.query("SELECT 1 FROM departments WHERE id = ?", {*dept}));
    if (rows.empty())
        return fail(Error::invalid("There is no such department.", "department_id"));
    return {};
}

Result<void> check_key_free(db::Connection& c, const std::string& key, std::int64_t except) {
    auto rows = TRY(c.query("SELECT id FROM topics WHERE key = ? AND id <> ?", {key, except}));
    if (!rows.empty()) {
        auto e = Error::exists(fmt::format("A topic with the key '{}' exists already.", key));
        e.field = "key";
        return fail(e);
    }
    return {};
}

Result<void> audit(db::Connection& c, const Actor& who, const char* action, const Topic& t,
                   const Clock& clock) {
    return staff::store::audit(c,
                               {.actor = who.id,
                                .action = action,
                                .subject = fmt::format("topic:{}", t.id),
                                .detail = t.key,
                                .ip = who.ip},
                               clock);
}

} // namespace

Result<std::vector<Topic>> list_topics(db::Connection& c) {
    return select(c, "ORDER BY CASE WHEN t.archived_at IS NULL THEN 0 ELSE 1 END, t.name_de, t.id");
}

Result<std::vector<Topic>> public_topics(db::Connection& c) {
    return select(c, "WHERE t.is_public = 1 AND t.archived_at IS NULL ORDER BY t.name_de, t.id");
}

Result<std::optional<Topic>> find_topic(db::Connection& c, std::int64_t id) {
    auto found = TRY(select(c, "WHERE t.id = ?", {id}));
    if (found.empty())
        return std::optional<Topic>{};
    return std::optional<Topic>(found.front());
}

Result<std::optional<Topic>> find_topic_by_key(db::Connection& c, std::string_view key) {
    auto found = TRY(select(c, "WHERE t.key = ?", {std::string(key)}));
    if (found.empty())
        return std::optional<Topic>{};
    return std::optional<Topic>(found.front());
}

Result<Topic> create_topic(db::Connection& c, const TopicInput& in, const Actor& who,
                           const Clock& clock) {
    TRY(validate_topic_input(in, InputMode::Create));
    TRY(check_key_free(c, *in.key, 0));
    auto dept = in.department_id.value_or(std::nullopt);
    TRY(check_department(c, dept));
    auto now = clock.now_ms();
    auto row = TRY(c.query_one(
        "INSERT INTO topics (key, name_de, name_en, description_de, description_en, "
        "department_id, is_public, archived_at, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*in.key, *in.name_de, in.name_en.value_or(""), in.description_de.value_or(""),
         in.description_en.value_or(""), db::opt(dept),
         std::int64_t{in.is_public.value_or(true) ? 1 : 0},
         in.active.value_or(true) ? db::null() : db::Value(now), now, now}));
    auto t = TRY(find_topic(c, row.get_int(0)));
    TRY(audit(c, who, "topic.created", *t, clock));
    return *t;
}

Result<Topic> update_topic(db::Connection& c, std::int64_t id, const TopicInput& in,
                           const Actor& who, const Clock& clock) {
    TRY(validate_topic_input(in, InputMode::Patch));
    auto found = TRY(find_topic(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no topic {}.", id)));
    Topic t = *found;
    if (in.key && *in.key != t.key) {
        TRY(check_key_free(c, *in.key, id));
        t.key = *in.key;
    }
    if (in.name_de)
        t.name_de = *in.name_de;
    if (in.name_en)
        t.name_en = *in.name_en;
    if (in.description_de)
        t.description_de = *in.description_de;
    if (in.description_en)
        t.description_en = *in.description_en;
    if (in.department_id) {
        TRY(check_department(c, *in.department_id));
        t.department_id = *in.department_id;
    }
    if (in.is_public)
        t.is_public = *in.is_public;
    auto now = clock.now_ms();
    if (in.active && *in.active)
        t.archived_at.reset();
    else if (in.active && !*in.active && !t.archived_at)
        t.archived_at = now;
    TRY(c.query("UPDATE topics SET key = ?, name_de = ?, name_en = ?, description_de = ?, "
                "description_en = ?, department_id = ?, is_public = ?, archived_at = ?, "
                "updated_at = ? WHERE id = ?",
                {t.key, t.name_de, t.name_en, t.description_de, t.description_en,
                 db::opt(t.department_id), std::int64_t{t.is_public ? 1 : 0},
                 db::opt(t.archived_at), now, id}));
    auto updated = TRY(find_topic(c, id));
    TRY(audit(c, who, "topic.updated", *updated, clock));
    return *updated;
}

Result<void> delete_topic(db::Connection& c, std::int64_t id, const Actor& who,
                          const Clock& clock) {
    auto found = TRY(find_topic(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no topic {}.", id)));
    if (found->consents > 0)
        return fail(Error::conflict(fmt::format(
            "The topic '{}' has {} consents (with their proof); archive it instead "
            "(PATCH active=false).",
            found->key, found->consents)));
    // Interests in the topic (citizen_interests) go with it (ON DELETE CASCADE).
    TRY(c.query("DELETE FROM topics WHERE id = ?", {id}));
    TRY(audit(c, who, "topic.deleted", *found, clock));
    return {};
}

} // namespace teilhabe::consent::store
