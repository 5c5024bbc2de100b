#pragma once
// The HTTP server: accepts connections, parses requests, calls one Handler per request on a
// pool of threads, writes the Response. Which library does the work is decided by measurement
// (docs/decisions.md); nothing outside server*.cpp knows it.

#include "base/error.h"
#include "http/message.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace teilhabe::http {

using Handler = std::function<Response(Request&)>;

struct ServerOptions {
    std::string host{"127.0.0.1"};
    std::uint16_t port{8080}; // 0 = pick a free port (tests)
    unsigned threads{4};
    std::size_t max_body_bytes{10 * 1024 * 1024};
    std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
};

class Server {
public:
    Server(ServerOptions options, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket; fails with Unavailable when the address is taken.
    Result<void> listen();
    // The bound port (useful after port 0).
    std::uint16_t port() const;
    // Serves until stop(); returns after in-flight requests have been answered.
    void run();
    // Thread-safe and signal-handler-free: stops accepting, lets running requests finish.
    void stop();

    struct Impl; // defined in server.cpp (public only so that its connection class can name it)

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace teilhabe::http
