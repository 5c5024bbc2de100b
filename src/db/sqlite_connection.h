#pragma once
// SQLite connection: WAL journal, foreign keys on, a busy timeout, prepared statements cached.

#include "db/connection.h"

#include <chrono>
#include <memory>
#include <string>
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
    std::unordered_map<std::string, sqlite3_stmt*> m_statements;
};

} // namespace teilhabe::db
