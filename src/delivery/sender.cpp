#include "delivery/sender.h"

#include "delivery/outbox_store.h"
#include "delivery/suppression_store.h"
#include "delivery/verp.h"

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
    // Nothing is sent once half the lease is over: the rest goes back, so a slow batch never
    // sends a row whose claim ran out and that another connection may be sending too.
    auto send_until = m_clock.now() + m_options.lease / 2;
    int decided = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if ((m_stopping.load() && !m_threads.empty()) || m_clock.now() > send_until) {
            // Stopping: what is not sent yet goes back at once, for the next instance.
            for (auto j = i; j < rows.size(); ++j)
                TRY(write([&](db::Connection& c) {
                    return outbox::release(c, rows[j].id, conn.worker_id, m_clock.now(), m_clock);
                }));
            break;
        }
        if (auto until = m_limiter.acquire(m_clock.now())) {
            {
                std::lock_guard lock(m_mutex);
                m_limited_until = until;
            }
            for (auto j = i; j < rows.size(); ++j)
                TRY(write([&](db::Connection& c) {
                    return outbox::release(c, rows[j].id, conn.worker_id, *until, m_clock);
                }));
            break;
        }
        {
            std::lock_guard lock(m_mutex);
            m_limited_until.reset();
        }
        if (auto h = handle(conn, rows[i], suppressed.contains(rows[i].id)); !h)
            spdlog::warn("outbox row {}: {}", rows[i].id, h.error().message);
        ++decided;
    }
    return decided;
}

Result<void> Sender::handle(Connection& conn, const OutboxRow& row, bool suppressed) {
    const auto& who = conn.worker_id;
    auto finish = [&](OutboxState state, const std::string& reason,
                      const std::optional<SmtpReply>& reply) -> Result<void> {
        TRY(write([&](db::Connection& c) {
            return outbox::finish(c, row.id, who, state, reason, reply, m_clock);
        }));
        return {};
    };
    if (suppressed)
        return finish(OutboxState::Suppressed, "the address is on the suppression list", {});
    auto source = m_sources.find(row.kind);
    if (source == m_sources.end())
        return finish(OutboxState::Failed, fmt::format("no message source for {} mail", to_string(row.kind)), {});
    auto produced = source->second->produce(row);
    if (!produced) {
        SmtpReply none{.error = "could not produce the message: " + produced.error().message};
        return record(who, row, none);
    }
    switch (produced->action) {
    case Produced::Action::Skip:
        if (!is_terminal(produced->state))
            return finish(OutboxState::Failed, "the message source skipped without a final state", {});
        return finish(produced->state, produced->reason, {});
    case Produced::Action::Hold:
        TRY(write([&](db::Connection& c) {
            return outbox::release(c, row.id, who, produced->hold_until, m_clock);
        }));
        return {};
    case Produced::Action::Send: break;
    }
    if (!conn.transport)
        conn.transport = m_transports();
    auto from = produced->envelope_from.empty() ? envelope_from(row) : produced->envelope_from;
    auto reply = conn.transport->send(from, row.email, produced->mime);
    return record(who, row, reply);
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
        m_wake.wait_for(lock, wait, [&] { return m_stopping.load() || m_notified; });
        m_notified = false;
    }
    conn.transport.reset(); // QUIT
}

void Sender::start() {
    for (auto& conn : m_connections)
        m_threads.emplace_back([this, c = conn.get()] { loop(*c); });
}

void Sender::notify() {
    {
        std::lock_guard lock(m_mutex);
        m_notified = true;
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
