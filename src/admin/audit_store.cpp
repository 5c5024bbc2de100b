#include "admin/audit_store.h"

#include "citizens/text.h"

#include <fmt/format.h>

namespace teilhabe::admin::store {

namespace {

// Each filter is one fixed condition; which ones are present shapes the statement, their
// values are bound. Indexes (migration 0006): (subject|actor|action|ip, at, id) and (at).
struct Conditions {
    std::string sql;
    db::Params params;

    void add(std::string_view condition, db::Params values) {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += condition;
        for (auto& v : values)
            params.push_back(std::move(v));
    }
};

Conditions conditions_of(const AuditQuery& q) {
    Conditions w;
    if (q.subject)
        w.add("subject = ?", {*q.subject});
    if (q.actor)
        w.add("actor = ?", {*q.actor});
    if (q.actor_is_system)
        w.add("(actor = 'system' OR (actor >= 'system:' AND actor < 'system;'))", {});
    if (q.action)
        w.add("action = ?", {*q.action});
    if (q.ip)
        w.add("ip = ?", {*q.ip});
    if (q.ip_prefix)
        w.add("ip >= ? AND ip < ?", {*q.ip_prefix, citizens::prefix_upper_bound(*q.ip_prefix)});
    if (q.from_ms)
        w.add("at >= ?", {*q.from_ms});
    if (q.until_ms)
        w.add("at < ?", {*q.until_ms});
    if (q.before)
        w.add("(at, id) < (?, ?)", {q.before->at, q.before->id});
    return w;
}

} // namespace

Result<AuditPage> audit_page(db::Connection& c, const AuditQuery& q) {
    if (q.subject_email)
        return fail(Error::internal("audit_page: the subject's e-mail address was not resolved"));
    auto w = conditions_of(q);
    w.params.emplace_back(std::int64_t{q.limit + 1});
    auto rows = TRY(c.query(fmt::format("SELECT id, at, actor, action, subject, detail, ip FROM "
                                        "audit_log{} ORDER BY at DESC, id DESC LIMIT ?",
                                        w.sql),
                            w.params));
    AuditPage page;
    for (const auto& r : rows.rows)
        page.rows.push_back({r.get_int(0), r.get_int(1), r.get_text(2), r.get_text(3),
                             r.get_text(4), r.get_text(5), r.get_text(6)});
    if (page.rows.size() > static_cast<std::size_t>(q.limit)) {
        page.rows.pop_back();
        page.next = AuditCursor{page.rows.back().at, page.rows.back().id};
    }
    return page;
}

Result<std::vector<std::string>> audit_actions(db::Connection& c) {
    auto rows = TRY(
        c.query("WITH RECURSIVE a(action) AS (SELECT min(action) FROM audit_log UNION ALL SELECT "
                "(SELECT min(l.action) FROM audit_log l WHERE l.action > a.action) FROM a WHERE "
                "a.action IS NOT NULL) SELECT action FROM a WHERE action IS NOT NULL"));
    std::vector<std::string> out;
    for (const auto& r : rows.rows)
        out.push_back(r.get_text(0));
    return out;
}

Result<std::vector<Principal>> principals(db::Connection& c) {
    std::vector<Principal> out;
    auto staff = TRY(c.query("SELECT id, email FROM staff_users ORDER BY email, id"));
    for (const auto& r : staff.rows)
        out.push_back({fmt::format("staff:{}", r.get_int(0)), r.get_text(1), false});
    auto keys = TRY(c.query("SELECT id, name, prefix FROM api_keys ORDER BY name, id"));
    for (const auto& r : keys.rows)
        out.push_back({fmt::format("apikey:{}", r.get_int(0)),
                       fmt::format("{} (thk_{})", r.get_text(1), r.get_text(2)), true});
    return out;
}

} // namespace teilhabe::admin::store
