#include "gdpr/person_merge.h"

#include "gdpr/personal_data.h"
#include "ledger/ledger_store.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace teilhabe::gdpr {

namespace {

// "k1 = t.k1 AND k2 = t.k2" for the rows of the survivor (alias s) matching the outer row.
std::string same_key(const PersonalTable& t) {
    std::string out;
    for (auto column : t.merge_key)
        out += fmt::format("{}s.{} = {}.{}", out.empty() ? "" : " AND ", column, t.table, column);
    return out;
}

Result<void> move_table(db::Connection& c, const PersonalTable& t, std::int64_t duplicate,
                        std::int64_t survivor) {
    // Table and column names come from the constant list, never from input.
    switch (t.on_merge) {
    case OnMerge::Unspecified:
        return fail(Error::internal(
            fmt::format("{} has no merge rule in gdpr/personal_data.cpp", t.table)));
    case OnMerge::MoveUnlessSurvivorHasOne:
        TRY(c.query(fmt::format("DELETE FROM {0} WHERE {1} = ? AND EXISTS (SELECT 1 FROM {0} s "
                                "WHERE s.{1} = ?)",
                                t.table, t.citizen_column),
                    {duplicate, survivor}));
        TRY(c.query(fmt::format("UPDATE {} SET {} = ? WHERE {} = ?", t.table, t.citizen_column,
                                t.citizen_column),
                    {survivor, duplicate}));
        return {};
    case OnMerge::MoveUnlessPresent:
        if (t.merge_key.empty())
            return fail(Error::internal(fmt::format("{} has no merge key", t.table)));
        // First the duplicate's rows that the survivor has already, then the rest moves: two
        // statements, so no engine sees a row it has just moved while deciding the next.
        TRY(c.query(fmt::format("DELETE FROM {0} WHERE {1} = ? AND EXISTS (SELECT 1 FROM {0} s "
                                "WHERE s.{1} = ? AND {2})",
                                t.table, t.citizen_column, same_key(t)),
                    {duplicate, survivor}));
        [[fallthrough]];
    case OnMerge::Move:
        TRY(c.query(fmt::format("UPDATE {} SET {} = ? WHERE {} = ?", t.table, t.citizen_column,
                                t.citizen_column),
                    {survivor, duplicate}));
        return {};
    }
    return fail(Error::internal("unknown merge rule"));
}

} // namespace

Result<void> move_person_rows(db::Connection& c, std::int64_t duplicate, std::int64_t survivor,
                              const std::string& actor, TimePoint now) {
    // Every rule is checked before the first row moves.
    for (const auto& t : personal_tables())
        if (t.on_merge == OnMerge::Unspecified)
            return fail(Error::internal(
                fmt::format("{} has no merge rule in gdpr/personal_data.cpp", t.table)));
    // The balances first, while the duplicate's accounts still name it: the transfers' entries
    // and activities on its side then move to the survivor with the rest of its rows.
    TRY(ledger::move_citizen_balances(c, duplicate, survivor, actor, now));
    for (const auto& t : personal_tables())
        TRY(move_table(c, t, duplicate, survivor));
    return {};
}

Result<void> expect_nothing_left(db::Connection& c, std::int64_t citizen_id,
                                 std::string_view after) {
    for (const auto& t : personal_tables()) {
        auto left = TRY(c.query_one(
            fmt::format("SELECT COUNT(*) FROM {} WHERE {} = ?", t.table, t.citizen_column),
            {citizen_id}));
        if (left.get_int(0) != 0)
            return fail(Error::internal(
                fmt::format("{} left {} rows in {}", after, left.get_int(0), t.table)));
    }
    return {};
}

Result<std::vector<std::vector<std::string>>>
unique_keys_with(db::Connection& c, const std::string& table, const std::string& column) {
    std::map<std::string, std::vector<std::string>> keys; // index -> its columns
    if (c.backend() == db::Backend::Postgresql) {
        auto rows = TRY(c.query(
            "SELECT i.indexrelid::regclass::text, a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisunique AND "
            "i.indpred IS NULL AND i.indrelid = CAST(? AS regclass)",
            {table}));
        for (const auto& r : rows.rows)
            keys[r.get_text(0)].push_back(r.get_text(1));
    } else {
        auto indexes = TRY(c.query(
            "SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND partial = 0", {table}));
        for (const auto& ix : indexes.rows) {
            auto name = ix.get_text(0);
            auto cols = TRY(c.query("SELECT name FROM pragma_index_info(?)", {name}));
            for (const auto& col : cols.rows)
                keys[name].push_back(col.get_text(0));
        }
    }
    std::vector<std::vector<std::string>> out;
    for (auto& [_, cols] : keys) {
        auto it = std::ranges::find(cols, column);
        if (it == cols.end())
            continue;
        cols.erase(it);
        std::ranges::sort(cols);
        out.push_back(std::move(cols));
    }
    return out;
}

Result<std::vector<std::int64_t>> merged_into(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT props FROM activities WHERE citizen_id = ? AND type = "
                            "'citizen.merged' ORDER BY id",
                            {citizen_id}));
    std::vector<std::int64_t> out;
    for (const auto& r : rows.rows) {
        auto props = nlohmann::json::parse(r.get_text(0), nullptr, false);
        if (props.is_object() && props.contains("duplicate_id") &&
            props["duplicate_id"].is_number_integer())
            out.push_back(props["duplicate_id"].get<std::int64_t>());
    }
    return out;
}

} // namespace teilhabe::gdpr
