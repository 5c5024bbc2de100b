#include "points/points_store.h"

#include "db/rows.h"
#include "ledger/ledger_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace teilhabe::points {

namespace {

constexpr const char* kColumns = "id, name, activity_type, filter, points, cap_per_day, "
                                 "cap_per_month, once_key, position, enabled";

Rule read_rule(const db::Row& r) {
    Rule out{.id = r.get_int(0),
             .name = r.get_text(1),
             .activity_type = r.get_text(2),
             .filter = r.get_text(3),
             .points = r.get_int(4),
             .once_key = r.get_text(7),
             .position = static_cast<int>(r.get_int(8)),
             .enabled = r.get_int(9) != 0};
    if (auto d = r.get_opt_int(5))
        out.cap_per_day = static_cast<int>(*d);
    if (auto m = r.get_opt_int(6))
        out.cap_per_month = static_cast<int>(*m);
    return out;
}

db::Value opt_int(std::optional<int> v) {
    return v ? db::Value(static_cast<std::int64_t>(*v)) : db::null();
}

Result<std::vector<Rule>> read_rules(db::Connection& c, const std::string& where, db::Params p) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM points_rules {} ORDER BY position, id", kColumns, where), p));
    std::vector<Rule> out;
    for (const auto& r : rows.rows)
        out.push_back(read_rule(r));
    return out;
}

// Whether the caps of the rule still allow an award to this person for this activity.
// Whether the person already had this rule's award for this once-per key.
Result<bool> once_seen(db::Connection& c, const Rule& r, std::int64_t citizen, const std::string& once) {
    return !TRY(c.query("SELECT 1 FROM points_awards WHERE citizen_id = ? AND rule_id = ? AND once_key = ? LIMIT 1",
                        {citizen, r.id, once}))
                .empty();
}

Result<bool> within_caps(db::Connection& c, const Rule& r, std::int64_t citizen, TimePoint at) {
    auto count_in = [&](Window w) -> Result<std::int64_t> {
        auto row = TRY(c.query_one("SELECT COUNT(*) FROM points_awards WHERE citizen_id = ? AND "
                                   "rule_id = ? AND awarded_at >= ? AND awarded_at < ?",
                                   {citizen, r.id, w.begin_ms, w.end_ms}));
        return row.get_int(0);
    };
    if (r.cap_per_day && TRY(count_in(day_of(at))) >= *r.cap_per_day)
        return false;
    if (r.cap_per_month && TRY(count_in(month_of(at))) >= *r.cap_per_month)
        return false;
    return true;
}

} // namespace

Result<std::vector<Rule>> list_rules(db::Connection& c) { return read_rules(c, "", {}); }

Result<std::vector<Rule>> rules_for(db::Connection& c, std::string_view type) {
    return read_rules(c, "WHERE activity_type = ? AND enabled = 1", {std::string(type)});
}

Result<std::vector<std::string>> rule_types(db::Connection& c) {
    return db::query_as(c, "SELECT DISTINCT activity_type FROM points_rules WHERE enabled = 1 ORDER BY activity_type",
                        {}, [](const db::Row& r) { return r.get_text(0); });
}

Result<Rule> find_rule(db::Connection& c, std::int64_t id) {
    auto rules = TRY(read_rules(c, "WHERE id = ?", {id}));
    if (rules.empty())
        return fail(Error::not_found(fmt::format("There is no points rule {}.", id)));
    return rules.front();
}

Result<Rule> create_rule(db::Connection& c, Rule r, TimePoint now) {
    TRY(validate(r));
    auto row = TRY(c.query_one(
        "INSERT INTO points_rules (name, activity_type, filter, points, cap_per_day, cap_per_month, "
        "once_key, position, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?) RETURNING id",
        {r.name, r.activity_type, r.filter, r.points, opt_int(r.cap_per_day),
         opt_int(r.cap_per_month), r.once_key, static_cast<std::int64_t>(r.position),
         static_cast<std::int64_t>(r.enabled ? 1 : 0), to_unix_ms(now), to_unix_ms(now)}));
    return find_rule(c, row.get_int(0));
}

Result<Rule> update_rule(db::Connection& c, Rule r, TimePoint now) {
    TRY(validate(r));
    auto n = TRY(c.execute(
        "UPDATE points_rules SET name = ?, activity_type = ?, filter = ?, points = ?, "
        "cap_per_day = ?, cap_per_month = ?, once_key = ?, position = ?, enabled = ?, "
        "updated_at = ? WHERE id = ?",
        {r.name, r.activity_type, r.filter, r.points, opt_int(r.cap_per_day),
         opt_int(r.cap_per_month), r.once_key, static_cast<std::int64_t>(r.position),
         static_cast<std::int64_t>(r.enabled ? 1 : 0), to_unix_ms(now), r.id}));
    if (n == 0)
        return fail(Error::not_found(fmt::format("There is no points rule {}.", r.id)));
    return find_rule(c, r.id);
}

Result<Settings> load_settings(db::Connection& c) {
    auto rows = TRY(c.query("SELECT expiry_days FROM points_settings WHERE id = 1"));
    if (rows.empty())
        return Settings{};
    return Settings{static_cast<int>(rows.first().get_int(0))};
}

