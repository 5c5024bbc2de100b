#include "segments/rule_sql.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::segments {

namespace {

constexpr std::int64_t kDay = 86'400'000;

const char* sql_op(Op op) {
    static const char* ops[] = {"=", "<>", "<", "<=", ">", ">=", ""};
    return ops[static_cast<int>(op)];
}

db::Value bound(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v))
        return *s;
    return std::get<double>(v);
}

// Substring test, case-sensitive on both engines (LIKE is not: SQLite folds ASCII case).
std::string contains_sql(db::Backend b, std::string_view column) {
    return (b == db::Backend::Sqlite ? "instr(" : "strpos(") + std::string(column) + ", ?) > 0";
}

struct Compiler {
    db::Backend backend;
    const FieldTypes& fields;
    std::int64_t now_ms;
    Sql out;

    Result<void> node(const Rule& r, const std::string& pointer) {
        switch (r.kind) {
        case Rule::Kind::Condition:
            return condition(r.condition, pointer);
        case Rule::Kind::Not:
            out.where += "NOT (";
            TRY(node(r.children[0], pointer + "/not"));
            out.where += ")";
            return {};
        case Rule::Kind::All:
        case Rule::Kind::Any: {
            const char* list = r.kind == Rule::Kind::All ? "all" : "any";
            out.where += "(";
            for (std::size_t i = 0; i < r.children.size(); ++i) {
                if (i)
                    out.where += r.kind == Rule::Kind::All ? " AND " : " OR ";
                out.where += "(";
                TRY(node(r.children[i], fmt::format("{}/{}/{}", pointer, list, i)));
                out.where += ")";
            }
            out.where += ")";
            return {};
        }
        }
        return {};
    }

    Result<void> field(const FieldCondition& f) {
        if (f.field == "created_at") {
            out.where += fmt::format("c.created_at {} ?", sql_op(f.op));
            out.params.push_back(*date_ms(std::get<std::string>(f.value)));
            return {};
        }
        auto text = std::get<std::string>(f.value);
        if (f.field == "email")
            std::ranges::transform(text, text.begin(), [](unsigned char ch) { return std::tolower(ch); });
        auto column = "c." + f.field;
        if (f.op == Op::Contains) {
            out.where += contains_sql(backend, column);
            out.params.push_back(text);
            return {};
        }
        out.where += fmt::format("{} {} ?", column, sql_op(f.op));
        out.params.push_back(text);
        return {};
    }

    Result<void> attribute(const AttributeCondition& a, const std::string& pointer) {
        auto it = fields.find(a.key);
        if (it == fields.end())
            return fail(Error::invalid(fmt::format("there is no field '{}'", a.key), pointer + "/attribute"));
        const auto& type = it->second.type;
        bool numeric = type == "number";
        if (numeric != std::holds_alternative<double>(a.value))
            return fail(Error::invalid(
                numeric ? fmt::format("'{}' is a number field: compare with a number", a.key)
                        : fmt::format("'{}' is a {} field: compare with text in quotes", a.key, type),
                pointer + "/value"));
        if (type == "date" && !is_date(std::get<std::string>(a.value)))
            return fail(Error::invalid(fmt::format("'{}' is a date field: compare with \"YYYY-MM-DD\"", a.key),
                                       pointer + "/value"));
        if (type == "bool" && std::get<std::string>(a.value) != "true" &&
            std::get<std::string>(a.value) != "false")
            return fail(Error::invalid(fmt::format("'{}' is yes/no: compare with \"true\" or \"false\"", a.key),
                                       pointer + "/value"));
        if (a.op == Op::Contains && type != "text")
            return fail(Error::invalid("contains is for text fields", pointer + "/op"));
        // "!=" is "not =": a person without a value is not equal to it.
        bool negate = a.op == Op::Ne;
        auto op = negate ? Op::Eq : a.op;
        out.where += fmt::format("{}EXISTS (SELECT 1 FROM citizen_values v WHERE v.citizen_id = c.id "
                                 "AND v.field_id = ? AND ",
                                 negate ? "NOT " : "");
        out.params.push_back(it->second.id);
        if (op == Op::Contains) {
            out.where += contains_sql(backend, "v.value");
            out.params.push_back(std::get<std::string>(a.value));
        } else {
            out.where += fmt::format("v.{} {} ?", numeric ? "number" : "value", sql_op(op));
            out.params.push_back(bound(a.value));
        }
        out.where += ")";
        return {};
    }

