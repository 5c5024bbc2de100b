// The HTTP/1.1 server on Boost.Beast (chosen by measurement, docs/decisions.md "HTTP server").
// One io_context run by N threads; each connection is a Session on its own strand, so its
// reads, the call of the handler and its writes never overlap. Handlers are synchronous (they
// talk to the database), which is why there are more threads than cores.

#include "http/server.h"

#include "base/thread_name.h"
#include "http/server_impl.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <fmt/format.h>
#include <thread>

namespace teilhabe::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// After stop(), connections still busy get this long to finish before they are cut.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

} // namespace

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](boost::system::error_code ec,
                                                         detail::ConnectionSocket socket) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            detail::start_session(std::move(socket), *this);
        }
        accept();
    });
}

void Server::Impl::add(const std::shared_ptr<detail::Session>& s) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(s.get(), s);
}

void Server::Impl::remove(detail::Session* s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
    if (stopping && sessions.empty() && !destroying)
        asio::post(ioc, [this] { grace.cancel(); });
}

void Server::Impl::begin_shutdown() {
    boost::system::error_code ec;
    acceptor.close(ec);
    std::vector<std::shared_ptr<detail::Session>> open;
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& [ptr, weak] : sessions)
            if (auto s = weak.lock())
                open.push_back(std::move(s));
    }
    if (open.empty())
        return;
    for (auto& s : open)
        detail::close_if_idle(s);
    grace.expires_after(kShutdownGrace);
    grace.async_wait([this](boost::system::error_code wec) {
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
    boost::system::error_code ec;
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
        boost::system::error_code ignored;
        a.close(ignored);
        return fail(Error::unavailable(
            fmt::format("cannot listen on {}:{}: {}", o.host, o.port, ec.message())));
    }
    return {};
}

std::uint16_t Server::port() const {
    boost::system::error_code ec;
    auto ep = m_impl->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void Server::run() {
    if (m_impl->stopping)
        return;
    m_impl->accept();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < std::max(1u, m_impl->options.threads); ++i)
        threads.emplace_back([this] {
            name_this_thread("th-http");
            m_impl->ioc.run();
        });
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
