#include "delivery/sender.h"

#include "base/thread_name.h"
#include "delivery/outbox_store.h"
#include "delivery/suppression_store.h"
#include "delivery/verp.h"

#include <deque>
#include <set>
#include <spdlog/spdlog.h>

namespace teilhabe::delivery {

// Each connection claims under its own id, so that a claim that ran out and was taken again
// is never recorded by the connection that lost it.
struct Sender::Connection {
    std::string worker_id;
    std::unique_ptr<SmtpTransport> transport; // opened at the first message
};

Sender::Sender(db::Database& db, const Clock& clock, TransportFactory transports,
               SenderOptions options)
    : m_db(db), m_clock(clock), m_transports(std::move(transports)), m_options(std::move(options)),
      m_limiter(m_options.rate_per_minute, m_options.rate_per_hour) {
    if (m_options.connections == 0)
        m_options.connections = 1;
    for (unsigned i = 0; i < m_options.connections; ++i)
        m_connections.push_back(
            std::make_unique<Connection>(fmt::format("{}#{}", m_options.worker_id, i + 1)));
}

Sender::~Sender() { stop(); }

// SQLite has one writer: the connections of this sender take turns here instead of meeting in
// SQLite's busy handler, which sleeps whole milliseconds between its tries.
template <class F> auto Sender::write(F&& fn) -> std::invoke_result_t<F, db::Connection&> {
    std::unique_lock lock(m_write_mutex, std::defer_lock);
    if (m_db.backend() == db::Backend::Sqlite)
        lock.lock();
    return m_db.transaction(db::TxMode::Write, std::forward<F>(fn));
}

Result<Produced> TransactionalSource::produce(const OutboxRow& row) {
    // A DKIM-Signature field is always the first a signer writes (mail/dkim.h).
    if (!m_dkim || !m_clock || row.payload.starts_with("DKIM-Signature:"))
        return Produced::send(row.payload);
    return Produced::send(TRY(m_dkim->sign(row.payload, m_clock->now())));
}

void Sender::register_source(OutboxKind kind, MessageSource& source) { m_sources[kind] = &source; }

std::string Sender::envelope_from(const OutboxRow& row) const {
    if (!m_options.verp_secret.empty() && !m_options.bounce_domain.empty())
        return verp_address(row.id, m_options.verp_secret, m_options.bounce_domain);
    return m_options.fallback_from;
}

std::optional<TimePoint> Sender::rate_limited_until() const {
    std::lock_guard lock(m_mutex);
    return m_limited_until;
}

Result<int> Sender::run_once() { return run_batch(*m_connections.front()); }

Result<int> Sender::run_until_idle(int max_batches) {
    int total = 0;
    for (int i = 0; i < max_batches; ++i) {
        auto n = TRY(run_batch(*m_connections.front()));
        if (n == 0)
            break;
        total += n;
    }
    return total;
}

// The rows of one claimed batch handed to the connection's transport one by one: rate limit,
// the lease's first half, suppression list and message source are checked when the transport
// asks for the next message; rows that are decided without sending are recorded right there.
struct Sender::BatchFeed final : MessageFeed {
    struct InFlight {
        const OutboxRow* row;
        std::string mime;
    };
    Sender& sender;
    Connection& conn;
    const std::vector<OutboxRow>& rows;
    const std::set<std::int64_t>& suppressed;
    TimePoint send_until;
    std::size_t next_row{0};
    int decided{0};
    std::optional<Error> error;
    std::deque<InFlight> in_flight; // stable addresses: the transport reads `mime` until done()

    BatchFeed(Sender& s, Connection& c, const std::vector<OutboxRow>& r,
              const std::set<std::int64_t>& sup, TimePoint until)
        : sender(s), conn(c), rows(r), suppressed(sup), send_until(until) {}

    void give_back_rest(TimePoint due) {
        for (; next_row < rows.size(); ++next_row) {
            auto r = sender.write([&](db::Connection& c) {
                return outbox::release(c, rows[next_row].id, conn.worker_id, due, sender.m_clock);
            });
            if (!r && !error)
                error = r.error();
        }
    }

