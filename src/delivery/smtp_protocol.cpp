// The protocol pieces of the SMTP client that need no connection: the smtp:// URL, replies
// and their parts, the DATA encoding, and the one-by-one default of SmtpTransport::send_all.

#include "delivery/smtp_client.h"

#include <cctype>
#include <charconv>
#include <fmt/format.h>

namespace teilhabe::delivery {

namespace {

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc() && p == s.data() + i + 3) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "5.1.1" at the start of the text: class.subject.detail (RFC 3463).
std::size_t enhanced_length(std::string_view t) {
    std::size_t i = 0;
    if (t.size() < 5 || (t[0] != '2' && t[0] != '4' && t[0] != '5') || t[1] != '.')
        return 0;
    i = 2;
    for (int part = 0; part < 2; ++part) {
        auto start = i;
        while (i < t.size() && is_digit(t[i]))
            ++i;
        if (i == start || i - start > 3)
            return 0;
        if (part == 0) {
            if (i >= t.size() || t[i] != '.')
                return 0;
            ++i;
        }
    }
    if (i < t.size() && t[i] != ' ')
        return 0;
    return i;
}

} // namespace

std::string SmtpSettings::display() const {
    return fmt::format("{}://{}{}:{}", implicit_tls ? "smtps" : "smtp", user.empty() ? "" : user + "@",
                       host, port);
}

Result<SmtpSettings> parse_smtp_url(std::string_view url) {
    SmtpSettings s;
    std::string_view rest;
    if (url.starts_with("smtps://")) {
        s.implicit_tls = true;
        s.port = 465;
        rest = url.substr(8);
    } else if (url.starts_with("smtp://")) {
        rest = url.substr(7);
    } else {
        return fail(Error::invalid("smtp must be smtp://[user:pass@]host:port or smtps://...", "smtp"));
    }
    while (rest.ends_with('/'))
        rest.remove_suffix(1);
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        auto userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = userinfo.find(':');
        s.user = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos)
            s.password = percent_decode(userinfo.substr(colon + 1));
    }
    auto colon = rest.rfind(':');
    auto bracket = rest.rfind(']');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        unsigned long port = 0;
        auto p = rest.substr(colon + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
        if (ec != std::errc() || end != p.data() + p.size() || port == 0 || port > 65535)
            return fail(Error::invalid("the port of smtp must be a number from 1 to 65535", "smtp"));
        s.port = static_cast<std::uint16_t>(port);
        rest = rest.substr(0, colon);
    }
    if (rest.empty() || rest.find('/') != std::string_view::npos)
        return fail(Error::invalid("smtp needs a host name: smtp://host:port", "smtp"));
    if (rest.starts_with('[') && rest.ends_with(']'))
        rest = rest.substr(1, rest.size() - 2);
    s.host = std::string(rest);
    return s;
}

SmtpReply parse_reply(const std::vector<std::string>& lines) {
    SmtpReply r;
    for (const auto& raw : lines) {
        std::string_view line(raw);
        while (line.ends_with('\r') || line.ends_with('\n'))
            line.remove_suffix(1);
        if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]))
            continue;
        r.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        auto text = line.size() > 4 ? line.substr(4) : std::string_view{};
        if (auto n = enhanced_length(text); n > 0) {
            r.enhanced = std::string(text.substr(0, n));
            text = text.substr(std::min(n + 1, text.size()));
        }
        if (!r.text.empty())
            r.text += '\n';
        r.text += text;
    }
    // Postfix: "250 2.0.0 Ok: queued as 4F1C2"; others say "queued as <id>" too.
    if (auto q = r.text.find("queued as "); q != std::string::npos) {
        auto start = q + 10;
        auto end = start;
        while (end < r.text.size() && (std::isalnum(static_cast<unsigned char>(r.text[end])) ||
                                        r.text[end] == '-' || r.text[end] == '.' || r.text[end] == '_'))
            ++end;
        r.queue_id = r.text.substr(start, end - start);
    }
    return r;
}

void ReplyBuffer::feed(std::string_view bytes) {
    if (m_pos > 0 && m_pos == m_data.size()) {
        m_data.clear();
        m_pos = 0;
    }
    m_data.append(bytes);
}

std::optional<std::vector<std::string>> ReplyBuffer::next() {
    while (true) {
        auto nl = m_data.find('\n', m_pos);
        if (nl == std::string::npos) {
            if (m_pos > 4096) { // keep the buffer small; rarely more than one line is left
                m_data.erase(0, m_pos);
                m_pos = 0;
            }
            return std::nullopt;
        }
        std::string_view line(m_data.data() + m_pos, nl + 1 - m_pos);
        m_pos = nl + 1;
        m_lines.emplace_back(line);
        if (line.size() < 4 || line[3] != '-') {
            auto reply = std::move(m_lines);
            m_lines.clear();
            return reply;
        }
    }
}

void append_data(std::string& out, std::string_view mime) {
    out.reserve(out.size() + mime.size() + mime.size() / 32 + 8);
    bool line_start = true;
    for (std::size_t i = 0; i < mime.size(); ++i) {
        char ch = mime[i];
        if (line_start && ch == '.')
            out += '.';
        if (ch == '\n' && (i == 0 || mime[i - 1] != '\r'))
            out += '\r';
        out += ch;
        line_start = ch == '\n';
    }
    if (!out.ends_with("\r\n") || mime.empty())
        out += "\r\n";
    out += ".\r\n";
}

void SmtpTransport::send_all(MessageFeed& feed) {
    while (auto m = feed.next())
        feed.done(send(m->from, m->to, m->mime));
}

} // namespace teilhabe::delivery
