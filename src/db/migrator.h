#pragma once
// Numbered migrations per backend (migrations/sqlite/0001_x.sql, migrations/postgresql/...),
// compiled into the binary; applied in order, each in its own transaction, recorded in
// schema_migrations. Run by `teilhabe migrate` and at the start of `serve`.

#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"

#include <string>
#include <vector>

namespace teilhabe::db {

struct Migration {
    int version{0};
    std::string name;
    std::string sql;
};

// The migrations compiled in for a backend, sorted by version.
std::vector<Migration> embedded_migrations(Backend backend);

struct MigrationReport {
    std::vector<std::string> applied; // names applied by this run
    int current_version{0};
};

Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations,
                                const Clock& clock);
inline Result<MigrationReport> migrate(Database& db, const Clock& clock) {
    return migrate(db, embedded_migrations(db.backend()), clock);
}

} // namespace teilhabe::db
