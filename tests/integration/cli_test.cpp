// The operators' commands of the real binary: configuration errors, migrate, user add,
// apikey create, JSON logs, backup.
#include "db/test_support.h"
#include "harness/http_client.h"
#include "harness/server_process.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace teilhabe::testing {
namespace {

using db::Backend;

std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

TEST(Cli, UnknownConfigurationKeyIsNamed) {
    auto dir = temp_dir("teilhabe_cfg");
    std::ofstream(dir / "teilhabe.toml") << "listen = \"127.0.0.1:1\"\ndatabse = \"sqlite:x.db\"\n";
    auto r = run({.argv = {teilhabe_binary(), "migrate", "--config", (dir / "teilhabe.toml").string()}});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("unknown setting 'databse'"), std::string::npos) << r.output;
    std::filesystem::remove_all(dir);
}

TEST(Cli, InvalidEnvironmentValueIsRefused) {
    auto r = run({.argv = {teilhabe_binary(), "migrate"},
                  .env = {{"TEILHABE_DATABASE", "mysql://nope"}}});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("database"), std::string::npos) << r.output;
}

class CliTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto d = db::testing::make_database(GetParam(), /*migrated=*/false, 1);
        ASSERT_TRUE(d) << d.error().message;
        database = std::move(*d);
        database->db.reset();
    }
    RunResult teilhabe(std::vector<std::string> args, std::string stdin_data = {},
                       std::vector<std::pair<std::string, std::string>> env = {}) {
        args.insert(args.begin(), teilhabe_binary());
        env.emplace_back("TEILHABE_DATABASE", database->url);
        return run({.argv = args, .env = env, .stdin_data = stdin_data});
    }
    std::unique_ptr<db::testing::TestDatabase> database;
};

TEST_P(CliTest, MigrateIsIdempotent) {
    auto first = teilhabe({"migrate"});
    ASSERT_EQ(first.exit_code, 0) << first.output;
    EXPECT_NE(first.output.find("applied 0001_foundation"), std::string::npos) << first.output;
    auto second = teilhabe({"migrate"});
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(second.output.find("applied"), std::string::npos) << second.output;
    EXPECT_NE(second.output.find("is at version"), std::string::npos);
}

TEST_P(CliTest, UserAddReadsThePasswordFromStdinAndRefusesAWeakOne) {
    auto weak = teilhabe({"user", "add", "--email", "kurz@musterstadt.example", "--role", "editor"}, "abc\n");
    EXPECT_NE(weak.exit_code, 0);
    EXPECT_EQ(weak.output.find("abc"), std::string::npos) << "the password must not be echoed";

    auto ok = teilhabe({"user", "add", "--email", "Pressestelle@Musterstadt.example", "--role", "editor"},
                       "ein langes Passwort für die Pressestelle\n");
    ASSERT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_NE(ok.output.find("pressestelle@musterstadt.example"), std::string::npos) << ok.output;
    EXPECT_EQ(ok.output.find("ein langes Passwort"), std::string::npos);

    auto again = teilhabe({"user", "add", "--email", "pressestelle@musterstadt.example", "--role", "admin"},
                          "noch ein langes Passwort hier\n");
    EXPECT_NE(again.exit_code, 0);
}

TEST_P(CliTest, ApiKeyAuthenticatesWithItsRole) {
    auto key = teilhabe({"apikey", "create", "--name", "Website CMS", "--role", "analyst"});
    ASSERT_EQ(key.exit_code, 0) << key.output;
    std::string token = key.output.substr(0, key.output.find('\n'));
    ASSERT_TRUE(token.starts_with("thk_")) << key.output;

    auto server = ServerProcess::start(database->url);
    ASSERT_TRUE(server) << server.error().message;
    auto me = http(server->port(), {.target = "/api/v1/me", .headers = {{"Authorization", "Bearer " + token}}});
    ASSERT_EQ(me.status, 200) << me.body;
    auto body = nlohmann::json::parse(me.body);
    EXPECT_EQ(body["kind"], "api_key");
    EXPECT_EQ(body["role"], "analyst");

    auto forged = http(server->port(), {.target = "/api/v1/me",
                                        .headers = {{"Authorization", "Bearer " + token + "x"}}});
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.header("content-type"), "application/problem+json");

    // The operator sees the key's last use, revokes it, and it stops working at once.
    auto listed = teilhabe({"apikey", "list"});
    ASSERT_EQ(listed.exit_code, 0) << listed.output;
    EXPECT_NE(listed.output.find("Website CMS"), std::string::npos) << listed.output;
    EXPECT_EQ(listed.output.find(token), std::string::npos) << "the key itself is never shown again";
    auto row = listed.output.substr(listed.output.find('\n') + 1);
    EXPECT_EQ(row.find(" - "), std::string::npos) << "created and last used are set: " << row;
    std::string id = row.substr(row.find_first_not_of(' '), row.find("  ", row.find_first_not_of(' ')) -
                                                             row.find_first_not_of(' '));
    auto revoked = teilhabe({"apikey", "revoke", id});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
    auto after = http(server->port(), {.target = "/api/v1/me", .headers = {{"Authorization", "Bearer " + token}}});
    EXPECT_EQ(after.status, 401) << after.body;
    EXPECT_EQ(teilhabe({"apikey", "revoke", id}).exit_code, 3);

    EXPECT_EQ(server->stop(), 0);
    EXPECT_EQ(server->process().output().find(token), std::string::npos) << "secrets are never logged";
}

