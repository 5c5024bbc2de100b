#pragma once
// Opening a town's database for a command: connect, migrate, load the secret.

#include "app/config.h"
#include "base/clock.h"
#include "db/database.h"
#include "staff/auth_service.h"

#include <memory>

namespace teilhabe::app {

struct Runtime {
    SystemClock clock;
    std::unique_ptr<db::Database> db;
    std::string secret;
    std::unique_ptr<staff::AuthService> auth;
};

// Prints a clear message on failure and returns nullptr.
std::unique_ptr<Runtime> open_runtime(const Config& config, bool migrate = true);

} // namespace teilhabe::app