    std::optional<Envelope> next() override {
        auto& clock = sender.m_clock;
        while (next_row < rows.size()) {
            if ((sender.m_stopping.load() && !sender.m_threads.empty()) || clock.now() > send_until) {
                // Stopping: what is not sent yet goes back at once, for the next instance.
                give_back_rest(clock.now());
                break;
            }
            if (auto until = sender.m_limiter.acquire(clock.now())) {
                {
                    std::lock_guard lock(sender.m_mutex);
                    sender.m_limited_until = until;
                }
                give_back_rest(*until);
                break;
            }
            {
                std::lock_guard lock(sender.m_mutex);
                sender.m_limited_until.reset();
            }
            const auto& row = rows[next_row++];
            ++decided;
            auto produced = sender.produce(conn, row, suppressed.contains(row.id));
            if (!produced) {
                spdlog::warn("outbox row {}: {}", row.id, produced.error().message);
                continue;
            }
            if (!*produced)
                continue; // decided without sending
            auto from = (*produced)->envelope_from.empty() ? sender.envelope_from(row)
                                                          : (*produced)->envelope_from;
            auto& m = in_flight.emplace_back(&row, std::move((*produced)->mime));
            return Envelope{std::move(from), row.email, m.mime};
        }
        return std::nullopt;
    }

