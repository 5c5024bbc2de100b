#pragma once
// The activity consumer "segments": every activity of a person re-evaluates that person's
// segments in the consumer's batch transaction (profile changes, consents, merges and
// restrictions are activities too: citizen.*, consent.*, newsletter.*, gdpr.*). The consumer's
// own segment.entered/segment.left are skipped, so a rule over them cannot feed itself.
// A person is re-evaluated once per batch: the evaluation reads the person's state now, not as
// of the activity, so a second one in the same transaction would find the same and change
// nothing (a burst of clicks by one person costs one evaluation, not one each).

#include "activity/consumer.h"
#include "segments/membership.h"

#include <unordered_set>

namespace teilhabe::segments {

class MembershipConsumer final : public activity::Consumer {
public:
    explicit MembershipConsumer(const Clock& clock) : m_clock(clock) {}
    std::string name() const override { return "segments"; }
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;
    void batch_begins() override { m_refreshed.clear(); }
    // A town without segments has nothing to evaluate: no activity is read. A first segment is
    // computed for everyone when it is created (the bulk job), so nothing skipped is missed.
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override;

private:
    const Clock& m_clock;
    RuleCache m_cache;
    std::unordered_set<std::int64_t> m_refreshed; // people evaluated in this batch
};

} // namespace teilhabe::segments
