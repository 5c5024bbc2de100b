#include "citizens/citizen_writes.h"

#include "citizens/field_store.h"
#include "db/dialect.h"
#include "db/sql_text.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::citizens::detail {

namespace {

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

Result<std::int64_t> topic_id(db::Connection& c, const std::string& key) {
    auto rows = TRY(c.query("SELECT id FROM topics WHERE key = ?", {key}));
    if (rows.empty())
        return fail(Error::invalid(fmt::format("There is no topic '{}'.", key), "interests"));
    return rows.first().get_int(0);
}

} // namespace

Result<StoredTexts> stored_texts(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT f.key, v.value FROM citizen_values v JOIN fields f ON f.id = "
                            "v.field_id WHERE v.citizen_id = ?",
                            {citizen_id}));
    StoredTexts out;
    for (const auto& r : rows.rows)
        out[r.get_text(0)].push_back(r.get_text(1));
    for (auto& [key, texts] : out)
        std::sort(texts.begin(), texts.end());
    return out;
}

namespace {

// Lookup: key -> Result<std::optional<FieldDefinition>>.
template <class Lookup>
Result<std::vector<AttributeWrite>> plan_with(Lookup&& lookup, const CitizenChanges& in,
                                              const StoredTexts& current) {
    // Later members win, as in the JSON object they came from.
    std::map<std::string, nlohmann::json> wanted;
    if (in.clear_attributes)
        for (const auto& [key, _] : current)
            wanted[key] = nullptr;
    for (const auto& [key, value] : in.attributes)
        wanted[key] = value;
    std::vector<AttributeWrite> out;
    for (const auto& [key, value] : wanted) {
        auto def = valid_field_key(key) ? TRY(lookup(key)) : std::optional<FieldDefinition>{};
        if (!def)
            return fail(Error::invalid(fmt::format("There is no field '{}'; GET /api/v1/fields "
                                                   "lists them.",
                                                   key),
                                       "attributes." + key));
        StoredValue v = TRY(validate_value(*def, value));
        auto it = current.find(key);
        const std::vector<std::string> none;
        if (v.texts == (it == current.end() ? none : it->second))
            continue;
        out.push_back({std::move(*def), std::move(v)});
    }
    return out;
}

Result<void> check_required_of(const std::vector<FieldDefinition>& defs,
                               const std::vector<AttributeWrite>& writes) {
    for (const auto& def : defs) {
        if (!def.required)
            continue;
        bool given = std::any_of(writes.begin(), writes.end(), [&](const AttributeWrite& w) {
            return w.def.id == def.id && !w.value.texts.empty();
        });
        if (!given)
            return fail(
                Error::invalid(fmt::format("{} is required.", def.key), "attributes." + def.key));
    }
    return {};
}

Result<void> insert_interests(db::Connection& c, std::int64_t citizen_id,
                              const std::vector<std::int64_t>& topic_ids, std::int64_t now) {
    for (auto id : topic_ids)
        TRY(c.query("INSERT INTO citizen_interests (citizen_id, topic_id, created_at) VALUES (?, "
                    "?, ?)",
                    {citizen_id, id, now}));
    return {};
}

Result<void> delete_interests(db::Connection& c, std::int64_t citizen_id,
                              const std::vector<std::string>& keys) {
    for (const auto& key : keys)
        TRY(c.query("DELETE FROM citizen_interests WHERE citizen_id = ? AND topic_id = (SELECT id "
                    "FROM topics WHERE key = ?)",
                    {citizen_id, key}));
    return {};
}

} // namespace

Result<Definitions> Definitions::load(db::Connection& c) {
    Definitions d;
    d.m_fields = TRY(store::list_fields_for_values(c));
    for (std::size_t i = 0; i < d.m_fields.size(); ++i)
        d.m_field_index.emplace(d.m_fields[i].key, i);
    auto topics = TRY(c.query("SELECT key, id FROM topics"));
    for (const auto& r : topics.rows)
        d.m_topics.emplace(r.get_text(0), r.get_int(1));
    return d;
}

const FieldDefinition* Definitions::field(std::string_view key) const {
    auto it = m_field_index.find(key);
    return it == m_field_index.end() ? nullptr : &m_fields[it->second];
}

Result<std::int64_t> Definitions::topic_id(std::string_view key) const {
    auto it = m_topics.find(key);
    if (it == m_topics.end())
        return fail(Error::invalid(fmt::format("There is no topic '{}'.", key), "interests"));
    return it->second;
}

