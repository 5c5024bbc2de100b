// One HTTP/1.1 connection of the server (server.cpp): reads a request, calls the handler,
// writes the response (whole or streamed part by part), and either reads the next request or
// closes. Each connection runs on its own strand, so its steps never overlap.

#include "http/problem.h"
#include "http/server_impl.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <cctype>
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
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.body = in.body();
    r.remote_addr = std::move(remote);
    return r;
}

} // namespace

namespace detail {

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Server::Impl& server)
        : m_stream(std::move(socket)), m_server(server) {}

    void start() {
        // The peer of a connection does not change: asked once, not once per request.
        beast::error_code ec;
        auto remote = m_stream.socket().remote_endpoint(ec);
        if (!ec)
            m_remote = remote.address().to_string();
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
        m_response = {};
        m_response.version(11);
        m_response.result(static_cast<unsigned>(r.status));
        for (auto& [name, value] : r.headers)
            m_response.insert(name, value);
        auto length = r.body.size();
        m_response.body() = head ? std::string{} : std::move(r.body);
        m_response.keep_alive(keep_alive);
        m_response.content_length(length); // HEAD: the length the GET would have had
        m_stream.expires_after(m_server.options.read_timeout);
        bhttp::async_write(m_stream, m_response,
                           [self = shared_from_this(), keep_alive, linger](beast::error_code ec,
                                                                           std::size_t) {
                               if (!ec && linger)
                                   return self->linger_close();
                               if (ec)
                                   return self->close();
                               self->after_response(keep_alive);
                           });
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

    beast::tcp_stream m_stream;
    Server::Impl& m_server;
    std::string m_remote; // the peer's address
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    bhttp::response<bhttp::string_body> m_response;
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


void start_session(tcp::socket socket, Server::Impl& server) {
    auto s = std::make_shared<Session>(std::move(socket), server);
    server.add(s);
    s->start();
}

void close_if_idle(const std::shared_ptr<Session>& s) { s->close_if_idle(); }

} // namespace detail

} // namespace teilhabe::http
