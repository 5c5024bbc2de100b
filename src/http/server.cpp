// The HTTP/1.1 server on Boost.Beast (chosen by measurement, docs/decisions.md "HTTP server").
// One io_context run by N threads; each connection is a Session on its own strand, so its
// reads, the call of the handler and its writes never overlap. Handlers are synchronous (they
// talk to the database), which is why there are more threads than cores.

#include "http/server.h"

#include "http/problem.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cctype>
#include <exception>
#include <fmt/format.h>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace teilhabe::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// After stop(), connections still busy get this long to finish before they are cut.
constexpr auto kShutdownGrace = std::chrono::seconds(10);
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(5);
constexpr std::size_t kLingerMaxBytes = 64u * 1024 * 1024;

class Session;

} // namespace

struct Server::Impl {
    ServerOptions options;
    Handler handler;
    std::atomic<bool> stopping{false};
    std::atomic<bool> destroying{false};
    // Declared before the io_context: destroying it destroys pending handlers, whose sessions
    // unregister themselves here.
    std::mutex sessions_mutex;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    asio::steady_timer grace{ioc};

    Impl(ServerOptions o, Handler h)
        : options(std::move(o)), handler(std::move(h)), ioc(static_cast<int>(options.threads)) {}
    ~Impl() { destroying = true; }

    void accept();
    void add(const std::shared_ptr<Session>& s);
    void remove(Session* s);
    void begin_shutdown();
};

namespace {

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

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Server::Impl& server)
        : m_stream(std::move(socket)), m_server(server) {}

    void start() {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

    // Called on stop(): a connection waiting for its next request is closed now; one in the
    // middle of a request finishes it and closes after the response.
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
            beast::error_code ec;
            auto remote = m_stream.socket().remote_endpoint(ec);
            Request req = to_request(in, ec ? std::string{} : remote.address().to_string());
            out = m_server.handler(req);
        } catch (const std::exception&) {
            // The dispatcher catches and logs; this is the last line of defence.
            out = problem(500, "Internal Server Error", "An unexpected error occurred.");
        }
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
                               if (ec || !keep_alive || self->m_server.stopping)
                                   return self->close();
                               self->read_header();
                           });
    }

    beast::tcp_stream m_stream;
    Server::Impl& m_server;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    bhttp::response<bhttp::string_body> m_response;
    bool m_idle{true};
    std::array<char, 16384> m_discard{};
    std::size_t m_linger_bytes{0};

public:
    ~Session() { m_server.remove(this); }
};

} // namespace

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            auto s = std::make_shared<Session>(std::move(socket), *this);
            add(s);
            s->start();
        }
        accept();
    });
}

void Server::Impl::add(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(s.get(), s);
}

void Server::Impl::remove(Session* s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
    if (stopping && sessions.empty() && !destroying)
        asio::post(ioc, [this] { grace.cancel(); });
}

void Server::Impl::begin_shutdown() {
    beast::error_code ec;
    acceptor.close(ec);
    std::vector<std::shared_ptr<Session>> open;
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& [ptr, weak] : sessions)
            if (auto s = weak.lock())
                open.push_back(std::move(s));
    }
    if (open.empty())
        return;
    for (auto& s : open)
        s->close_if_idle();
    grace.expires_after(kShutdownGrace);
    grace.async_wait([this](beast::error_code wec) {
        if (!wec)
            ioc.stop(); // connections that did not finish in time are cut
    });
}

Server::Server(ServerOptions options, Handler handler)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
    m_impl->destroying = true;
    m_impl->ioc.stop();
}

Result<void> Server::listen() {
    auto& o = m_impl->options;
    beast::error_code ec;
    tcp::resolver resolver(m_impl->ioc);
    auto results = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, ec);
    if (ec || results.empty())
        return fail(Error::invalid(fmt::format("cannot resolve listen address {}: {}", o.host, ec.message()),
                                   "host"));
    auto endpoint = results.begin()->endpoint();
    auto& a = m_impl->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec)
        a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        a.bind(endpoint, ec);
    if (!ec)
        a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        a.close(ignored);
        return fail(Error::unavailable(
            fmt::format("cannot listen on {}:{}: {}", o.host, o.port, ec.message())));
    }
    return {};
}

std::uint16_t Server::port() const {
    beast::error_code ec;
    auto ep = m_impl->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void Server::run() {
    if (m_impl->stopping)
        return;
    m_impl->accept();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < std::max(1u, m_impl->options.threads); ++i)
        threads.emplace_back([this] { m_impl->ioc.run(); });
    m_impl->ioc.run();
    for (auto& t : threads)
        t.join();
}

void Server::stop() {
    if (m_impl->stopping.exchange(true))
        return;
    asio::post(m_impl->ioc, [impl = m_impl.get()] { impl->begin_shutdown(); });
}

} // namespace teilhabe::http
