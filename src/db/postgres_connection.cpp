#include "db/postgres_connection.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <libpq-fe.h>

namespace teilhabe::db {

namespace {

// Type OIDs from PostgreSQL's pg_type.dat; the server header that names them is not part of
// libpq's development files, and these numbers are fixed.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26;
constexpr Oid kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

struct ClearResult {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ClearResult>;

bool is_ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// End of a '...' or "..." section starting at i; a doubled quote stands for itself.
std::size_t skip_quoted(std::string_view sql, std::size_t i, bool backslash_escapes) {
    char quote = sql[i];
    for (std::size_t j = i + 1; j < sql.size(); ++j) {
        bool doubled = j + 1 < sql.size() && sql[j + 1] == quote;
        if ((backslash_escapes && sql[j] == '\\') || (sql[j] == quote && doubled))
            ++j;
        else if (sql[j] == quote)
            return j + 1;
    }
    return sql.size();
}

// PostgreSQL's block comments nest, unlike C's.
std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
    int depth = 0;
    for (std::size_t j = i; j + 1 < sql.size(); ++j) {
        std::string_view two = sql.substr(j, 2);
        if (two != "/*" && two != "*/")
            continue;
        depth += two == "/*" ? 1 : -1;
        if (depth == 0)
            return j + 2;
        ++j; // "/*/" opens, it does not close
    }
    return sql.size();
}

// $tag$ ... $tag$ (the tag may be empty). Returns i when sql[i] opens no such body ($1 does not).
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t i) {
    std::size_t j = i + 1;
    if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])))
        return i;
    while (j < sql.size() && sql[j] != '$' && is_ident_char(sql[j]))
        ++j;
    if (j >= sql.size() || sql[j] != '$')
        return i;
    std::string_view delimiter = sql.substr(i, j - i + 1);
    std::size_t end = sql.find(delimiter, j + 1);
    return end == std::string_view::npos ? sql.size() : end + delimiter.size();
}

// End of the literal, identifier or comment starting at i, or i when none starts there.
std::size_t skip_section(std::string_view sql, std::size_t i) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    bool after_ident = i > 0 && is_ident_char(sql[i - 1]);
    if (c == '\'') {
        // E'...' is the only string form where a backslash escapes the quote.
        bool e_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                        !(i > 1 && is_ident_char(sql[i - 2]));
        return skip_quoted(sql, i, e_string);
    }
    if (c == '"')
        return skip_quoted(sql, i, false);
    if (c == '-' && next == '-') {
        std::size_t nl = sql.find('\n', i);
        return nl == std::string_view::npos ? sql.size() : nl;
    }
    if (c == '/' && next == '*')
        return skip_block_comment(sql, i);
    if (c == '$' && !after_ident)
        return skip_dollar_quoted(sql, i);
    return i;
}

// Shortest text that reads back as the same double; PostgreSQL spells the specials out.
std::string double_text(double d) {
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, end);
}

// Parameters in the form PQexecPrepared takes. `numbers` owns the numbers' text; it is
// reserved up front so that the c_str() pointers stay put (moving a vector keeps them too).
struct EncodedParams {
    std::vector<std::string> numbers;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
};

Result<EncodedParams> encode(const Params& params, const std::vector<Oid>& types) {
    EncodedParams out;
    out.numbers.reserve(params.size());
    out.formats.assign(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const char* value = nullptr;
        int length = 0;
        if (auto* n = std::get_if<std::int64_t>(&params[i])) {
            value = out.numbers.emplace_back(std::to_string(*n)).c_str();
        } else if (auto* d = std::get_if<double>(&params[i])) {
            value = out.numbers.emplace_back(double_text(*d)).c_str();
        } else if (auto* s = std::get_if<std::string>(&params[i])) {
            // bytea takes the bytes as they are in binary format; libpq ends a text parameter at
            // its first NUL byte, so refuse it rather than store a silently shortened value.
            if (types[i] != kBytea && s->find('\0') != std::string::npos)
                return fail(Error::invalid("PostgreSQL: text parameter contains a NUL byte"));
            out.formats[i] = types[i] == kBytea ? 1 : 0;
            value = s->c_str();
            length = static_cast<int>(s->size());
        }
        out.values.push_back(value);
        out.lengths.push_back(length);
    }
    return out;
}

// Anything unparsable (numeric beyond double's range) stays text rather than becoming inf.
template <class T> Value parse_number(std::string_view s) {
    T n{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::string(s);
    return n;
}

// bytea arrives hex-escaped; hand back the raw bytes, as SQLite does for a BLOB.
Value unescape_bytea(const char* text) {
    std::size_t len = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &len);
    if (!bytes)
        return std::string(text);
    std::string out(reinterpret_cast<const char*>(bytes), len);
    PQfreemem(bytes);
    return out;
}

