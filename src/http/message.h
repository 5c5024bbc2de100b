#pragma once
// HTTP request and response as the application sees them, independent of the server library
// underneath (server.h adapts one library to these types).

#include "http/body_stream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace teilhabe::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

Method parse_method(std::string_view m);
const char* to_string(Method m);

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    Method method{Method::Get};
    std::string target; // as received: path and query
    std::string path;   // percent-decoded path without query
    std::string query;  // raw query string without '?'
    Headers headers;    // names in lower case
    std::string body;
    std::string remote_addr;
    // Filled by the router from the pattern, e.g. {id} in /api/v1/citizens/{id}.
    std::unordered_map<std::string, std::string> params;

    std::optional<std::string_view> header(std::string_view lower_name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    std::string param(const std::string& name) const;
};

struct Response {
    int status{200};
    Headers headers;
    std::string body;
    // Instead of `body`: a body produced while it is sent (see body_stream.h).
    std::shared_ptr<BodyStream> stream;

    void set_header(std::string name, std::string value);
    std::optional<std::string_view> header(std::string_view name) const;

    static Response text(int status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response html(int status, std::string body);
    static Response json(int status, std::string body);
    static Response redirect(std::string location, int status = 303);
    static Response no_content();
};

// application/x-www-form-urlencoded and query strings.
std::string url_decode(std::string_view s, bool plus_as_space = true);
std::string url_encode(std::string_view s);
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

} // namespace teilhabe::http
