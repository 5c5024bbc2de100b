// What does preparing a statement once (and keeping it) buy over preparing it for every call?
// SQLite C API: 200,000 inserts in transactions of 1,000, then 200,000 point lookups by primary
// key (each its own read transaction, then 1,000 per transaction), each with a cached prepared
// statement and with one prepared anew per call (WAL, synchronous=NORMAL).
// libpq: the same inserts with PQexecParams (unprepared) and with PQprepare + PQexecPrepared,
// text parameters, one round trip per row.
// C++ wrappers, when built in (run.sh passes the -D flags for what is installed), measured with
// prepared statements only, so their rows fill the "cached" column: libpqxx (WITH_PQXX:
// conn.prepare + txn.exec_prepared0, one pqxx::work per 1,000 rows) and SOCI (WITH_SOCI_SQLITE3,
// WITH_SOCI_POSTGRESQL: one soci::statement with use()/into() bindings, re-executed, and a
// soci::transaction per 1,000 rows), on the same table and rows as the C API rows.
//   db_access SQLITE_FILE [POSTGRES_URL]        (ROWS=N in the environment overrides 200000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <libpq-fe.h>
#include <random>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <vector>
#ifdef WITH_PQXX
#include <pqxx/pqxx>
#endif
#if defined(WITH_SOCI_SQLITE3) || defined(WITH_SOCI_POSTGRESQL)
#include <soci/soci.h>
#endif
#ifdef WITH_SOCI_SQLITE3
// <soci/sqlite3/soci-sqlite3.h> includes <sqlite3.h> inside namespace sqlite_api, which breaks
// once <sqlite3.h> is already included for the C API rows; the backend's exported factory
// function (declared the same way in that header) is all the session needs.
namespace soci {
extern "C" backend_factory const* factory_sqlite3();
}
#endif
#ifdef WITH_SOCI_POSTGRESQL
#include <soci/postgresql/soci-postgresql.h>
#endif

