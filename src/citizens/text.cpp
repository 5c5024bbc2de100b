#include "citizens/text.h"

#include <charconv>
#include <vector>

namespace teilhabe::citizens {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes one code point at s[i] (valid UTF-8 assumed by callers that checked it); advances i.
char32_t decode(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? b : extra == 1 ? b & 0x1F : extra == 2 ? b & 0x0F : b & 0x07;
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    return cp;
}

void encode(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t lower_cp(char32_t c) {
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0xC0)
        return c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F))
        return c + 32; // Latin-1, Greek, Cyrillic capitals
    if (c >= 0x400 && c <= 0x40F)
        return c + 80; // Ѐ..Џ
    if (c == 0x130)
        return 'i'; // Turkish İ: the simple mapping
    if (c == 0x178)
        return 0xFF; // Ÿ
    if (c == 0x1E9E)
        return 0xDF; // capital sharp s
    // Latin Extended-A alternates capital/small, shifting parity at U+0139 and U+014A.
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c % 2 == 0 ? c + 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c % 2 == 1 ? c + 1 : c;
    return c;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

} // namespace

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return std::string(s);
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        if (b < 0x80)
            extra = 0;
        else if (b >= 0xC2 && b < 0xE0)
            extra = 1;
        else if (b >= 0xE0 && b < 0xF0)
            extra = 2;
        else if (b >= 0xF0 && b < 0xF5)
            extra = 3;
        else
            return false;
        if (s.size() - i <= extra)
            return false;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        std::size_t j = i;
        char32_t cp = decode(s, j);
        // Overlong forms, surrogates and values above U+10FFFF are not UTF-8.
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i = j;
    }
    return true;
}

std::size_t count_chars(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool has_control_chars(std::string_view s, Lines lines) {
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (lines == Lines::Multi && (c == '\n' || c == '\r' || c == '\t'))
            continue;
        if (c < 0x20 || c == 0x7F)
            return true;
    }
    return false;
}

std::string lower(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    std::size_t i = 0;
    while (i < utf8.size())
        encode(lower_cp(decode(utf8, i)), out);
    return out;
}

std::string prefix_upper_bound(std::string_view prefix) {
    std::vector<char32_t> cps;
    for (std::size_t i = 0; i < prefix.size();)
        cps.push_back(decode(prefix, i));
    while (!cps.empty() && cps.back() == 0x10FFFF)
        cps.pop_back();
    if (cps.empty())
        return {};
    char32_t& last = cps.back();
    last = last == 0xD7FF ? 0xE000 : last + 1; // surrogates are not characters
    std::string out;
    for (char32_t cp : cps)
        encode(cp, out);
    return out;
}

std::string encode_cursor(std::int64_t last_id) {
    std::string text = std::to_string(last_id), out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (unsigned char c : text) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kB64[(buf >> bits) & 0x3F];
        }
    }
    if (bits > 0)
        out += kB64[(buf << (6 - bits)) & 0x3F];
    return out;
}

Result<std::int64_t> decode_cursor(std::string_view cursor) {
    auto bad = [] {
        return fail(Error::invalid("cursor is not one this server handed out; start again "
                                   "without it",
                                   "cursor"));
    };
    if (cursor.empty() || cursor.size() > 32)
        return bad();
    std::string text;
    std::uint32_t buf = 0;
    int bits = 0;
    for (char c : cursor) {
        const char* at = std::char_traits<char>::find(kB64, 64, c);
        if (!at)
            return bad();
        buf = (buf << 6) | static_cast<std::uint32_t>(at - kB64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            text += static_cast<char>((buf >> bits) & 0xFF);
        }
    }
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || p != text.data() + text.size() || id < 0 ||
        encode_cursor(id) != cursor)
        return bad();
    return id;
}

} // namespace teilhabe::citizens