    void done(const SmtpReply& reply) override {
        auto m = std::move(in_flight.front());
        in_flight.pop_front();
        if (auto r = sender.record(conn.worker_id, *m.row, reply); !r)
            spdlog::warn("outbox row {}: {}", m.row->id, r.error().message);
    }
};

Result<int> Sender::run_batch(Connection& conn) {
    // The suppression list is read with the claim, in the same transaction: one transaction
    // per batch instead of one per message (an address suppressed in the seconds between is
    // caught by the next message to it).
    std::set<std::int64_t> suppressed;
    auto rows = TRY(write([&](db::Connection& c) -> Result<std::vector<OutboxRow>> {
        suppressed.clear();
        auto claimed = TRY(outbox::claim(c, conn.worker_id, m_options.batch, m_options.lease, m_clock));
        for (const auto& row : claimed)
            if (TRY(suppressions::is_suppressed(c, row.email)))
                suppressed.insert(row.id);
        return claimed;
    }));
    if (rows.empty())
        return 0;
    // Nothing is sent once half the lease is over: the rest goes back, so a slow batch never
    // sends a row whose claim ran out and that another connection may be sending too.
    BatchFeed feed(*this, conn, rows, suppressed, m_clock.now() + m_options.lease / 2);
    if (!conn.transport)
        conn.transport = m_transports();
    conn.transport->send_all(feed);
    if (feed.error)
        return fail(*feed.error);
    return feed.decided;
}

// A claimed row before sending: the message to send, or nothing when the row was decided here
// (suppressed, skipped, held, no source, the source failed) and that is recorded.
Result<std::optional<Produced>> Sender::produce(Connection& conn, const OutboxRow& row,
                                                bool suppressed) {
    const auto& who = conn.worker_id;
    auto finish = [&](OutboxState state, const std::string& reason) -> Result<std::optional<Produced>> {
        TRY(write([&](db::Connection& c) {
            return outbox::finish(c, row.id, who, state, reason, std::nullopt, m_clock);
        }));
        return std::optional<Produced>{};
    };
    if (suppressed)
        return finish(OutboxState::Suppressed, "the address is on the suppression list");
    auto source = m_sources.find(row.kind);
    if (source == m_sources.end())
        return finish(OutboxState::Failed, fmt::format("no message source for {} mail", to_string(row.kind)));
    auto produced = source->second->produce(row);
    if (!produced) {
        SmtpReply none{.error = "could not produce the message: " + produced.error().message};
        TRY(record(who, row, none));
        return std::optional<Produced>{};
    }
    switch (produced->action) {
    case Produced::Action::Skip:
        if (!is_terminal(produced->state))
            return finish(OutboxState::Failed, "the message source skipped without a final state");
        return finish(produced->state, produced->reason);
    case Produced::Action::Hold:
        TRY(write([&](db::Connection& c) {
            return outbox::release(c, row.id, who, produced->hold_until, m_clock);
        }));
        return std::optional<Produced>{};
    case Produced::Action::Send: break;
    }
    return std::optional<Produced>(std::move(*produced));
}

// One result, inside the recording transaction. 5xx: bounced, and the address is suppressed
// (issue 4: permanent failures are never tried again); 4xx and no answer: later.
Result<bool> Sender::record_one(db::Connection& c, const std::string& who, const OutboxRow& row,
                               const SmtpReply& reply) {
    if (reply.accepted())
        return outbox::mark_sent(c, row.id, who, reply, m_clock);
    if (reply.permanent()) {
        auto done = TRY(outbox::finish(c, row.id, who, OutboxState::Bounced, reply.summary(),
                                       reply, m_clock));
        if (done)
            TRY(suppressions::suppress(c, row.email, suppressions::Reason::HardBounce,
                                       reply.summary(), m_clock));
        return done;
    }
    return outbox::retry_later(c, row, who, reply, m_options.retry, m_clock);
}

// Right after the MTA's answer, and the connection waits for the commit before its next
// message: so at any moment each connection has at most one message that the MTA accepted and
// the outbox does not know of yet (what a crash can repeat). The results of connections that
// finish at the same time share one transaction (group commit): whoever finds no transaction
// running commits everything pending, the others wait for it.
Result<void> Sender::record(const std::string& who, const OutboxRow& row, const SmtpReply& reply) {
    PendingResult me{&who, &row, &reply};
    std::unique_lock lock(m_record_mutex);
    m_pending.push_back(&me);
    while (!me.done) {
        if (m_recording) {
            m_recorded.wait(lock);
            continue;
        }
        m_recording = true;
        auto batch = std::move(m_pending);
        m_pending.clear();
        lock.unlock();
        auto r = write([&](db::Connection& c) -> Result<void> {
            for (auto* p : batch)
                p->kept = TRY(record_one(c, *p->who, *p->row, *p->reply));
            return {};
        });
        lock.lock();
        for (auto* p : batch) {
            p->done = true;
            if (!r)
                p->error = r.error();
        }
        m_recording = false;
        m_recorded.notify_all();
    }
    lock.unlock();
    if (me.error)
        return fail(*me.error);
    if (!me.kept)
        spdlog::warn("outbox row {}: the claim ran out before the result was recorded ({})",
                     row.id, reply.summary());
    return {};
}

void Sender::loop(Connection& conn) {
    while (!m_stopping.load()) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(m_mutex);
            seen = m_wakeups;
        }
        auto n = run_batch(conn);
        if (!n)
            spdlog::warn("outbox sender: {}", n.error().message);
        if (n && *n > 0 && !rate_limited_until())
            continue;
        std::unique_lock lock(m_mutex);
        auto wait = m_options.idle_poll;
        if (m_limited_until) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*m_limited_until -
                                                                              m_clock.now());
            wait = std::clamp(left, std::chrono::milliseconds(1), m_options.idle_poll);
        }
        m_wake.wait_for(lock, wait, [&] { return m_stopping.load() || m_wakeups != seen; });
    }
    conn.transport.reset(); // QUIT
}

void Sender::start() {
    for (auto& conn : m_connections)
        m_threads.emplace_back([this, c = conn.get()] {
            name_this_thread("th-mail");
            loop(*c);
        });
}

void Sender::notify() {
    {
        std::lock_guard lock(m_mutex);
        ++m_wakeups;
    }
    m_wake.notify_all();
}

void Sender::stop() {
    m_stopping = true;
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable())
            t.join();
    m_threads.clear();
}

} // namespace teilhabe::delivery