namespace {

const long kRows = std::getenv("ROWS") ? std::atol(std::getenv("ROWS")) : 200000;
constexpr long kBatch = 1000;
const char* const kTypes[] = {"login", "newsletter_open", "survey_answer", "shop_order"};

struct Row {
    long id, citizen_id, at;
    const char* type;
};
Row row(long i) {
    return {i + 1, i % 5000, 1700000000 + i, kTypes[i % 4]};
}

// Seconds taken by f.
double timed(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(const char* what, double cached_s, double uncached_s) {
    std::printf("%-36s %12.0f %12.0f %8.2f\n", what, kRows / cached_s, kRows / uncached_s,
                uncached_s / cached_s);
}
// A wrapper measured with its prepared statement only.
void report(const char* what, double cached_s) {
    std::printf("%-36s %12.0f %12s %8s\n", what, kRows / cached_s, "-", "-");
}

// --- SQLite -----------------------------------------------------------------------------------

void ok(sqlite3* db, int rc, int expected = SQLITE_OK) {
    if (rc != expected)
        throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
}
void exec(sqlite3* db, const char* sql) {
    ok(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr));
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    ok(db, sqlite3_prepare_v2(db, sql, -1, &st, nullptr));
    return st;
}

const char* const kInsertSql = "INSERT INTO events (id, citizen_id, type, at) VALUES (?, ?, ?, ?)";
const char* const kSelectSql = "SELECT citizen_id, type, at FROM events WHERE id = ?";

void sqlite_insert_row(sqlite3* db, sqlite3_stmt* st, long i) {
    const Row r = row(i);
    sqlite3_bind_int64(st, 1, r.id);
    sqlite3_bind_int64(st, 2, r.citizen_id);
    sqlite3_bind_text(st, 3, r.type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r.at);
    ok(db, sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
}

void sqlite_inserts(sqlite3* db, bool cached) {
    exec(db,
         "DROP TABLE IF EXISTS events;"
         "CREATE TABLE events (id INTEGER PRIMARY KEY, citizen_id INTEGER, type TEXT, at INTEGER)");
    sqlite3_stmt* kept = cached ? prepare(db, kInsertSql) : nullptr;
    for (long i = 0; i < kRows; ++i) {
        if (i % kBatch == 0)
            exec(db, "BEGIN");
        sqlite3_stmt* st = cached ? kept : prepare(db, kInsertSql);
        sqlite_insert_row(db, st, i);
        if (!cached)
            sqlite3_finalize(st);
        if (i % kBatch == kBatch - 1 || i == kRows - 1)
            exec(db, "COMMIT");
    }
    sqlite3_finalize(kept);
}

// One autocommit read transaction per lookup, or (in_txn) 1,000 lookups per BEGIN ... COMMIT.
long sqlite_lookups(sqlite3* db, bool cached, const std::vector<long>& ids, bool in_txn = false) {
    long sum = 0; // read every column, and use the result so that nothing is skipped
    sqlite3_stmt* kept = cached ? prepare(db, kSelectSql) : nullptr;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (in_txn && i % kBatch == 0)
            exec(db, "BEGIN");
        sqlite3_stmt* st = cached ? kept : prepare(db, kSelectSql);
        sqlite3_bind_int64(st, 1, ids[i]);
        ok(db, sqlite3_step(st), SQLITE_ROW);
        sum +=
            sqlite3_column_int64(st, 0) + sqlite3_column_bytes(st, 1) + sqlite3_column_int64(st, 2);
        if (cached)
            sqlite3_reset(st);
        else
            sqlite3_finalize(st);
        if (in_txn && (i % kBatch == kBatch - 1 || i == ids.size() - 1))
            exec(db, "COMMIT");
    }
    sqlite3_finalize(kept);
    return sum;
}

// The primary keys looked up, in the same random order for every client.
std::vector<long> lookup_ids() {
    std::vector<long> ids(kRows);
    std::mt19937_64 rng(42);
    for (auto& id : ids)
        id = 1 + static_cast<long>(rng() % kRows);
    return ids;
}

// Returns the lookups' checksum, for the wrappers to compare with.
long run_sqlite(const char* path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        throw std::runtime_error("sqlite: cannot open file");
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");

    const double ins_uncached = timed([&] { sqlite_inserts(db, false); });
    const double ins_cached = timed([&] { sqlite_inserts(db, true); });
    report("sqlite insert", ins_cached, ins_uncached);

    const std::vector<long> ids = lookup_ids();
    sqlite_lookups(db, true, ids); // warm the page cache once for all
    const long expected = sqlite_lookups(db, true, ids);
    for (bool in_txn : {false, true}) {
        long sums[2];
        const double uncached = timed([&] { sums[0] = sqlite_lookups(db, false, ids, in_txn); });
        const double cached = timed([&] { sums[1] = sqlite_lookups(db, true, ids, in_txn); });
        if (sums[0] != expected || sums[1] != expected)
            throw std::runtime_error("sqlite: lookups disagree");
        report(in_txn ? "sqlite lookup, 1000 per transaction" : "sqlite lookup by primary key",
               cached, uncached);
    }
    sqlite3_close(db);
    return expected;
}

// --- SQLite through SOCI ----------------------------------------------------------------------
#if defined(WITH_SOCI_SQLITE3) || defined(WITH_SOCI_POSTGRESQL)
// SOCI's placeholders are :name for every backend (it rewrites them to $n for PostgreSQL).
const char* const kSociInsertSql =
    "INSERT INTO events (id, citizen_id, type, at) VALUES (:id, :citizen_id, :type, :at)";
#endif
#ifdef WITH_SOCI_SQLITE3

// One prepared soci::statement, its use() bindings re-filled and re-executed for every row.
void soci_inserts(soci::session& sql) {
    sql << "DROP TABLE IF EXISTS events";
    sql << "CREATE TABLE events (id INTEGER PRIMARY KEY, citizen_id INTEGER, type TEXT, at "
           "INTEGER)";
    long id = 0, citizen_id = 0, at = 0;
    std::string type;
    soci::statement st = (sql.prepare << kSociInsertSql, soci::use(id), soci::use(citizen_id),
                          soci::use(type), soci::use(at));
    for (long i = 0; i < kRows; i += kBatch) {
        soci::transaction txn(sql);
        for (long j = i; j < std::min(i + kBatch, kRows); ++j) {
            const Row r = row(j);
            id = r.id, citizen_id = r.citizen_id, type = r.type, at = r.at;
            st.execute(true);
        }
        txn.commit();
    }
}

long soci_lookups(soci::session& sql, const std::vector<long>& ids, bool in_txn = false) {
    long sum = 0, id = 0, citizen_id = 0, at = 0;
    std::string type;
    soci::statement st = (sql.prepare << "SELECT citizen_id, type, at FROM events WHERE id = :id",
                          soci::into(citizen_id), soci::into(type), soci::into(at), soci::use(id));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (in_txn && i % kBatch == 0)
            sql.begin();
        id = ids[i];
        if (!st.execute(true))
            throw std::runtime_error("soci sqlite: row not found");
        sum += citizen_id + static_cast<long>(type.size()) + at;
        if (in_txn && (i % kBatch == kBatch - 1 || i == ids.size() - 1))
            sql.commit();
    }
    return sum;
}

