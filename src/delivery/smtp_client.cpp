// The SMTP session on Boost.Asio: blocking for the caller, each step an asynchronous operation
// run on the connection's own io_context until the step's deadline (a stuck server is a
// timeout, never a hang). Everything about the session itself — no connection, a refused
// greeting, EHLO, STARTTLS, AUTH, a certificate that is not trusted — is reported as "no
// reply" (code 0 and the reason): the recipient is not to blame, so the row is tried again.

#include "delivery/smtp_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

namespace teilhabe::delivery {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Deadline = std::chrono::steady_clock::time_point;

namespace {

std::string base64(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                             reinterpret_cast<const unsigned char*>(in.data()),
                             static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& ch : out)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

// A failure of the session, not of one message.
struct SessionError {
    std::string reason;
};

SmtpReply no_reply(std::string reason) { return SmtpReply{.error = std::move(reason)}; }

} // namespace

struct SmtpClient::Impl {
    SmtpSettings settings;
    asio::io_context io;
    asio::ssl::context tls{asio::ssl::context::tls_client};
    std::unique_ptr<tcp::socket> socket;
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> stream; // after STARTTLS or for smtps
    bool open{false}, pipelining{false}, starttls{false};
    std::string auth; // the AUTH line of EHLO, upper case
    ReplyBuffer in;
    std::string out;
    Deadline deadline{};

    bool trust_loaded{false};

    explicit Impl(SmtpSettings s) : settings(std::move(s)) {}