Value read_value(const PGresult* res, int row, int col) {
    if (PQgetisnull(res, row, col))
        return Null{};
    const char* text = PQgetvalue(res, row, col);
    std::string_view s(text, static_cast<std::size_t>(PQgetlength(res, row, col)));
    switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
        return parse_number<std::int64_t>(s);
    case kFloat4:
    case kFloat8:
    case kNumeric:
        return parse_number<double>(s);
    case kBool:
        return std::int64_t{s == "t" ? 1 : 0};
    case kBytea:
        return unescape_bytea(text);
    default:
        return std::string(s);
    }
}

std::int64_t affected_rows(PGresult* res) {
    // SQLite reports no changes for a SELECT; PQcmdTuples would give its row count instead.
    if (std::string_view(PQcmdStatus(res)).starts_with("SELECT"))
        return 0;
    std::string_view n = PQcmdTuples(res);
    std::int64_t out = 0;
    std::from_chars(n.data(), n.data() + n.size(), out);
    return out;
}

Rows to_rows(PGresult* res) {
    Rows out;
    int cols = PQnfields(res), rows = PQntuples(res);
    for (int c = 0; c < cols; ++c)
        out.columns.emplace_back(PQfname(res, c));
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c)
            values.push_back(read_value(res, r, c));
        out.rows.emplace_back(std::move(values));
    }
    out.affected = affected_rows(res);
    return out;
}

// libpq's messages span lines ("...failed: X\n\tIs the server running...?"); logs want one.
std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool space = std::isspace(static_cast<unsigned char>(c));
        if (!space || (!out.empty() && out.back() != ' '))
            out += space ? ' ' : c;
    }
    if (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::string sqlstate_of(const PGresult* res) {
    const char* s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
}

// The codes mirror SQLite's mapping so stores behave the same on both engines. Only the primary
// message is kept: the DETAIL of a unique violation quotes the row's values (e-mail addresses).
Error map_error(const PGresult* res, PGconn* conn) {
    std::string state = sqlstate_of(res);
    const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string msg =
        fmt::format("PostgreSQL: {}", primary ? primary : one_line(PQerrorMessage(conn)));
    if (!state.empty())
        msg += fmt::format(" ({})", state);
    if (PQstatus(conn) != CONNECTION_OK || state.starts_with("08"))
        return Error::unavailable(msg);
    if (state == "23505")
        return Error::exists(msg);
    if (state.starts_with("23"))
        return Error::precondition(msg); // 23503 FK, 23514 check, 23502 not null, ...
    if (state == "40001" || state == "40P01" || state == "55P03")
        return Error::unavailable("database busy: " + msg);
    if (state.starts_with("22"))
        return Error::invalid(msg);
    return Error::internal(msg);
}

Result<void> check(const PGresult* res, PGconn* conn) {
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return {};
    return fail(map_error(res, conn));
}

} // namespace

PostgresConnection::~PostgresConnection() {
    PQfinish(m_conn);
}

// Prepares once per connection and asks the server for the parameter types, so that the count
// can be checked here and bytea parameters can be sent as raw bytes.
Result<const PostgresConnection::Prepared*> PostgresConnection::prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = m_statements.find(key); it != m_statements.end())
        return &it->second;
    Prepared p{fmt::format("teilhabe_{}", m_next_statement++), {}};
    std::string text = rewrite_placeholders(sql);
    PgResult made(PQprepare(m_conn, p.name.c_str(), text.c_str(), 0, nullptr));
    TRY(check(made.get(), m_conn));
    PgResult described(PQdescribePrepared(m_conn, p.name.c_str()));
    TRY(check(described.get(), m_conn));
    for (int i = 0; i < PQnparams(described.get()); ++i)
        p.param_types.push_back(PQparamtype(described.get(), i));
    return &m_statements.emplace(std::move(key), std::move(p)).first->second;
}

Result<Rows> PostgresConnection::query(std::string_view sql, const Params& params) {
    const Prepared* stmt = TRY(prepare(sql));
    // The server would answer a wrong count with a protocol error (class 08, "connection").
    if (params.size() != stmt->param_types.size())
        return fail(Error::invalid(fmt::format("PostgreSQL: statement takes {} parameters, got {}",
                                               stmt->param_types.size(), params.size())));
    auto enc = TRY(encode(params, stmt->param_types));
    PgResult res(PQexecPrepared(m_conn, stmt->name.c_str(), static_cast<int>(params.size()),
                                enc.values.data(), enc.lengths.data(), enc.formats.data(), 0));
    if (auto ok = check(res.get(), m_conn); !ok) {
        // "cached plan must not change result type": a table changed under the statement; it
        // stays broken on this connection, so prepare it afresh next time.
        if (sqlstate_of(res.get()) == "0A000")
            m_statements.erase(std::string(sql));
        return fail(ok.error());
    }
    return to_rows(res.get());
}

