#pragma once
// What a delivery status notification does: a permanent failure (Action: failed or status
// 5.x.x) marks the outbox row bounced and suppresses the address; a temporary one (delayed,
// 4.x.x) is counted, and five within 30 days suppress (suppression_store.h). The row is found
// by the VERP envelope sender (verp.h) the report was sent back to; without one, by the newest
// row handed to the MTA for the Final-Recipient.

#include "base/clock.h"
#include "db/connection.h"
#include "delivery/dsn.h"

#include <nlohmann/json.hpp>

namespace teilhabe::delivery {

struct BounceOutcome {
    int hard{0}, soft{0}, ignored{0}; // per recipient of the report
    std::vector<std::int64_t> rows;   // outbox rows that became bounced
};
nlohmann::json to_json(const BounceOutcome& o);

// `envelope_recipient`: where the MTA delivered the report (Postfix pipe ${recipient}); may be
// empty, the report's To: is looked at too. Inside the caller's transaction.
Result<BounceOutcome> apply_dsn(db::Connection& c, const Dsn& dsn, std::string_view envelope_recipient,
                                std::string_view verp_secret, const Clock& clock);

} // namespace teilhabe::delivery
