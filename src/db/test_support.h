#pragma once
// Store tests run against SQLite and PostgreSQL (DESIGN.md "Tests"). Each test gets a fresh,
// migrated database: a new SQLite file in a temporary folder, or a new PostgreSQL database
// created on the server the test script started (TEILHABE_TEST_PG_URL).

#include "base/clock.h"
#include "db/database.h"

#include <memory>
#include <string>
#include <vector>

namespace teilhabe::db::testing {

// The backends to run parametrised store tests on. PostgreSQL is included when
// TEILHABE_TEST_PG_URL is set; when it is not set but CI or TEILHABE_REQUIRE_PG is, the
// PostgreSQL case is still listed so that it fails instead of silently dropping out.
std::vector<Backend> backends();
std::string backend_name(Backend b);

struct TestDatabase {
    std::unique_ptr<Database> db;
    std::string url;
    ~TestDatabase();

    // Cleanup bookkeeping (set by make_database).
    std::string m_sqlite_dir;
    std::string m_pg_admin_url;
    std::string m_pg_name;
};

// A fresh database of the given backend, migrated unless `migrated` is false.
Result<std::unique_ptr<TestDatabase>> make_database(Backend backend, bool migrated = true,
                                                    std::size_t pool_size = 4);

} // namespace teilhabe::db::testing
