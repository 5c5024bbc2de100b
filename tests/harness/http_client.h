#pragma once
// A small blocking HTTP/1.1 client for integration tests (one connection per request).

#include <map>
#include <string>
#include <vector>

namespace teilhabe::testing {

struct HttpResponse {
    int status{0}; // 0 when the connection failed
    std::map<std::string, std::string> headers; // lower-case names; repeated ones joined by "\n"
    std::string body;
    std::string header(const std::string& lower_name) const;
};

struct HttpRequest {
    std::string method{"GET"};
    std::string target{"/"};
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

HttpResponse http(int port, const HttpRequest& request);
inline HttpResponse http_get(int port, std::string target) { return http(port, {.target = std::move(target)}); }

// Sends raw bytes and returns the raw answer up to the close of the connection.
std::string http_raw(int port, const std::string& bytes);

} // namespace teilhabe::testing
