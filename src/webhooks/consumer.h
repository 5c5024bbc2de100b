#pragma once
// The activity consumer "webhooks" (DESIGN.md "Activities are the spine"): for each new
// activity and each active subscription that wants its type, one delivery and its job, in the
// consumer's batch transaction. A batch that rolls back leaves nothing behind, and one that is
// read again (after a crash, or a position set back) doubles nothing: deliveries and jobs are
// unique per (subscription, activity).

#include "activity/consumer.h"
#include "webhooks/webhook.h"

#include <optional>

namespace teilhabe::webhooks {

class DeliveryConsumer final : public activity::Consumer {
public:
    explicit DeliveryConsumer(const Clock& clock) : m_clock(clock) {}
    std::string name() const override { return "webhooks"; }
    // GDPR Art. 18: nothing is sent about a person whose processing is restricted; such
    // activities get no delivery at all (not even a cancelled one).
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;
    // The active subscriptions are read once per batch; with none, no activity is read, and
    // when all of them name exact types, only those types are.
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override;
    void batch_begins() override { m_active.reset(); }

private:
    Result<const std::vector<Webhook>*> active(db::Connection& c);

    const Clock& m_clock;
    std::optional<std::vector<Webhook>> m_active; // this batch's active subscriptions, once read
};

} // namespace teilhabe::webhooks
