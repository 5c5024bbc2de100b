#pragma once
// The encodings an Internet message needs (RFC 2045 quoted-printable and base64, RFC 2047
// encoded-words, RFC 5322 folding and dates). Pure functions over bytes; message.cpp composes
// them into a whole message.

#include "base/clock.h"

#include <string>
#include <string_view>

namespace teilhabe::mail {

// RFC 2045 6.7 quoted-printable with CRLF line ends and lines of at most 76 characters. Input
// line ends (LF or CRLF) become hard CRLF breaks. A '.' opening a line is encoded as =2E and
// "From " as =46rom, so neither SMTP dot-stuffing nor mbox quoting can alter the text.
std::string quoted_printable(std::string_view text);
// The same appended to `out` (the composer writes the parts straight into the message).
void append_quoted_printable(std::string& out, std::string_view text);

// RFC 2045 6.8 base64, lines of 76 characters ended by CRLF.
std::string base64_lines(std::string_view bytes);
// Plain base64 on one line (DKIM tags).
std::string base64(std::string_view bytes);

// A header field "Name: value" folded to lines of at most 78 characters (RFC 5322 2.2.3) and
// ended by CRLF. Text with non-ASCII characters (or that could be mistaken for an encoded-word)
// is written as RFC 2047 "Q" encoded-words of at most 75 characters, never splitting a UTF-8
// sequence. `value` must not contain CR or LF (message.cpp rejects them before).
std::string unstructured_header(std::string_view name, std::string_view value);

// A display name as an RFC 5322 phrase: as is when it is plain atoms, a quoted-string when it
// has specials, encoded-words when it has non-ASCII characters.
std::string display_name_phrase(std::string_view name);

// Folds an already encoded header line ("Name: a b c") at spaces to lines of at most 78
// characters; a single token longer than that stays whole (allowed up to 998). Ends with CRLF.
std::string fold_header(std::string_view line);

// RFC 5322 3.3 date-time in UTC, e.g. "Thu, 26 Nov 2026 09:23:04 +0000".
std::string rfc5322_date(TimePoint t);

// Whether `s` is valid UTF-8 (no overlongs, no surrogates).
bool valid_utf8(std::string_view s);

} // namespace teilhabe::mail
