#include "app/journey_seams.h"

#include "ledger/ledger_store.h"
#include "points/points_store.h"
#include "segments/membership.h"
#include "segments/rule_json.h"

namespace teilhabe::app {

Result<bool> SegmentConditions::matches(db::Connection& c, std::string_view rule_json,
                                        std::int64_t citizen_id, TimePoint now) {
    return segments::citizen_matches(c, rule_json, citizen_id, now);
}

Result<void> SegmentConditions::validate(std::string_view rule_json) {
    return segments::validate_rule_json(rule_json);
}

Result<void> LedgerPoints::award(db::Connection& c, std::int64_t citizen_id, std::int64_t points,
                                 std::string idempotency_key, std::string reason, TimePoint now) {
    auto settings = TRY(points::load_settings(c));
    ledger::TransferRequest r;
    r.idempotency_key = std::move(idempotency_key);
    r.from = ledger::AccountRef::town();
    r.to = ledger::AccountRef::citizen(citizen_id);
    r.amount = points;
    r.kind = std::string(ledger::kind::award);
    r.reason = std::move(reason);
    // "journey:<id>:enrolment:<id>:<step>" -> "journey:<id>": what the points were for.
    r.object = r.idempotency_key.substr(0, r.idempotency_key.find(':', sizeof("journey:") - 1));
    r.actor = "system";
    TRY(ledger::transfer(c, r, now, settings.policy()));
    return {};
}

} // namespace teilhabe::app