Result<std::vector<AttributeWrite>> plan_attributes(db::Connection& c, const CitizenChanges& in,
                                                    const StoredTexts& current) {
    return plan_with([&](const std::string& key) { return store::find_field_for_value(c, key); },
                     in, current);
}

Result<std::vector<AttributeWrite>>
plan_attributes(const Definitions& defs, const CitizenChanges& in, const StoredTexts& current) {
    return plan_with(
        [&](const std::string& key) -> Result<std::optional<FieldDefinition>> {
            const FieldDefinition* d = defs.field(key);
            return d ? std::optional<FieldDefinition>(*d) : std::nullopt;
        },
        in, current);
}

Result<void> check_required(db::Connection& c, const std::vector<AttributeWrite>& writes) {
    return check_required_of(TRY(store::list_fields(c)), writes);
}

Result<void> check_required(const Definitions& defs, const std::vector<AttributeWrite>& writes) {
    return check_required_of(defs.fields(), writes);
}

Result<std::vector<std::int64_t>> topic_ids(db::Connection& c,
                                            const std::vector<std::string>& keys) {
    std::vector<std::int64_t> out;
    for (const auto& k : keys)
        out.push_back(TRY(topic_id(c, k)));
    return out;
}

Result<std::vector<std::int64_t>> topic_ids(const Definitions& defs,
                                            const std::vector<std::string>& keys) {
    std::vector<std::int64_t> out;
    for (const auto& k : keys)
        out.push_back(TRY(defs.topic_id(k)));
    return out;
}

Result<void> write_attributes(db::Connection& c, std::int64_t citizen_id,
                              const std::vector<AttributeWrite>& writes, std::int64_t now) {
    for (const auto& w : writes)
        TRY(c.query("DELETE FROM citizen_values WHERE citizen_id = ? AND field_id = ?",
                    {citizen_id, w.def.id}));
    return insert_attributes(c, citizen_id, writes, now);
}

// A person's values: on PostgreSQL one multi-row INSERT (of up to 32 rows), since each
// statement is a round trip; on SQLite one single-row INSERT each, which SQLite runs without
// the statement journal a multi-row INSERT needs (measured faster for the CSV import).
Result<void> insert_attributes(db::Connection& c, std::int64_t citizen_id,
                               const std::vector<AttributeWrite>& writes, std::int64_t now) {
    const std::size_t per_statement = db::dialect::rows_per_insert(c.backend(), 32);
    db::Params p;
    std::size_t rows = 0;
    auto flush = [&]() -> Result<void> {
        if (rows == 0)
            return {};
        TRY(c.query("INSERT INTO citizen_values (citizen_id, field_id, value, number, recorded_at) VALUES " +
                        db::repeated("(?, ?, ?, ?, ?)", rows),
                    p));
        p.clear();
        rows = 0;
        return {};
    };
    for (const auto& w : writes)
        for (const auto& text : w.value.texts) {
            p.insert(p.end(), {citizen_id, w.def.id, text,
                               w.value.number ? db::Value(*w.value.number) : db::null(), now});
            if (++rows == per_statement)
                TRY(flush());
        }
    return flush();
}

Result<void> write_tags(db::Connection& c, std::int64_t citizen_id,
                        const std::vector<std::string>& before,
                        const std::vector<std::string>& after) {
    for (const auto& t : minus(before, after))
        TRY(c.query("DELETE FROM citizen_tags WHERE citizen_id = ? AND tag = ?", {citizen_id, t}));
    for (const auto& t : minus(after, before))
        TRY(c.query("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, ?)", {citizen_id, t}));
    return {};
}

Result<void> write_interests(db::Connection& c, std::int64_t citizen_id,
                             const std::vector<std::string>& before,
                             const std::vector<std::string>& after, std::int64_t now) {
    TRY(delete_interests(c, citizen_id, minus(before, after)));
    return insert_interests(c, citizen_id, TRY(topic_ids(c, minus(after, before))), now);
}

Result<void> write_interests(db::Connection& c, const Definitions& defs, std::int64_t citizen_id,
                             const std::vector<std::string>& before,
                             const std::vector<std::string>& after, std::int64_t now) {
    TRY(delete_interests(c, citizen_id, minus(before, after)));
    return insert_interests(c, citizen_id, TRY(topic_ids(defs, minus(after, before))), now);
}

} // namespace teilhabe::citizens::detail
