#include "delivery/dsn.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace teilhabe::delivery {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Splits off the next line (without its CRLF or LF).
std::optional<std::string_view> next_line(std::string_view& text) {
    if (text.empty())
        return std::nullopt;
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    return line;
}

// Header fields up to the first empty line (folded lines joined), and the rest.
using Fields = std::multimap<std::string, std::string>;
struct Entity {
    Fields fields;
    std::string_view body;
};

Entity parse_entity(std::string_view text) {
    Entity e;
    std::string name, value;
    auto flush = [&] {
        if (!name.empty())
            e.fields.emplace(lower(name), std::string(trim(value)));
        name.clear();
        value.clear();
    };
    while (auto line = next_line(text)) {
        if (line->empty())
            break;
        if (line->front() == ' ' || line->front() == '\t') {
            value += ' ';
            value += trim(*line);
            continue;
        }
        flush();
        auto colon = line->find(':');
        if (colon == std::string_view::npos)
            continue;
        name = std::string(trim(line->substr(0, colon)));
        value = std::string(line->substr(colon + 1));
    }
    flush();
    e.body = text;
    return e;
}

std::string field(const Fields& f, const std::string& name) {
    auto it = f.find(name);
    return it == f.end() ? std::string{} : it->second;
}

// "multipart/report; report-type=delivery-status; boundary="xyz"" -> media type and boundary.
std::string media_type(const Fields& f) {
    auto ct = field(f, "content-type");
    return lower(trim(std::string_view(ct).substr(0, ct.find(';'))));
}

std::string parameter(const Fields& f, const std::string& name) {
    auto ct = field(f, "content-type");
    auto lc = lower(ct);
    for (auto pos = lc.find(name + "="); pos != std::string::npos; pos = lc.find(name + "=", pos + 1)) {
        if (pos > 0 && lc[pos - 1] != ';' && lc[pos - 1] != ' ' && lc[pos - 1] != '\t')
            continue;
        auto v = std::string_view(ct).substr(pos + name.size() + 1);
        if (v.starts_with('"')) {
            v.remove_prefix(1);
            return std::string(v.substr(0, v.find('"')));
        }
        return std::string(trim(v.substr(0, v.find(';'))));
    }
    return {};
}

std::vector<std::string_view> split_parts(std::string_view body, const std::string& boundary) {
    std::vector<std::string_view> parts;
    std::string delimiter = "--" + boundary;
    std::optional<std::size_t> start;
    std::size_t pos = 0;
    while (pos < body.size()) {
        auto nl = body.find('\n', pos);
        auto end = nl == std::string_view::npos ? body.size() : nl + 1;
        auto line = trim(body.substr(pos, end - pos));
        if (line.starts_with(delimiter)) {
            if (start)
                parts.push_back(body.substr(*start, pos - *start));
            if (line.substr(delimiter.size()).starts_with("--"))
                return parts;
            start = end;
        }
        pos = end;
    }
    if (start)
        parts.push_back(body.substr(*start));
    return parts;
}

std::string after_type(std::string_view v) { // "rfc822; a@b" -> "a@b"
    auto semi = v.find(';');
    auto s = trim(semi == std::string_view::npos ? v : v.substr(semi + 1));
    if (s.starts_with('<') && s.ends_with('>'))
        s = s.substr(1, s.size() - 2);
    return std::string(s);
}

void parse_status(std::string_view body, Dsn& dsn) {
    bool first = true;
    while (!trim(body).empty()) {
        // Skip empty lines between the blocks.
        while (true) {
            auto probe = body;
            auto line = next_line(probe);
            if (!line || !trim(*line).empty())
                break;
            body = probe;
        }
        auto block = parse_entity(body);
        body = block.body;
        if (block.fields.empty())
            continue;
        if (first && !block.fields.contains("final-recipient")) {
            dsn.reporting_mta = field(block.fields, "reporting-mta");
            first = false;
            continue;
        }
        first = false;
        DsnRecipient r;
        r.final_recipient = after_type(field(block.fields, "final-recipient"));
        r.original_recipient = after_type(field(block.fields, "original-recipient"));
        r.action = lower(trim(field(block.fields, "action")));
        r.status = std::string(trim(field(block.fields, "status")));
        r.status = r.status.substr(0, r.status.find(' '));
        r.diagnostic_code = field(block.fields, "diagnostic-code");
        if (!r.final_recipient.empty())
            dsn.recipients.push_back(std::move(r));
    }
}

} // namespace

Result<Dsn> parse_dsn(std::string_view raw) {
    auto top = parse_entity(raw);
    if (media_type(top.fields) != "multipart/report")
        return fail(Error::invalid("not a delivery status notification (multipart/report)"));
    auto boundary = parameter(top.fields, "boundary");
    if (boundary.empty())
        return fail(Error::invalid("the report has no MIME boundary"));
    Dsn dsn;
    dsn.to = field(top.fields, "to");
    bool has_status = false;
    for (auto part_text : split_parts(top.body, boundary)) {
        auto part = parse_entity(part_text);
        auto type = media_type(part.fields);
        if (type == "message/delivery-status" || type == "message/global-delivery-status") {
            has_status = true;
            parse_status(part.body, dsn);
        } else if (type == "message/rfc822" || type == "text/rfc822-headers" ||
                   type == "message/global-headers") {
            auto original = parse_entity(part.body);
            dsn.original_message_id = field(original.fields, "message-id");
            dsn.original_return_path = field(original.fields, "return-path");
        }
    }
    if (!has_status)
        return fail(Error::invalid("the report has no message/delivery-status part"));
    if (dsn.recipients.empty())
        return fail(Error::invalid("the delivery status names no recipient"));
    return dsn;
}

} // namespace teilhabe::delivery
