#include "admin/admin_store.h"

namespace teilhabe::admin::store {

Result<Figures> figures(db::Connection& c) {
    auto r = TRY(c.query_one(
        "SELECT (SELECT count(*) FROM citizens), (SELECT count(*) FROM topics), "
        "(SELECT count(*) FROM departments), (SELECT count(*) FROM activities), "
        "(SELECT count(*) FROM jobs WHERE state IN ('queued', 'running'))"));
    return Figures{r.get_int(0), r.get_int(1), r.get_int(2), r.get_int(3), r.get_int(4)};
}

Result<std::vector<RecentActivity>> recent_activities(db::Connection& c, int limit) {
    auto rows = TRY(c.query("SELECT recorded_at, type, actor FROM activities ORDER BY id DESC "
                            "LIMIT ?",
                            {std::int64_t{limit}}));
    std::vector<RecentActivity> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0), r.get_text(1), r.get_text(2)});
    return out;
}

namespace {

Result<std::vector<NamedRow>> named_rows(db::Connection& c, const char* sql) {
    auto rows = TRY(c.query(sql));
    std::vector<NamedRow> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_text(0), r.get_text(1), r.get_text(2)});
    return out;
}

} // namespace

Result<std::vector<NamedRow>> topics(db::Connection& c) {
    return named_rows(c, "SELECT key, name_de, name_en FROM topics ORDER BY name_de, key");
}

Result<std::vector<NamedRow>> departments(db::Connection& c) {
    return named_rows(c, "SELECT key, name_de, name_en FROM departments ORDER BY name_de, key");
}

Result<std::string> actor_name(db::Connection& c, const std::string& actor) {
    if (!actor.starts_with("staff:"))
        return actor;
    std::int64_t id = 0;
    try {
        id = std::stoll(actor.substr(6));
    } catch (const std::exception&) {
        return actor;
    }
    auto rows = TRY(c.query("SELECT email FROM staff_users WHERE id = ?", {id}));
    if (rows.rows.empty())
        return actor;
    return rows.rows.front().get_text(0);
}

} // namespace teilhabe::admin::store
