#include "db/database.h"
#include "db/postgres_connection.h"
#include "db/postgres_env.h"
#include "db/test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>
#include <map>
#include <optional>

namespace teilhabe::db {
namespace {

// ---- placeholder rewriting (no server) ------------------------------------------------------

TEST(RewritePlaceholders, NumbersEachQuestionMark) {
    EXPECT_EQ(rewrite_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
              "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
    EXPECT_EQ(rewrite_placeholders("SELECT 1"), "SELECT 1");
    EXPECT_EQ(rewrite_placeholders(""), "");
    EXPECT_EQ(rewrite_placeholders("?::bigint"), "$1::bigint");
}

TEST(RewritePlaceholders, DoubleQuestionMarkIsNotAnEscape) {
    EXPECT_EQ(rewrite_placeholders("SELECT ??"), "SELECT $1$2");
}

TEST(RewritePlaceholders, LeavesStringLiteralsAlone) {
    EXPECT_EQ(rewrite_placeholders("SELECT '?', ?, 'it''s ?', ?"), "SELECT '?', $1, 'it''s ?', $2");
    // Standard strings: a backslash is an ordinary character, the quote ends the literal.
    EXPECT_EQ(rewrite_placeholders(R"(SELECT 'C:\', ?)"), R"(SELECT 'C:\', $1)");
    // E-strings: the backslash escapes the quote.
    EXPECT_EQ(rewrite_placeholders(R"(SELECT E'\'?', e'\\', ?)"), R"(SELECT E'\'?', e'\\', $1)");
    // An unterminated literal swallows the rest, as the server will when it rejects it.
    EXPECT_EQ(rewrite_placeholders("SELECT 'abc ?"), "SELECT 'abc ?");
}

TEST(RewritePlaceholders, LeavesQuotedIdentifiersAlone) {
    EXPECT_EQ(rewrite_placeholders(R"(SELECT "a?b", "x""?" FROM t WHERE c = ?)"),
              R"(SELECT "a?b", "x""?" FROM t WHERE c = $1)");
}

TEST(RewritePlaceholders, LeavesCommentsAlone) {
    EXPECT_EQ(rewrite_placeholders("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
    EXPECT_EQ(rewrite_placeholders("SELECT ? /* a ? /* nested ? */ still ? */, ?"),
              "SELECT $1 /* a ? /* nested ? */ still ? */, $2");
    EXPECT_EQ(rewrite_placeholders("SELECT ? -- trailing ?"), "SELECT $1 -- trailing ?");
    // A lone minus or slash is an operator.
    EXPECT_EQ(rewrite_placeholders("SELECT ? - ?, ? / ?"), "SELECT $1 - $2, $3 / $4");
}

TEST(RewritePlaceholders, LeavesDollarQuotedBodiesAlone) {
    EXPECT_EQ(rewrite_placeholders("SELECT $$ ? ' $$, $fn$ ?'\" $fn$, ?"),
              "SELECT $$ ? ' $$, $fn$ ?'\" $fn$, $1");
    // A dollar inside an identifier opens nothing.
    EXPECT_EQ(rewrite_placeholders("SELECT a$b$, ?"), "SELECT a$b$, $1");
}

// ---- connection failures (no server) --------------------------------------------------------

void expect_hidden(const std::string& url, ErrorCode code) {
    auto r = connect_postgresql(url);
    ASSERT_FALSE(r.has_value()) << url;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().message.find("topsecret"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("top%73ecret"), std::string::npos) << r.error().message;
}

TEST(PostgresConnect, FailureMessagesNeverShowThePassword) {
    expect_hidden("postgresql://u:topsecret@127.0.0.1:1/db", ErrorCode::Unavailable);
    expect_hidden("postgresql://u:top%73ecret@127.0.0.1:1/db", ErrorCode::Unavailable);
    expect_hidden("postgresql://u@127.0.0.1:1/db?password=topsecret", ErrorCode::Unavailable);
    expect_hidden("postgresql://u:topsecret@127.0.0.1:notaport/db", ErrorCode::Unavailable);
    // libpq quotes the offending part of a malformed URL.
    expect_hidden("postgresql://u:topsecret%zz@127.0.0.1:1/db", ErrorCode::Unavailable);
    expect_hidden("postgresql://u@127.0.0.1:1/db?password=topsecret%zz", ErrorCode::Unavailable);
}

TEST(PostgresConnect, FailureMessageNamesTheTarget) {
    auto r = connect_postgresql("postgresql://u:topsecret@127.0.0.1:1/town");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("127.0.0.1:1/town"), std::string::npos) << r.error().message;
}

// ---- both engines: the Connection contract --------------------------------------------------

class ConnectionTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto t = testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto lease = m_t->db->acquire();
        ASSERT_TRUE(lease.has_value()) << lease.error().message;
        m_lease.emplace(std::move(*lease));
    }
    Connection& c() { return **m_lease; }
    Result<Rows> run(std::string_view sql, const Params& params = {}) {
        return c().query(sql, params);
    }

    std::unique_ptr<testing::TestDatabase> m_t;
    std::optional<Lease> m_lease; // declared after m_t: returned before the database closes
};

TEST_P(ConnectionTest, RoundTripsIntegersDoublesTextAndNull) {
    ASSERT_TRUE(c().exec_script("CREATE TABLE rt (i BIGINT, d DOUBLE PRECISION, s TEXT)"));
    constexpr auto lo = std::numeric_limits<std::int64_t>::min();
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    std::vector<double> doubles{0.1, -2.5e-300, 1.7976931348623157e308, 123456.789, -0.0};
    std::string text = "Grüße aus Köln: \"Straße\" 'n' \\ ? -- ; äöü ß € 😀\nzweite Zeile";
    std::vector<Params> inserted{{lo, doubles[0], text},
                                 {hi, doubles[1], ""},
                                 {std::int64_t{0}, doubles[2], "?"},
                                 {std::int64_t{-1}, doubles[3], "'"},
                                 {std::int64_t{1}, doubles[4], "\""}};
    for (const auto& p : inserted)
        ASSERT_TRUE(run("INSERT INTO rt (i, d, s) VALUES (?, ?, ?)", p));
    ASSERT_TRUE(run("INSERT INTO rt (i, d, s) VALUES (?, ?, ?)", {null(), null(), null()}));
    for (const auto& p : inserted) {
        auto row = c().query_one("SELECT i, d, s FROM rt WHERE i = ?", {p[0]});
        ASSERT_TRUE(row.has_value()) << row.error().message;
        EXPECT_EQ(row->raw(0), p[0]);
        EXPECT_EQ(row->raw(1), p[1]); // exact: shortest round-trip text, no rounding
        EXPECT_EQ(row->get_text(2), std::get<std::string>(p[2]));
    }
    auto nulls = c().query_one("SELECT i, d, s FROM rt WHERE i IS NULL");
    ASSERT_TRUE(nulls.has_value()) << nulls.error().message;
    for (std::size_t col = 0; col < 3; ++col)
        EXPECT_TRUE(nulls->is_null(col));
}

TEST_P(ConnectionTest, BooleanColumnsReadAsZeroAndOne) {
    ASSERT_TRUE(c().exec_script("CREATE TABLE flags (k INTEGER, f BOOLEAN)"));
    ASSERT_TRUE(run("INSERT INTO flags (k, f) VALUES (1, ?), (2, ?)", {1, 0}));
    auto rows = run("SELECT f FROM flags ORDER BY k");
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    ASSERT_EQ(rows->rows.size(), 2u);
    EXPECT_EQ(rows->rows[0].raw(0), Value(std::int64_t{1}));
    EXPECT_EQ(rows->rows[1].raw(0), Value(std::int64_t{0}));
    EXPECT_TRUE(rows->rows[0].get_bool(0));
    EXPECT_FALSE(rows->rows[1].get_bool(0));
}

TEST_P(ConnectionTest, QuestionMarksInLiteralsAreNotParameters) {
    auto row = c().query_one("SELECT '?' AS q, ? AS v -- really?", {"x"});
    ASSERT_TRUE(row.has_value()) << row.error().message;
    EXPECT_EQ(row->get_text(0), "?");
    EXPECT_EQ(row->get_text(1), "x");
}

TEST_P(ConnectionTest, CachedStatementRunsAgainWithNewParameters) {
    const char* sql = "SELECT count(*) FROM departments WHERE key = ?";
    ASSERT_TRUE(run("INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)",
                    {"a", "A", "A", 1}));
    for (int round = 0; round < 2; ++round) {
        auto hit = c().query_one(sql, {"a"});
        auto miss = c().query_one(sql, {"b"});
        ASSERT_TRUE(hit.has_value() && miss.has_value());
        EXPECT_EQ(hit->get_int(0), 1);
        EXPECT_EQ(miss->get_int(0), 0);
    }
}

TEST_P(ConnectionTest, ConstraintViolationsMapToErrorCodes) {
    const char* dept =
        "INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)";
    ASSERT_TRUE(run(dept, {"vhs", "VHS", "VHS", 1}));
    auto dup = run(dept, {"vhs", "VHS", "VHS", 1});
    ASSERT_FALSE(dup.has_value());
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists) << dup.error().message;
    auto no_name = run(dept, {"x", null(), "X", 1});
    ASSERT_FALSE(no_name.has_value());
    EXPECT_EQ(no_name.error().code, ErrorCode::FailedPrecondition) << no_name.error().message;
    auto fk = run("INSERT INTO staff_users (email, password_hash, role, department_id, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                  {"a@example.org", "h", "admin", 999, 1, 1});
    ASSERT_FALSE(fk.has_value());
    EXPECT_EQ(fk.error().code, ErrorCode::FailedPrecondition) << fk.error().message;
}

TEST_P(ConnectionTest, FailedStatementThenRollbackLeavesConnectionUsable) {
    const char* dept =
        "INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)";
    ASSERT_TRUE(c().begin(true));
    ASSERT_TRUE(run(dept, {"vhs", "VHS", "VHS", 1}));
    ASSERT_FALSE(run(dept, {"vhs", "VHS", "VHS", 1}).has_value());
    c().rollback();
    EXPECT_TRUE(c().healthy());
    // Statements prepared inside the rolled-back transaction are still usable.
    ASSERT_TRUE(run(dept, {"bib", "Bibliothek", "Library", 1}));
    auto n = c().query_one("SELECT count(*) FROM departments");
    ASSERT_TRUE(n.has_value()) << n.error().message;
    EXPECT_EQ(n->get_int(0), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return testing::backend_name(info.param); });

// ---- PostgreSQL only --------------------------------------------------------------------------

// The PostgreSQL entry of backends(): present when a server is configured (or required by CI,
// in which case these tests fail instead of dropping out).
std::vector<Backend> postgres_only() {
    auto all = testing::backends();
    std::erase(all, Backend::Sqlite);
    return all;
}

class PostgresConnectionTest : public ConnectionTest {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PostgresConnectionTest);

TEST_P(PostgresConnectionTest, SessionIsUtf8AndUtc) {
    auto tz = c().query_one("SHOW TimeZone");
    auto enc = c().query_one("SHOW client_encoding");
    ASSERT_TRUE(tz.has_value() && enc.has_value());
    EXPECT_EQ(tz->get_text(0), "UTC");
    EXPECT_EQ(enc->get_text(0), "UTF8");
}

TEST_P(PostgresConnectionTest, ByteaRoundTripsRawBytes) {
    ASSERT_TRUE(c().exec_script("CREATE TABLE bin (b BYTEA)"));
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes += static_cast<char>(i);
    bytes += "\\x00";
    ASSERT_TRUE(run("INSERT INTO bin (b) VALUES (?)", {bytes}));
    auto row = c().query_one("SELECT b FROM bin");
    ASSERT_TRUE(row.has_value()) << row.error().message;
    EXPECT_EQ(row->get_text(0), bytes);
    // Text cannot hold a NUL byte; libpq would cut the value short, so it is refused.
    auto nul = run("SELECT ?::text", {std::string("a\0b", 3)});
    ASSERT_FALSE(nul.has_value());
    EXPECT_EQ(nul.error().code, ErrorCode::InvalidArgument);
}

TEST_P(PostgresConnectionTest, NumericAndSmallIntegerTypesConvert) {
    auto row = c().query_one("SELECT 7::smallint, 8::integer, 2.5::numeric, 0.5::real, 't'::bool, "
                             "'x'::varchar, 'pg_class'::regclass::oid");
    ASSERT_TRUE(row.has_value()) << row.error().message;
    EXPECT_EQ(row->raw(0), Value(std::int64_t{7}));
    EXPECT_EQ(row->raw(1), Value(std::int64_t{8}));
    EXPECT_EQ(row->raw(2), Value(2.5));
    EXPECT_EQ(row->raw(3), Value(0.5));
    EXPECT_EQ(row->raw(4), Value(std::int64_t{1}));
    EXPECT_EQ(row->raw(5), Value(std::string("x")));
    EXPECT_EQ(row->raw(6), Value(std::int64_t{1259})); // pg_class's fixed oid
}

TEST_P(PostgresConnectionTest, SameSqlIsPreparedOnce) {
    const char* count = "SELECT count(*) FROM pg_prepared_statements";
    auto before = c().query_one(count);
    ASSERT_TRUE(before.has_value()) << before.error().message;
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(run("SELECT ?::bigint + 1", {i}));
    auto after = c().query_one(count);
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(after->get_int(0), before->get_int(0) + 1);
}

TEST_P(PostgresConnectionTest, StatementIsPreparedAgainWhenItsTableChanges) {
    ASSERT_TRUE(c().exec_script("CREATE TABLE grows (a INTEGER); INSERT INTO grows VALUES (1)"));
    ASSERT_TRUE(run("SELECT * FROM grows"));
    ASSERT_TRUE(c().exec_script("ALTER TABLE grows ADD COLUMN b INTEGER"));
    auto stale = run("SELECT * FROM grows");
    ASSERT_FALSE(stale.has_value()); // "cached plan must not change result type"
    auto fresh = run("SELECT * FROM grows");
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    EXPECT_EQ(fresh->columns.size(), 2u);
}

TEST_P(PostgresConnectionTest, FailedTransactionIsUnhealthyUntilRolledBack) {
    ASSERT_TRUE(c().begin(true));
    ASSERT_FALSE(run("SELECT * FROM no_such_table").has_value());
    EXPECT_FALSE(c().healthy());
    // Later statements fail too; COMMIT would only roll back, and says so.
    ASSERT_FALSE(run("SELECT 1").has_value());
    auto commit = c().commit();
    ASSERT_FALSE(commit.has_value());
    EXPECT_NE(commit.error().message.find("rolled back"), std::string::npos);
    EXPECT_TRUE(c().healthy());
}

TEST_P(PostgresConnectionTest, BadInputIsInvalidArgument) {
    auto div = run("SELECT 1 / ?::integer", {0});
    ASSERT_FALSE(div.has_value());
    EXPECT_EQ(div.error().code, ErrorCode::InvalidArgument) << div.error().message;
    auto cast = run("SELECT ?::bigint", {"zwölf"});
    ASSERT_FALSE(cast.has_value());
    EXPECT_EQ(cast.error().code, ErrorCode::InvalidArgument) << cast.error().message;
    auto count = run("SELECT ?::bigint", {1, 2});
    ASSERT_FALSE(count.has_value());
    EXPECT_EQ(count.error().code, ErrorCode::InvalidArgument) << count.error().message;
    EXPECT_TRUE(c().healthy());
}

TEST_P(PostgresConnectionTest, LockNotAvailableIsDatabaseBusy) {
    ASSERT_TRUE(run("INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)",
                    {"vhs", "VHS", "VHS", 1}));
    auto other = m_t->db->acquire();
    ASSERT_TRUE(other.has_value());
    ASSERT_TRUE(c().begin(true));
    ASSERT_TRUE(run("SELECT id FROM departments FOR UPDATE"));
    ASSERT_TRUE((*other)->begin(true));
    auto r = (*other)->query("SELECT id FROM departments FOR UPDATE NOWAIT");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_TRUE(is_contention(r.error())) << r.error().message;
    (*other)->rollback();
    c().rollback();
}

TEST_P(PostgresConnectionTest, LostConnectionIsUnavailableAndUnhealthy) {
    auto pid = c().query_one("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid.has_value());
    auto other = m_t->db->acquire();
    ASSERT_TRUE(other.has_value());
    ASSERT_TRUE((*other)->query("SELECT pg_terminate_backend(?, 5000)", {pid->get_int(0)}));
    auto r = run("SELECT 1");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable) << r.error().message;
    EXPECT_FALSE(c().healthy());
}

TEST_P(PostgresConnectionTest, NoticesStayOffStderr) {
    ::testing::internal::CaptureStderr();
    auto r = c().exec_script("DROP TABLE IF EXISTS no_such_table");
    std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(err.find("NOTICE"), std::string::npos) << err;
}

TEST_P(PostgresConnectionTest, UnknownDatabaseMessageHidesPassword) {
    // postgresql://user@host:port/db -> postgresql://user:topsecret@host:port/no_such_db
    std::string url = m_t->url;
    auto scheme = url.find("://") + 3;
    auto at = url.find('@', scheme);
    ASSERT_NE(at, std::string::npos) << "expected user@host in " << url;
    std::string user = url.substr(scheme, at - scheme);
    user = user.substr(0, user.find(':'));
    std::string host = url.substr(at + 1, url.rfind('/') - at - 1);
    auto r = connect_postgresql("postgresql://" + user + ":topsecret@" + host + "/no_such_db");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_NE(r.error().message.find("no_such_db"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("topsecret"), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresConnectionTest, ::testing::ValuesIn(postgres_only()),
                         [](const auto& info) { return testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::db

namespace teilhabe::db {
namespace {

TEST(PostgresEnvironment, EverySettingOfTheUrlBecomesItsVariable) {
    auto env = postgres_environment(
        "postgresql://rathaus:g%20eheim@db.example:6543/teilhabe?sslmode=require");
    ASSERT_TRUE(env.has_value()) << env.error().message;
    std::map<std::string, std::string> m(env->begin(), env->end());
    EXPECT_EQ(m["PGHOST"], "db.example");
    EXPECT_EQ(m["PGPORT"], "6543");
    EXPECT_EQ(m["PGUSER"], "rathaus");
    EXPECT_EQ(m["PGPASSWORD"], "g eheim");
    EXPECT_EQ(m["PGDATABASE"], "teilhabe");
    EXPECT_EQ(m["PGSSLMODE"], "require");
}

TEST(PostgresEnvironment, ABrokenUrlIsAClearErrorWithoutThePassword) {
    auto env = postgres_environment("postgresql://u:topsecret@host/db?nonsense=1");
    ASSERT_FALSE(env.has_value());
    EXPECT_EQ(env.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(env.error().message.find("topsecret"), std::string::npos) << env.error().message;
}

} // namespace
} // namespace teilhabe::db
