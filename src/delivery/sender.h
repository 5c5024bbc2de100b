#pragma once
// The outbox sender: N connections (threads), each claiming a batch of due rows with a lease,
// asking the MessageSource registered for the row's kind for the message, checking the
// suppression list, sending over its own SMTP connection and recording the reply in one small
// transaction right after the MTA's answer, before the connection ends its next message's data
// — so a crash sends again at most the messages that were between the MTA's 250 and that
// commit: one per connection. With PIPELINING the next message's envelope is already on its
// way while the reply is committed (smtp_client.h).
// Tests drive it step by step with run_once() and a ManualClock; `serve` calls start().

#include "db/database.h"
#include "delivery/outbox.h"
#include "delivery/rate_limiter.h"
#include "delivery/smtp_client.h"
#include "mail/dkim.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace teilhabe::delivery {

// What to do with one claimed row.
struct Produced {
    enum class Action { Send, Skip, Hold };
    Action action{Action::Send};
    std::string mime;          // Send: the complete message
    std::string envelope_from; // Send: MAIL FROM; empty: the sender's VERP address
    OutboxState state{OutboxState::Cancelled}; // Skip: the terminal state to record
    std::string reason;                        // Skip/Hold: why, for the row's error column
    TimePoint hold_until{};                    // Hold: claim it again then (a paused campaign)

    static Produced send(std::string mime, std::string envelope_from = {}) {
        return {.action = Action::Send, .mime = std::move(mime), .envelope_from = std::move(envelope_from)};
    }
    // Suppressed, restricted (as suppressed), campaign cancelled: state is terminal.
    static Produced skip(OutboxState state, std::string reason) {
        return {.action = Action::Skip, .state = state, .reason = std::move(reason)};
    }
    static Produced hold(TimePoint until, std::string reason = {}) {
        return {.action = Action::Hold, .reason = std::move(reason), .hold_until = until};
    }
};

// Produces the bytes of a row at send time. Registered per kind; called from the sender's
// threads, so it must be thread-safe. An error counts as a temporary failure of the row.
class MessageSource {
public:
    virtual ~MessageSource() = default;
    virtual Result<Produced> produce(const OutboxRow& row) = 0;
};

// Transactional rows carry their complete message: sent as it is, or signed here with DKIM
// when a signer is given and the message is not signed yet (a journey's mails are queued
// unsigned, so that an RSA signature per mail is not made inside the journeys' one write
// transaction; docs/decisions.md "Mail steps at 20,000 per second").
class TransactionalSource final : public MessageSource {
public:
    TransactionalSource() = default;
    TransactionalSource(std::shared_ptr<const mail::DkimSigner> dkim, const Clock& clock)
        : m_dkim(std::move(dkim)), m_clock(&clock) {}
    Result<Produced> produce(const OutboxRow& row) override;

private:
    std::shared_ptr<const mail::DkimSigner> m_dkim;
    const Clock* m_clock{nullptr};
};

struct SenderOptions {
    std::string worker_id;    // unique per process, e.g. host:pid; connections add #1, #2 ...
    unsigned connections{4};  // threads, each with its own SMTP connection
    int batch{20};            // rows claimed at once by one connection
    // How long a claimed row stays with this instance; rows of a dead instance wait this long.
    // A connection sends during the first half of it and gives the rest of its batch back.
    std::chrono::milliseconds lease{std::chrono::minutes(2)};
    std::chrono::milliseconds idle_poll{std::chrono::seconds(2)};
    RetryPolicy retry{};
    unsigned rate_per_minute{0}, rate_per_hour{0}; // 0: unlimited; per instance
    // The envelope sender: bounce+<id>-<mac>@bounce_domain (verp.h) when both are set,
    // otherwise fallback_from.
    std::string verp_secret, bounce_domain;
    std::string fallback_from;
};

using TransportFactory = std::function<std::unique_ptr<SmtpTransport>()>;

class Sender {
public:
    Sender(db::Database& db, const Clock& clock, TransportFactory transports, SenderOptions options);
    ~Sender();

    // `source` must outlive the sender.
    void register_source(OutboxKind kind, MessageSource& source);

    // One batch over the first connection; returns how many rows were decided (sent, held,
    // retried, finished). Stops early when a rate limit is reached, giving the rest back.
    Result<int> run_once();
    Result<int> run_until_idle(int max_batches = 10000);
    // When the rate limit allows the next message, if it is reached now.
    std::optional<TimePoint> rate_limited_until() const;

    void start();
    // Rows were queued: every waiting connection looks at once (delivery/wakeup.h connects it).
    void notify();
    void stop(); // finishes the message in flight on each connection, then returns

    std::string envelope_from(const OutboxRow& row) const;

private:
    struct Connection;
    struct BatchFeed;
    Result<int> run_batch(Connection& conn);
    Result<std::optional<Produced>> produce(Connection& conn, const OutboxRow& row, bool suppressed);
    Result<void> record(const std::string& who, const OutboxRow& row, const SmtpReply& reply);
    Result<bool> record_one(db::Connection& c, const std::string& who, const OutboxRow& row,
                            const SmtpReply& reply);
    void loop(Connection& conn);
    template <class F> auto write(F&& fn) -> std::invoke_result_t<F, db::Connection&>;

    db::Database& m_db;
    const Clock& m_clock;
    TransportFactory m_transports;
    SenderOptions m_options;
    RateLimiter m_limiter;
    std::map<OutboxKind, MessageSource*> m_sources;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<std::thread> m_threads;
    mutable std::mutex m_mutex;
    std::mutex m_write_mutex;
    // Group commit of results (record()).
    struct PendingResult {
        const std::string* who;
        const OutboxRow* row;
        const SmtpReply* reply;
        bool done{false};
        bool kept{false};
        std::optional<Error> error;
    };
    std::mutex m_record_mutex;
    std::condition_variable m_recorded;
    std::vector<PendingResult*> m_pending;
    bool m_recording{false};
    std::condition_variable m_wake;
    std::atomic<bool> m_stopping{false};
    std::uint64_t m_wakeups{0}; // counts notify(): a connection sleeps only if none came since
                                // it last looked
    std::optional<TimePoint> m_limited_until;
};

} // namespace teilhabe::delivery
