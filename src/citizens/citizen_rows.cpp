#include "citizens/citizen_rows.h"

#include "citizens/field.h"
#include "citizens/field_value.h"
#include "citizens/store_support.h"
#include "db/sql_text.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <unordered_map>

namespace teilhabe::citizens::detail {

Citizen citizen_from_row(const db::Row& r) {
    Citizen c;
    c.id = r.get_int(0);
    c.email = r.get_text(1);
    c.first_name = r.get_text(2);
    c.last_name = r.get_text(3);
    c.language = parse_language(r.get_text(4)).value_or(Language::De);
    c.preferred_channel = parse_channel(r.get_text(5)).value_or(Channel::Email);
    c.district = r.get_text(6);
    c.restricted_at = r.get_opt_int(7);
    c.created_at = r.get_int(8);
    c.updated_at = r.get_int(9);
    return c;
}

namespace {

// The ids as bound parameters, padded by repeating the last (see padded()).
db::Params id_params(const std::vector<Citizen>& citizens) {
    db::Params p;
    for (const auto& c : citizens)
        p.emplace_back(c.id);
    while (p.size() < padded(citizens.size()))
        p.push_back(p.back());
    return p;
}

} // namespace

Result<void> load_details(db::Connection& c, std::vector<Citizen>& citizens) {
    if (citizens.empty())
        return {};
    std::unordered_map<std::int64_t, Citizen*> by_id;
    for (auto& ct : citizens)
        by_id[ct.id] = &ct;
    db::Params ids = id_params(citizens);
    std::string in = db::placeholders(ids.size());

    auto tags = TRY(c.query(
        fmt::format("SELECT citizen_id, tag FROM citizen_tags WHERE citizen_id IN ({})", in), ids));
    for (const auto& r : tags.rows)
        by_id.at(r.get_int(0))->tags.push_back(r.get_text(1));

    auto interests = TRY(c.query(fmt::format("SELECT ci.citizen_id, t.key FROM citizen_interests "
                                             "ci JOIN topics t ON t.id = ci.topic_id WHERE "
                                             "ci.citizen_id IN ({})",
                                             in),
                                 ids));
    for (const auto& r : interests.rows)
        by_id.at(r.get_int(0))->interests.push_back(r.get_text(1));

    auto values = TRY(c.query(fmt::format("SELECT v.citizen_id, f.key, f.type, v.value FROM "
                                          "citizen_values v JOIN fields f ON f.id = v.field_id "
                                          "WHERE v.citizen_id IN ({})",
                                          in),
                              ids));
    // citizen -> field key -> (type, texts); std::map keeps keys and texts in byte order.
    std::map<std::int64_t, std::map<std::string, std::pair<FieldType, std::vector<std::string>>>>
        grouped;
    for (const auto& r : values.rows) {
        auto& slot = grouped[r.get_int(0)][r.get_text(1)];
        slot.first = parse_field_type(r.get_text(2)).value_or(FieldType::Text);
        slot.second.push_back(r.get_text(3));
    }
    for (auto& [id, fields] : grouped)
        for (auto& [key, typed] : fields) {
            std::sort(typed.second.begin(), typed.second.end());
            by_id.at(id)->attributes[key] = value_to_json(typed.first, typed.second);
        }
    for (auto& ct : citizens) {
        std::sort(ct.tags.begin(), ct.tags.end());
        std::sort(ct.interests.begin(), ct.interests.end());
    }
    return {};
}

} // namespace teilhabe::citizens::detail