    Result<void> activity(const ActivityCondition& a) {
        std::int64_t from = 0, until = now_ms;
        if (a.window.kind == Window::Kind::LastDays)
            from = now_ms - a.window.days * kDay;
        else if (a.window.kind == Window::Kind::Between) {
            from = *date_ms(a.window.from) - 1;
            until = std::min(now_ms, *date_ms(a.window.until) - 1);
        }
        // (from, until]: the window ends now; what is dated later has not happened yet.
        std::string sub = "FROM activities a WHERE a.citizen_id = c.id AND a.type = ?";
        db::Params p;
        p.emplace_back(a.type);
        if (!a.object.empty()) {
            sub += " AND a.object = ?";
            p.push_back(a.object);
        }
        sub += " AND a.occurred_at > ? AND a.occurred_at <= ?";
        p.push_back(from);
        p.push_back(until);
        // The common questions ("at least once", "never") as EXISTS, which stops at the first.
        if ((a.op == Op::Ge && a.count == 1) || (a.op == Op::Gt && a.count == 0))
            out.where += "EXISTS (SELECT 1 " + sub + ")";
        else if ((a.op == Op::Eq && a.count == 0) || (a.op == Op::Lt && a.count == 1) ||
                 (a.op == Op::Le && a.count == 0))
            out.where += "NOT EXISTS (SELECT 1 " + sub + ")";
        else {
            out.where += fmt::format("(SELECT COUNT(*) {}) {} ?", sub, sql_op(a.op));
            p.push_back(a.count);
        }
        out.params.insert(out.params.end(), p.begin(), p.end());
        return {};
    }

    Result<void> condition(const Condition& cond, const std::string& pointer) {
        if (auto* f = std::get_if<FieldCondition>(&cond))
            return field(*f);
        if (auto* a = std::get_if<AttributeCondition>(&cond))
            return attribute(*a, pointer);
        if (auto* i = std::get_if<InterestCondition>(&cond)) {
            out.where += "EXISTS (SELECT 1 FROM citizen_interests i JOIN topics t ON t.id = i.topic_id "
                         "WHERE i.citizen_id = c.id AND t.key = ?)";
            out.params.push_back(i->topic);
            return {};
        }
        if (auto* t = std::get_if<TagCondition>(&cond)) {
            out.where += "EXISTS (SELECT 1 FROM citizen_tags g WHERE g.citizen_id = c.id AND g.tag = ?)";
            out.params.push_back(t->tag);
            return {};
        }
        if (auto* k = std::get_if<ConsentCondition>(&cond)) {
            if (k->kind == ConsentCondition::Kind::Tracking) {
                out.where += "EXISTS (SELECT 1 FROM consents k WHERE k.citizen_id = c.id AND "
                             "k.subject = 'tracking' AND k.status = 'confirmed')";
                return {};
            }
            out.where += "EXISTS (SELECT 1 FROM consents k JOIN topics t ON t.id = k.topic_id WHERE "
                         "k.citizen_id = c.id AND t.key = ? AND k.status = 'confirmed')";
            out.params.push_back(k->topic);
            return {};
        }
        return activity(std::get<ActivityCondition>(cond));
    }
};

void collect(const Rule& r, const std::string& pointer,
             std::vector<std::pair<const Condition*, std::string>>& out) {
    if (r.kind == Rule::Kind::Condition) {
        out.emplace_back(&r.condition, pointer);
        return;
    }
    if (r.kind == Rule::Kind::Not)
        return collect(r.children[0], pointer + "/not", out);
    const char* list = r.kind == Rule::Kind::All ? "all" : "any";
    for (std::size_t i = 0; i < r.children.size(); ++i)
        collect(r.children[i], fmt::format("{}/{}/{}", pointer, list, i), out);
}

} // namespace

Result<FieldTypes> load_field_types(db::Connection& c) {
    auto rows = TRY(c.query("SELECT key, id, type FROM fields"));
    FieldTypes out;
    for (const auto& r : rows.rows)
        out[r.get_text(0)] = {r.get_int(1), r.get_text(2)};
    return out;
}

