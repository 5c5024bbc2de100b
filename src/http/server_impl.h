#pragma once
// Inside the HTTP server (internal to src/http): the listener's state, shared with the
// connections (server_session.cpp), and how server.cpp starts and closes a connection.

#include "http/server.h"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace teilhabe::http {

namespace detail {
class Session;
// A connection's socket runs on its own strand. The executor type is spelled out instead of
// asio's type-erased any_io_executor, whose dispatch was a measurable share of every request.
using ConnectionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using ConnectionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, ConnectionExecutor>;
// Serves one accepted connection until it closes; it registers itself with the server.
void start_session(ConnectionSocket socket, Server::Impl& server);
// Called on stop(): a connection waiting for its next request is closed now; one in the middle
// of a request finishes it and closes after the response.
void close_if_idle(const std::shared_ptr<Session>& s);
} // namespace detail

struct Server::Impl {
    ServerOptions options;
    Handler handler;
    std::atomic<bool> stopping{false};
    std::atomic<bool> destroying{false};
    // Declared before the io_context: destroying it destroys pending handlers, whose sessions
    // unregister themselves here.
    std::mutex sessions_mutex;
    std::unordered_map<detail::Session*, std::weak_ptr<detail::Session>> sessions;
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor{ioc};
    boost::asio::steady_timer grace{ioc};

    Impl(ServerOptions o, Handler h)
        : options(std::move(o)), handler(std::move(h)), ioc(static_cast<int>(options.threads)) {}
    ~Impl() { destroying = true; }

    void accept();
    void add(const std::shared_ptr<detail::Session>& s);
    void remove(detail::Session* s);
    void begin_shutdown();
};

} // namespace teilhabe::http
