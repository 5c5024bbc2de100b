// One HTTP/1.1 connection of the server (server.cpp): reads a request, calls the handler,
// writes the response (whole or streamed part by part), and either reads the next request or
// closes. Each connection runs on its own strand, so its steps never overlap.

#include "http/problem.h"
#include "http/server_impl.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <exception>
#include <fmt/format.h>
#include <optional>
#include <spdlog/spdlog.h>

namespace teilhabe::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(5);
constexpr std::size_t kLingerMaxBytes = 64u * 1024 * 1024;

Request to_request(const bhttp::request<bhttp::string_body>& in, std::string remote) {
    Request r;
    r.method = parse_method(std::string_view(in.method_string()));
    r.target = std::string(in.target());
    auto q = r.target.find('?');
    r.path = url_decode(std::string_view(r.target).substr(0, q), false);
    if (q != std::string::npos)
        r.query = r.target.substr(q + 1);
    r.headers.reserve(16);
    for (const auto& f : in) {
        std::string name(f.name_string());
        for (auto& c : name) // ASCII only (RFC 9110 token characters): no locale look-up per byte
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.body = in.body();
    r.remote_addr = std::move(remote);
    return r;
}

// A header value or name as it goes on the wire: a CR or LF (which would end the header and
// let the rest be read as another header or a body) becomes a space.
void append_field_text(std::string& out, std::string_view text) {
    for (char c : text)
        out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

// The head of a whole (not streamed) response, written by hand into one buffer that goes out
// with the body in one write: Beast's serializer walked its field list through a chain of
// buffer views per request, a measurable share of the tracked link's redirect.
void serialize_head(std::string& out, const Response& r, bool keep_alive, std::size_t length) {
    out.clear();
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
    out.append("HTTP/1.1 ");
    out.append(std::to_string(r.status));
    out.push_back(' ');
    out.append(reason.data(), reason.size());
    out.append("\r\n");
    for (const auto& [name, value] : r.headers) {
        append_field_text(out, name);
        out.append(": ");
        append_field_text(out, value);
        out.append("\r\n");
    }
    if (!keep_alive)
        out.append("Connection: close\r\n");
    out.append("Content-Length: ");
    out.append(std::to_string(length));
    out.append("\r\n\r\n");
}

} // namespace

namespace detail {

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(ConnectionSocket socket, Server::Impl& server)
        : m_stream(std::move(socket)), m_server(server) {}

    void start() {
        // The peer of a connection does not change: asked once, not once per request.
        beast::error_code ec;
        auto remote = m_stream.socket().remote_endpoint(ec);
        if (!ec)
            m_remote = remote.address().to_string();
        m_stream.socket().non_blocking(true, ec); // for send()'s immediate write; async work as before
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

    void close_if_idle() {
        asio::post(m_stream.get_executor(), [self = shared_from_this()] {
            if (self->m_idle)
                self->close();
        });
    }

    void close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.close();
    }

    // After refusing a request whose body we did not read (413, 400), closing at once would make
    // the kernel answer the unread bytes with a reset, and the client could lose our response.
    // Like nginx's lingering close: stop sending, read and discard for a bounded time, then close.
    void linger_close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec)
            return close();
        m_stream.expires_after(kLingerTime);
        m_linger_bytes = 0;
        discard();
    }

    void discard() {
        m_stream.async_read_some(asio::buffer(m_discard),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                     self->m_linger_bytes += n;
                                     if (ec || self->m_linger_bytes > kLingerMaxBytes)
                                         return self->close();
                                     self->discard();
                                 });
    }

