#pragma once
// Repeated SQL text for statements whose size depends on the data: the placeholders of an IN
// list ("?, ?, ?") and the rows of a multi-row INSERT or VALUES list ("(?, ?), (?, ?)").
// Only fixed text is repeated; the values stay bound.

#include <cstddef>
#include <string>
#include <string_view>

namespace teilhabe::db {

// `item` n times, joined by ", ".
inline std::string repeated(std::string_view item, std::size_t n) {
    std::string out;
    out.reserve(n * (item.size() + 2));
    for (std::size_t i = 0; i < n; ++i) {
        if (i)
            out += ", ";
        out += item;
    }
    return out;
}

// "?, ?, …": n placeholders, e.g. for `IN (…)`.
inline std::string placeholders(std::size_t n) { return repeated("?", n); }

} // namespace teilhabe::db
