#pragma once
// The activity consumer "segments": every activity of a person re-evaluates that person's
// segments in the consumer's batch transaction (profile changes, consents, merges and
// restrictions are activities too: citizen.*, consent.*, newsletter.*, gdpr.*). The consumer's
// own segment.entered/segment.left are skipped, so a rule over them cannot feed itself.

#include "activity/consumer.h"
#include "segments/membership.h"

namespace teilhabe::segments {

class MembershipConsumer final : public activity::Consumer {
public:
    explicit MembershipConsumer(const Clock& clock) : m_clock(clock) {}
    std::string name() const override { return "segments"; }
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;

private:
    const Clock& m_clock;
    RuleCache m_cache;
};

} // namespace teilhabe::segments
