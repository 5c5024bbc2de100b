#include "delivery/smtp_client.h"

#include <cctype>
#include <charconv>
#include <cstring>
#include <curl/curl.h>
#include <fmt/format.h>
#include <mutex>
#include <vector>

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

struct SmtpClient::Impl {
    SmtpSettings settings;
    CURL* curl{nullptr};
    std::string url;
    // The server's lines of the exchange of one message; the last complete reply wins.
    // The first refusal (4xx/5xx) is kept apart: after it libcurl may still say QUIT, whose
    // "221 Bye" would otherwise hide the server's reason.
    std::vector<std::string> pending, last_reply, refusal;
    std::string body;
    std::size_t offset{0};
    char errbuf[CURL_ERROR_SIZE]{};

    static int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* self) {
        if (type != CURLINFO_HEADER_IN)
            return 0;
        auto* impl = static_cast<Impl*>(self);
        std::string_view chunk(data, size);
        // One or more lines; a line "250 x" (space after the code) ends a reply, "250-x" not.
        while (!chunk.empty()) {
            auto nl = chunk.find('\n');
            auto line = chunk.substr(0, nl == std::string_view::npos ? chunk.size() : nl + 1);
            chunk.remove_prefix(line.size());
            impl->pending.emplace_back(line);
            if (line.size() < 4 || line[3] != '-') {
                if (impl->refusal.empty() && (line.starts_with('4') || line.starts_with('5')))
                    impl->refusal = impl->pending;
                impl->last_reply = std::move(impl->pending);
                impl->pending.clear();
            }
        }
        return 0;
    }

    static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
        auto* impl = static_cast<Impl*>(self);
        auto n = std::min(size * count, impl->body.size() - impl->offset);
        std::memcpy(buffer, impl->body.data() + impl->offset, n);
        impl->offset += n;
        return n;
    }
};

namespace {
std::once_flag curl_init_once;
}

SmtpClient::SmtpClient(SmtpSettings settings) : m_impl(std::make_unique<Impl>()) {
    std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_impl->settings = std::move(settings);
    const auto& s = m_impl->settings;
    m_impl->url = fmt::format("{}://{}:{}/{}", s.implicit_tls ? "smtps" : "smtp",
                              s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host,
                              s.port, s.helo);
    m_impl->curl = curl_easy_init();
    CURL* c = m_impl->curl;
    curl_easy_setopt(c, CURLOPT_URL, m_impl->url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &Impl::on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, m_impl.get());
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); // the debug callback sees the server's replies
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &Impl::on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, m_impl.get());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, m_impl->errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    if (!s.implicit_tls) // a password only over TLS; without one, TLS when offered
        curl_easy_setopt(c, CURLOPT_USE_SSL, s.user.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL);
    if (!s.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
    }
    if (!s.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s.verify_peer ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s.verify_peer ? 2L : 0L);
}

SmtpClient::~SmtpClient() {
    if (m_impl->curl)
        curl_easy_cleanup(m_impl->curl); // sends QUIT on an open connection
}

SmtpReply SmtpClient::send(const std::string& envelope_from, const std::string& to,
                           std::string_view mime) {
    auto& impl = *m_impl;
    // CRLF line ends on the wire (RFC 5321 2.3.8), whatever the producer wrote.
    impl.body.clear();
    impl.body.reserve(mime.size() + mime.size() / 32);
    for (std::size_t i = 0; i < mime.size(); ++i) {
        if (mime[i] == '\n' && (i == 0 || mime[i - 1] != '\r'))
            impl.body += '\r';
        impl.body += mime[i];
    }
    if (!impl.body.ends_with("\r\n"))
        impl.body += "\r\n";
    impl.offset = 0;
    impl.pending.clear();
    impl.last_reply.clear();
    impl.refusal.clear();
    impl.errbuf[0] = '\0';
    auto from = "<" + envelope_from + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    curl_easy_setopt(impl.curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(impl.curl, CURLOPT_MAIL_RCPT, rcpt);
    CURLcode rc = curl_easy_perform(impl.curl);
    curl_easy_setopt(impl.curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_slist_free_all(rcpt);
    SmtpReply reply = parse_reply(impl.last_reply);
    if (rc == CURLE_OK) {
        if (reply.code == 0)
            reply.code = 250;
        return reply;
    }
    if (!impl.refusal.empty())
        return parse_reply(impl.refusal); // the server refused: its words
    SmtpReply none;
    none.error = impl.errbuf[0] ? std::string(impl.errbuf) : curl_easy_strerror(rc);
    return none;
}

} // namespace teilhabe::delivery
