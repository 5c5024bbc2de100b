#pragma once
// SQL of the points programme: rules, settings, and applying the rules to an activity (the
// awards with their caps), manual awards by staff. Every call runs inside the caller's
// transaction.

#include "activity/activity.h"
#include "db/connection.h"
#include "ledger/ledger.h"
#include "points/rule.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace teilhabe::ledger {
class TownAccounts; // ledger/ledger_store.h
}

namespace teilhabe::points {

Result<std::vector<Rule>> list_rules(db::Connection& c);
// The enabled rules for one activity type, in order (position, id).
Result<std::vector<Rule>> rules_for(db::Connection& c, std::string_view activity_type);
// The activity types some enabled rule is about (what the points consumer has to read).
Result<std::vector<std::string>> rule_types(db::Connection& c);
Result<Rule> find_rule(db::Connection& c, std::int64_t id);
Result<Rule> create_rule(db::Connection& c, Rule r, TimePoint now);
Result<Rule> update_rule(db::Connection& c, Rule r, TimePoint now);

struct Settings {
    int expiry_days{0}; // 0 = points never expire
    ledger::ExpiryPolicy policy() const {
        return {std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::days(expiry_days))};
    }
};
Result<Settings> load_settings(db::Connection& c);
Result<void> save_settings(db::Connection& c, Settings s, TimePoint now);

// What the points consumer keeps for one batch (one transaction) between activities:
// - the once-per keys (person, rule, key) seen paid: a key once paid stays paid, so a burst of
//   the same click by the same person costs one look-up, not one each;
// - activities' props, parsed: a campaign's clicks carry the same few (campaign, link, topic),
//   whoever clicks.
class BatchMemory {
public:
    const nlohmann::json& props_of(const activity::Activity& a);
    bool paid(std::int64_t citizen, std::int64_t rule, const std::string& once) const {
        return m_paid.contains({citizen, rule, once});
    }
    void remember_paid(std::int64_t citizen, std::int64_t rule, std::string once) {
        m_paid.insert({citizen, rule, std::move(once)});
    }
    void clear() {
        m_paid.clear();
        m_props.clear();
    }

private:
    std::set<std::tuple<std::int64_t, std::int64_t, std::string>> m_paid;
    std::unordered_map<std::string, nlohmann::json> m_props;
    nlohmann::json m_overflow; // props_of's answer once m_props is full
};

// Applies the rules for the activity's type, in order: each matching rule whose caps allow it
// gives its points once (the transfer's key names rule and activity; points_awards is unique
// per pair). Returns the number of awards made by this call. `memory`: what the caller's
// transaction has kept so far (BatchMemory); `town`: the town's account ids kept for it
// (ledger::TownAccounts), or none.
Result<int> apply_rules(db::Connection& c, const activity::Activity& a,
                        const std::vector<Rule>& rules, const Settings& s, TimePoint now,
                        BatchMemory& memory, ledger::TownAccounts* town = nullptr);

// A manual award by staff (goodwill): from the town to the person, with the caller's
// idempotency key (prefixed, so it cannot collide with the ledger's own keys).
Result<ledger::Transfer> manual_award(db::Connection& c, std::int64_t citizen_id,
                                      std::int64_t points, std::string reason,
                                      std::string_view idempotency_key, std::string actor,
                                      TimePoint now);
// A correction: the reversal of one of the person's transfers.
Result<ledger::Transfer> correct(db::Connection& c, std::int64_t citizen_id,
                                 std::int64_t transfer_id, std::string reason,
                                 std::string_view idempotency_key, std::string actor,
                                 TimePoint now);

} // namespace teilhabe::points