    // Runs the asynchronous operation started by `start` until it completes or the deadline
    // passes; then the socket is closed and the operation ends with operation_aborted.
    template <class Start> error_code run(Start&& start) {
        std::optional<error_code> result;
        start([&](error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run_until(deadline);
        if (!result) {
            error_code ignored;
            socket->close(ignored);
            io.restart();
            io.run();
            return asio::error::timed_out;
        }
        return *result;
    }

    void close() {
        stream.reset();
        if (socket) {
            error_code ignored;
            socket->close(ignored);
        }
        socket.reset();
        open = false;
        in = ReplyBuffer{};
        out.clear();
    }

    void check(error_code ec, std::string_view what) {
        if (ec)
            throw SessionError{fmt::format("{} {}: {}", what, settings.display(), ec.message())};
    }

    void flush() {
        if (out.empty())
            return;
        auto ec = run([&](auto handler) {
            if (stream)
                asio::async_write(*stream, asio::buffer(out), handler);
            else
                asio::async_write(*socket, asio::buffer(out), handler);
        });
        out.clear();
        check(ec, "writing to");
    }

    SmtpReply read() {
        while (true) {
            if (auto lines = in.next())
                return parse_reply(*lines);
            if (in.pending() > 65536)
                throw SessionError{"the server sent a line longer than 64 KiB"};
            char buffer[16384];
            std::size_t got = 0;
            auto ec = run([&](auto handler) {
                auto h = [&got, handler](error_code e, std::size_t n) mutable {
                    got = n;
                    handler(e);
                };
                if (stream)
                    stream->async_read_some(asio::buffer(buffer), h);
                else
                    socket->async_read_some(asio::buffer(buffer), h);
            });
            in.feed(std::string_view(buffer, got));
            check(ec, "reading from");
        }
    }

    SmtpReply command(std::string line) {
        out += line;
        out += "\r\n";
        flush();
        return read();
    }

    void handshake() {
        if (!trust_loaded) { // the system's CA bundle costs milliseconds: only when TLS is used
            tls.set_verify_mode(settings.verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
            error_code ec;
            if (!settings.ca_file.empty())
                tls.load_verify_file(settings.ca_file, ec);
            else
                tls.set_default_verify_paths(ec);
            check(ec, "loading the trust anchors for");
            trust_loaded = true;
        }
        stream = std::make_unique<asio::ssl::stream<tcp::socket&>>(*socket, tls);
        if (settings.verify_peer)
            stream->set_verify_callback(asio::ssl::host_name_verification(settings.host));
        error_code ec;
        asio::ip::make_address(settings.host, ec);
        if (ec) // SNI for names, not for addresses
            SSL_set_tlsext_host_name(stream->native_handle(), settings.host.c_str());
        check(run([&](auto handler) { stream->async_handshake(asio::ssl::stream_base::client, handler); }),
              "TLS with");
    }

    void ehlo() {
        auto reply = command("EHLO " + settings.helo);
        if (reply.code != 250)
            throw SessionError{"EHLO refused: " + reply.summary()};
        pipelining = starttls = false;
        auth.clear();
        std::size_t start = 0;
        while (start <= reply.text.size()) { // the first line is the greeting, the rest keywords
            auto end = std::min(reply.text.find('\n', start), reply.text.size());
            auto word = upper(std::string_view(reply.text).substr(start, end - start));
            if (word == "PIPELINING")
                pipelining = true;
            else if (word == "STARTTLS")
                starttls = true;
            else if (word.starts_with("AUTH ") || word.starts_with("AUTH="))
                auth = " " + word.substr(5) + " ";
            start = end + 1;
        }
    }

    void login() {
        const auto& s = settings;
        if (auth.find(" PLAIN ") != std::string::npos) {
            auto r = command("AUTH PLAIN " + base64(std::string(1, '\0') + s.user + '\0' + s.password));
            if (r.code != 235)
                throw SessionError{"AUTH refused: " + r.summary()};
            return;
        }
        if (auth.find(" LOGIN ") == std::string::npos)
            throw SessionError{"the server offers neither AUTH PLAIN nor AUTH LOGIN"};
        auto r = command("AUTH LOGIN");
        if (r.code == 334)
            r = command(base64(s.user));
        if (r.code == 334)
            r = command(base64(s.password));
        if (r.code != 235)
            throw SessionError{"AUTH refused: " + r.summary()};
    }

    void connect() {
        close();
        deadline = std::chrono::steady_clock::now() + settings.connect_timeout;
        tcp::resolver resolver(io);
        tcp::resolver::results_type endpoints;
        check(run([&](auto handler) {
                  resolver.async_resolve(settings.host, std::to_string(settings.port),
                                         [&endpoints, handler](error_code ec, auto results) mutable {
                                             endpoints = results;
                                             handler(ec);
                                         });
              }),
              "resolving");
        socket = std::make_unique<tcp::socket>(io);
        check(run([&](auto handler) { asio::async_connect(*socket, endpoints, handler); }),
              "connecting to");
        deadline = std::chrono::steady_clock::now() + settings.timeout; // the rest of the set-up
        socket->set_option(tcp::no_delay(true));
        socket->set_option(asio::socket_base::keep_alive(true));
        if (settings.implicit_tls)
            handshake();
        auto greeting = read();
        if (greeting.code != 220)
            throw SessionError{"the server refused the session: " + greeting.summary()};
        ehlo();
        bool need_tls = !settings.user.empty();
        if (!stream && (starttls || need_tls)) {
            if (!starttls) // a password only over TLS
                throw SessionError{"the server offers no STARTTLS, and a password is not sent in clear"};
            auto r = command("STARTTLS");
            if (r.code != 220)
                throw SessionError{"STARTTLS refused: " + r.summary()};
            handshake();
            ehlo();
        }
        if (!settings.user.empty())
            login();
        open = true;
    }

    void start_envelope(const Envelope& m) {
        out += fmt::format("MAIL FROM:<{}>\r\nRCPT TO:<{}>\r\nDATA\r\n", m.from, m.to);
    }

    // One message up to the server's answer to its end of data. `envelope_sent`: its MAIL,
    // RCPT and DATA went out with the previous message's data. With PIPELINING the envelope
    // of the feed's next message goes out with this one's data (`following`).
    SmtpReply transact(const Envelope& m, bool envelope_sent, MessageFeed& feed,
                       std::optional<Envelope>& following) {
        if (!open) {
            connect();
            envelope_sent = false;
        }
        deadline = std::chrono::steady_clock::now() + settings.timeout;
        SmtpReply go;
        if (pipelining) {
            if (!envelope_sent) {
                start_envelope(m);
                flush();
            }
            auto mail = read();
            auto rcpt = read();
            auto data = read();
            go = !mail.accepted() ? mail : !rcpt.accepted() ? rcpt : data;
            if (data.code == 354 && go.code != 354) { // DATA taken without a recipient
                out += ".\r\n";
                flush();
                read();
            }
        } else {
            go = command(fmt::format("MAIL FROM:<{}>", m.from));
            if (go.accepted())
                go = command(fmt::format("RCPT TO:<{}>", m.to));
            if (go.accepted())
                go = command("DATA");
        }
        if (go.code != 354) {
            if (go.accepted())
                throw SessionError{"unexpected reply to DATA: " + go.summary()};
            if (go.code == 421) // the server closes the session
                close();
            else
                command("RSET");
            return go;
        }
        append_data(out, m.mime);
        if (pipelining && (following = feed.next()))
            start_envelope(*following);
        flush();
        auto reply = read();
        if (reply.code == 421)
            close(); // `following` starts again on a new session
        return reply;
    }
};

SmtpClient::SmtpClient(SmtpSettings settings) : m_impl(std::make_unique<Impl>(std::move(settings))) {}

SmtpClient::~SmtpClient() {
    auto& s = *m_impl;
    if (!s.open)
        return;
    try { // a polite end; the server cannot hold anything against a closed connection
        s.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        s.out += "QUIT\r\n";
        s.flush();
        s.read();
    } catch (const SessionError&) {
    }
    s.close();
}

void SmtpClient::send_all(MessageFeed& feed) {
    auto& s = *m_impl;
    auto current = feed.next();
    bool envelope_sent = false;
    while (current) {
        std::optional<Envelope> following;
        SmtpReply reply;
        try {
            reply = s.transact(*current, envelope_sent, feed, following);
            envelope_sent = following.has_value();
        } catch (const SessionError& e) {
            s.close(); // the next message opens a new session, also `following`
            reply = no_reply(e.reason);
            envelope_sent = false;
        }
        feed.done(reply); // before the next message's end of data goes out
        current = following ? std::move(following) : feed.next();
    }
}

bool SmtpClient::pipelining() const { return m_impl->open && m_impl->pipelining; }

SmtpReply SmtpClient::send(const std::string& envelope_from, const std::string& to,
                           std::string_view mime) {
    struct One final : MessageFeed {
        Envelope m;
        bool given{false};
        SmtpReply reply;
        std::optional<Envelope> next() override {
            if (given)
                return std::nullopt;
            given = true;
            return m;
        }
        void done(const SmtpReply& r) override { reply = r; }
    } one;
    one.m = {envelope_from, to, mime};
    send_all(one);
    return one.reply;
}

} // namespace teilhabe::delivery
