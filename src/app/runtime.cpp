#include "app/runtime.h"

#include "db/migrator.h"
#include "security/crypto.h"

#include <spdlog/spdlog.h>

namespace teilhabe::app {

std::unique_ptr<Runtime> open_runtime(const Config& config, bool migrate) {
    if (auto s = security::init(); !s) {
        spdlog::critical("{}", s.error().message);
        return nullptr;
    }
    auto rt = std::make_unique<Runtime>();
    auto db = db::Database::open({.url = config.database, .pool_size = config.db_pool});
    if (!db) {
        spdlog::critical("database: {}", db.error().message);
        return nullptr;
    }
    rt->db = std::move(*db);
    if (migrate) {
        auto report = db::migrate(*rt->db, rt->clock);
        if (!report) {
            spdlog::critical("migration: {}", report.error().message);
            return nullptr;
        }
        for (const auto& name : report->applied)
            spdlog::info("migration applied: {}", name);
    }
    auto secret = staff::load_or_create_secret(*rt->db, rt->clock);
    if (!secret) {
        spdlog::critical("could not load the server secret: {}", secret.error().message);
        return nullptr;
    }
    rt->secret = *secret;
    rt->auth = std::make_unique<staff::AuthService>(*rt->db, rt->clock, rt->secret);
    return rt;
}

} // namespace teilhabe::app