Result<void> PostgresConnection::exec_script(std::string_view sql) {
    std::string text(sql);
    PgResult res(PQexec(m_conn, text.c_str()));
    return check(res.get(), m_conn);
}

Result<void> PostgresConnection::begin(bool /*write*/) {
    // Row locks are taken by the statements themselves, so readers and writers begin alike.
    // The level is explicit because the stores' SKIP LOCKED claims and the activity xmin filter
    // are written for READ COMMITTED, whatever default_transaction_isolation says.
    return exec_script("BEGIN ISOLATION LEVEL READ COMMITTED");
}

Result<void> PostgresConnection::commit() {
    PgResult res(PQexec(m_conn, "COMMIT"));
    TRY(check(res.get(), m_conn));
    // COMMIT of a transaction that an earlier error aborted "succeeds" as a ROLLBACK (SQLite
    // would have kept the other statements' work): report the loss instead of hiding it.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK")
        return fail(Error::internal("PostgreSQL: transaction was aborted by an earlier error and "
                                    "rolled back"));
    return {};
}

void PostgresConnection::rollback() noexcept {
    auto status = PQtransactionStatus(m_conn);
    if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR)
        PQclear(PQexec(m_conn, "ROLLBACK"));
}

bool PostgresConnection::healthy() {
    return PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) == PQTRANS_IDLE;
}

namespace {

// The password as written in the URL (user:secret@ or ?password=secret), before libpq decodes
// it: libpq's complaints about a malformed URL quote the raw text.
std::vector<std::string> raw_secrets(std::string_view url) {
    std::vector<std::string> out;
    std::size_t scheme = url.find("://");
    std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    // Like libpq, the user part ends at the first '@' before the path.
    std::string_view authority = url.substr(start, url.find('/', start) - start);
    std::string_view userinfo = authority.substr(0, authority.find('@'));
    if (userinfo.size() < authority.size() && userinfo.find(':') != std::string_view::npos)
        out.emplace_back(userinfo.substr(userinfo.find(':') + 1));
    for (std::size_t p = url.find("password="); p != std::string_view::npos;
         p = url.find("password=", p + 1)) {
        std::size_t begin = p + 9, end = url.find('&', begin);
        out.emplace_back(url.substr(begin, end == std::string_view::npos ? end : end - begin));
    }
    return out;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
        if (s.empty())
            continue;
        for (std::size_t p = text.find(s); p != std::string::npos; p = text.find(s, p + 3))
            text.replace(p, s.size(), "***");
    }
    return text;
}

// Names the target by the parts libpq parsed (host:port/db), never by the URL, and scrubs the
// password from libpq's reason: its complaints about a malformed URL quote the URL's text.
Error connect_error(PGconn* conn, std::string_view url) {
    auto part = [](const char* v) { return v && *v ? v : "?"; };
    std::string where =
        fmt::format("{}:{}/{}", part(PQhost(conn)), part(PQport(conn)), part(PQdb(conn)));
    std::string reason = conn ? one_line(PQerrorMessage(conn)) : "out of memory";
    auto secrets = raw_secrets(url);
    if (const char* pw = PQpass(conn))
        secrets.emplace_back(pw); // decoded, or found in ~/.pgpass
    return Error::unavailable(fmt::format("cannot connect to PostgreSQL at {}: {}",
                                          scrub(where, secrets), scrub(reason, secrets)));
}

} // namespace

std::string rewrite_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    for (std::size_t i = 0; i < sql.size();) {
        if (std::size_t end = skip_section(sql, i); end > i) {
            out.append(sql.substr(i, end - i));
            i = end;
        } else if (sql[i] == '?') {
            out += fmt::format("${}", ++n);
            ++i;
        } else {
            out += sql[i++];
        }
    }
    return out;
}

Result<std::unique_ptr<Connection>> connect_postgresql(const std::string& url) {
    // Keywords before dbname are defaults the URL may override; those after it always apply.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                          nullptr};
    const char* values[] = {"10", "teilhabe", url.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        Error e = connect_error(conn, url);
        PQfinish(conn);
        return fail(std::move(e));
    }
    // NOTICEs ("relation already exists, skipping") would otherwise go to stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    auto c = std::make_unique<PostgresConnection>(conn);
    // Times are stored as Unix milliseconds; UTC keeps any server-side date function stable.
    TRY(c->exec_script("SET TimeZone TO 'UTC'"));
    return std::unique_ptr<Connection>(std::move(c));
}

} // namespace teilhabe::db