TEST_P(CliTest, JsonLogsAreOneObjectPerLine) {
    auto server = ServerProcess::start(database->url, {{"TEILHABE_LOG_FORMAT", "json"}});
    ASSERT_TRUE(server) << server.error().message;
    http_get(server->port(), "/healthz?probe=1");
    EXPECT_EQ(server->stop(), 0);
    std::istringstream lines(server->process().output());
    std::string line;
    int parsed = 0;
    bool saw_request = false;
    while (std::getline(lines, line)) {
        if (line.empty())
            continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << line;
        ASSERT_TRUE(j.contains("level") && j.contains("msg")) << line;
        saw_request = saw_request || j["msg"].get<std::string>().find("/healthz") != std::string::npos;
        ++parsed;
    }
    EXPECT_GT(parsed, 2);
    EXPECT_TRUE(saw_request) << "the request log names the path";
}

TEST_P(CliTest, DemoPrintsAWorkingAdminLogin) {
    auto demo = teilhabe({"demo", "--citizens", "25"});
    ASSERT_EQ(demo.exit_code, 0) << demo.output;
    auto at = demo.output.find("Passwort ");
    ASSERT_NE(at, std::string::npos) << demo.output;
    EXPECT_NE(demo.output.find("E-Mail admin@musterstadt.example"), std::string::npos);
    // Run twice: no duplicates, and a fresh password that works (the browser test logs in with it).
    auto again = teilhabe({"demo", "--citizens", "25"});
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("Passwort "), std::string::npos);
}