Result<Sql> compile(const Rule& r, db::Backend backend, const FieldTypes& fields, TimePoint now) {
    Compiler comp{backend, fields, to_unix_ms(now), {}};
    comp.out.where = "c.restricted_at IS NULL AND (";
    TRY(comp.node(r, ""));
    comp.out.where += ")";
    return std::move(comp.out);
}

Result<void> check_references(db::Connection& c, const Rule& r) {
    auto fields = TRY(load_field_types(c));
    TRY(compile(r, c.backend(), fields, TimePoint{})); // attributes: known fields, values of their type
    std::vector<std::pair<const Condition*, std::string>> conditions;
    collect(r, "", conditions);
    for (const auto& [cond, pointer] : conditions) {
        std::string topic, member;
        if (auto* i = std::get_if<InterestCondition>(cond))
            topic = i->topic, member = "/interest";
        else if (auto* k = std::get_if<ConsentCondition>(cond); k && k->kind == ConsentCondition::Kind::Topic)
            topic = k->topic, member = "/topic";
        if (topic.empty())
            continue;
        auto rows = TRY(c.query("SELECT 1 FROM topics WHERE key = ?", {topic}));
        if (rows.rows.empty())
            return fail(Error::invalid(fmt::format("there is no topic '{}'", topic), pointer + member));
    }
    return {};
}

Result<std::optional<TimePoint>> next_change(db::Connection& c, const Rule& r,
                                             std::int64_t citizen_id, TimePoint now) {
    std::vector<std::pair<const Condition*, std::string>> conditions;
    collect(r, "", conditions);
    auto now_ms = to_unix_ms(now);
    std::optional<std::int64_t> best;
    auto consider = [&](std::int64_t t) {
        if (t > now_ms && (!best || t < *best))
            best = t;
    };
    for (const auto& [cond, pointer] : conditions) {
        auto* a = std::get_if<ActivityCondition>(cond);
        if (!a)
            continue;
        std::string sql = "SELECT MIN(occurred_at) FROM activities WHERE citizen_id = ? AND type = ?";
        db::Params p;
        p.emplace_back(citizen_id);
        p.emplace_back(a->type);
        if (!a->object.empty()) {
            sql += " AND object = ?";
            p.push_back(a->object);
        }
        // One dated in the future enters the window when its time comes.
        auto later = p;
        later.push_back(now_ms);
        auto future = TRY(c.query_one(sql + " AND occurred_at > ?", later));
        if (!future.is_null(0))
            consider(future.get_int(0));
        if (a->window.kind == Window::Kind::LastDays) {
            auto span = a->window.days * kDay;
            auto params = p;
            params.push_back(now_ms - span);
            params.push_back(now_ms);
            auto oldest = TRY(c.query_one(sql + " AND occurred_at > ? AND occurred_at <= ?", params));
            // Counted while occurred_at > now - span: it leaves at occurred_at + span.
            if (!oldest.is_null(0))
                consider(oldest.get_int(0) + span);
        }
    }
    if (!best)
        return std::optional<TimePoint>{};
    return std::optional<TimePoint>{from_unix_ms(*best)};
}

Sql time_candidates(const Rule& r, TimePoint now) {
    std::vector<std::pair<const Condition*, std::string>> conditions;
    collect(r, "", conditions);
    auto now_ms = to_unix_ms(now);
    Sql out;
    std::string any;
    for (const auto& [cond, pointer] : conditions) {
        auto* a = std::get_if<ActivityCondition>(cond);
        if (!a)
            continue;
        // As next_change looks: dated after now, or (LastDays) counted in the window now.
        auto since = a->window.kind == Window::Kind::LastDays ? now_ms - a->window.days * kDay : now_ms;
        any += any.empty() ? "(" : " OR (";
        any += "a.type = ?";
        out.params.emplace_back(a->type);
        if (!a->object.empty()) {
            any += " AND a.object = ?";
            out.params.emplace_back(a->object);
        }
        any += " AND a.occurred_at > ?)";
        out.params.emplace_back(since);
    }
    if (!any.empty())
        out.where = "EXISTS (SELECT 1 FROM activities a WHERE a.citizen_id = c.id AND (" + any + "))";
    return out;
}

} // namespace teilhabe::segments
