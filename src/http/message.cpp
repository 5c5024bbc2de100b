#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace teilhabe::http {

namespace {

// Header names are ASCII tokens (RFC 9110): folded without a locale look-up per character.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

Method parse_method(std::string_view m) {
    if (m == "GET")
        return Method::Get;
    if (m == "HEAD")
        return Method::Head;
    if (m == "POST")
        return Method::Post;
    if (m == "PUT")
        return Method::Put;
    if (m == "PATCH")
        return Method::Patch;
    if (m == "DELETE")
        return Method::Delete;
    if (m == "OPTIONS")
        return Method::Options;
    return Method::Other;
}

const char* to_string(Method m) {
    switch (m) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
    case Method::Other: return "OTHER";
    }
    return "OTHER";
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
        if (k == lower_name)
            return std::string_view(v);
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    for (auto& [k, v] : parse_form(query))
        if (k == name)
            return v;
    return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    auto h = header("cookie");
    if (!h)
        return std::nullopt;
    std::string_view rest = *h;
    while (!rest.empty()) {
        auto semi = rest.find(';');
        std::string_view pair = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name)
            return std::string(pair.substr(eq + 1));
    }
    return std::nullopt;
}

std::string Request::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string{} : it->second;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers)
        if (iequals(k, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return std::string_view(v);
    return std::nullopt;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.set_header("Content-Type", std::move(content_type));
    return r;
}

Response Response::html(int status, std::string body) {
    return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(int status, std::string body) {
    return text(status, std::move(body), "application/json");
}

Response Response::redirect(std::string location, int status) {
    Response r;
    r.status = status;
    r.set_header("Location", std::move(location));
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    return r;
}

std::string url_decode(std::string_view s, bool plus_as_space) {
    // The text between escapes is copied in one piece: most paths have none at all.
    const std::string_view special = plus_as_space ? "%+" : "%";
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto next = s.find_first_of(special, i);
        if (next == std::string_view::npos) {
            out.append(s.substr(i));
            break;
        }
        out.append(s.substr(i, next - i));
        i = next;
        if (s[i] == '+') {
            out.push_back(' ');
            ++i;
        } else if (i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 3;
        } else {
            out.push_back('%');
            ++i;
        }
    }
    return out;
}

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!body.empty()) {
        auto amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(url_decode(pair), std::string{});
        else
            out.emplace_back(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
    }
    return out;
}

} // namespace teilhabe::http
