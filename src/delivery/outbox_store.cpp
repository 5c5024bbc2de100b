#include "delivery/outbox_store.h"

#include "base/email.h"
#include "db/dialect.h"
#include "db/sql_text.h"

#include <algorithm>
#include <iterator>
#include <fmt/format.h>

namespace teilhabe::delivery::outbox {

namespace {

constexpr const char* kColumns =
    "id, kind, campaign_id, citizen_id, email, payload, state, attempts, due_at, claimed_by, "
    "smtp_code, smtp_status, smtp_reply, queue_id, error, created_at, finished_at";

OutboxRow from_row(const db::Row& r) {
    OutboxRow o;
    o.id = r.get_int(0);
    o.kind = parse_kind(r.get_text(1)).value_or(OutboxKind::Transactional);
    o.campaign_id = r.get_opt_int(2);
    o.citizen_id = r.get_opt_int(3);
    o.email = r.get_text(4);
    o.payload = r.get_text(5);
    o.state = parse_state(r.get_text(6)).value_or(OutboxState::Queued);
    o.attempts = static_cast<int>(r.get_int(7));
    o.due_at = from_unix_ms(r.get_int(8));
    o.claimed_by = r.get_opt_text(9);
    if (auto code = r.get_opt_int(10))
        o.smtp_code = static_cast<int>(*code);
    o.smtp_status = r.get_opt_text(11).value_or("");
    o.smtp_reply = r.get_opt_text(12).value_or("");
    o.queue_id = r.get_opt_text(13).value_or("");
    o.error = r.get_opt_text(14).value_or("");
    o.created_at = from_unix_ms(r.get_int(15));
    if (auto f = r.get_opt_int(16))
        o.finished_at = from_unix_ms(*f);
    return o;
}

db::Value code_of(const std::optional<SmtpReply>& reply) {
    if (!reply || reply->code == 0)
        return db::null();
    return std::int64_t{reply->code};
}

db::Value text_of(const std::optional<SmtpReply>& reply, std::string SmtpReply::*member) {
    if (!reply || ((*reply).*member).empty())
        return db::null();
    return (*reply).*member;
}

} // namespace

Result<std::int64_t> enqueue_transactional(db::Connection& c, const std::string& to,
                                           const std::string& mime,
                                           std::optional<std::int64_t> citizen_id,
                                           const Clock& clock) {
    auto email = TRY(check_transactional(to, mime));
    auto now = clock.now_ms();
    auto row = TRY(c.query_one(
        "INSERT INTO outbox (kind, citizen_id, email, payload, state, due_at, created_at, "
        "updated_at) VALUES ('transactional', ?, ?, ?, 'queued', ?, ?, ?) RETURNING id",
        {db::opt(citizen_id), email, mime, now, now, now}));
    return row.get_int(0);
}

Result<std::string> check_transactional(const std::string& to, const std::string& mime) {
    auto email = normalise_email(to);
    if (email.empty() || email.find('@') == std::string::npos)
        return fail(Error::invalid("the recipient is not an e-mail address", "to"));
    if (mime.empty())
        return fail(Error::invalid("the message is empty", "mime"));
    return email;
}

Result<void> enqueue_transactional_many(db::Connection& c, const std::vector<TransactionalMail>& mails,
                                        const Clock& clock) {
    constexpr std::size_t chunk = 100;
    constexpr std::string_view row = "('transactional', ?, ?, ?, 'queued', ?, ?, ?)";
    auto now = clock.now_ms();
    std::string sql;
    db::Params params;
    for (std::size_t start = 0; start < mails.size(); start += chunk) {
        auto end = std::min(mails.size(), start + chunk);
        sql = "INSERT INTO outbox (kind, citizen_id, email, payload, state, due_at, created_at, updated_at) VALUES " +
              db::repeated(row, end - start);
        params.clear();
        params.reserve((end - start) * 6);
        for (std::size_t i = start; i < end; ++i) {
            const auto& m = mails[i];
            db::Params values{db::opt(m.citizen_id), m.to, m.mime, now, now, now};
            std::move(values.begin(), values.end(), std::back_inserter(params));
        }
        TRY(c.execute(sql, params));
    }
    return {};
}

Result<std::int64_t> enqueue_campaign_recipients(db::Connection& c, std::int64_t campaign_id,
                                                 const std::vector<CampaignRecipient>& recipients,
                                                 const Clock& clock,
                                                 std::optional<TimePoint> due_at) {
    auto now = clock.now_ms();
    auto due = due_at ? to_unix_ms(*due_at) : now;
    std::int64_t added = 0;
    for (const auto& r : recipients) {
        added += TRY(c.execute(
            "INSERT INTO outbox (kind, campaign_id, citizen_id, email, state, due_at, created_at, "
            "updated_at) VALUES ('campaign', ?, ?, ?, 'queued', ?, ?, ?) "
            "ON CONFLICT (campaign_id, citizen_id) DO NOTHING",
            {campaign_id, r.citizen_id, normalise_email(r.email), due, now, now}));
    }
    return added;
}

Result<std::vector<OutboxRow>> claim(db::Connection& c, const std::string& worker_id, int limit,
                                     std::chrono::milliseconds lease, const Clock& clock) {
    auto now = clock.now_ms();
    // Claims that ran out first (their instance died), then queued rows by due time: each a
    // range scan of its partial index (migration 0014) that stops at `limit`.
    auto update = [&](const char* where, int n) {
        return c.query(fmt::format("UPDATE outbox SET state = 'claimed', claimed_by = ?, "
                                   "claim_until = ?, attempts = attempts + 1, updated_at = ? "
                                   "WHERE id IN (SELECT id FROM outbox WHERE {} LIMIT ?{}) "
                                   "RETURNING {}",
                                   where, db::dialect::skip_locked(c.backend()), kColumns),
                       {worker_id, now + lease.count(), now, now, std::int64_t{n}});
    };
    auto rows = TRY(update("state = 'claimed' AND claim_until <= ? ORDER BY claim_until, id", limit));
    if (std::cmp_less(rows.rows.size(), limit)) {
        auto queued = TRY(update("state = 'queued' AND due_at <= ? ORDER BY due_at, id",
                                 limit - static_cast<int>(rows.rows.size())));
        for (auto& r : queued.rows)
            rows.rows.push_back(std::move(r));
    }
    std::vector<OutboxRow> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    std::ranges::sort(out, {}, &OutboxRow::id);
    return out;
}

Result<bool> mark_sent(db::Connection& c, std::int64_t id, const std::string& worker_id,
                       const SmtpReply& reply, const Clock& clock) {
    auto now = clock.now_ms();
    auto n = TRY(c.execute(
        "UPDATE outbox SET state = 'sent', payload = '', smtp_code = ?, smtp_status = ?, "
        "smtp_reply = ?, queue_id = ?, error = NULL, claimed_by = NULL, claim_until = NULL, "
        "updated_at = ?, finished_at = ? WHERE id = ? AND state = 'claimed' AND claimed_by = ?",
        {code_of(reply), text_of(reply, &SmtpReply::enhanced), text_of(reply, &SmtpReply::text),
         text_of(reply, &SmtpReply::queue_id), now, now, id, worker_id}));
    return n == 1;
}

Result<bool> retry_later(db::Connection& c, const OutboxRow& row, const std::string& worker_id,
                         const SmtpReply& reply, const RetryPolicy& policy, const Clock& clock) {
    if (row.attempts >= policy.max_attempts)
        return finish(c, row.id, worker_id, OutboxState::Failed,
                      fmt::format("gave up after {} attempts: {}", row.attempts, reply.summary()),
                      reply, clock);
    auto now = clock.now_ms();
    auto due = now + retry_delay(policy, row.attempts, row.id).count();
    auto n = TRY(c.execute(
        "UPDATE outbox SET state = 'queued', due_at = ?, smtp_code = ?, smtp_status = ?, "
        "smtp_reply = ?, error = ?, claimed_by = NULL, claim_until = NULL, updated_at = ? "
        "WHERE id = ? AND state = 'claimed' AND claimed_by = ?",
        {due, code_of(reply), text_of(reply, &SmtpReply::enhanced),
         text_of(reply, &SmtpReply::text), reply.summary(), now, row.id, worker_id}));
    return n == 1;
}

Result<bool> finish(db::Connection& c, std::int64_t id, const std::string& worker_id,
                    OutboxState state, const std::string& reason,
                    const std::optional<SmtpReply>& reply, const Clock& clock) {
    if (!is_terminal(state))
        return fail(Error::internal("finish needs a terminal state"));
    auto now = clock.now_ms();
    auto n = TRY(c.execute(
        "UPDATE outbox SET state = ?, payload = '', smtp_code = COALESCE(?, smtp_code), "
        "smtp_status = COALESCE(?, smtp_status), smtp_reply = COALESCE(?, smtp_reply), error = ?, "
        "claimed_by = NULL, claim_until = NULL, updated_at = ?, finished_at = ? "
        "WHERE id = ? AND state = 'claimed' AND claimed_by = ?",
        {to_string(state), code_of(reply), text_of(reply, &SmtpReply::enhanced),
         text_of(reply, &SmtpReply::text), reason, now, now, id, worker_id}));
    return n == 1;
}

Result<bool> release(db::Connection& c, std::int64_t id, const std::string& worker_id,
                     TimePoint due_at, const Clock& clock) {
    auto n = TRY(c.execute(
        "UPDATE outbox SET state = 'queued', due_at = ?, attempts = attempts - 1, claimed_by = "
        "NULL, claim_until = NULL, updated_at = ? WHERE id = ? AND state = 'claimed' AND "
        "claimed_by = ?",
        {to_unix_ms(due_at), clock.now_ms(), id, worker_id}));
    return n == 1;
}

Result<bool> mark_bounced(db::Connection& c, std::int64_t id, const std::string& reason,
                          const Clock& clock) {
    auto now = clock.now_ms();
    auto n = TRY(c.execute("UPDATE outbox SET state = 'bounced', payload = '', error = ?, "
                           "updated_at = ?, finished_at = COALESCE(finished_at, ?) WHERE id = ? "
                           "AND state IN ('sent', 'bounced')",
                           {reason, now, now, id}));
    return n == 1;
}

Result<std::int64_t> cancel_campaign(db::Connection& c, std::int64_t campaign_id,
                                     const std::string& reason, const Clock& clock) {
    auto now = clock.now_ms();
    return c.execute("UPDATE outbox SET state = 'cancelled', error = ?, updated_at = ?, "
                     "finished_at = ? WHERE campaign_id = ? AND state = 'queued'",
                     {reason, now, now, campaign_id});
}

Result<std::map<std::string, std::int64_t>> counts_by_state(db::Connection& c,
                                                            std::int64_t campaign_id) {
    auto rows = TRY(c.query(
        "SELECT state, COUNT(*) FROM outbox WHERE campaign_id = ? GROUP BY state", {campaign_id}));
    std::map<std::string, std::int64_t> out;
    for (const auto& r : rows.rows)
        out[r.get_text(0)] = r.get_int(1);
    return out;
}

Result<std::optional<OutboxRow>> find(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM outbox WHERE id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<OutboxRow>{};
    return std::optional<OutboxRow>(from_row(rows.first()));
}

Result<std::optional<OutboxRow>> find_last_sent_to(db::Connection& c, const std::string& email) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM outbox WHERE email = ? AND state IN ('sent', 'bounced') "
                    "ORDER BY id DESC LIMIT 1",
                    kColumns),
        {normalise_email(email)}));
    if (rows.empty())
        return std::optional<OutboxRow>{};
    return std::optional<OutboxRow>(from_row(rows.first()));
}

Result<std::optional<TimePoint>> next_due(db::Connection& c) {
    auto row = TRY(c.query_one(
        "SELECT min(t) FROM (SELECT min(due_at) AS t FROM outbox WHERE state = 'queued' UNION ALL "
        "SELECT min(claim_until) AS t FROM outbox WHERE state = 'claimed') AS due"));
    if (row.is_null(0))
        return std::optional<TimePoint>{};
    return std::optional<TimePoint>(from_unix_ms(row.get_int(0)));
}

} // namespace teilhabe::delivery::outbox
