#include "mail/mime.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fmt/format.h>

namespace teilhabe::mail {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";
constexpr std::size_t max_line = 78;    // RFC 5322 2.1.1: SHOULD be no more than 78
constexpr std::size_t max_qp_line = 76; // RFC 2045 6.7 (5)
constexpr std::size_t max_word = 62;    // an encoded-word, short enough for any first line

void append_hex(std::string& out, unsigned char c) {
    out += '=';
    out += hex_digits[c >> 4];
    out += hex_digits[c & 15];
}

// Length of the UTF-8 sequence a lead byte starts (1 for ASCII and for stray bytes).
std::size_t utf8_length(unsigned char c) {
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

// RFC 2047 5 (3): in a phrase only these may stand for themselves in a "Q" word.
bool q_literal(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

// The text as "Q" encoded-words separated by single spaces, each at most max_word characters
// and each holding whole UTF-8 sequences.
std::string encoded_words(std::string_view text) {
    constexpr std::string_view open = "=?UTF-8?Q?", close = "?=";
    std::string out, word;
    auto flush = [&] {
        if (word.empty())
            return;
        if (!out.empty())
            out += ' ';
        out.append(open).append(word).append(close);
        word.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
        std::string piece;
        for (std::size_t k = 0; k < n; ++k) {
            auto c = static_cast<unsigned char>(text[i + k]);
            if (c == ' ')
                piece += '_';
            else if (q_literal(c))
                piece += static_cast<char>(c);
            else
                append_hex(piece, c);
        }
        if (open.size() + word.size() + piece.size() + close.size() > max_word)
            flush();
        word += piece;
        i += n;
    }
    flush();
    return out;
}

bool needs_encoding(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x7F || (c < 0x20 && c != '\t'))
            return true;
    return text.find("=?") != std::string_view::npos;
}

bool is_atext(unsigned char c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
           std::string_view::npos;
}

} // namespace

std::string fold_header(std::string_view line) {
    std::string out;
    std::size_t line_len = 0;
    std::size_t pos = 0;
    int tokens = 0; // the field name and the first word of the value stay on the first line
    while (pos <= line.size()) {
        auto space = line.find(' ', pos);
        if (space == std::string_view::npos)
            space = line.size();
        auto token = line.substr(pos, space - pos);
        if (tokens++ == 0) {
            out.append(token);
            line_len = token.size();
        } else if (line_len + 1 + token.size() > max_line && tokens > 2) {
            out.append("\r\n ").append(token);
            line_len = 1 + token.size();
        } else {
            out.append(" ").append(token);
            line_len += 1 + token.size();
        }
        pos = space + 1;
    }
    out += "\r\n";
    return out;
}

std::string unstructured_header(std::string_view name, std::string_view value) {
    std::string line(name);
    line += ": ";
    if (needs_encoding(value))
        line += encoded_words(value);
    else
        line += value;
    return fold_header(line);
}

std::string display_name_phrase(std::string_view name) {
    if (name.empty())
        return {};
    if (needs_encoding(name))
        return encoded_words(name);
    bool plain = name.front() != ' ' && name.back() != ' ';
    for (unsigned char c : name)
        plain = plain && (is_atext(c) || c == ' ');
    if (plain && name.find("  ") == std::string_view::npos)
        return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

// Bytes that quoted-printable writes as themselves (RFC 2045 6.7 (2), (3)): printable ASCII but
// '=', and space and tab unless they end a line.
constexpr std::array<bool, 256> qp_plain = [] {
    std::array<bool, 256> t{};
    for (int c = 33; c <= 126; ++c)
        t[c] = c != '=';
    t[' '] = t['\t'] = true;
    return t;
}();

// One line (without its line end) into `p`, which has room; returns the end.
char* qp_line(std::string_view line, char* p) {
    std::size_t col = 0;
    const std::size_t n = line.size();
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(line[i]);
        bool at_end = i + 1 == n;
        // A run of plain characters that fits on the line before a soft break is needed:
        // copied as it is (most of an HTML part).
        if (i > 0 && !at_end && qp_plain[c] && col + 2 <= max_qp_line) {
            std::size_t room = max_qp_line - 1 - col; // characters before the soft break
            std::size_t j = i;
            std::size_t stop = std::min(n - 1, i + room);
            while (j < stop && qp_plain[static_cast<unsigned char>(line[j])])
                ++j;
            std::memcpy(p, line.data() + i, j - i);
            p += j - i;
            col += j - i;
            i = j - 1;
            continue;
        }
        bool literal = qp_plain[c] && !((c == ' ' || c == '\t') && at_end) && !(i == 0 && c == '.') &&
                       !(i == 0 && c == 'F' && line.starts_with("From "));
        std::size_t size = literal ? 1 : 3;
        // Room for the piece plus a soft break '=' unless the piece ends the line.
        if (col + size + (at_end ? 0 : 1) > max_qp_line) {
            *p++ = '=';
            *p++ = '\r';
            *p++ = '\n';
            col = 0;
        }
        if (literal) {
            *p++ = static_cast<char>(c);
        } else {
            *p++ = '=';
            *p++ = hex_digits[c >> 4];
            *p++ = hex_digits[c & 15];
        }
        col += size;
    }
    return p;
}

} // namespace

void append_quoted_printable(std::string& out, std::string_view text) {
    // At most 3 bytes per input byte, plus a soft break ("=\r\n") per at least 73 of those;
    // written through a pointer into room made once (a journey mail's largest cost before,
    // docs/benchmarks.md).
    const std::size_t base = out.size();
    out.resize(base + 3 * text.size() + text.size() / 8 + 16);
    char* const begin = out.data() + base;
    char* p = begin;
    std::size_t start = 0;
    bool first_line = true;
    while (start <= text.size()) {
        auto nl = text.find('\n', start);
        bool last = nl == std::string_view::npos;
        auto line = text.substr(start, (last ? text.size() : nl) - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!first_line) {
            *p++ = '\r';
            *p++ = '\n';
        }
        first_line = false;
        p = qp_line(line, p);
        if (last)
            break;
        start = nl + 1;
    }
    out.resize(base + static_cast<std::size_t>(p - begin));
}

std::string quoted_printable(std::string_view text) {
    std::string out;
    append_quoted_printable(out, text);
    return out;
}

std::string base64(std::string_view bytes) {
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_lines(std::string_view bytes) {
    auto flat = base64(bytes);
    std::string out;
    for (std::size_t i = 0; i < flat.size(); i += 76) {
        out.append(flat, i, 76);
        out += "\r\n";
    }
    return out;
}

std::string rfc5322_date(TimePoint t) {
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", days[tm.tm_wday], tm.tm_mday,
                       months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        // Eight ASCII bytes at a time (most of a message).
        if (i + 8 <= s.size()) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, cp = c & 0x07;
        else
            return false;
        if (i + n > s.size())
            return false;
        for (std::size_t k = 1; k < n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n;
    }
    return true;
}

} // namespace teilhabe::mail
