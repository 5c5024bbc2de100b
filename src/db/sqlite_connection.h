#pragma once
// SQLite connection: WAL journal, foreign keys on, a busy timeout, prepared statements cached.

#include "db/connection.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace teilhabe::db {

struct SqliteOptions {
    std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};
};

class SqliteConnection final : public Connection {
public:
    static Result<std::unique_ptr<Connection>> open(const std::string& path, SqliteOptions options);
    ~SqliteConnection() override;

    Backend backend() const override { return Backend::Sqlite; }
    Result<Rows> query(std::string_view sql, const Params& params) override;
    Result<void> exec_script(std::string_view sql) override;
    Result<void> begin(bool write) override;
    Result<void> commit() override;
    void rollback() noexcept override;
    bool healthy() override { return m_db != nullptr; }

private:
    explicit SqliteConnection(sqlite3* db) : m_db(db) {}
    Result<sqlite3_stmt*> prepare(std::string_view sql);
    Error error_from(int rc) const;

    sqlite3* m_db{nullptr};
    // Looked up by string_view, without a copy of the SQL per query.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> m_statements;
};

} // namespace teilhabe::db
