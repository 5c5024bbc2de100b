#include "citizens/field_store.h"

#include "citizens/field_conversion.h"
#include "citizens/store_support.h"
#include "db/dialect.h"
#include "db/sql_text.h"

#include <fmt/format.h>

namespace teilhabe::citizens::store {

namespace {

using nlohmann::json;

constexpr const char* kSelect =
    "SELECT f.id, f.key, f.type, f.label_de, f.label_en, f.options, f.required, f.min_value, "
    "f.max_value, f.pattern, f.personal, (SELECT d.key FROM departments d WHERE d.id = "
    "f.department_id), f.retention_days, f.ask_in_portal, f.portal_order, f.created_at, "
    "f.updated_at, f.retention_months FROM fields f";

std::optional<double> opt_double(const db::Row& r, std::size_t i) {
    return r.is_null(i) ? std::nullopt : std::optional<double>(r.get_double(i));
}

Result<FieldDefinition> from_row(const db::Row& r) {
    FieldDefinition d;
    d.id = r.get_int(0);
    d.key = r.get_text(1);
    auto type = parse_field_type(r.get_text(2));
    if (!type)
        return fail(Error::internal("field " + d.key + " has an unknown type in the database"));
    d.type = *type;
    d.label_de = r.get_text(3);
    d.label_en = r.get_text(4);
    auto options = json::parse(r.get_text(5), nullptr, false);
    if (!options.is_array())
        return fail(Error::internal("field " + d.key + " has malformed options in the database"));
    for (const auto& o : options)
        if (o.is_string())
            d.options.push_back(o.get<std::string>());
    d.required = r.get_bool(6);
    d.min = opt_double(r, 7);
    d.max = opt_double(r, 8);
    d.pattern = r.get_opt_text(9);
    d.personal = r.get_bool(10);
    d.department = r.get_opt_text(11);
    if (auto days = r.get_opt_int(12))
        d.retention_days = static_cast<int>(*days);
    d.ask_in_portal = r.get_bool(13);
    d.portal_order = static_cast<int>(r.get_int(14));
    d.created_at = r.get_int(15);
    d.updated_at = r.get_int(16);
    if (auto months = r.get_opt_int(17))
        d.retention_months = static_cast<int>(*months);
    return d;
}

Result<std::optional<FieldDefinition>> find_with(db::Connection& c, std::string_view key,
                                                 std::string_view lock) {
    auto rows =
        TRY(c.query(fmt::format("{} WHERE f.key = ?{}", kSelect, lock), {std::string(key)}));
    if (rows.empty())
        return std::optional<FieldDefinition>{};
    return std::optional<FieldDefinition>(TRY(from_row(rows.first())));
}

// The department's id for its key; unknown keys are the caller's mistake (422).
Result<std::optional<std::int64_t>> department_id(db::Connection& c,
                                                  const std::optional<std::string>& key) {
    if (!key)
        return std::optional<std::int64_t>{};
    auto rows = TRY(c.query("SELECT id FROM departments WHERE key = ?", {*key}));
    if (rows.empty())
        return fail(
            Error::invalid(fmt::format("There is no department '{}'.", *key), "department"));
    return std::optional<std::int64_t>(rows.first().get_int(0));
}

// Checked after the field was found, so that an unknown key is 404 for everyone.
Result<void> check_scope(const FieldScope& scope, std::optional<std::int64_t> department) {
    if (scope.kind == FieldScope::Kind::AllFields)
        return {};
    if (!scope.department_id)
        return fail(Error::denied("Department staff manage the fields of their own department, "
                                  "and this account or API key belongs to no department."));
    if (department != scope.department_id)
        return fail(Error::denied("Department staff can only create, change and delete the "
                                  "fields of their own department."));
    return {};
}

db::Params row_params(const FieldDefinition& d, std::optional<std::int64_t> department,
                      std::int64_t now) {
    return {to_string(d.type),
            d.label_de,
            d.label_en,
            json(d.options).dump(),
            std::int64_t{d.required},
            d.min ? db::Value(*d.min) : db::null(),
            d.max ? db::Value(*d.max) : db::null(),
            db::opt(d.pattern),
            std::int64_t{d.personal},
            db::opt(department),
            d.retention_days ? db::Value(std::int64_t{*d.retention_days}) : db::null(),
            std::int64_t{d.ask_in_portal},
            std::int64_t{d.portal_order},
            d.retention_months ? db::Value(std::int64_t{*d.retention_months}) : db::null(),
            now};
}

std::string people(std::int64_t n) {
    return n == 1 ? "1 person has" : fmt::format("{} people have", n);
}

// Deletes values that no longer fit, after confirmation; GDPR Art. 5(2): the deletion of
// personal data is audited with how many people it concerned.
Result<void> drop_values(db::Connection& c, const FieldDefinition& d,
                         const std::vector<std::string>& options, std::int64_t n_people,
                         const Actor& who, const Clock& clock) {
    if (options.empty()) {
        TRY(c.query("DELETE FROM citizen_values WHERE field_id = ?", {d.id}));
    } else {
        db::Params p{d.id};
        for (const auto& o : options)
            p.emplace_back(o);
        TRY(c.query(fmt::format("DELETE FROM citizen_values WHERE field_id = ? AND value IN ({})",
                                db::placeholders(options.size())),
                    p));
    }
    TRY(detail::record_activity(c, "field.values_deleted", std::nullopt, "field:" + d.key,
                                {{"people", n_people}, {"options", options}}, who, clock));
    return detail::audit(c, who, "field.values_deleted", "field:" + d.key,
                         fmt::format("values of {} people deleted", n_people), clock);
}

// A type change carries every value over that fits the new type and deletes the rest (after
// confirmation); both are changes of personal data and audited with how many people, never who.
Result<void> convert_values(db::Connection& c, const FieldDefinition& before,
                            const FieldDefinition& after, const Actor& who, const Clock& clock) {
    auto n = TRY(detail::convert_values(c, before, after, detail::Conversion::Apply));
    std::string object = "field:" + before.key;
    if (n.converted > 0) {
        TRY(detail::record_activity(c, "field.values_converted", std::nullopt, object,
                                    {{"people", n.converted}, {"to", to_string(after.type)}},
                                    who, clock));
        TRY(detail::audit(c, who, "field.values_converted", object,
                          fmt::format("values of {} people converted from {} to {}", n.converted,
                                      to_string(before.type), to_string(after.type)),
                          clock));
    }
    if (n.lost > 0) {
        TRY(detail::record_activity(c, "field.values_deleted", std::nullopt, object,
                                    {{"people", n.lost}, {"reason", "type change"}}, who, clock));
        TRY(detail::audit(c, who, "field.values_deleted", object,
                          fmt::format("values of {} people deleted (they do not fit {})", n.lost,
                                      to_string(after.type)),
                          clock));
    }
    return {};
}

Result<FieldChangeImpact> impact_of(db::Connection& c, const FieldDefinition& before,
                                    const FieldDefinition& after) {
    FieldChangeImpact e;
    e.retyped = after.type != before.type;
    if (e.retyped) {
        auto n = TRY(detail::convert_values(c, before, after, detail::Conversion::Count));
        e.people = n.people;
        e.converted = n.converted;
        e.deleted = n.lost;
        return e;
    }
    e.removed_options = removed_options(before, after);
    if (!e.removed_options.empty())
        e.people = e.deleted = TRY(count_people_with_values(c, before.id, e.removed_options));
    return e;
}

std::string refusal(const FieldChangeImpact& e, const FieldDefinition& before,
                    const FieldDefinition& after) {
    std::string what =
        e.retyped ? fmt::format("changing its type to {} converts {} and deletes {} of them",
                                to_string(after.type), e.converted, e.deleted)
        : e.removed_options.size() > 1 ? "removing these options would delete them"
                                       : "removing the option would delete it";
    return fmt::format("{} a value for {}; {}. Send \"confirm\": true (or ?force=true) to go "
                       "ahead.",
                       people(e.people), before.key, what);
}

// The definition as it is and as the change would make it, checked and within the scope.
Result<std::pair<FieldDefinition, FieldDefinition>>
planned_change(db::Connection& c, std::string_view key, const FieldChanges& in,
               const FieldScope& scope, std::string_view lock) {
    auto before = TRY(find_with(c, key, lock));
    if (!before)
        return fail(Error::not_found(fmt::format("There is no field '{}'.", key)));
    TRY(check_scope(scope, TRY(department_id(c, before->department))));
    FieldDefinition after = TRY(apply_field_changes(*before, in, InputMode::Patch));
    TRY(check_scope(scope, TRY(department_id(c, after.department))));
    return std::pair{std::move(*before), std::move(after)};
}

Result<std::vector<FieldDefinition>> list_with(db::Connection& c, std::string_view lock) {
    auto rows = TRY(c.query(fmt::format("{} ORDER BY f.portal_order, f.key{}", kSelect, lock)));
    std::vector<FieldDefinition> out;
    for (const auto& r : rows.rows)
        out.push_back(TRY(from_row(r)));
    return out;
}

} // namespace

Result<FieldChangeImpact> preview_field_change(db::Connection& c, std::string_view key,
                                               const FieldChanges& in, const FieldScope& scope) {
    auto [before, after] = TRY(planned_change(c, key, in, scope, ""));
    return impact_of(c, before, after);
}

Result<std::vector<FieldDefinition>> list_fields(db::Connection& c) {
    return list_with(c, "");
}

Result<std::vector<FieldDefinition>> list_fields_for_values(db::Connection& c) {
    return list_with(c, db::dialect::for_share(c.backend()));
}

Result<std::optional<FieldDefinition>> find_field(db::Connection& c, std::string_view key) {
    return find_with(c, key, "");
}

Result<std::optional<FieldDefinition>> find_field_for_value(db::Connection& c,
                                                            std::string_view key) {
    return find_with(c, key, db::dialect::for_share(c.backend()));
}

Result<std::int64_t> count_people_with_values(db::Connection& c, std::int64_t field_id,
                                              const std::vector<std::string>& options) {
    if (options.empty())
        return TRY(c.query_one("SELECT count(DISTINCT citizen_id) FROM citizen_values WHERE "
                               "field_id = ?",
                               {field_id}))
            .get_int(0);
    db::Params p{field_id};
    for (const auto& o : options)
        p.emplace_back(o);
    auto row = TRY(c.query_one(fmt::format("SELECT count(DISTINCT citizen_id) FROM citizen_values "
                                           "WHERE field_id = ? AND value IN ({})",
                                           db::placeholders(options.size())),
                               p));
    return row.get_int(0);
}

Result<FieldDefinition> create_field(db::Connection& c, const FieldChanges& in,
                                     const FieldScope& scope, const Actor& who,
                                     const Clock& clock) {
    FieldChanges changes = in;
    if (scope.department_id && !changes.members.contains("department")) {
        // Department staff create fields of their own department unless they say otherwise.
        auto row =
            TRY(c.query_one("SELECT key FROM departments WHERE id = ?", {*scope.department_id}));
        changes.members["department"] = row.get_text(0);
    }
    FieldDefinition d = TRY(apply_field_changes(FieldDefinition{}, changes, InputMode::Create));
    auto department = TRY(department_id(c, d.department));
    TRY(check_scope(scope, department));
    if (TRY(find_field(c, d.key)))
        return fail(
            Error::exists(fmt::format("There is already a field with the key '{}'.", d.key)));
    auto now = clock.now_ms();
    db::Params p{d.key};
    for (auto& v : row_params(d, department, now))
        p.push_back(std::move(v));
    p.emplace_back(now);
    auto row = TRY(c.query_one(
        "INSERT INTO fields (key, type, label_de, label_en, options, required, min_value, "
        "max_value, pattern, personal, department_id, retention_days, ask_in_portal, "
        "portal_order, retention_months, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        p));
    d.id = row.get_int(0);
    d.created_at = d.updated_at = now;
    TRY(detail::record_activity(c, "field.created", std::nullopt, "field:" + d.key,
                                {{"type", to_string(d.type)}}, who, clock));
    return d;
}

Result<FieldDefinition> update_field(db::Connection& c, std::string_view key,
                                     const FieldChanges& in, const FieldScope& scope,
                                     const Actor& who, const Clock& clock) {
    auto planned = TRY(planned_change(c, key, in, scope, db::dialect::for_update(c.backend())));
    const FieldDefinition& before = planned.first;
    FieldDefinition& after = planned.second;
    auto department = TRY(department_id(c, after.department));

    // Changes that touch people's values go ahead only when confirmed.
    auto impact = TRY(impact_of(c, before, after));
    if (impact.people > 0 && !in.confirm)
        return fail(Error::precondition(refusal(impact, before, after)));
    if (impact.people > 0 && impact.retyped)
        TRY(convert_values(c, before, after, who, clock));
    else if (impact.people > 0)
        TRY(drop_values(c, before, impact.removed_options, impact.people, who, clock));

    // The members whose value differs, compared in the resource shape.
    json changed = json::array();
    json old_json = to_json(before), new_json = to_json(after);
    for (const auto& [k, v] : new_json.items())
        if (k != "updated_at" && old_json[k] != v)
            changed.push_back(k);
    if (changed.empty())
        return after;

    auto now = clock.now_ms();
    db::Params p = row_params(after, department, now);
    p.emplace_back(before.id);
    TRY(c.query("UPDATE fields SET type = ?, label_de = ?, label_en = ?, options = ?, required = "
                "?, min_value = ?, max_value = ?, pattern = ?, personal = ?, department_id = ?, "
                "retention_days = ?, ask_in_portal = ?, portal_order = ?, retention_months = ?, "
                "updated_at = ? WHERE id = ?",
                p));
    after.updated_at = now;
    TRY(detail::record_activity(c, "field.updated", std::nullopt, "field:" + after.key,
                                {{"changed", changed}}, who, clock));
    return after;
}

Result<void> delete_field(db::Connection& c, std::string_view key, Confirm confirm,
                          const FieldScope& scope, const Actor& who, const Clock& clock) {
    auto d = TRY(find_with(c, key, db::dialect::for_update(c.backend())));
    if (!d)
        return fail(Error::not_found(fmt::format("There is no field '{}'.", key)));
    TRY(check_scope(scope, TRY(department_id(c, d->department))));
    auto n = TRY(count_people_with_values(c, d->id));
    if (n > 0 && confirm == Confirm::No)
        return fail(Error::precondition(
            fmt::format("{} a value for {}; deleting the field deletes them. Send ?force=true (or "
                        "\"confirm\": true) to go ahead.",
                        people(n), d->key)));
    if (n > 0)
        TRY(drop_values(c, *d, {}, n, who, clock));
    TRY(c.query("DELETE FROM fields WHERE id = ?", {d->id}));
    return detail::record_activity(c, "field.deleted", std::nullopt, "field:" + d->key,
                                   {{"people_with_values", n}}, who, clock);
}

} // namespace teilhabe::citizens::store
