#pragma once
// A connection to SQLite or PostgreSQL. Statements are written once with `?` placeholders;
// the PostgreSQL connection rewrites them to $1, $2 ... (see dialect.h for the other
// differences, kept in one place).

#include "base/error.h"
#include "db/value.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::db {

enum class Backend { Sqlite, Postgresql };

using Params = std::vector<Value>;

class Connection {
public:
    virtual ~Connection() = default;
    virtual Backend backend() const = 0;

    // Runs one statement with bound parameters and returns its rows (if any).
    virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
    // Runs a script of several statements without parameters (migrations).
    virtual Result<void> exec_script(std::string_view sql) = 0;

    // Transaction control. begin_write() takes the write lock up front on SQLite
    // (BEGIN IMMEDIATE) so that two writers never deadlock on a lock upgrade.
    virtual Result<void> begin(bool write) = 0;
    virtual Result<void> commit() = 0;
    virtual void rollback() noexcept = 0;

    // True when the connection is still usable (a pool drops broken ones).
    virtual bool healthy() = 0;

    // Convenience: first row or NotFound.
    Result<Row> query_one(std::string_view sql, const Params& params = {});
    Result<std::int64_t> execute(std::string_view sql, const Params& params = {});
};

} // namespace teilhabe::db
