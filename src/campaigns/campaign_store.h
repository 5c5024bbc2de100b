#pragma once
// SQL of the campaigns. Every function runs inside the caller's transaction.

#include "campaigns/campaign.h"
#include "db/connection.h"

#include <optional>
#include <vector>

namespace teilhabe::campaigns::store {

// Who changed a campaign, for the audit log.
struct Actor {
    std::string actor; // "staff:3", "apikey:2"
    std::string ip;
};

// Topic keys that do not exist are an InvalidArgument naming "topics".
Result<Campaign> create(db::Connection& c, const CampaignInput& in, const Actor& who,
                        const Clock& clock);
Result<std::optional<Campaign>> find(db::Connection& c, std::int64_t id);
// The same, with the row locked until the transaction ends (FOR UPDATE on PostgreSQL), for a
// change of state that must not race another one.
Result<std::optional<Campaign>> find_for_update(db::Connection& c, std::int64_t id);

// Only the state (the sender asks for every message); none for an unknown id.
Result<std::optional<State>> state_of(db::Connection& c, std::int64_t id);

struct ListQuery {
    std::optional<State> state;
    std::optional<std::int64_t> before_id; // cursor: newest first
    int limit{50};
};
Result<std::vector<Campaign>> list(db::Connection& c, const ListQuery& q);

// Drafts only (check_editable); NotFound for an unknown id.
Result<Campaign> update(db::Connection& c, std::int64_t id, const CampaignInput& in,
                        const Actor& who, const Clock& clock);
Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock);

// Stores a change of state decided by next_state (with its times) and audits it.
Result<void> save_state(db::Connection& c, const Campaign& k, const Actor& who, std::string_view action,
                        const Clock& clock);

// Ids of the campaign's topics, in the order chosen.
Result<std::vector<std::int64_t>> topic_ids(db::Connection& c, std::int64_t campaign_id);

} // namespace teilhabe::campaigns::store
