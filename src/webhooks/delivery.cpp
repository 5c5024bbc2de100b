#include "webhooks/delivery.h"

#include "jobs/job_store.h"
#include "webhooks/message.h"
#include "webhooks/webhook_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace teilhabe::webhooks {

namespace {

constexpr std::string_view kPruneJob = "webhook.prune";
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

Result<std::int64_t> delivery_of(const jobs::Job& job) {
    auto j = nlohmann::json::parse(job.payload, nullptr, false);
    if (!j.is_object() || !j.contains("delivery_id") || !j["delivery_id"].is_number_integer())
        return fail(Error::internal("webhook job without delivery_id: " + job.payload));
    return j["delivery_id"].get<std::int64_t>();
}

// What to send, or nothing (the delivery is gone, over, or must not happen any more).
Result<std::optional<Message>> prepare(db::Database& db, const Clock& clock, std::int64_t id) {
    return db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<std::optional<Message>> {
            auto p = TRY(store::load_pending(c, id));
            // Deleted with its webhook, or with the person it was about (GDPR erasure).
            if (!p || p->delivery.status != DeliveryStatus::Pending)
                return std::optional<Message>{};
            const auto& d = p->delivery;
            std::string cancelled;
            if (!p->webhook_active)
                cancelled = "the webhook is switched off";
            else if (d.citizen_id && TRY(store::is_restricted(c, *d.citizen_id)))
                cancelled = "processing of the person is restricted (GDPR Art. 18)";
            else if (d.activity_id && !p->activity)
                cancelled = "the activity no longer exists";
            if (!cancelled.empty()) {
                TRY(store::cancel(c, id, cancelled, clock));
                return std::optional<Message>{};
            }
            std::string body =
                p->activity ? event_body(*p->activity) : ping_body(d.webhook_id, d.created_at);
            return std::optional<Message>(
                TRY(signed_message(p->url, p->secret, id, std::move(body), clock.now())));
        });
}

} // namespace

Result<void> deliver(db::Database& db, const Clock& clock, Sender& sender, const jobs::Job& job) {
    auto id = TRY(delivery_of(job));
    auto message = TRY(prepare(db, clock, id));
    if (!message)
        return {};
    auto sent_at = clock.now();
    auto result = sender.post(*message);
    auto verdict = judge(result);
    bool last = job.attempts >= job.max_attempts;
    auto status = verdict.delivered ? DeliveryStatus::Delivered
                  : last            ? DeliveryStatus::Failed
                                    : DeliveryStatus::Pending;
    Attempt attempt{sent_at, result.status, verdict.error, result.duration_ms};
    TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::record_attempt(c, id, attempt, status, clock);
    }));
    if (!verdict.delivered)
        return fail(Error::unavailable(fmt::format("webhook delivery {}: {}", id, verdict.error)));
    return {};
}

Result<std::int64_t> prune_deliveries(db::Database& db, const Clock& clock) {
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::prune(c, clock.now() - kDeliveryRetention);
    });
}

namespace {

// The next prune at the start of the next day (UTC); unique per day, so instances that plan
// it at once plan it once.
Result<std::int64_t> plan_prune(db::Connection& c, const Clock& clock, std::int64_t day_start) {
    return jobs::enqueue(c,
                         {.kind = std::string(kPruneJob),
                          .due_at = from_unix_ms(day_start),
                          .unique_key = fmt::format("{}:{}", kPruneJob, day_start)},
                         clock);
}

} // namespace

Result<void> register_handlers(jobs::Worker& worker, db::Database& db, const Clock& clock,
                               Sender& sender) {
    worker.register_handler(std::string(kDeliverJob), [&db, &clock, &sender](const jobs::Job& job) {
        return deliver(db, clock, sender, job);
    });
    worker.register_handler(
        std::string(kPruneJob), [&db, &clock](const jobs::Job&) -> Result<void> {
            auto n = TRY(prune_deliveries(db, clock));
            if (n > 0)
                spdlog::info("webhooks: {} deliveries older than {} days deleted", n,
                             kDeliveryRetention.count() / 24);
            return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
                TRY(plan_prune(c, clock, (clock.now_ms() / kDayMs + 1) * kDayMs));
                return {};
            });
        });
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(plan_prune(c, clock, clock.now_ms() / kDayMs * kDayMs));
        return {};
    });
}

} // namespace teilhabe::webhooks
