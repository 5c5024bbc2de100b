#include "db/database.h"

#include "db/postgres_connection.h"
#include "db/sqlite_connection.h"

#include <regex>

namespace teilhabe::db {

namespace {

// postgresql://user:secret@host/db -> postgresql://user:***@host/db (secrets never logged).
std::string redact(const std::string& url) {
    static const std::regex pw(R"(^([a-z]+://[^:/@]+:)[^@]*@)");
    return std::regex_replace(url, pw, "$1***@");
}

} // namespace

bool is_contention(const Error& e) {
    return e.code == ErrorCode::Unavailable && e.message.starts_with("database busy");
}

Lease::~Lease() {
    if (m_db && m_conn)
        m_db->give_back(std::move(m_conn));
}

Database::Database(DatabaseOptions options, Backend backend)
    : m_options(std::move(options)), m_backend(backend), m_display_url(redact(m_options.url)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(DatabaseOptions options) {
    Backend backend;
    if (options.url.starts_with("sqlite:"))
        backend = Backend::Sqlite;
    else if (options.url.starts_with("postgresql://") || options.url.starts_with("postgres://"))
        backend = Backend::Postgresql;
    else
        return fail(Error::invalid("TEILHABE_DATABASE must start with sqlite: or postgresql://",
                                   "database"));
    if (options.pool_size == 0)
        options.pool_size = 1;
    std::unique_ptr<Database> db(new Database(std::move(options), backend));
    // Open one connection now so that a wrong address fails at start, not at first request.
    auto first = TRY(db->connect());
    db->m_open = 1;
    db->m_idle.push_back(std::move(first));
    return db;
}

Result<std::unique_ptr<Connection>> Database::connect() {
    if (m_backend == Backend::Sqlite) {
        std::string path = m_options.url.substr(std::string_view("sqlite:").size());
        if (path.starts_with("//"))
            path = path.substr(2);
        if (path.empty())
            return fail(Error::invalid("sqlite: needs a file path", "database"));
        return SqliteConnection::open(path, SqliteOptions{m_options.busy_timeout});
    }
    return connect_postgresql(m_options.url);
}

Result<Lease> Database::acquire() {
    std::unique_lock lock(m_mutex);
    auto deadline = std::chrono::steady_clock::now() + m_options.acquire_timeout;
    for (;;) {
        while (!m_idle.empty()) {
            auto conn = std::move(m_idle.back());
            m_idle.pop_back();
            if (conn->healthy())
                return Lease(this, std::move(conn));
            --m_open;
        }
        if (m_open < m_options.pool_size) {
            ++m_open;
            lock.unlock();
            auto conn = connect();
            if (!conn) {
                std::lock_guard relock(m_mutex);
                --m_open;
                return fail(conn.error());
            }
            return Lease(this, std::move(*conn));
        }
        if (m_available.wait_until(lock, deadline) == std::cv_status::timeout && m_idle.empty())
            return fail(Error::unavailable("no database connection free"));
    }
}

void Database::give_back(std::unique_ptr<Connection> conn) {
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(conn));
    }
    m_available.notify_one();
}

Result<void> Database::ping() {
    auto lease = TRY(acquire());
    TRY(lease->query("SELECT 1"));
    return {};
}

} // namespace teilhabe::db
