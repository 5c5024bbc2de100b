#include "mail/placeholders.h"

#include <fmt/format.h>

namespace teilhabe::mail::detail {

namespace {

bool key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool valid_key(std::string_view k) {
    if (k.empty())
        return false;
    for (char c : k)
        if (!key_char(c))
            return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

struct Parser {
    std::string_view what;
    int line, column;

    Error error(std::string msg) const {
        return Error::invalid(fmt::format("{}, line {}, column {}: {}", what, line, column, msg),
                              std::string(what));
    }

    Result<> value(std::string_view expr, Slot& s) const {
        auto bar = expr.find('|');
        if (bar != std::string_view::npos) {
            s.fallback = std::string(expr.substr(bar + 1));
            expr = trim(expr.substr(0, bar));
        }
        if (expr == "first_name")
            s.value = ValueKind::FirstName;
        else if (expr == "last_name")
            s.value = ValueKind::LastName;
        else if (expr == "email")
            s.value = ValueKind::Email;
        else if (expr == "district")
            s.value = ValueKind::District;
        else if (expr.starts_with("field.") && valid_key(expr.substr(6))) {
            s.value = ValueKind::Field;
            s.key = std::string(expr.substr(6));
        } else
            return fail(
                error(fmt::format("unknown placeholder \"{{{{{}}}}}\"; known are first_name, "
                                  "last_name, email, district and field.KEY",
                                  expr)));
        return {};
    }

    // "interest.kultur", "field.district=Nord", "district=Nord", "language.en"
    Result<> condition(std::string_view expr, Slot& s) const {
        auto eq = expr.find('=');
        std::string_view name = trim(expr.substr(0, eq));
        if (eq != std::string_view::npos)
            s.equals = std::string(trim(expr.substr(eq + 1)));
        auto dot = name.find('.');
        std::string_view kind = name.substr(0, dot);
        std::string_view key =
            dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
        if (kind == "district" && key.empty()) {
            s.cond = CondKind::District;
        } else if (!valid_key(key)) {
            return fail(
                error(fmt::format("\"{}\" is not a condition; write interest.KEY, tag.KEY, "
                                  "field.KEY, field.KEY=Value, district=Value or language.en",
                                  expr)));
        } else if (kind == "interest" || kind == "tag" || kind == "language") {
            if (s.equals)
                return fail(
                    error(fmt::format("\"{}\": only field and district compare with =", expr)));
            s.cond = kind == "interest" ? CondKind::Interest
                     : kind == "tag"    ? CondKind::Tag
                                        : CondKind::Language;
        } else if (kind == "field") {
            s.cond = CondKind::Field;
        } else {
            return fail(error(fmt::format("unknown condition \"{}\"", kind)));
        }
        s.key = std::string(key);
        // The name a closing tag must repeat: "interest.kultur", "field.district", "district".
        s.tag = std::string(name);
        return {};
    }
};

} // namespace

std::string slot_char(std::size_t index) {
    char32_t cp = slot_base + static_cast<char32_t>(index);
    std::string out(3, '\0');
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return out;
}

std::optional<std::size_t> slot_at(std::string_view s, std::size_t pos, std::size_t slot_count) {
    if (pos + 3 > s.size())
        return std::nullopt;
    auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 != 0xEE && b0 != 0xEF)
        return std::nullopt;
    auto b1 = static_cast<unsigned char>(s[pos + 1]), b2 = static_cast<unsigned char>(s[pos + 2]);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80)
        return std::nullopt;
    char32_t cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
    if (cp < slot_base || cp >= slot_base + slot_count)
        return std::nullopt;
    return static_cast<std::size_t>(cp - slot_base);
}

std::string strip_private_use(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b0 = static_cast<unsigned char>(s[i]);
        if ((b0 == 0xEE || b0 == 0xEF) && i + 2 < s.size()) {
            char32_t cp = ((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
            if (cp >= 0xE000 && cp <= 0xF8FF) {
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

Result<std::string> extract_placeholders(std::string_view source_in, TextMode mode,
                                         std::string_view what, std::vector<Slot>& slots) {
    std::string source = strip_private_use(source_in);
    std::string out;
    out.reserve(source.size());
    std::vector<std::size_t> open; // indices of open blocks
    int line = 1;
    std::size_t line_start = 0;
    std::size_t i = 0;
    while (i < source.size()) {
        if (source[i] == '\n') {
            out += '\n';
            ++line;
            line_start = ++i;
            continue;
        }
        if (source.compare(i, 2, "{{") != 0) {
            out += source[i++];
            continue;
        }
        Parser p{what, line, static_cast<int>(i - line_start + 1)};
        auto close = source.find("}}", i + 2);
        auto nl = source.find('\n', i);
        if (close == std::string::npos || (nl != std::string::npos && nl < close))
            return fail(p.error("\"{{\" is not closed by \"}}\" on the same line"));
        std::string_view inner = trim(std::string_view(source).substr(i + 2, close - i - 2));
        if (slots.size() >= max_slots)
            return fail(p.error("too many placeholders and links"));
        Slot s;
        s.line = p.line;
        s.column = p.column;
        if (inner.empty())
            return fail(p.error("empty \"{{}}\""));
        char sigil = inner.front();
        if (sigil == '#' || sigil == '^') {
            s.kind = SlotKind::BlockBegin;
            s.inverted = sigil == '^';
            TRY(p.condition(trim(inner.substr(1)), s));
            open.push_back(slots.size());
        } else if (sigil == '/') {
            s.kind = SlotKind::BlockEnd;
            std::string_view name = trim(inner.substr(1));
            name = trim(name.substr(0, name.find('=')));
            if (open.empty())
                return fail(p.error(fmt::format("\"{{{{/{}}}}}\" closes no open block", name)));
            const Slot& begin = slots[open.back()];
            if (name != begin.tag)
                return fail(
                    p.error(fmt::format("\"{{{{/{}}}}}\" does not close \"{{{{#{}}}}}\" of line {}",
                                        name, begin.tag, begin.line)));
            s.tag = begin.tag;
            open.pop_back();
        } else {
            TRY(p.value(inner, s));
            s.tag = std::string(inner);
        }
        // A block tag alone on its line stands for whole paragraphs.
        bool alone = false;
        if (mode == TextMode::Markdown && s.kind != SlotKind::Value) {
            auto end = source.find('\n', close);
            auto before = trim(std::string_view(source).substr(line_start, i - line_start));
            auto after = trim(std::string_view(source).substr(
                close + 2, (end == std::string::npos ? source.size() : end) - close - 2));
            alone = before.empty() && after.empty();
        }
        s.standalone = alone;
        std::string ch = slot_char(slots.size());
        slots.push_back(std::move(s));
        if (alone) {
            out += "\n" + ch + "\n\n";
            auto end = source.find('\n', close);
            i = end == std::string::npos ? source.size() : end + 1;
            ++line;
            line_start = i;
            continue;
        }
        out += ch;
        i = close + 2;
    }
    if (!open.empty()) {
        const Slot& s = slots[open.back()];
        return fail(
            Error::invalid(fmt::format("{}, line {}, column {}: \"{{{{#{}}}}}\" is never closed",
                                       what, s.line, s.column, s.tag),
                           std::string(what)));
    }
    return out;
}

} // namespace teilhabe::mail::detail
