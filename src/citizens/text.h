#pragma once
// Small text helpers of the data hub: trimming, lower-casing for search keys, the upper bound
// of a prefix range, and the opaque list cursor. No SQL, no HTTP.

#include "base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace teilhabe::citizens {

// Without leading and trailing ASCII white space (space, tab, CR, LF, FF, VT).
std::string trim(std::string_view s);

bool valid_utf8(std::string_view s);
// Code points, not bytes: "Müller" has 6. Assumes valid UTF-8.
std::size_t count_chars(std::string_view utf8);
// Control characters (C0, DEL); line breaks and tabs are allowed when `multiline`.
enum class Lines { Single, Multi };
bool has_control_chars(std::string_view s, Lines lines);

// Lower case for search keys and tags. Maps ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic capitals (the names of a German town's people), so "ÖZTÜRK" finds "Öztürk"; other
// characters stay as they are. The same on both database engines, unlike SQL lower().
std::string lower(std::string_view utf8);

// The smallest string above every string that starts with `prefix`, in byte (= code point)
// order, so that `col >= prefix AND col < bound` is a range scan on a plain index. Empty when
// there is none (a prefix of only U+10FFFF).
std::string prefix_upper_bound(std::string_view prefix);

// The list cursor: opaque to clients (base64url of the last id), so the order can change later.
std::string encode_cursor(std::int64_t last_id);
Result<std::int64_t> decode_cursor(std::string_view cursor);

} // namespace teilhabe::citizens
