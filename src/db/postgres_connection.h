#pragma once
// PostgreSQL connection over libpq: UTF-8, UTC, prepared statements cached per connection, the
// same error codes as SQLite (docs/decisions.md "Database layer").

#include "db/connection.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;

namespace teilhabe::db {

class PostgresConnection final : public Connection {
public:
    // Takes ownership of an open libpq connection (see connect_postgresql).
    explicit PostgresConnection(pg_conn* conn) : m_conn(conn) {}
    ~PostgresConnection() override;

    Backend backend() const override { return Backend::Postgresql; }
    Result<Rows> query(std::string_view sql, const Params& params) override;
    Result<void> exec_script(std::string_view sql) override;
    Result<void> begin(bool write) override;
    Result<void> commit() override;
    void rollback() noexcept override;
    // Only an idle connection goes back into use: one left inside a transaction (failed or
    // not) would run the next borrower's statements in someone else's transaction.
    bool healthy() override;

private:
    struct Prepared {
        std::string name;
        std::vector<unsigned int> param_types; // libpq's Oid
    };
    Result<const Prepared*> prepare(std::string_view sql);

    pg_conn* m_conn;
    std::unordered_map<std::string, Prepared> m_statements;
    std::size_t m_next_statement{1};
};

// Opens a connection to a postgresql:// URL. Fails with Unavailable when the server cannot be
// reached; the message names host, port and database but never the password.
Result<std::unique_ptr<Connection>> connect_postgresql(const std::string& url);

// Turns the `?` placeholders of our statements into PostgreSQL's $1, $2 ... Question marks
// inside '...' literals (E'...' with backslash escapes), "..." identifiers, $tag$...$tag$
// bodies and -- or /* */ comments stay as they are. There is no escape for a literal `?`
// (`??` becomes `$1$2`), so the jsonb operators ?, ?| and ?& must be written as functions.
std::string rewrite_placeholders(std::string_view sql);

} // namespace teilhabe::db
