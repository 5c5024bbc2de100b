#include "mail/message.h"

#include "mail/mime.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fmt/format.h>
#include <openssl/rand.h>

namespace teilhabe::mail {

namespace {

// Random bytes from OpenSSL's generator, taken 4 KiB at a time per thread: one RAND_bytes call
// costs as much as composing the rest of a message, and a message needs two pieces (its id and
// its boundary). Each byte is handed out once.
void random_bytes(unsigned char* out, std::size_t n) {
    constexpr std::size_t pool_size = 4096;
    thread_local std::array<unsigned char, pool_size> pool;
    thread_local std::size_t used = pool_size;
    while (n > 0) {
        if (used == pool_size) {
            if (RAND_bytes(pool.data(), static_cast<int>(pool_size)) != 1)
                std::abort(); // no randomness: nothing safe to do (boundaries and ids must be unguessable)
            used = 0;
        }
        std::size_t take = std::min(n, pool_size - used);
        std::memcpy(out, pool.data() + used, take);
        std::memset(pool.data() + used, 0, take);
        used += take;
        out += take;
        n -= take;
    }
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    random_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(2 * bytes, '\0');
    for (std::size_t i = 0; i < bytes; ++i) {
        auto c = static_cast<unsigned char>(raw[i]);
        out[2 * i] = digits[c >> 4];
        out[2 * i + 1] = digits[c & 15];
    }
    return out;
}

// RFC 5322 2.2: a header value may not contain CR or LF (that is how injection works), nor
// other controls besides TAB.
Result<> check_value(std::string_view what, std::string_view value) {
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return fail(
                Error::invalid(fmt::format("{} contains a line break or control character", what),
                               std::string(what)));
    if (!valid_utf8(value))
        return fail(Error::invalid(fmt::format("{} is not valid UTF-8", what), std::string(what)));
    return {};
}

Result<std::string> address_header(std::string_view name, const Address& a) {
    TRY(check_value(name, a.name));
    if (!plausible_address(a.email))
        return fail(
            Error::invalid(fmt::format("{} is not an e-mail address", name), std::string(name)));
    auto phrase = display_name_phrase(a.name);
    std::string line = fmt::format("{}: ", name);
    if (!phrase.empty())
        line += phrase + " ";
    line += "<" + a.email + ">";
    return fold_header(line);
}

bool valid_field_name(std::string_view name) {
    if (name.empty())
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return c > 32 && c < 127 && c != ':'; });
}

bool equals_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

constexpr std::array<std::string_view, 9> own_headers{
    "From",         "To",           "Reply-To",
    "Subject",      "Date",         "Message-ID",
    "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};

std::string text_part_headers(std::string_view subtype) {
    return fmt::format("Content-Type: text/{}; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n",
                       subtype);
}

} // namespace

bool plausible_address(std::string_view email) {
    auto at = email.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= email.size() ||
        email.find('@', at + 1) != std::string_view::npos || email.size() > 254)
        return false;
    return std::none_of(email.begin(), email.end(), [](unsigned char c) {
        return c <= 32 || c >= 127 || c == '<' || c == '>' || c == '"' || c == ',' || c == '(' ||
               c == ')' || c == '\\' || c == ';' || c == ':';
    });
}

std::vector<std::pair<std::string, std::string>>
list_unsubscribe_headers(std::string_view https_url, std::string_view mailto) {
    std::string value = fmt::format("<{}>", https_url);
    if (!mailto.empty())
        value += fmt::format(", <mailto:{}>", mailto);
    return {{"List-Unsubscribe", value}, {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
}

std::string generate_message_id(std::string_view from_email) {
    auto at = from_email.rfind('@');
    std::string_view domain =
        at == std::string_view::npos ? "localhost" : from_email.substr(at + 1);
    return fmt::format("<{}@{}>", random_hex(16), domain);
}

Result<std::string> to_mime(const Message& m, TimePoint now) {
    std::string out;
    // quoted-printable takes at most about 3.2 bytes per byte (mime.cpp)
    out.reserve((m.text.size() + (m.html ? m.html->size() : 0)) * 13 / 4 + 2048);
    out += TRY(address_header("From", m.from));
    out += TRY(address_header("To", m.to));
    if (m.reply_to)
        out += TRY(address_header("Reply-To", *m.reply_to));
    TRY(check_value("Subject", m.subject));
    out += unstructured_header("Subject", m.subject);
    out += fmt::format("Date: {}\r\n", rfc5322_date(now));
    std::string id = m.message_id.empty() ? generate_message_id(m.from.email) : m.message_id;
    TRY(check_value("Message-ID", id));
    if (id.size() < 5 || id.front() != '<' || id.back() != '>' ||
        !plausible_address(std::string_view(id).substr(1, id.size() - 2)))
        return fail(Error::invalid("Message-ID must look like <local@domain>", "Message-ID"));
    out += fmt::format("Message-ID: {}\r\n", id);
    out += "MIME-Version: 1.0\r\n";
    for (const auto& [name, value] : m.extra_headers) {
        if (!valid_field_name(name))
            return fail(
                Error::invalid(fmt::format("invalid header name \"{}\"", name), "extra_headers"));
        for (auto own : own_headers)
            if (equals_ci(name, own))
                return fail(Error::invalid(fmt::format("header {} is set by the composer", own),
                                           "extra_headers"));
        TRY(check_value(name, value));
        out += unstructured_header(name, value);
    }
    if (!valid_utf8(m.text) || (m.html && !valid_utf8(*m.html)))
        return fail(Error::invalid("the body is not valid UTF-8", "text"));
    if (!m.html) {
        out += text_part_headers("plain");
        out += "\r\n";
        append_quoted_printable(out, m.text);
        if (!out.ends_with("\r\n"))
            out += "\r\n"; // the message ends with a line end
        return out;
    }
    // "=_" never occurs in quoted-printable output, so the boundary cannot appear in a part.
    std::string boundary = "=_" + random_hex(12);
    out +=
        fmt::format("Content-Type: multipart/alternative;\r\n boundary=\"{}\"\r\n\r\n", boundary);
    out += fmt::format("--{}\r\n", boundary);
    out += text_part_headers("plain");
    out += "\r\n";
    append_quoted_printable(out, m.text);
    out += fmt::format("\r\n--{}\r\n", boundary);
    out += text_part_headers("html");
    out += "\r\n";
    append_quoted_printable(out, *m.html);
    out += fmt::format("\r\n--{}--\r\n", boundary);
    return out;
}

} // namespace teilhabe::mail
