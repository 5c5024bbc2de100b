#include "harness/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>

namespace teilhabe::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HttpResponse::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

HttpResponse http(int port, const HttpRequest& request) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
    if (ec)
        return {};
    bhttp::request<bhttp::string_body> req;
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(bhttp::field::connection, "close");
    for (auto& [k, v] : request.headers)
        req.insert(k, v);
    req.body() = request.body;
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH")
        req.prepare_payload();
    bhttp::write(socket, req, ec);
    if (ec)
        return {};
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(request.method == "HEAD");
    bhttp::read(socket, buffer, parser, ec);
    if (ec)
        return {};
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto& slot = out.headers[name];
        slot += (slot.empty() ? "" : "\n") + std::string(f.value());
    }
    out.body = std::move(res.body());
    return out;
}

std::string http_raw(int port, const std::string& bytes) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
    if (ec)
        return {};
    asio::write(socket, asio::buffer(bytes), ec);
    std::string out;
    asio::read(socket, asio::dynamic_buffer(out), ec); // until the server closes
    return out;
}

} // namespace teilhabe::testing
