// The real server on a free loopback port, spoken to over real sockets.
#include "http/server.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <future>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace teilhabe::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class RunningServer {
public:
    RunningServer(Handler handler, ServerOptions options = {}) {
        options.port = 0;
        options.threads = 2;
        server = std::make_unique<Server>(options, std::move(handler));
        auto l = server->listen();
        EXPECT_TRUE(l.has_value()) << (l ? "" : l.error().message);
        thread = std::thread([this] { server->run(); });
    }
    ~RunningServer() {
        server->stop();
        if (thread.joinable())
            thread.join();
    }
    std::unique_ptr<Server> server;
    std::thread thread;
};

struct Client {
    asio::io_context ioc;
    tcp::socket socket{ioc};
    beast::flat_buffer buffer;

    explicit Client(std::uint16_t port) {
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    }
    void send_raw(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
    bhttp::response<bhttp::string_body> read(bool head = false) {
        bhttp::response_parser<bhttp::string_body> p;
        p.skip(head);
        bhttp::read(socket, buffer, p);
        return p.release();
    }
    bhttp::response<bhttp::string_body> request(bhttp::verb verb, std::string target,
                                                std::string body = {}) {
        bhttp::request<bhttp::string_body> req{verb, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        if (!body.empty()) {
            req.set(bhttp::field::content_type, "application/json");
            req.body() = std::move(body);
        }
        req.prepare_payload();
        bhttp::write(socket, req);
        return read(verb == bhttp::verb::head);
    }
    // True when the server has closed the connection.
    bool closed_by_peer() {
        char c;
        beast::error_code ec;
        socket.read_some(asio::buffer(&c, 1), ec);
        return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
};

Response echo(Request& r) {
    std::string out = std::string(to_string(r.method)) + " " + r.path + " ?" + r.query + " from " +
                      r.remote_addr + " ct=" + std::string(r.header("content-type").value_or("-")) +
                      " body=" + r.body;
    return Response::text(200, out);
}

TEST(Server, AnswersAndKeepsTheConnectionAlive) {
    RunningServer s(echo);
    ASSERT_NE(s.server->port(), 0);
    Client c(s.server->port());
    auto r1 = c.request(bhttp::verb::get, "/a%20b/c?x=1&y=%C3%BC");
    EXPECT_EQ(r1.result_int(), 200);
    EXPECT_EQ(r1.body(), "GET /a b/c ?x=1&y=%C3%BC from 127.0.0.1 ct=- body=");
    auto r2 = c.request(bhttp::verb::post, "/items", R"({"name":"Müll-Sammeltag"})");
    EXPECT_EQ(r2.body(), R"(POST /items ? from 127.0.0.1 ct=application/json body={"name":"Müll-Sammeltag"})");
    EXPECT_TRUE(r2.keep_alive());
}

// A whole response goes out in one write when the socket takes it; a larger one than the
// socket's buffer is written as far as it goes and the rest asynchronously: every byte arrives,
// in order, and the connection serves the next request.
TEST(Server, ResponseLargerThanTheSocketBufferArrivesWhole) {
    std::string big(8 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
    RunningServer s([&](Request& r) { return r.path == "/big" ? Response::text(200, big) : Response::text(200, "small"); });
    Client c(s.server->port());
    for (int round = 0; round < 2; ++round) {
        auto r = c.request(bhttp::verb::get, "/big");
        EXPECT_EQ(r.result_int(), 200);
        ASSERT_EQ(r.body().size(), big.size());
        EXPECT_TRUE(r.body() == big);
        EXPECT_EQ(c.request(bhttp::verb::get, "/other").body(), "small");
    }
}

TEST(Server, HeadHasTheLengthOfGetButNoBody) {
    RunningServer s([](Request&) { return Response::text(200, "twelve chars"); });
    Client c(s.server->port());
    auto r = c.request(bhttp::verb::head, "/");
    EXPECT_EQ(r[bhttp::field::content_length], "12");
    EXPECT_EQ(r.body(), "");
    // The connection is still in step: a GET after the HEAD gets its own body.
    EXPECT_EQ(c.request(bhttp::verb::get, "/").body(), "twelve chars");
}

TEST(Server, OversizedBodyIs413ProblemJson) {
    int calls = 0;
    RunningServer s(
        [&](Request&) {
            ++calls;
            return Response::text(200, "no");
        },
        {.max_body_bytes = 100});
    Client c(s.server->port());
    auto r = c.request(bhttp::verb::post, "/upload", std::string(101, 'x'));
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
    EXPECT_NE(r.body().find("\"status\":413"), std::string::npos) << r.body();
    EXPECT_EQ(calls, 0);
}

TEST(Server, ExpectContinueIsHonoured) {
    RunningServer s(echo);
    Client c(s.server->port());
    c.send_raw("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    auto interim = c.read();
    EXPECT_EQ(interim.result_int(), 100);
    c.send_raw("hello");
    EXPECT_NE(c.read().body().find("body=hello"), std::string::npos);
}

TEST(Server, MalformedRequestIs400ProblemJsonAndCloses) {
    RunningServer s(echo);
    Client c(s.server->port());
    c.send_raw("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n");
    auto r = c.read();
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(Server, TooLargeHeadersAre431) {
    RunningServer s(echo);
    Client c(s.server->port());
    c.send_raw("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_EQ(c.read().result_int(), 431);
}

// A body produced part by part (exports): given parts, then an optional error.
class PartsStream final : public BodyStream {
public:
    explicit PartsStream(std::vector<std::string> parts, bool fail_at_end = false)
        : m_parts(std::move(parts)), m_fail(fail_at_end) {}
    Result<bool> next(std::string& out) override {
        if (m_i == m_parts.size()) {
            if (m_fail)
                return fail(Error::internal("the database went away"));
            return false;
        }
        out = m_parts[m_i++];
        return true;
    }

private:
    std::vector<std::string> m_parts;
    bool m_fail;
    std::size_t m_i{0};
};

Response streamed(std::shared_ptr<BodyStream> body) {
    Response r;
    r.set_header("Content-Type", "text/csv");
    r.stream = std::move(body);
    return r;
}

TEST(Server, StreamedBodyIsSentChunkedAndTheConnectionStaysUsable) {
    RunningServer s([](Request& r) {
        if (r.path == "/plain")
            return Response::text(200, "after");
        // An empty part in the middle must not end the body early.
        return streamed(std::make_shared<PartsStream>(
            std::vector<std::string>{"id;email\r\n", "", "1;a@example.org\r\n"}));
    });
    Client c(s.server->port());
    auto r = c.request(bhttp::verb::get, "/export");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_TRUE(r.chunked());
    EXPECT_EQ(r.body(), "id;email\r\n1;a@example.org\r\n");
    EXPECT_EQ(c.request(bhttp::verb::get, "/plain").body(), "after");
}

TEST(Server, FileBodyIsSentWithItsLength) {
    char path[] = "/tmp/teilhabe-body-XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::unlink(path); // only the descriptor keeps the file, as for an export
    std::string content(200 * 1024, 'x'); // more than one part
    content += "end";
    ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    RunningServer s([&](Request&) {
        auto body = file_stream(::dup(fd));
        return body ? streamed(*body) : Response::text(500, body.error().message);
    });
    Client c(s.server->port());
    auto head = c.request(bhttp::verb::head, "/file");
    EXPECT_EQ(head[bhttp::field::content_length], std::to_string(content.size()));
    EXPECT_EQ(head.body(), "");
    auto get = c.request(bhttp::verb::get, "/file"); // the connection is still in step
    EXPECT_FALSE(get.chunked());
    EXPECT_EQ(get[bhttp::field::content_length], std::to_string(content.size()));
    EXPECT_EQ(get.body(), content);
    ::close(fd);
}

TEST(Server, StreamErrorBreaksTheTransferOffInsteadOfEndingIt) {
    RunningServer s([](Request&) {
        return streamed(std::make_shared<PartsStream>(std::vector<std::string>{"id;email\r\n"},
                                                      /*fail_at_end=*/true));
    });
    Client c(s.server->port());
    c.send_raw("GET /export HTTP/1.1\r\nHost: a\r\n\r\n");
    // The client must not take a shortened body for a complete one.
    EXPECT_THROW(c.read(), boost::system::system_error);
}

TEST(Server, StreamIsToldWhenTheClientGoesAway) {
    struct Endless final : BodyStream {
        std::promise<void> gone;
        Result<bool> next(std::string& out) override {
            out.assign(64 * 1024, 'x');
            return true;
        }
        void cancelled() override { gone.set_value(); }
    };
    auto endless = std::make_shared<Endless>();
    auto gone = endless->gone.get_future();
    RunningServer s([&](Request&) { return streamed(endless); });
    {
        Client c(s.server->port());
        c.send_raw("GET /export HTTP/1.1\r\nHost: a\r\n\r\n");
        char some[1024];
        c.socket.read_some(asio::buffer(some)); // the transfer has begun
    } // the client closes
    EXPECT_EQ(gone.wait_for(std::chrono::seconds(20)), std::future_status::ready);
}

TEST(Server, HandlerExceptionBecomes500WithoutDetail) {
    RunningServer s([](Request&) -> Response { throw std::runtime_error("secret SQL detail"); });
    Client c(s.server->port());
    auto r = c.request(bhttp::verb::get, "/");
    EXPECT_EQ(r.result_int(), 500);
    EXPECT_EQ(r.body().find("secret"), std::string::npos);
    // The server still serves afterwards.
    EXPECT_EQ(c.request(bhttp::verb::get, "/").result_int(), 500);
}

TEST(Server, ListenFailsClearlyWhenThePortIsTaken) {
    RunningServer first(echo);
    Server second({.port = first.server->port()}, echo);
    auto r = second.listen();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_NE(r.error().message.find(std::to_string(first.server->port())), std::string::npos);
}

TEST(Server, StopLetsTheRequestInFlightFinishAndClosesIdleConnections) {
    std::promise<void> entered, release;
    auto release_future = release.get_future().share();
    RunningServer s([&](Request& r) {
        if (r.path == "/slow") {
            entered.set_value();
            release_future.wait();
        }
        return Response::text(200, "done " + r.path);
    });
    Client idle(s.server->port());
    EXPECT_EQ(idle.request(bhttp::verb::get, "/warm").body(), "done /warm");

    Client busy(s.server->port());
    auto pending = std::async(std::launch::async, [&] { return busy.request(bhttp::verb::get, "/slow"); });
    entered.get_future().wait();
    s.server->stop();
    EXPECT_TRUE(idle.closed_by_peer()); // the idle keep-alive connection is closed at once
    release.set_value();
    auto r = pending.get();
    EXPECT_EQ(r.body(), "done /slow");
    EXPECT_FALSE(r.keep_alive()); // and told that this was the last response
    s.thread.join();              // run() returned
    // No new connections are accepted after stop.
    asio::io_context ioc;
    tcp::socket late(ioc);
    beast::error_code ec;
    late.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.server->port()), ec);
    EXPECT_TRUE(ec);
}

} // namespace
} // namespace teilhabe::http
