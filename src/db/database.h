#pragma once
// A database: a pool of connections to one SQLite file or one PostgreSQL database, with
// transactions that retry when the engine reports contention. One per town (DESIGN.md "One
// town = one database"): passed around in a context, never a global.

#include "base/error.h"
#include "db/connection.h"

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace teilhabe::db {

struct DatabaseOptions {
    std::string url{"sqlite:teilhabe.db"};
    std::size_t pool_size{8};
    std::chrono::milliseconds acquire_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};
};

enum class TxMode { Read, Write };

class Database;

// A connection borrowed from the pool; returned on destruction.
class Lease {
public:
    Lease(Database* db, std::unique_ptr<Connection> conn) : m_db(db), m_conn(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    Connection& operator*() { return *m_conn; }
    Connection* operator->() { return m_conn.get(); }

private:
    Database* m_db;
    std::unique_ptr<Connection> m_conn;
};

// A mutex that lets threads in in the order they came (a ticket lock).
class FairMutex {
public:
    void lock() {
        std::unique_lock l(m_mutex);
        auto ticket = m_next++;
        m_turn.wait(l, [&] { return m_serving == ticket; });
        m_owner = std::this_thread::get_id();
    }
    void unlock() {
        {
            std::lock_guard l(m_mutex);
            m_owner = std::thread::id();
            ++m_serving;
        }
        m_turn.notify_all();
    }
    // How many hold or wait for the mutex.
    std::uint64_t queued() {
        std::lock_guard l(m_mutex);
        return m_next - m_serving;
    }
    // True in the thread whose turn it is (a write transaction opened inside another one).
    bool held_here() {
        std::lock_guard l(m_mutex);
        return m_owner == std::this_thread::get_id();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_turn;
    std::uint64_t m_next{0}, m_serving{0};
    std::thread::id m_owner;
};

class Database {
public:
    static Result<std::unique_ptr<Database>> open(DatabaseOptions options);
    ~Database();

    Backend backend() const { return m_backend; }
    const std::string& url_for_display() const { return m_display_url; }

    Result<Lease> acquire();

    // Runs fn(Connection&) inside one transaction; commits when fn returns a value, rolls back
    // when it returns an error. Retries a bounded number of times when the engine reports
    // contention ("database busy", PostgreSQL serialization failures), so fn must be pure apart
    // from its database work.
    template <class F> auto transaction(TxMode mode, F&& fn) -> std::invoke_result_t<F, Connection&>;

    // SELECT 1 through a pooled connection: /healthz.
    Result<void> ping();

private:
    friend class Lease;
    Database(DatabaseOptions options, Backend backend);
    Result<std::unique_ptr<Connection>> connect();
    void give_back(std::unique_ptr<Connection> conn);

    DatabaseOptions m_options;
    Backend m_backend;
    std::string m_display_url;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<Connection>> m_idle;
    std::size_t m_open{0};
    // SQLite has one writer per file. This process's writers take turns here, in the order they
    // came, before BEGIN IMMEDIATE, instead of polling in SQLite's busy handler — whose sleeps
    // grow to 100 ms and let a writer that is busy anyway (a consumer catching up on a million
    // activities) take the lock again and again while a request's audit entry waits for
    // minutes. Writers in other processes (a CLI import) still meet the busy handler.
    FairMutex m_write_turn;
};

bool is_contention(const Error& e);

template <class F>
auto Database::transaction(TxMode mode, F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    constexpr int max_attempts = 8;
    Error last;
    std::unique_lock<FairMutex> turn;
    // A write transaction inside another one in the same thread does not wait for its own turn
    // (it meets SQLite's lock as before and fails as busy instead of hanging).
    if (mode == TxMode::Write && m_backend == Backend::Sqlite && !m_write_turn.held_here())
        turn = std::unique_lock<FairMutex>(m_write_turn);
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        auto lease = acquire();
        if (!lease)
            return R(std::unexpected(lease.error()));
        Connection& conn = **lease;
        if (auto b = conn.begin(mode == TxMode::Write); !b) {
            last = b.error();
            if (is_contention(last))
                continue;
            return R(std::unexpected(last));
        }
        R result = fn(conn);
        if (!result) {
            conn.rollback();
            if (is_contention(result.error()) && attempt + 1 < max_attempts) {
                last = result.error();
                continue;
            }
            return result;
        }
        if (auto c = conn.commit(); !c) {
            conn.rollback();
            last = c.error();
            if (is_contention(last))
                continue;
            return R(std::unexpected(last));
        }
        return result;
    }
    return R(std::unexpected(last));
}

} // namespace teilhabe::db
