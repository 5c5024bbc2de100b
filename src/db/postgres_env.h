#pragma once
// A PostgreSQL URL as the PG* environment variables of libpq, for the client programs we start
// (pg_dump for `teilhabe backup`): in argv the password would be readable by every user of the
// machine in /proc/PID/cmdline; the environment of a process is readable only by its owner.

#include "base/error.h"

#include <string>
#include <utility>
#include <vector>

namespace teilhabe::db {

// E.g. {"PGHOST","db"}, {"PGPASSWORD","..."}, {"PGDATABASE","teilhabe"}: one pair per setting
// in the URL that libpq knows an environment variable for.
Result<std::vector<std::pair<std::string, std::string>>> postgres_environment(const std::string& url);

} // namespace teilhabe::db