Result<void> save_settings(db::Connection& c, Settings s, TimePoint now) {
    if (s.expiry_days < 0 || s.expiry_days > 3650)
        return fail(Error::invalid("expiry must be between 0 (never) and 3650 days", "expiry_days"));
    TRY(c.execute("UPDATE points_settings SET expiry_days = ?, updated_at = ? WHERE id = 1",
                  {static_cast<std::int64_t>(s.expiry_days), to_unix_ms(now)}));
    return {};
}

const nlohmann::json& BatchMemory::props_of(const activity::Activity& a) {
    constexpr std::size_t kMostProps = 1024; // a batch of many different props keeps the first ones
    if (auto found = m_props.find(a.props); found != m_props.end())
        return found->second;
    if (m_props.size() >= kMostProps) {
        m_overflow = parse_props(a);
        return m_overflow;
    }
    return m_props.emplace(a.props, parse_props(a)).first->second;
}

Result<int> apply_rules(db::Connection& c, const activity::Activity& a,
                        const std::vector<Rule>& rules, const Settings& s, TimePoint now,
                        BatchMemory& memory, ledger::TownAccounts* town) {
    if (!a.citizen_id)
        return 0;
    int made = 0;
    const nlohmann::json& props = memory.props_of(a); // once per batch for equal props
    for (const auto& r : rules) {
        if (!matches(r, a, props))
            continue;
        // Once per object first: an award of this very activity has the same key, so for the
        // many activities a key has already paid for (a second click on a link) one look-up
        // answers both questions.
        auto once = once_key_for(r, a, props);
        if (!r.once_key.empty()) {
            if (memory.paid(*a.citizen_id, r.id, once))
                continue;
            if (TRY(once_seen(c, r, *a.citizen_id, once))) {
                memory.remember_paid(*a.citizen_id, r.id, once);
                continue;
            }
        }
        // Exactly once per activity and rule, also when the consumer reads the activity again
        // (and the rule's once-per key was changed since).
        auto done = TRY(c.query("SELECT 1 FROM points_awards WHERE rule_id = ? AND activity_id = ?",
                                {r.id, a.id}));
        if (!done.empty())
            continue;
        if (!TRY(within_caps(c, r, *a.citizen_id, a.occurred_at)))
            continue;
        auto t = ledger::transfer(c,
                                  {award_key(r.id, a.id), ledger::AccountRef::town(),
                                   ledger::AccountRef::citizen(*a.citizen_id), r.points,
                                   std::string(ledger::kind::award), r.name,
                                   fmt::format("activity:{}", a.id), "system"},
                                  now, s.policy(), town);
        if (!t && t.error().code == ErrorCode::NotFound)
            return made; // the person is gone (erased since); nothing to give
        if (!t)
            return fail(t.error());
        TRY(c.execute("INSERT INTO points_awards (rule_id, citizen_id, activity_id, once_key, "
                      "transfer_id, awarded_at) VALUES (?, ?, ?, ?, ?, ?)",
                      {r.id, *a.citizen_id, a.id, r.once_key.empty() ? db::null() : db::Value(once),
                       t->id, to_unix_ms(a.occurred_at)}));
        if (!r.once_key.empty())
            memory.remember_paid(*a.citizen_id, r.id, once);
        ++made;
    }
    return made;
}

Result<ledger::Transfer> manual_award(db::Connection& c, std::int64_t citizen_id,
                                      std::int64_t points, std::string reason,
                                      std::string_view idempotency_key, std::string actor,
                                      TimePoint now) {
    if (reason.empty())
        return fail(Error::invalid("say why the points are given", "reason"));
    if (points <= 0 || points > 1'000'000)
        return fail(Error::invalid("points must be between 1 and 1000000", "points"));
    auto settings = TRY(load_settings(c));
    return ledger::transfer(c,
                            {fmt::format("points:manual:{}", idempotency_key),
                             ledger::AccountRef::town(), ledger::AccountRef::citizen(citizen_id),
                             points, std::string(ledger::kind::award), std::move(reason), "manual",
                             std::move(actor)},
                            now, settings.policy());
}

Result<ledger::Transfer> correct(db::Connection& c, std::int64_t citizen_id,
                                 std::int64_t transfer_id, std::string reason,
                                 std::string_view idempotency_key, std::string actor,
                                 TimePoint now) {
    if (reason.empty())
        return fail(Error::invalid("say why the transfer is reversed", "reason"));
    auto t = TRY(ledger::find_transfer(c, transfer_id));
    auto mine = ledger::AccountRef::citizen(citizen_id, t ? t->from.currency : ledger::Currency::Points);
    if (!t || (t->from != mine && t->to != mine))
        return fail(Error::not_found(
            fmt::format("Citizen {} has no transfer {}.", citizen_id, transfer_id)));
    auto settings = TRY(load_settings(c));
    return ledger::reverse(c, transfer_id, fmt::format("points:correction:{}", idempotency_key),
                           std::move(reason), std::move(actor), now, settings.policy());
}

} // namespace teilhabe::points
