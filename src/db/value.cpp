#include "db/value.h"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace teilhabe::db {

bool Row::is_null(std::size_t i) const { return std::holds_alternative<Null>(m_values.at(i)); }

std::int64_t Row::get_int(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto* n = std::get_if<std::int64_t>(&v))
        return *n;
    if (auto* d = std::get_if<double>(&v))
        return static_cast<std::int64_t>(*d);
    if (auto* s = std::get_if<std::string>(&v)) {
        if (*s == "t" || *s == "true")
            return 1;
        if (*s == "f" || *s == "false")
            return 0;
        std::int64_t out = 0;
        auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
        if (ec == std::errc())
            return out;
        return static_cast<std::int64_t>(std::strtod(s->c_str(), nullptr));
    }
    return 0;
}

double Row::get_double(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto* n = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*n);
    if (auto* d = std::get_if<double>(&v))
        return *d;
    if (auto* s = std::get_if<std::string>(&v))
        return std::strtod(s->c_str(), nullptr);
    return 0.0;
}

bool Row::get_bool(std::size_t i) const { return get_int(i) != 0; }

std::string Row::get_text(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto* s = std::get_if<std::string>(&v))
        return *s;
    if (auto* n = std::get_if<std::int64_t>(&v))
        return std::to_string(*n);
    if (auto* d = std::get_if<double>(&v))
        return std::to_string(*d);
    return {};
}

std::optional<std::int64_t> Row::get_opt_int(std::size_t i) const {
    if (is_null(i))
        return std::nullopt;
    return get_int(i);
}

std::optional<std::string> Row::get_opt_text(std::size_t i) const {
    if (is_null(i))
        return std::nullopt;
    return get_text(i);
}

} // namespace teilhabe::db
