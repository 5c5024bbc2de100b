#include "db/migrator.h"

#include "db/dialect.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <optional>
#include <string_view>

std::optional<std::string_view> migrations_lookup(std::string_view path);
std::vector<std::string_view> migrations_list();

namespace teilhabe::db {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

std::optional<Migration> parse_name(std::string_view path, std::string_view prefix) {
    if (!path.starts_with(prefix) || !path.ends_with(".sql"))
        return std::nullopt;
    std::string_view file = path.substr(prefix.size());
    int version = 0;
    auto [p, ec] = std::from_chars(file.data(), file.data() + file.size(), version);
    if (ec != std::errc() || version <= 0)
        return std::nullopt;
    return Migration{version, std::string(file.substr(0, file.size() - 4)), {}};
}

} // namespace

std::vector<Migration> embedded_migrations(Backend backend) {
    std::string_view prefix = backend == Backend::Sqlite ? "sqlite/" : "postgresql/";
    std::vector<Migration> out;
    for (auto path : migrations_list()) {
        auto m = parse_name(path, prefix);
        if (!m)
            continue;
        m->sql = std::string(*migrations_lookup(path));
        out.push_back(std::move(*m));
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    return out;
}

Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations,
                                const Clock& clock) {
    for (std::size_t i = 1; i < migrations.size(); ++i)
        if (migrations[i].version == migrations[i - 1].version)
            return fail(Error::internal(
                fmt::format("two migrations share version {}", migrations[i].version)));
    MigrationReport report;
    for (const auto& m : migrations) {
        auto applied = db.transaction(TxMode::Write, [&](Connection& c) -> Result<bool> {
            if (auto lock = dialect::migration_lock(c.backend()); !lock.empty())
                TRY(c.query(lock));
            TRY(c.query(kCreateTable));
            auto done = TRY(c.query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                    {std::int64_t{m.version}}));
            if (!done.empty())
                return false;
            if (auto r = c.exec_script(m.sql); !r)
                return fail(Error::internal(
                    fmt::format("migration {} failed: {}", m.name, r.error().message)));
            TRY(c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)",
                        {std::int64_t{m.version}, m.name, clock.now_ms()}));
            return true;
        });
        if (!applied)
            return fail(applied.error());
        if (*applied)
            report.applied.push_back(m.name);
        report.current_version = m.version;
    }
    return report;
}

} // namespace teilhabe::db
