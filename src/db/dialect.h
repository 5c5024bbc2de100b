#pragma once
// Every SQL difference between SQLite and PostgreSQL lives here (DESIGN.md "the dialect
// differences in one place"). Statements elsewhere use `?` placeholders and standard SQL.

#include "db/connection.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace teilhabe::db::dialect {

// Row locking for "claim work" queries: PostgreSQL lets several instances claim different rows
// at once; SQLite has one writer (BEGIN IMMEDIATE), so the clause is not needed (nor valid).
inline std::string_view skip_locked(Backend b) {
    return b == Backend::Postgresql ? " FOR UPDATE SKIP LOCKED" : "";
}

// Row locks for read-modify-write under PostgreSQL's READ COMMITTED: FOR UPDATE before changing
// a row that was read, FOR SHARE on a row whose content a write depends on (so a concurrent
// change of it waits). SQLite has one writer at a time (BEGIN IMMEDIATE) and no such clause.
inline std::string_view for_update(Backend b) {
    return b == Backend::Postgresql ? " FOR UPDATE" : "";
}
inline std::string_view for_share(Backend b) {
    return b == Backend::Postgresql ? " FOR SHARE" : "";
}

// Whether a second connection can write while another transaction has written and not yet
// committed: on PostgreSQL yes (row locks); on SQLite no — the first writer holds the file's
// only write lock, and a second one would wait out the busy timeout.
inline bool concurrent_writers(Backend b) { return b == Backend::Postgresql; }

// A larger page cache for one long write on SQLite (the CSV import of a million people): with
// the default of 2 MB, the index pages such an import touches all over the file are written
// to the WAL and read back again and again. Set before and reset after the transaction (the
// connection goes back to the pool). PostgreSQL's buffers are the server's: nothing to do.
inline std::string_view bulk_write_cache(Backend b) {
    return b == Backend::Sqlite ? "PRAGMA cache_size = -131072" : ""; // KiB, 128 MiB
}
inline std::string_view default_cache(Backend b) {
    return b == Backend::Sqlite ? "PRAGMA cache_size = -2000" : ""; // SQLite's default
}

// Keeps SQLite from walking one of the table's indexes to drive a query (rowid look-ups
// stay): a citizen list driven by the matches of a rare name prefix would otherwise walk the
// district index and probe the matches for each person in it. PostgreSQL plans by statistics.
inline std::string_view not_indexed(Backend b) {
    return b == Backend::Sqlite ? " NOT INDEXED" : "";
}

// A column as an expression that no index can answer, for a condition that is to be checked
// on each row the query walks rather than drive it: SQLite's no-op unary plus (its documented
// way); on PostgreSQL an empty concatenation (its planner has no hint).
inline std::string unindexed(Backend b, std::string_view column) {
    return b == Backend::Sqlite ? "+" + std::string(column)
                                : "(" + std::string(column) + " || '')";
}

// How many rows one INSERT of many similar rows should carry: on PostgreSQL every statement is
// a round trip, so up to `most`; SQLite has no round trip, and runs a single-row INSERT without
// the statement journal that a multi-row one (compiled as a SELECT) needs, so one.
inline std::size_t rows_per_insert(Backend b, std::size_t most) {
    return b == Backend::Postgresql ? most : 1;
}

// Serialises migrations when several instances start at once. SQLite's BEGIN IMMEDIATE does it.
inline std::string_view migration_lock(Backend b) {
    return b == Backend::Postgresql ? "SELECT pg_advisory_xact_lock(74120001)" : "";
}

// Readers of the activity log see a row only when no transaction that could still add an
// earlier row is running. On PostgreSQL: rows from transactions older than the snapshot's
// xmin. On SQLite writers are serialised, so every committed row qualifies.
inline std::string_view committed_activity_filter(Backend b) {
    return b == Backend::Postgresql
               ? " AND tx_order < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
               : "";
}

} // namespace teilhabe::db::dialect
