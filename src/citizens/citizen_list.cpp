// Listing profiles: filters as fixed SQL fragments with bound values, pages in id order.

#include "citizens/citizen_rows.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "citizens/field_value.h"
#include "citizens/text.h"
#include "db/dialect.h"

#include <fmt/format.h>

namespace teilhabe::citizens::store {

namespace {

// Each filter is a fragment of this file's text; only which fragments appear, and how often,
// depends on the request. Values are always bound.
struct Sql {
    std::string where;
    db::Params params;

    void add(std::string_view fragment, db::Params values) {
        where += fragment;
        for (auto& v : values)
            params.push_back(std::move(v));
    }
};

// A filter on one of the per-person tables: "has this tag / interest / field value". `match`
// names the table's alias as {0}.
struct SetFilter {
    const char* table;
    const char* match;
    db::Params params;
};

// Prefix search on the e-mail and the lower-cased names, as a condition on each person
// looked at (for a common prefix: the list walks people in id order and soon has a page).
// The columns are written so that no engine answers the condition from the name indexes
// instead: PostgreSQL, which underestimates an e-mail prefix range, would otherwise fetch and
// sort every match (30-150 ms for "anna" at a million people, bench/citizens).
void add_prefix(Sql& sql, db::Backend backend, const std::string& q, const std::string& upper) {
    std::string cond;
    for (const char* column : {"c.email", "c.first_name_search", "c.last_name_search"}) {
        std::string col = db::dialect::unindexed(backend, column);
        cond += fmt::format("{}({} >= ? AND {} < ?)", cond.empty() ? "" : " OR ", col, col);
    }
    sql.add(" AND (" + cond + ")", {q, upper, q, upper, q, upper});
}

// The same as the people it matches, collected from the three indexes (for a rare prefix:
// walking in id order would look at nearly everyone before a page is full, or nobody matches).
constexpr const char* kPrefixMatches =
    "SELECT id FROM citizens WHERE email >= ? AND email < ? UNION SELECT id FROM citizens WHERE "
    "first_name_search >= ? AND first_name_search < ? UNION SELECT id FROM citizens WHERE "
    "last_name_search >= ? AND last_name_search < ?";

// Whether the prefix matches fewer than `limit` index entries (people matching in two
// columns count twice), each index range counted no further than that.
Result<bool> prefix_is_rare(db::Connection& c, const std::string& q, const std::string& upper,
                            std::int64_t limit) {
    auto row = TRY(c.query_one(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM citizens WHERE email >= ? AND email < ? "
        "LIMIT ?) e) + (SELECT count(*) FROM (SELECT 1 FROM citizens WHERE first_name_search >= "
        "? AND first_name_search < ? LIMIT ?) f) + (SELECT count(*) FROM (SELECT 1 FROM citizens "
        "WHERE last_name_search >= ? AND last_name_search < ? LIMIT ?) l)",
        {q, upper, limit, q, upper, limit, q, upper, limit}));
    return row.get_int(0) < limit;
}

Result<SetFilter> interest_filter(db::Connection& c, const std::string& key) {
    auto rows = TRY(c.query("SELECT id FROM topics WHERE key = ?", {key}));
    if (rows.empty())
        return fail(Error::invalid(fmt::format("There is no topic '{}'.", key), "interest"));
    return SetFilter{"citizen_interests", "{0}.topic_id = ?", {rows.first().get_int(0)}};
}

// field.<key>=value: equality on the canonical text; for multichoice "has this option", which
// is the same row test because each chosen option is a row.
Result<SetFilter> field_filter(db::Connection& c, const FieldFilter& f) {
    std::string param = "field." + f.key;
    auto def =
        valid_field_key(f.key) ? TRY(find_field(c, f.key)) : std::optional<FieldDefinition>{};
    if (!def)
        return fail(Error::invalid(fmt::format("There is no field '{}'.", f.key), param));
    FieldDefinition lenient = *def;
    lenient.required = false; // a filter value is checked for its form, not for presence
    auto json = parse_value_text(lenient, f.text);
    auto stored = json ? validate_value(lenient, *json) : Result<StoredValue>(fail(json.error()));
    if (!stored)
        return fail(Error::invalid(stored.error().message, param));
    if (stored->texts.size() != 1)
        return fail(Error::invalid(fmt::format("Give one value to filter {} by.", f.key), param));
    return SetFilter{
        "citizen_values", "{0}.field_id = ? AND {0}.value = ?", {def->id, stored->texts.front()}};
}

Result<std::vector<SetFilter>> set_filters(db::Connection& c, const CitizenQuery& q) {
    std::vector<SetFilter> out;
    // Field values first: the first filter drives the query (see list_citizens), and a
    // value is usually rarer than a tag or an interest.
    for (const auto& f : q.fields)
        out.push_back(TRY(field_filter(c, f)));
    for (const auto& tag : q.tags)
        out.push_back({"citizen_tags", "{0}.tag = ?", {tag}});
    for (const auto& key : q.interests)
        out.push_back(TRY(interest_filter(c, key)));
    return out;
}

} // namespace

// With a tag, interest or field filter, the query walks that filter's index (e.g. citizen_values
// (field_id, value, citizen_id)) from the cursor in citizen order and stops after one page, and
// checks every other filter per person with a primary-key probe (EXISTS). A page thus costs
// about "page size / share of people who also pass the other filters" index steps, however
// many millions match. The join order is fixed with CROSS JOIN for SQLite, which otherwise
// scans citizens by id and probes; PostgreSQL's planner reorders as it sees fit (it treats CROSS
// JOIN with a WHERE condition as any inner join) and picks a merge join here.
// A rare name prefix (fewer matches than plan.prefix_collect_below) drives instead: its
// matches are collected from the three name indexes, sorted, and every other filter is
// checked per person, so that a search for one person does not walk a million
// (bench/citizens; a common prefix finds a page after a few hundred people in id order).
Result<CitizenPage> list_citizens(db::Connection& c, const CitizenQuery& q, const ListPlan& plan) {
    auto filters = TRY(set_filters(c, q));
    std::string upper = q.q.empty() ? std::string() : prefix_upper_bound(q.q);
    bool prefix_drives = false;
    if (!q.q.empty() && !upper.empty())
        prefix_drives = TRY(prefix_is_rare(c, q.q, upper, plan.prefix_collect_below));
    std::string from = "citizens c";
    std::string order = "c.id";   // the driving index's order, so that no sort is needed
    std::size_t checked_from = 1; // the filters checked per person with EXISTS
    Sql sql;
    if (prefix_drives) {
        // SQLite runs along the sorted matches (no sort, no profile read beyond the page) as
        // long as no index of citizens competes for driving the query.
        from = fmt::format("citizens c{}", db::dialect::not_indexed(c.backend()));
        sql.add(fmt::format("c.id IN ({}) AND c.id > ?", kPrefixMatches),
                {q.q, upper, q.q, upper, q.q, upper, q.after_id});
        checked_from = 0;
    } else if (filters.empty()) {
        sql.add("c.id > ?", {q.after_id});
    } else {
        const SetFilter& d = filters.front();
        from = fmt::format("{} d CROSS JOIN citizens c", d.table);
        order = "d.citizen_id";
        db::Params p = d.params;
        p.emplace_back(q.after_id);
        p.emplace_back(q.after_id);
        // The cursor on both sides: PostgreSQL's merge join does not carry it over from d to
        // c, and would read every profile before the cursor on each page (0.4 s deep in 1 M).
        sql.add(fmt::format("c.id = d.citizen_id AND {} AND d.citizen_id > ? AND c.id > ?",
                            fmt::format(fmt::runtime(d.match), "d")),
                std::move(p));
    }
    for (std::size_t i = checked_from; i < filters.size(); ++i)
        sql.add(fmt::format(" AND EXISTS (SELECT 1 FROM {} x WHERE x.citizen_id = c.id AND {})",
                            filters[i].table, fmt::format(fmt::runtime(filters[i].match), "x")),
                filters[i].params);
    if (!q.q.empty() && upper.empty())
        sql.add(" AND 1 = 0", {});
    else if (!q.q.empty() && !prefix_drives)
        add_prefix(sql, c.backend(), q.q, upper);
    if (q.district)
        sql.add(" AND c.district = ?", {*q.district});
    if (q.restricted)
        sql.add(*q.restricted ? " AND c.restricted_at IS NOT NULL" : " AND c.restricted_at IS NULL",
                {});
    // One more than asked for tells whether another page follows.
    sql.params.emplace_back(std::int64_t{q.limit} + 1);
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ?",
                                        detail::kCitizenColumns, from, sql.where, order),
                            sql.params));
    CitizenPage page;
    for (const auto& r : rows.rows) {
        if (page.items.size() == static_cast<std::size_t>(q.limit))
            break;
        page.items.push_back(detail::citizen_from_row(r));
    }
    if (rows.rows.size() > static_cast<std::size_t>(q.limit))
        page.next_cursor = encode_cursor(page.items.back().id);
    TRY(detail::load_details(c, page.items));
    return page;
}

} // namespace teilhabe::citizens::store
