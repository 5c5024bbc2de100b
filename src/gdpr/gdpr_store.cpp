#include "gdpr/gdpr_store.h"

#include "activity/activity_store.h"
#include "db/dialect.h"
#include "db/sql_text.h"
#include "delivery/suppression_store.h"
#include "gdpr/person_merge.h"
#include "gdpr/personal_data.h"
#include "ledger/ledger_store.h"
#include "staff/staff_store.h"

#include <fmt/format.h>
#include <set>

namespace teilhabe::gdpr {

namespace {

nlohmann::json to_json(const db::Value& v) {
    return std::visit(
        [](const auto& x) -> nlohmann::json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, db::Null>)
                return nullptr;
            else
                return x;
        },
        v);
}

nlohmann::json rows_to_json(const db::Rows& rows) {
    auto out = nlohmann::json::array();
    for (const auto& row : rows.rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (std::size_t i = 0; i < rows.columns.size(); ++i)
            obj[rows.columns[i]] = to_json(row.raw(i));
        out.push_back(std::move(obj));
    }
    return out;
}

std::string subject(std::int64_t id) { return fmt::format("citizen:{}", id); }

Result<void> require_person(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT 1 FROM citizens WHERE id = ?{}",
                                        db::dialect::for_update(c.backend())),
                            {id}));
    if (rows.empty())
        return fail(Error::not_found(fmt::format("There is no citizen {}.", id)));
    return {};
}

// 1250 -> "12,50 €" (the stadttaler library's format_cents, without depending on it).
std::string euros(std::int64_t cents) {
    return fmt::format("{},{:02} €", cents / 100, cents % 100);
}

} // namespace

Result<std::int64_t> stadttaler_owed(db::Connection& c, std::int64_t citizen_id) {
    return ledger::balance(c, ledger::AccountRef::citizen(citizen_id, ledger::Currency::Stadttaler));
}

Result<nlohmann::json> export_person(db::Connection& c, std::int64_t citizen_id,
                                     const Requester& who, const Clock& clock) {
    auto profile = TRY(c.query("SELECT * FROM citizens WHERE id = ?", {citizen_id}));
    if (profile.empty())
        return fail(Error::not_found(fmt::format("There is no citizen {}.", citizen_id)));
    nlohmann::json out{
        {"format", "teilhabe.personal-data.v1"},
        {"exported_at", format_iso8601(clock.now())},
        {"profile", rows_to_json(profile)[0]},
        {"tables", nlohmann::json::object()},
    };
    for (const auto& t : personal_tables()) {
        // Table and column names come from the constant list above, never from input.
        auto rows = TRY(c.query(fmt::format("SELECT {} FROM {} WHERE {} = ? ORDER BY {}",
                                            t.export_columns, t.table, t.citizen_column,
                                            t.order_by),
                                {citizen_id}));
        out["tables"][std::string(t.table)] = rows_to_json(rows);
    }
    // Who in the town hall looked at or changed the profile (Art. 15(1)(c): recipients), also
    // while it was a duplicate merged into this one: the audit log is never rewritten, so those
    // entries keep the duplicate's subject.
    db::Params subjects{subject(citizen_id)};
    for (auto merged : TRY(merged_into(c, citizen_id)))
        subjects.emplace_back(subject(merged));
    auto accesses = TRY(c.query(
        fmt::format("SELECT at, actor, action, subject FROM audit_log WHERE subject IN ({}) "
                    "ORDER BY at, id",
                    db::placeholders(subjects.size())),
        subjects));
    out["accesses"] = rows_to_json(accesses);
    TRY(staff::store::audit(c,
                            {.actor = who.actor,
                             .action = "citizen.exported",
                             .subject = subject(citizen_id),
                             .detail = "GDPR Art. 15/20",
                             .ip = who.ip},
                            clock));
    return out;
}

