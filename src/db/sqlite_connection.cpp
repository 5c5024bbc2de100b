#include "db/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace teilhabe::db {

namespace {

Error map_error(int rc, const char* message) {
    std::string msg = fmt::format("SQLite: {}", message ? message : sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error::unavailable("database busy: " + msg);
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return Error::exists(msg);
        return Error::precondition(msg);
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG: return Error::invalid(msg);
    default: return Error::internal(msg);
    }
}

Result<void> bind_all(sqlite3_stmt* stmt, const Params& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        int idx = static_cast<int>(i + 1);
        int rc = std::visit(
            [&](const auto& v) -> int {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Null>)
                    return sqlite3_bind_null(stmt, idx);
                else if constexpr (std::is_same_v<T, std::int64_t>)
                    return sqlite3_bind_int64(stmt, idx, v);
                else if constexpr (std::is_same_v<T, double>)
                    return sqlite3_bind_double(stmt, idx, v);
                else // not copied: the caller's params outlive the statement's run (query())
                    return sqlite3_bind_text(stmt, idx, v.data(), static_cast<int>(v.size()),
                                             SQLITE_STATIC);
            },
            params[i]);
        if (rc != SQLITE_OK)
            return fail(map_error(rc, nullptr));
    }
    return {};
}

Value read_column(sqlite3_stmt* stmt, int col) {
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL: return Null{};
    case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, col);
    default: {
        auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        int len = sqlite3_column_bytes(stmt, col);
        return std::string(text ? text : "", static_cast<std::size_t>(len));
    }
    }
}

} // namespace

Result<std::unique_ptr<Connection>> SqliteConnection::open(const std::string& path,
                                                          SqliteOptions options) {
    // SQLite's memory statistics (unused here) take a process-wide mutex on every allocation;
    // off before the library initialises (sqlite3_config refuses afterwards, which is harmless).
    static const int no_memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)no_memstatus;
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(Error::unavailable(fmt::format("SQLite: cannot open {}: {}", path, msg)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
    // WAL lets readers work while one writer writes; NORMAL sync is durable at checkpoints and
    // safe against corruption (the WAL is fsynced on checkpoint); foreign keys are off by default.
    TRY(conn->exec_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
    return std::unique_ptr<Connection>(std::move(conn));
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, stmt] : m_statements)
        sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
}

Error SqliteConnection::error_from(int rc) const { return map_error(rc, sqlite3_errmsg(m_db)); }

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
    if (auto it = m_statements.find(sql); it != m_statements.end())
        return it->second;
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(m_db, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return fail(error_from(rc));
    m_statements.emplace(std::move(key), stmt);
    return stmt;
}

Result<Rows> SqliteConnection::query(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = TRY(prepare(sql));
    struct Reset {
        sqlite3_stmt* s;
        ~Reset() {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
        }
    } reset{stmt};
    TRY(bind_all(stmt, params));
    Rows out;
    int cols = sqlite3_column_count(stmt);
    for (int c = 0; c < cols; ++c)
        out.columns.emplace_back(sqlite3_column_name(stmt, c));
    for (;;) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            return fail(error_from(rc));
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c)
            values.push_back(read_column(stmt, c));
        out.rows.emplace_back(std::move(values));
    }
    out.affected = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(m_db);
    return out;
}

Result<void> SqliteConnection::exec_script(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        Error e = map_error(rc, err);
        sqlite3_free(err);
        return fail(std::move(e));
    }
    return {};
}

Result<void> SqliteConnection::begin(bool write) {
    // IMMEDIATE takes the write lock at once: two writers never deadlock upgrading a read lock.
    // Prepared once and kept, like every other statement: sqlite3_exec compiled them anew for
    // each of the thousands of transactions a second the click recorder and consumers run.
    TRY(query(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {}));
    return {};
}

Result<void> SqliteConnection::commit() {
    TRY(query("COMMIT", {}));
    return {};
}

void SqliteConnection::rollback() noexcept {
    if (!sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace teilhabe::db
