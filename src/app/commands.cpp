#include "app/commands.h"

#include "app/runtime.h"
#include "db/migrator.h"
#include "db/postgres_env.h"
#include "ledger/ledger_store.h"
#include "portal/accounts.h"
#include "security/crypto.h"
#include "staff/role.h"

#include <fmt/format.h>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

namespace teilhabe::app {

int cmd_migrate(const Config& config) {
    // Only the database: the rest of the runtime needs the tables this command creates.
    if (auto s = security::init(); !s) {
        std::cerr << "teilhabe migrate: " << s.error().message << "\n";
        return 1;
    }
    auto db = db::Database::open({.url = config.database, .pool_size = 1});
    if (!db) {
        std::cerr << "teilhabe migrate: database: " << db.error().message << "\n";
        return 1;
    }
    SystemClock clock;
    auto report = db::migrate(**db, clock);
    if (!report) {
        std::cerr << "teilhabe migrate: " << report.error().message << "\n";
        return 1;
    }
    for (const auto& name : report->applied)
        std::cout << "applied " << name << "\n";
    std::cout << "database " << (*db)->url_for_display() << " is at version "
              << report->current_version << "\n";
    return 0;
}

int cmd_user_add(const Config& config, const std::string& email, const std::string& role_name,
                 const std::string& name, std::istream& password_in) {
    auto role = staff::parse_role(role_name);
    if (!role) {
        std::cerr << "teilhabe user add: unknown role '" << role_name
                  << "' (admin, editor, department, analyst, dpo, partner)\n";
        return 2;
    }
    std::string password;
    std::getline(password_in, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    auto user = rt->auth->create_user(email, password, *role, std::nullopt, name);
    if (!user) {
        std::cerr << "teilhabe user add: " << user.error().message << "\n";
        return user.error().code == ErrorCode::AlreadyExists ? 3 : 1;
    }
    std::cout << "created staff account " << user->email << " (" << staff::to_string(user->role)
              << ")\n";
    return 0;
}

int cmd_portal_account_add(const Config& config, const std::string& email,
                           std::istream& password_in) {
    std::string password;
    std::getline(password_in, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    if (password.size() < 8) {
        std::cerr << "teilhabe portal-account add: the password needs at least 8 characters\n";
        return 2;
    }
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    auto hash = security::hash_password(password);
    auto id = hash ? rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return portal::open_account(c,
                                    {.email = email,
                                     .password_hash = *hash,
                                     .verified = true,
                                     .actor = "system:cli"},
                                    rt->clock);
    })
                   : Result<std::int64_t>(fail(hash.error()));
    if (!id) {
        std::cerr << "teilhabe portal-account add: " << id.error().message << "\n";
        return id.error().code == ErrorCode::AlreadyExists ? 3 : 1;
    }
    std::cout << "opened portal account " << *id << " for " << email << "\n";
    return 0;
}

int cmd_apikey_create(const Config& config, const std::string& name, const std::string& role_name) {
    auto role = staff::parse_role(role_name);
    if (!role) {
        std::cerr << "teilhabe apikey create: unknown role '" << role_name << "'\n";
        return 2;
    }
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    auto key = rt->auth->create_api_key(name, *role);
    if (!key) {
        std::cerr << "teilhabe apikey create: " << key.error().message << "\n";
        return 1;
    }
    // The only time the key is shown: it is stored as a hash.
    std::cout << *key << "\n";
    return 0;
}

int cmd_apikey_list(const Config& config, std::ostream& out) {
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    auto keys = rt->auth->list_api_keys();
    if (!keys) {
        std::cerr << "teilhabe apikey list: " << keys.error().message << "\n";
        return 1;
    }
    auto when = [](std::optional<std::int64_t> ms) {
        return ms ? format_iso8601(from_unix_ms(*ms)) : std::string("-");
    };
    out << fmt::format("{:>4}  {:<24} {:<12} {:<10} {:<20} {:<20} {}\n", "id", "name", "prefix",
                       "role", "created", "last used", "revoked");
    for (const auto& k : *keys)
        out << fmt::format("{:>4}  {:<24} {:<12} {:<10} {:<20} {:<20} {}\n", k.key.id, k.key.name,
                           k.key.prefix, staff::to_string(k.key.role), when(k.created_ms),
                           when(k.key.last_used_ms), when(k.revoked_ms));
    return 0;
}

int cmd_apikey_revoke(const Config& config, std::int64_t id) {
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    if (auto r = rt->auth->revoke_api_key(id, "cli"); !r) {
        std::cerr << "teilhabe apikey revoke: " << r.error().message << "\n";
        return r.error().code == ErrorCode::NotFound ? 3 : 1;
    }
    std::cout << "revoked API key " << id << "\n";
    return 0;
}

int cmd_ledger_check(const Config& config, std::ostream& out) {
    auto db = db::Database::open({.url = config.database, .pool_size = 1});
    if (!db) {
        std::cerr << "teilhabe ledger check: database: " << db.error().message << "\n";
        return 1;
    }
    // One read transaction: a consistent snapshot while the server goes on writing.
    auto report = (*db)->transaction(db::TxMode::Read,
                                     [](db::Connection& c) { return ledger::check(c); });
    if (!report) {
        std::cerr << "teilhabe ledger check: " << report.error().message << "\n";
        return 1;
    }
    for (const auto& p : report->problems)
        out << "BROKEN: " << p << "\n";
    out << fmt::format("{} accounts, {} transfers: {}\n", report->accounts, report->transfers,
                       report->ok() ? "balanced" : "NOT BALANCED");
    return report->ok() ? 0 : 1;
}

int cmd_backup(const Config& config, const std::string& file) {
    auto rt = open_runtime(config, false);
    if (!rt)
        return 1;
    if (::access(file.c_str(), F_OK) == 0) {
        std::cerr << "teilhabe backup: " << file << " exists already; choose a new file\n";
        return 1;
    }
    if (rt->db->backend() == db::Backend::Sqlite) {
        // VACUUM INTO writes a consistent snapshot while other connections keep working.
        auto lease = rt->db->acquire();
        if (!lease) {
            std::cerr << "teilhabe backup: " << lease.error().message << "\n";
            return 1;
        }
        auto r = (*lease)->query("VACUUM INTO ?", {file});
        if (!r) {
            std::cerr << "teilhabe backup: " << r.error().message << "\n";
            return 1;
        }
        std::cout << "backup written to " << file << "\n";
        return 0;
    }
    // PostgreSQL: pg_dump takes a consistent snapshot in one transaction. The connection goes
    // to it in the environment (PGPASSWORD ...), never in argv, where any user could read it.
    auto pg_env = db::postgres_environment(config.database);
    if (!pg_env) {
        std::cerr << "teilhabe backup: " << pg_env.error().message << "\n";
        return 1;
    }
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (!std::string_view(*e).starts_with("PG"))
            env_strings.emplace_back(*e);
    for (const auto& [name, value] : *pg_env)
        env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args{"pg_dump", "--format=custom", "--file", file};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::execvpe("pg_dump", argv.data(), envp.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::cerr << "teilhabe backup: pg_dump failed\n";
        return 1;
    }
    std::cout << "backup written to " << file << " (pg_restore format)\n";
    return 0;
}

} // namespace teilhabe::app
