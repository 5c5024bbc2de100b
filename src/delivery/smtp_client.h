#pragma once
// The SMTP client of the outbox, on Boost.Asio and OpenSSL: smtp:// with STARTTLS (required
// when credentials are given, so a password never crosses the wire in clear; used when offered
// otherwise) or smtps:// (TLS from the start), AUTH PLAIN or LOGIN as the server offers, one
// connection reused for many messages, PIPELINING (RFC 2920) when the server offers it, and the
// server's reply to each message (code, enhanced status code, text, queue id).
//
// With PIPELINING a message costs one round trip: the end of message N's data goes out in one
// write with MAIL, RCPT and DATA of message N+1, but N+1's data only after the feed recorded
// N's reply (MessageFeed::done) — so at most one message per connection is accepted by the MTA
// and not yet recorded (the outbox's crash guarantee).

#include "delivery/outbox.h"

#include <memory>
#include <optional>
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

// One message for the MTA; `mime` with CRLF or LF line ends, valid until its reply is given
// to MessageFeed::done.
struct Envelope {
    std::string from, to;
    std::string_view mime;
};

// Where a transport takes its messages from and gives their replies to (the sender).
class MessageFeed {
public:
    virtual ~MessageFeed() = default;
    // The next message, or nothing: stop. May be asked before the previous message's reply.
    virtual std::optional<Envelope> next() = 0;
    // The final reply of the oldest message handed out and not answered yet; every message from
    // next() gets exactly one, in order. The transport sends no further end of data before
    // this returns.
    virtual void done(const SmtpReply& reply) = 0;
};

// One connection to the MTA. An interface so that the sender can be tested against a
// transport that fails in chosen ways; the real one is SmtpClient.
class SmtpTransport {
public:
    virtual ~SmtpTransport() = default;
    // Sends one message to one recipient; `mime` with CRLF or LF line ends.
    virtual SmtpReply send(const std::string& envelope_from, const std::string& to,
                           std::string_view mime) = 0;
    // Sends what the feed hands out until it says stop; one message after the other here.
    virtual void send_all(MessageFeed& feed);
};

class SmtpClient final : public SmtpTransport {
public:
    explicit SmtpClient(SmtpSettings settings);
    ~SmtpClient() override;
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    SmtpReply send(const std::string& envelope_from, const std::string& to,
                   std::string_view mime) override;
    void send_all(MessageFeed& feed) override;
    // Whether the open connection's server offered PIPELINING (for tests).
    bool pipelining() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// "250 2.0.0 Ok: queued as 4F1C2", possibly several lines, into its parts.
SmtpReply parse_reply(const std::vector<std::string>& lines);

// The server's bytes cut into replies: a reply may come in pieces, and with PIPELINING several
// come in one read. "250-x" continues a reply, "250 x" ends it.
class ReplyBuffer {
public:
    void feed(std::string_view bytes);
    // The lines of the next complete reply, when one is there.
    std::optional<std::vector<std::string>> next();
    // Bytes without a line end so far (a server that never ends its line).
    std::size_t pending() const { return m_data.size() - m_pos; }

private:
    std::string m_data;
    std::size_t m_pos{0};
    std::vector<std::string> m_lines;
};

// Appends `mime` as the DATA of a message: CRLF line ends (RFC 5321 2.3.8), a dot doubled at
// the start of a line (4.5.2), and the final "." line.
void append_data(std::string& out, std::string_view mime);

} // namespace teilhabe::delivery
