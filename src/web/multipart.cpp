#include "web/multipart.h"

#include <algorithm>
#include <cctype>

namespace teilhabe::web {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

struct Param {
    std::string name, value;
};

// `type; a=b; c="d; e"`: the value before the first ';' and the parameters after it. Quoted
// strings may contain ';' and backslash escapes (RFC 9110 5.6.4).
std::pair<std::string, std::vector<Param>> split_header_value(std::string_view v) {
    std::vector<Param> params;
    auto semi = v.find(';');
    std::string head = lower(trim(v.substr(0, semi)));
    std::size_t i = semi == std::string_view::npos ? v.size() : semi + 1;
    while (i < v.size()) {
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ';'))
            ++i;
        std::size_t eq = v.find_first_of("=;", i);
        if (eq == std::string_view::npos || v[eq] == ';') {
            i = eq == std::string_view::npos ? v.size() : eq + 1;
            continue; // a parameter without a value is ignored
        }
        Param p{lower(trim(v.substr(i, eq - i))), {}};
        i = eq + 1;
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t'))
            ++i;
        if (i < v.size() && v[i] == '"') {
            for (++i; i < v.size() && v[i] != '"'; ++i) {
                if (v[i] == '\\' && i + 1 < v.size())
                    ++i;
                p.value.push_back(v[i]);
            }
            if (i < v.size())
                ++i; // the closing quote
            auto next = v.find(';', i);
            i = next == std::string_view::npos ? v.size() : next + 1;
        } else {
            auto end = v.find(';', i);
            p.value = std::string(trim(v.substr(i, end == std::string_view::npos ? end : end - i)));
            i = end == std::string_view::npos ? v.size() : end + 1;
        }
        params.push_back(std::move(p));
    }
    return {head, params};
}

const Param* find_param(const std::vector<Param>& ps, std::string_view name) {
    for (const auto& p : ps)
        if (p.name == name)
            return &p;
    return nullptr;
}

Error bad(std::string msg) { return Error::invalid("multipart/form-data: " + std::move(msg)); }

// The headers of one part (up to the blank line) into `part`.
Result<void> read_part_headers(std::string_view headers, MultipartPart& part) {
    bool disposition = false;
    while (!headers.empty()) {
        auto eol = headers.find("\r\n");
        std::string_view line = headers.substr(0, eol);
        headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            return fail(bad("a part header has no ':'"));
        std::string name = lower(trim(line.substr(0, colon)));
        std::string_view value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
            auto [type, params] = split_header_value(value);
            if (type != "form-data")
                return fail(bad("a part is not Content-Disposition: form-data"));
            const Param* n = find_param(params, "name");
            if (!n)
                return fail(bad("a part has no name"));
            part.name = n->value;
            if (const Param* f = find_param(params, "filename"))
                part.filename = f->value;
            disposition = true;
        } else if (name == "content-type") {
            part.content_type = std::string(value);
        }
    }
    if (!disposition)
        return fail(bad("a part has no Content-Disposition"));
    if (part.content_type.empty())
        part.content_type = "text/plain";
    return {};
}

} // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
    auto [type, params] = split_header_value(content_type);
    if (type != "multipart/form-data")
        return fail(Error{ErrorCode::UnsupportedMedia,
                          "Send the form as multipart/form-data.", "content-type"});
    const Param* b = find_param(params, "boundary");
    if (!b || b->value.empty() || b->value.size() > 70)
        return fail(bad("the boundary is missing or longer than 70 characters"));
    return b->value;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view body,
                                                   std::string_view boundary) {
    const std::string delimiter = "--" + std::string(boundary);
    const std::string next_delimiter = "\r\n" + delimiter;
    // The first delimiter opens the body or follows a preamble and a line break.
    std::size_t pos = 0;
    if (!body.starts_with(delimiter)) {
        auto found = body.find(next_delimiter);
        if (found == std::string_view::npos)
            return fail(bad("the body does not contain the boundary"));
        pos = found + 2;
    }
    std::vector<MultipartPart> parts;
    for (;;) {
        std::size_t p = pos + delimiter.size();
        if (body.substr(p, 2) == "--")
            return parts; // the close delimiter; the epilogue is ignored
        while (p < body.size() && (body[p] == ' ' || body[p] == '\t'))
            ++p; // transport padding
        if (body.substr(p, 2) != "\r\n")
            return fail(bad("a delimiter line is not followed by a line break"));
        p += 2;
        if (parts.size() == kMaxMultipartParts)
            return fail(bad("more than " + std::to_string(kMaxMultipartParts) + " parts"));
        MultipartPart part;
        std::size_t headers_end;
        if (body.substr(p, 2) == "\r\n") {
            headers_end = p; // no headers at all
        } else {
            headers_end = body.find("\r\n\r\n", p);
            if (headers_end == std::string_view::npos)
                return fail(bad("a part's headers do not end"));
        }
        if (headers_end - p > kMaxPartHeaderBytes)
            return fail(bad("a part's headers are too large"));
        TRY(read_part_headers(body.substr(p, headers_end - p), part));
        std::size_t content = headers_end + (headers_end == p ? 2 : 4);
        auto end = body.find(next_delimiter, content);
        if (end == std::string_view::npos)
            return fail(bad("the body ends before the closing boundary"));
        part.body = std::string(body.substr(content, end - content));
        parts.push_back(std::move(part));
        pos = end + 2;
    }
}

Result<std::vector<MultipartPart>> parse_multipart_request(std::string_view content_type,
                                                           std::string_view body) {
    auto boundary = TRY(multipart_boundary(content_type));
    return parse_multipart(body, boundary);
}

std::string multipart_value(const std::vector<MultipartPart>& parts, std::string_view name) {
    for (const auto& p : parts)
        if (p.name == name && !p.filename)
            return p.body;
    return {};
}

const MultipartPart* multipart_file(const std::vector<MultipartPart>& parts,
                                    std::string_view name) {
    for (const auto& p : parts)
        if (p.name == name && p.filename)
            return &p;
    return nullptr;
}

} // namespace teilhabe::web
