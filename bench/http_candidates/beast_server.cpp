// Candidate 1: Boost.Beast. GET /healthz -> 200 {"status":"ok"}, anything else -> 404.
// One io_context run by 2 threads; one Session per connection on its own strand, keep-alive,
// a fresh request_parser per request with header and body limits.
//   beast_server PORT
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
public:
    explicit Session(tcp::socket s) : stream_(std::move(s)) {}
    void start() { read(); }

private:
    void read() {
        parser_.emplace();
        parser_->header_limit(16 * 1024);
        parser_->body_limit(1024 * 1024);
        stream_.expires_after(std::chrono::seconds(30));
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec)
            return close(); // includes end_of_stream and timeouts
        const auto& req = parser_->get();
        const bool ok = req.method() == http::verb::get && req.target() == "/healthz";
        res_ = {ok ? http::status::ok : http::status::not_found, req.version()};
        res_.set(http::field::server, "beast-bench");
        res_.set(http::field::content_type, ok ? "application/json" : "text/plain");
        res_.body() = ok ? R"({"status":"ok"})" : "not found\n";
        res_.keep_alive(req.keep_alive());
        res_.prepare_payload();
        http::async_write(stream_, res_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec || !self->res_.keep_alive())
                                  return self->close();
                              self->read();
                          });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> res_;
};

class Listener {
public:
    Listener(asio::io_context& ioc, tcp::endpoint ep) : ioc_(ioc), acceptor_(ioc, ep) { accept(); }

private:
    void accept() {
        // Each connection gets its own strand, so its handlers never run concurrently.
        acceptor_.async_accept(asio::make_strand(ioc_),
                               [this](beast::error_code ec, tcp::socket s) {
                                   if (!ec)
                                       std::make_shared<Session>(std::move(s))->start();
                                   accept();
                               });
    }

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
};

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: beast_server PORT\n";
        return 2;
    }
    constexpr int threads = 2;
    asio::io_context ioc(threads);
    Listener listener(ioc, {asio::ip::make_address("127.0.0.1"),
                            static_cast<unsigned short>(std::atoi(argv[1]))});
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { ioc.stop(); });

    std::vector<std::jthread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back([&] { ioc.run(); });
    ioc.run();
}
