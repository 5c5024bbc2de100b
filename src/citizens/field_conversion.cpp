#include "citizens/field_conversion.h"

#include "citizens/field_value.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::citizens::detail {

namespace {

constexpr std::int64_t kBatchRows = 1000;

struct PersonValue {
    std::int64_t citizen_id{0};
    std::vector<std::string> texts; // sorted, as stored
    std::optional<double> number;
    std::int64_t recorded_at{0};
};

Result<void> rewrite(db::Connection& c, std::int64_t field_id, const PersonValue& p,
                     const std::optional<StoredValue>& after) {
    TRY(c.query("DELETE FROM citizen_values WHERE citizen_id = ? AND field_id = ?",
                {p.citizen_id, field_id}));
    if (!after)
        return {};
    for (const auto& text : after->texts)
        TRY(c.query("INSERT INTO citizen_values (citizen_id, field_id, value, number, "
                    "recorded_at) VALUES (?, ?, ?, ?, ?)",
                    {p.citizen_id, field_id, text,
                     after->number ? db::Value(*after->number) : db::null(), p.recorded_at}));
    return {};
}

Result<void> convert_one(db::Connection& c, const FieldDefinition& after, const PersonValue& p,
                         Conversion mode, ConversionCount& count) {
    ++count.people;
    auto converted = convert_value(p.texts, after);
    if (!converted)
        ++count.lost;
    else
        ++count.converted;
    if (mode == Conversion::Count)
        return {};
    bool same = converted && converted->texts == p.texts && converted->number == p.number;
    if (same)
        return {};
    return rewrite(c, after.id, p, converted);
}

} // namespace

Result<ConversionCount> convert_values(db::Connection& c, const FieldDefinition& before,
                                       const FieldDefinition& after, Conversion mode) {
    ConversionCount count;
    std::optional<PersonValue> current;
    // Rows in (citizen_id, value) order after the last one read. A person is converted once
    // the first row of the next person has been read, so rows written for them lie behind
    // the position and are never read again.
    std::int64_t last_id = 0;
    std::string last_value;
    for (;;) {
        auto rows = TRY(c.query(
            "SELECT citizen_id, value, number, recorded_at FROM citizen_values WHERE field_id = ? "
            "AND (citizen_id > ? OR (citizen_id = ? AND value > ?)) ORDER BY citizen_id, value "
            "LIMIT ?",
            {before.id, last_id, last_id, last_value, kBatchRows}));
        for (const auto& r : rows.rows) {
            auto id = r.get_int(0);
            if (current && current->citizen_id != id) {
                TRY(convert_one(c, after, *current, mode, count));
                current.reset();
            }
            if (!current)
                current = PersonValue{id, {}, std::nullopt, r.get_int(3)};
            current->texts.push_back(r.get_text(1));
            if (!r.is_null(2))
                current->number = r.get_double(2);
            current->recorded_at = std::min(current->recorded_at, r.get_int(3));
            last_id = id;
            last_value = r.get_text(1);
        }
        if (static_cast<std::int64_t>(rows.rows.size()) < kBatchRows)
            break;
    }
    if (current)
        TRY(convert_one(c, after, *current, mode, count));
    return count;
}

} // namespace teilhabe::citizens::detail