TEST_P(CliTest, ImportIsAllOrNothingWithAReportPerRow) {
    auto dir = temp_dir("teilhabe_import");
    auto good = (dir / "gut.csv").string();
    std::ofstream(good) << "E-Mail;Vorname;Stadtteil\nanna@example.org;Anna;Nord\nbob@example.org;Bob;S\xFC" "d\n";
    auto bad = (dir / "schlecht.csv").string();
    std::ofstream(bad) << "E-Mail;Sprache\ncarla@example.org;de\nkein-at-zeichen;de\n";

    auto dry = teilhabe({"import", good, "--dry-run"});
    EXPECT_EQ(dry.exit_code, 0) << dry.output;
    EXPECT_NE(dry.output.find("would be 2 created"), std::string::npos) << dry.output;

    auto refused = teilhabe({"import", bad});
    EXPECT_EQ(refused.exit_code, 1) << refused.output;
    EXPECT_NE(refused.output.find("line 3, column 'E-Mail'"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("nothing was imported"), std::string::npos);

    auto imported = teilhabe({"import", good, "--map", "Stadtteil=district"});
    EXPECT_EQ(imported.exit_code, 0) << imported.output;
    EXPECT_NE(imported.output.find("2 created, 0 updated"), std::string::npos) << imported.output;
    EXPECT_NE(imported.output.find("Windows-1252"), std::string::npos);
    auto again = teilhabe({"import", good});
    EXPECT_NE(again.output.find("0 created, 0 updated, 2 unchanged"), std::string::npos) << again.output;

    auto missing = teilhabe({"import", (dir / "gibt-es-nicht.csv").string()});
    EXPECT_EQ(missing.exit_code, 2);
    auto wrong_map = teilhabe({"import", good, "--map", "Stadtteil"});
    EXPECT_EQ(wrong_map.exit_code, 2);
    EXPECT_NE(wrong_map.output.find("COLUMN=TARGET"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_P(CliTest, ExportWritesTheFilteredListAndServeStreamsItAndRunsImports) {
    auto dir = temp_dir("teilhabe_export");
    auto in = (dir / "in.csv").string();
    std::ofstream(in) << "E-Mail;Vorname;Stadtteil\nanna@example.org;=Anna;Nord\nbob@example.org;Bob;Süd\n";
    ASSERT_EQ(teilhabe({"import", in}).exit_code, 0);

    auto csv = (dir / "nord.csv").string();
    auto r = teilhabe({"export", "--format", "csv", "--out", csv, "--district", "Nord"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("1 people exported to " + csv), std::string::npos) << r.output;
    std::stringstream got;
    got << std::ifstream(csv, std::ios::binary).rdbuf();
    EXPECT_TRUE(got.str().starts_with("\xEF\xBB\xBFid;email;")) << got.str();
    EXPECT_NE(got.str().find(";anna@example.org;'=Anna;"), std::string::npos) << got.str();
    EXPECT_EQ(got.str().find("bob@"), std::string::npos);
    EXPECT_EQ(std::filesystem::status(csv).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none) << "personal data: readable by its owner only";

    auto json_out = teilhabe({"export", "--format", "json", "--q", "bob"}); // standard output
    ASSERT_EQ(json_out.exit_code, 0) << json_out.output;
    EXPECT_NE(json_out.output.find("\"email\":\"bob@example.org\""), std::string::npos);
    auto xlsx = (dir / "alle.xlsx").string();
    ASSERT_EQ(teilhabe({"export", "--format", "xlsx", "--out", xlsx}).exit_code, 0);
    std::stringstream zip;
    zip << std::ifstream(xlsx, std::ios::binary).rdbuf();
    EXPECT_TRUE(zip.str().starts_with("PK\x03\x04"));
    EXPECT_EQ(teilhabe({"export", "--field", "has_dog"}).exit_code, 2);
    EXPECT_EQ(teilhabe({"export", "--field", "nope=1"}).exit_code, 2);
    EXPECT_NE(teilhabe({"export", "--format", "pdf"}).exit_code, 0);

    auto key = teilhabe({"apikey", "create", "--name", "Export", "--role", "editor"});
    ASSERT_EQ(key.exit_code, 0) << key.output;
    std::string token = key.output.substr(0, key.output.find('\n'));
    auto server = ServerProcess::start(database->url);
    ASSERT_TRUE(server) << server.error().message;
    HttpRequest get{.target = "/api/v1/exports/citizens?format=csv&district=S%C3%BCd",
                    .headers = {{"Authorization", "Bearer " + token}}};
    auto streamed = http(server->port(), get);
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    EXPECT_EQ(streamed.header("transfer-encoding"), "chunked");
    EXPECT_NE(streamed.body.find(";bob@example.org;Bob;"), std::string::npos) << streamed.body;
    get.target = "/api/v1/exports/citizens?format=xlsx";
    auto file = http(server->port(), get);
    ASSERT_EQ(file.status, 200);
    EXPECT_EQ(file.header("content-length"), std::to_string(file.body.size()));

    // An import handed to the worker of `serve` (POST ?async=true), followed until it ends.
    HttpRequest post{.method = "POST",
                     .target = "/api/v1/imports?async=true",
                     .headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "text/csv"}},
                     .body = "email\ncarla@example.org\n"};
    auto queued = http(server->port(), post);
    ASSERT_EQ(queued.status, 202) << queued.body;
    HttpRequest status{.target = queued.header("location"),
                       .headers = {{"Authorization", "Bearer " + token}}};
    std::string state;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (state != "done" && std::chrono::steady_clock::now() < deadline)
        state = nlohmann::json::parse(http(server->port(), status).body)["state"];
    EXPECT_EQ(state, "done");
    EXPECT_EQ(server->stop(), 0);
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, CliTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

// A backup while the data is there: SQLite gives a database file, PostgreSQL a pg_dump archive
// that pg_restore can read (pg_dump gets the password in its environment, not in argv).
TEST_P(CliTest, BackupIsAUsableCopy) {
    ASSERT_EQ(teilhabe({"migrate"}).exit_code, 0);
    auto dir = temp_dir("teilhabe_backup");
    auto target = (dir / "copy").string();
    auto r = teilhabe({"backup", target});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    if (GetParam() == Backend::Sqlite) {
        auto copy = db::Database::open({.url = "sqlite:" + target, .pool_size = 1});
        ASSERT_TRUE(copy) << copy.error().message;
        auto rows = (*copy)->transaction(db::TxMode::Read, [](db::Connection& c) {
            return c.query_one("SELECT count(*) FROM schema_migrations");
        });
        ASSERT_TRUE(rows) << rows.error().message;
        EXPECT_GE(rows->get_int(0), 1);
        copy->reset();
    } else {
        auto listed = run({.argv = {"/usr/bin/pg_restore", "--list", target}});
        ASSERT_EQ(listed.exit_code, 0) << listed.output;
        EXPECT_NE(listed.output.find("schema_migrations"), std::string::npos) << listed.output;
    }
    EXPECT_NE(teilhabe({"backup", target}).exit_code, 0) << "an existing file is never overwritten";
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace teilhabe::testing
