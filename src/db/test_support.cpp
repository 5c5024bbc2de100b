#include "db/test_support.h"

#include "db/migrator.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace teilhabe::db::testing {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string unique_suffix() {
    static std::atomic<int> counter{0};
    return fmt::format("{}_{}", ::getpid(), counter++);
}

} // namespace

std::vector<Backend> backends() {
    std::vector<Backend> out{Backend::Sqlite};
    if (!env("TEILHABE_TEST_PG_URL").empty() || !env("CI").empty() ||
        !env("TEILHABE_REQUIRE_PG").empty())
        out.push_back(Backend::Postgresql);
    return out;
}

std::string backend_name(Backend b) { return b == Backend::Sqlite ? "SQLite" : "PostgreSQL"; }

TestDatabase::~TestDatabase() {
    db.reset();
    if (!m_sqlite_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_sqlite_dir, ec);
    }
    if (!m_pg_name.empty()) {
        auto admin = Database::open({.url = m_pg_admin_url, .pool_size = 1});
        if (admin)
            if (auto lease = (*admin)->acquire())
                (void)(*lease)->query(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", m_pg_name));
    }
}

Result<std::unique_ptr<TestDatabase>> make_database(Backend backend, bool migrated,
                                                    std::size_t pool_size) {
    auto t = std::make_unique<TestDatabase>();
    if (backend == Backend::Sqlite) {
        auto dir = std::filesystem::temp_directory_path() / ("teilhabe_test_" + unique_suffix());
        // Process ids wrap (pid_max is 32768 here): a directory left by a test process that was
        // killed, under the same id, would hand this test somebody else's rows.
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        std::filesystem::create_directories(dir);
        t->m_sqlite_dir = dir.string();
        t->url = "sqlite:" + (dir / "test.db").string();
    } else {
        std::string base = env("TEILHABE_TEST_PG_URL");
        if (base.empty())
            return fail(Error::unavailable(
                "TEILHABE_TEST_PG_URL is not set: run the tests with scripts/test.sh, which "
                "starts a PostgreSQL server"));
        t->m_pg_admin_url = base;
        t->m_pg_name = "t_" + unique_suffix();
        auto admin = TRY(Database::open({.url = base, .pool_size = 1}));
        auto lease = TRY(admin->acquire());
        TRY(lease->query(fmt::format("CREATE DATABASE {}", t->m_pg_name)));
        auto slash = base.rfind('/');
        t->url = base.substr(0, slash + 1) + t->m_pg_name;
    }
    t->db = TRY(Database::open({.url = t->url, .pool_size = pool_size}));
    if (migrated) {
        SystemClock clock;
        TRY(migrate(*t->db, clock));
    }
    return t;
}

} // namespace teilhabe::db::testing
