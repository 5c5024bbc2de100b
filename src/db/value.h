#pragma once
// Values bound to and read from SQL statements, the same for SQLite and PostgreSQL.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace teilhabe::db {

struct Null {
    bool operator==(const Null&) const = default;
};

// Every value is bound, never spliced into SQL text (DESIGN.md "every value is bound").
using Value = std::variant<Null, std::int64_t, double, std::string>;

inline Value null() { return Null{}; }

// Small helpers so callers write {1, "x", db::opt(maybe)} in parameter lists.
template <class T> Value opt(const std::optional<T>& v) {
    if (!v)
        return Null{};
    return Value(*v);
}

// One result row. Both backends hand back text or integers; the getters convert, so stores
// read the same way whatever the engine (PostgreSQL's 't'/'f' booleans included).
class Row {
public:
    Row() = default;
    explicit Row(std::vector<Value> values) : m_values(std::move(values)) {}

    std::size_t size() const { return m_values.size(); }
    bool is_null(std::size_t i) const;
    std::int64_t get_int(std::size_t i) const;
    double get_double(std::size_t i) const;
    bool get_bool(std::size_t i) const;
    std::string get_text(std::size_t i) const;
    std::optional<std::int64_t> get_opt_int(std::size_t i) const;
    std::optional<std::string> get_opt_text(std::size_t i) const;
    const Value& raw(std::size_t i) const { return m_values.at(i); }

private:
    std::vector<Value> m_values;
};

struct Rows {
    std::vector<std::string> columns;
    std::vector<Row> rows;
    std::int64_t affected{0};

    bool empty() const { return rows.empty(); }
    const Row& first() const { return rows.front(); }
};

} // namespace teilhabe::db