void run_soci_sqlite(const char* path, long expected) {
    soci::session sql(*soci::factory_sqlite3(), path);
    sql << "PRAGMA journal_mode=WAL";
    sql << "PRAGMA synchronous=NORMAL";
    report("sqlite insert (SOCI)", timed([&] { soci_inserts(sql); }));
    const std::vector<long> ids = lookup_ids();
    soci_lookups(sql, ids); // warm the page cache, as for the C API
    for (bool in_txn : {false, true}) {
        long sum = 0;
        const double s = timed([&] { sum = soci_lookups(sql, ids, in_txn); });
        if (sum != expected)
            throw std::runtime_error("soci sqlite: lookups disagree with the C API");
        report(in_txn ? "sqlite lookup, 1000 per txn (SOCI)"
                      : "sqlite lookup by primary key (SOCI)", s);
    }
}

#endif

// --- PostgreSQL (libpq) -----------------------------------------------------------------------

void ok(PGconn* c, PGresult* res, ExecStatusType expected = PGRES_COMMAND_OK) {
    const bool good = PQresultStatus(res) == expected;
    PQclear(res);
    if (!good)
        throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(c));
}

const char* const kPgInsertSql =
    "INSERT INTO events (id, citizen_id, type, at) VALUES ($1, $2, $3, $4)";

void pg_inserts(PGconn* c, bool prepared) {
    ok(c,
       PQexec(
           c,
           "DROP TABLE IF EXISTS events;"
           "CREATE TABLE events (id bigint PRIMARY KEY, citizen_id bigint, type text, at bigint)"));
    if (prepared)
        ok(c, PQprepare(c, "insert_event", kPgInsertSql, 4, nullptr));
    for (long i = 0; i < kRows; ++i) {
        if (i % kBatch == 0)
            ok(c, PQexec(c, "BEGIN"));
        const Row r = row(i);
        const std::string id = std::to_string(r.id), citizen = std::to_string(r.citizen_id),
                          at = std::to_string(r.at);
        const char* params[] = {id.c_str(), citizen.c_str(), r.type, at.c_str()};
        ok(c, prepared ? PQexecPrepared(c, "insert_event", 4, params, nullptr, nullptr, 0)
                       : PQexecParams(c, kPgInsertSql, 4, nullptr, params, nullptr, nullptr, 0));
        if (i % kBatch == kBatch - 1 || i == kRows - 1)
            ok(c, PQexec(c, "COMMIT"));
    }
    if (prepared)
        ok(c, PQexec(c, "DEALLOCATE insert_event"));
}

void run_postgres(const char* url) {
    PGconn* c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(c));
    ok(c, PQexec(c, "SET client_min_messages = warning")); // no NOTICE for DROP TABLE IF EXISTS
    const double unprepared = timed([&] { pg_inserts(c, false); });
    const double prepared = timed([&] { pg_inserts(c, true); });
    report("postgres insert (libpq)", prepared, unprepared);
    ok(c, PQexec(c, "DROP TABLE events"));
    PQfinish(c);
}

