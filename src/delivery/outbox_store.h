#pragma once
// SQL of the outbox table (migration 0008). Every function runs inside the caller's
// transaction; the sender keeps them small (one per claim, one per result).

#include "db/connection.h"
#include "delivery/outbox.h"

#include <map>
#include <vector>

namespace teilhabe::delivery::outbox {

// Queues one complete MIME message (CRLF line ends) for `to`, inside the caller's transaction,
// so that it goes out exactly when the change that asks for it commits (a confirmation mail
// with the subscription). Returns the row id.
Result<std::int64_t> enqueue_transactional(db::Connection& c, const std::string& to,
                                           const std::string& mime,
                                           std::optional<std::int64_t> citizen_id,
                                           const Clock& clock);

// Many transactional messages at once (a batch of journey mails), one INSERT per 100 rows: the
// same rows enqueue_transactional writes, in the caller's transaction. Check each first with
// check_transactional, so that only the database can refuse the statement.
struct TransactionalMail {
    std::string to; // as check_transactional returned it
    std::string mime;
    std::optional<std::int64_t> citizen_id;
};
// The recipient as the row will carry it (normalised), or why enqueue_transactional would
// refuse the message (InvalidArgument naming "to" or "mime").
Result<std::string> check_transactional(const std::string& to, const std::string& mime);
Result<void> enqueue_transactional_many(db::Connection& c, const std::vector<TransactionalMail>& mails,
                                        const Clock& clock);

struct CampaignRecipient {
    std::int64_t citizen_id{0};
    std::string email;
};
// Queues a campaign's recipients; one who is already queued for the campaign is left alone
// (UNIQUE(campaign_id, citizen_id)). Returns how many rows were added.
Result<std::int64_t> enqueue_campaign_recipients(db::Connection& c, std::int64_t campaign_id,
                                                 const std::vector<CampaignRecipient>& recipients,
                                                 const Clock& clock,
                                                 std::optional<TimePoint> due_at = std::nullopt);

// Claims up to `limit` rows for `worker_id` until now + lease: queued rows that are due, and
// claimed rows whose lease ran out (their instance died). Increments attempts.
Result<std::vector<OutboxRow>> claim(db::Connection& c, const std::string& worker_id, int limit,
                                     std::chrono::milliseconds lease, const Clock& clock);

// The results. Each changes the row only while `worker_id` still holds its claim and returns
// false otherwise (the claim ran out and another instance took it, or it was cancelled).
// Terminal states clear the payload.
Result<bool> mark_sent(db::Connection& c, std::int64_t id, const std::string& worker_id,
                       const SmtpReply& reply, const Clock& clock);
// A temporary failure: queued again after retry_delay(), or failed after max_attempts.
Result<bool> retry_later(db::Connection& c, const OutboxRow& row, const std::string& worker_id,
                         const SmtpReply& reply, const RetryPolicy& policy, const Clock& clock);
// A terminal state decided while sending: bounced (5xx), suppressed, failed, cancelled.
Result<bool> finish(db::Connection& c, std::int64_t id, const std::string& worker_id,
                    OutboxState state, const std::string& reason,
                    const std::optional<SmtpReply>& reply, const Clock& clock);
// Gives a claimed row back without counting an attempt (a paused campaign, a rate limit).
Result<bool> release(db::Connection& c, std::int64_t id, const std::string& worker_id,
                     TimePoint due_at, const Clock& clock);

// A DSN reported a permanent failure of a row already handed to the MTA: sent -> bounced.
Result<bool> mark_bounced(db::Connection& c, std::int64_t id, const std::string& reason,
                          const Clock& clock);
// All queued rows of a campaign -> cancelled. Rows already claimed are decided by the
// campaign's MessageSource when they are produced. Returns how many were cancelled.
Result<std::int64_t> cancel_campaign(db::Connection& c, std::int64_t campaign_id,
                                     const std::string& reason, const Clock& clock);

// Rows per state ("queued", "sent", ...) of a campaign; states without rows are absent.
Result<std::map<std::string, std::int64_t>> counts_by_state(db::Connection& c,
                                                            std::int64_t campaign_id);

Result<std::optional<OutboxRow>> find(db::Connection& c, std::int64_t id);
// The newest row handed to the MTA for this address (a DSN without our VERP address).
Result<std::optional<OutboxRow>> find_last_sent_to(db::Connection& c, const std::string& email);
// The earliest due time of a queued row or a running-out claim (to sleep until then).
Result<std::optional<TimePoint>> next_due(db::Connection& c);

} // namespace teilhabe::delivery::outbox