Result<void> erase_person(db::Connection& c, std::int64_t citizen_id, const Requester& who,
                          const Clock& clock, const BeforeErasure& before) {
    TRY(require_person(c, citizen_id));
    // Stadttaler left are money the town owes: on an erased account nobody could ever claim
    // them. The wallet row is locked first, as top-ups and pay-outs do, so none of them can
    // slip in between this check and the erasure.
    TRY(c.query(fmt::format("SELECT citizen_id FROM stadttaler_wallets WHERE citizen_id = ?{}",
                            db::dialect::for_update(c.backend())),
                {citizen_id}));
    if (auto owed = TRY(stadttaler_owed(c, citizen_id)); owed > 0)
        return fail(Error{ErrorCode::Conflict,
                          fmt::format("The person still holds {} in Stadttaler ({} cents), money "
                                      "the town owes them. Pay it out first (POST "
                                      "/api/v1/stadttaler/payouts, or \"Auszahlung\" at the "
                                      "desk /admin/stadttaler), then erase the person.",
                                      euros(owed), owed),
                          kStadttalerOwedField});
    if (before)
        TRY(before(c, citizen_id, who.actor));
    // Art. 17 with Art. 21(3): the erased person is never mailed again, so their address goes
    // on the suppression list — as a hash only (delivery/suppression_store.h).
    auto email = TRY(c.query_one("SELECT email FROM citizens WHERE id = ?", {citizen_id}));
    TRY(delivery::suppressions::suppress(c, email.get_text(0), delivery::suppressions::Reason::Erased,
                                         "GDPR Art. 17", clock));
    for (const auto& t : personal_tables()) {
        if (t.on_erasure == OnErasure::Delete) {
            TRY(c.query(fmt::format("DELETE FROM {} WHERE {} = ?", t.table, t.citizen_column),
                        {citizen_id}));
        } else if (t.on_erasure == OnErasure::Anonymise) {
            std::string set = fmt::format("{} = NULL", t.citizen_column);
            for (const auto& [column, empty] : t.clear)
                set += fmt::format(", {} = {}", column, empty);
            TRY(c.query(fmt::format("UPDATE {} SET {} WHERE {} = ?", t.table, set,
                                    t.citizen_column),
                        {citizen_id}));
        }
    }
    TRY(c.query("DELETE FROM citizens WHERE id = ?", {citizen_id}));
    // Nothing may remain: a cascade that did not happen is a bug, and the erasure fails whole.
    for (const auto& t : personal_tables()) {
        auto left = TRY(c.query_one(
            fmt::format("SELECT COUNT(*) FROM {} WHERE {} = ?", t.table, t.citizen_column),
            {citizen_id}));
        if (left.get_int(0) != 0)
            return fail(Error::internal(fmt::format("erasure left {} rows in {}", left.get_int(0),
                                                    t.table)));
    }
    // The record of the erasure itself holds no personal data, only the former id.
    TRY(staff::store::audit(c,
                            {.actor = who.actor,
                             .action = "citizen.erased",
                             .subject = subject(citizen_id),
                             .detail = "GDPR Art. 17",
                             .ip = who.ip},
                            clock));
    return {};
}

Result<void> set_restriction(db::Connection& c, std::int64_t citizen_id, Restriction r,
                             const std::string& reason, const Requester& who, const Clock& clock) {
    TRY(require_person(c, citizen_id));
    bool on = r == Restriction::Restricted;
    if (on) // COALESCE keeps the time the restriction began when it is set again.
        TRY(c.query("UPDATE citizens SET restricted_at = COALESCE(restricted_at, ?), updated_at = ? "
                    "WHERE id = ?",
                    {clock.now_ms(), clock.now_ms(), citizen_id}));
    else
        TRY(c.query("UPDATE citizens SET restricted_at = NULL, updated_at = ? WHERE id = ?",
                    {clock.now_ms(), citizen_id}));
    TRY(activity::append(c,
                         {.type = on ? "gdpr.restricted" : "gdpr.restriction_lifted",
                          .citizen_id = citizen_id,
                          .actor = who.actor,
                          .props = nlohmann::json{{"reason", reason}}.dump()},
                         clock));
    TRY(staff::store::audit(c,
                            {.actor = who.actor,
                             .action = on ? "citizen.restricted" : "citizen.restriction_lifted",
                             .subject = subject(citizen_id),
                             .detail = reason,
                             .ip = who.ip},
                            clock));
    return {};
}

Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT restricted_at FROM citizens WHERE id = ?", {citizen_id}));
    if (rows.empty())
        return fail(Error::not_found(fmt::format("There is no citizen {}.", citizen_id)));
    return !rows.first().is_null(0);
}

Result<std::vector<std::string>> tables_referring_to_citizens(db::Connection& c) {
    std::set<std::string> found;
    if (c.backend() == db::Backend::Postgresql) {
        auto cols = TRY(c.query("SELECT table_name FROM information_schema.columns WHERE "
                                "table_schema = current_schema() AND column_name = 'citizen_id'"));
        for (const auto& r : cols.rows)
            found.insert(r.get_text(0));
        auto fks = TRY(c.query("SELECT conrelid::regclass::text FROM pg_constraint WHERE "
                               "contype = 'f' AND confrelid = 'citizens'::regclass"));
        for (const auto& r : fks.rows)
            found.insert(r.get_text(0));
    } else {
        auto tables = TRY(c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                  "name NOT LIKE 'sqlite_%'"));
        for (const auto& t : tables.rows) {
            auto name = t.get_text(0);
            auto cols = TRY(c.query("SELECT name FROM pragma_table_info(?)", {name}));
            for (const auto& col : cols.rows)
                if (col.get_text(0) == "citizen_id")
                    found.insert(name);
            auto fks = TRY(c.query("SELECT \"table\" FROM pragma_foreign_key_list(?)", {name}));
            for (const auto& fk : fks.rows)
                if (fk.get_text(0) == "citizens")
                    found.insert(name);
        }
    }
    found.erase("citizens");
    return std::vector<std::string>(found.begin(), found.end());
}

} // namespace teilhabe::gdpr