private:
    void read_header() {
        m_parser.emplace();
        m_parser->header_limit(kHeaderLimit);
        m_parser->body_limit(m_server.options.max_body_bytes);
        m_idle = m_buffer.size() == 0;
        if (m_idle && m_server.stopping)
            return close();
        m_stream.expires_after(m_server.options.read_timeout);
        bhttp::async_read_header(m_stream, m_buffer, *m_parser,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        m_idle = false;
        if (ec)
            return on_read_error(ec);
        auto& req = m_parser->get();
        if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
            // The client waits for this before sending a large body (curl does).
            auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
            bhttp::async_write(m_stream, *cont,
                               [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                                   if (wec)
                                       return self->close();
                                   self->read_body();
                               });
            return;
        }
        if (m_parser->is_done()) // no body (a GET): answer without another read operation
            return handle();
        read_body();
    }

    void read_body() {
        bhttp::async_read(m_stream, m_buffer, *m_parser,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec)
                                  return self->on_read_error(ec);
                              self->handle();
                          });
    }

    void on_read_error(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::error::eof)
            return close();
        if (ec == bhttp::error::body_limit)
            return reply_and_close(problem(413, "Payload Too Large",
                                           fmt::format("The request body exceeds {} bytes.",
                                                       m_server.options.max_body_bytes)));
        if (ec == bhttp::error::header_limit)
            return reply_and_close(problem(431, "Request Header Fields Too Large",
                                           "The request headers are too large."));
        // Anything else the parser rejects is a malformed request.
        return reply_and_close(problem(400, "Bad Request", "The HTTP request could not be parsed."));
    }

    void handle() {
        m_stream.expires_never();
        const auto& in = m_parser->get();
        bool keep_alive = in.keep_alive();
        bool head = in.method() == bhttp::verb::head;
        Response out;
        try {
            Request req = to_request(in, m_remote);
            out = m_server.handler(req);
        } catch (const std::exception&) {
            // The dispatcher catches and logs; this is the last line of defence.
            out = problem(500, "Internal Server Error", "An unexpected error occurred.");
        }
        if (out.stream)
            return send_stream(std::move(out), keep_alive && !m_server.stopping, head);
        send(std::move(out), keep_alive && !m_server.stopping, head);
    }

    void reply_and_close(Response r) { send(std::move(r), false, false, /*linger=*/true); }

    void send(Response r, bool keep_alive, bool head, bool linger = false) {
        serialize_head(m_head, r, keep_alive, r.body.size()); // HEAD: the length the GET would have
        m_body_out = head ? std::string{} : std::move(r.body);
        std::array<asio::const_buffer, 2> buffers{asio::buffer(m_head), asio::buffer(m_body_out)};
        // Most responses fit the socket's send buffer: written at once, without an asynchronous
        // operation whose completion goes through the strand again. The socket is non-blocking
        // (start()), so a full buffer answers would_block, and the rest goes asynchronously.
        beast::error_code ec;
        std::size_t written = m_stream.socket().write_some(buffers, ec);
        if (ec && ec != asio::error::would_block)
            return close();
        if (written == m_head.size() + m_body_out.size())
            return after_write(keep_alive, linger);
        beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(buffers);
        rest.consume(written);
        m_stream.expires_after(m_server.options.read_timeout);
        asio::async_write(m_stream, rest,
                          [self = shared_from_this(), keep_alive, linger](beast::error_code wec, std::size_t) {
                              if (wec)
                                  return self->close();
                              self->after_write(keep_alive, linger);
                          });
    }

    void after_write(bool keep_alive, bool linger) {
        if (linger)
            return linger_close();
        after_response(keep_alive);
    }

    void after_response(bool keep_alive) {
        if (!keep_alive || m_server.stopping)
            return close();
        read_header();
    }

    // A body pulled part by part from a BodyStream (body_stream.h), chunked unless its length is
    // known. Parts are produced on this connection's strand, as handlers run.
    void send_stream(Response r, bool keep_alive, bool head) {
        m_body = std::move(r.stream);
        auto& res = m_stream_response.emplace();
        res.version(11);
        res.result(static_cast<unsigned>(r.status));
        for (auto& [name, value] : r.headers)
            res.insert(name, value);
        res.keep_alive(keep_alive);
        if (auto n = m_body->size())
            res.content_length(*n);
        else
            res.chunked(true);
        res.body().data = nullptr;
        res.body().more = true;
        m_serializer.emplace(res);
        m_stream.expires_after(m_server.options.read_timeout);
        bhttp::async_write_header(m_stream, *m_serializer,
                                  [self = shared_from_this(), keep_alive, head](beast::error_code ec,
                                                                                std::size_t) {
                                      if (ec)
                                          return self->end_stream(true);
                                      if (head) { // HEAD: the headers of the GET, no body
                                          self->m_body->cancelled();
                                          return self->end_stream(false, keep_alive);
                                      }
                                      self->send_part(keep_alive);
                                  });
    }

    void send_part(bool keep_alive) {
        m_part.clear();
        Result<bool> more = true;
        try {
            while (more && *more && m_part.empty())
                more = m_body->next(m_part);
        } catch (const std::exception& e) {
            more = fail(Error::internal(e.what()));
        }
        if (!more) {
            spdlog::error("response body broken off: {}", more.error().message);
            return end_stream(false); // closes without ending the body: the client sees it
        }
        auto& body = m_stream_response->body();
        body.data = m_part.empty() ? nullptr : m_part.data();
        body.size = m_part.size();
        body.more = *more;
        m_stream.expires_after(m_server.options.read_timeout);
        bhttp::async_write(m_stream, *m_serializer,
                           [self = shared_from_this(), keep_alive, last = !*more](
                               beast::error_code ec, std::size_t) {
                               if (ec == bhttp::error::need_buffer)
                                   ec = {};
                               if (ec)
                                   return self->end_stream(true);
                               if (last)
                                   return self->end_stream(false, keep_alive);
                               self->send_part(keep_alive);
                           });
    }

    // Keep-alive only after a complete body; anything else closes the connection.
    void end_stream(bool client_gone, std::optional<bool> keep_alive = std::nullopt) {
        if (client_gone && m_body)
            m_body->cancelled();
        m_serializer.reset();
        m_stream_response.reset();
        m_body.reset();
        if (!keep_alive)
            return close();
        after_response(*keep_alive);
    }

    beast::basic_stream<tcp, ConnectionExecutor> m_stream;
    Server::Impl& m_server;
    std::string m_remote; // the peer's address
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    std::string m_head;     // a whole response's status line and headers (serialize_head)
    std::string m_body_out; // and its body, while they are written
    // A streamed body (send_stream); the serializer refers to the response, so it goes first.
    std::shared_ptr<BodyStream> m_body;
    std::optional<bhttp::response<bhttp::buffer_body>> m_stream_response;
    std::optional<bhttp::response_serializer<bhttp::buffer_body>> m_serializer;
    std::string m_part;
    bool m_idle{true};
    std::array<char, 16384> m_discard{};
    std::size_t m_linger_bytes{0};

public:
    ~Session() { m_server.remove(this); }
};


void start_session(ConnectionSocket socket, Server::Impl& server) {
    auto s = std::make_shared<Session>(std::move(socket), server);
    server.add(s);
    s->start();
}

void close_if_idle(const std::shared_ptr<Session>& s) { s->close_if_idle(); }

} // namespace detail

} // namespace teilhabe::http