// --- PostgreSQL through libpqxx ---------------------------------------------------------------
#ifdef WITH_PQXX

// conn.prepare once, then txn.exec_prepared0 per row (parameters as C++ values, sent as text),
// one pqxx::work per 1,000 rows.
void pqxx_inserts(pqxx::connection& conn) {
    {
        pqxx::nontransaction setup(conn);
        setup.exec("DROP TABLE IF EXISTS events");
        setup.exec(
            "CREATE TABLE events (id bigint PRIMARY KEY, citizen_id bigint, type text, at bigint)");
    }
    conn.prepare("insert_event", kPgInsertSql);
    for (long i = 0; i < kRows; i += kBatch) {
        pqxx::work txn(conn);
        for (long j = i; j < std::min(i + kBatch, kRows); ++j) {
            const Row r = row(j);
            txn.exec_prepared0("insert_event", r.id, r.citizen_id, r.type, r.at);
        }
        txn.commit();
    }
    conn.unprepare("insert_event");
}

void run_pqxx(const char* url) {
    pqxx::connection conn(url);
    pqxx::nontransaction(conn).exec("SET client_min_messages = warning");
    report("postgres insert (libpqxx)", timed([&] { pqxx_inserts(conn); }));
    pqxx::nontransaction(conn).exec("DROP TABLE events");
}

#endif

// --- PostgreSQL through SOCI ------------------------------------------------------------------
#ifdef WITH_SOCI_POSTGRESQL

// SOCI's PostgreSQL backend takes a "key=value ..." conninfo (it mangles a postgresql:// URL).
std::string conninfo(const char* url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url, &err);
    if (!opts) {
        const std::string msg = err ? err : "out of memory";
        PQfreemem(err);
        throw std::runtime_error("postgres: " + msg);
    }
    std::string out;
    for (const PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val || !*o->val)
            continue;
        out += std::string(out.empty() ? "" : " ") + o->keyword + "='";
        for (const char* v = o->val; *v; ++v)
            out += (*v == '\'' || *v == '\\') ? std::string{'\\', *v} : std::string{*v};
        out += '\'';
    }
    PQconninfoFree(opts);
    return out;
}

void run_soci_postgres(const char* url) {
    soci::session sql(soci::postgresql, conninfo(url));
    sql << "SET client_min_messages = warning";
    const double s = timed([&] {
        sql << "DROP TABLE IF EXISTS events";
        sql << "CREATE TABLE events (id bigint PRIMARY KEY, citizen_id bigint, type text, at "
               "bigint)";
        long id = 0, citizen_id = 0, at = 0;
        std::string type;
        // A statement made with sql.prepare is PQprepare'd once and run with PQexecPrepared.
        soci::statement st = (sql.prepare << kSociInsertSql, soci::use(id),
                              soci::use(citizen_id), soci::use(type), soci::use(at));
        for (long i = 0; i < kRows; i += kBatch) {
            soci::transaction txn(sql);
            for (long j = i; j < std::min(i + kBatch, kRows); ++j) {
                const Row r = row(j);
                id = r.id, citizen_id = r.citizen_id, type = r.type, at = r.at;
                st.execute(true);
            }
            txn.commit();
        }
    });
    report("postgres insert (SOCI)", s);
    sql << "DROP TABLE events";
}

#endif

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: db_access SQLITE_FILE [POSTGRES_URL]\n");
        return 2;
    }
    try {
        std::printf("%ld rows, transactions of %ld; rows/s\n", kRows, kBatch);
        std::printf("%-36s %12s %12s %8s\n", "", "cached", "uncached", "ratio");
        [[maybe_unused]] const long expected = run_sqlite(argv[1]);
#ifdef WITH_SOCI_SQLITE3
        run_soci_sqlite(argv[1], expected);
#endif
        if (argc == 3) {
            run_postgres(argv[2]);
#ifdef WITH_PQXX
            run_pqxx(argv[2]);
#endif
#ifdef WITH_SOCI_POSTGRESQL
            run_soci_postgres(argv[2]);
#endif
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
