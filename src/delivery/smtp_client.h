#pragma once
// The SMTP client of the outbox, on libcurl: smtp:// with STARTTLS (required when credentials
// are given, so a password never crosses the wire in clear; tried otherwise) or smtps://
// (TLS from the start), AUTH PLAIN or LOGIN as the server offers, one connection reused for
// many messages, and the server's reply to each message (code, enhanced status code, text,
// queue id). libcurl does the dot-stuffing of the DATA phase (RFC 5321 4.5.2).

#include "delivery/outbox.h"

#include <memory>
#include <string>
#include <vector>

namespace teilhabe::delivery {

struct SmtpSettings {
    bool implicit_tls{false}; // smtps://
    std::string host;
    std::uint16_t port{25};
    std::string user, password; // percent-decoded; empty: no AUTH
    std::string helo{"localhost"};
    std::string ca_file; // trust anchors for the server's certificate; empty: the system's
    bool verify_peer{true};
    std::chrono::milliseconds timeout{std::chrono::seconds(60)}; // per message
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};

    // smtp://host:port, with user but never the password: for logs.
    std::string display() const;
};

// smtp://[user:pass@]host[:port] (port 25 by default) or smtps://... (465).
Result<SmtpSettings> parse_smtp_url(std::string_view url);

// One connection to the MTA. An interface so that the sender can be tested against a
// transport that fails in chosen ways; the real one is SmtpClient.
class SmtpTransport {
public:
    virtual ~SmtpTransport() = default;
    // Sends one message to one recipient; `mime` with CRLF or LF line ends.
    virtual SmtpReply send(const std::string& envelope_from, const std::string& to,
                           std::string_view mime) = 0;
};

class SmtpClient final : public SmtpTransport {
public:
    explicit SmtpClient(SmtpSettings settings);
    ~SmtpClient() override;
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    SmtpReply send(const std::string& envelope_from, const std::string& to,
                   std::string_view mime) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// "250 2.0.0 Ok: queued as 4F1C2", possibly several lines, into its parts.
SmtpReply parse_reply(const std::vector<std::string>& lines);

} // namespace teilhabe::delivery
