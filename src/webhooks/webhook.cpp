#include "webhooks/webhook.h"

#include "activity/activity.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

namespace teilhabe::webhooks {

namespace {

constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxDescription = 500;
constexpr std::size_t kMaxEventTypes = 100;

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i])
            return false;
    return true;
}

bool valid_port(std::string_view p) {
    int port = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    return !p.empty() && ec == std::errc{} && end == p.data() + p.size() && port >= 1 &&
           port <= 65535;
}

bool valid_host_name(std::string_view h) {
    return !h.empty() && std::ranges::all_of(h, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
}

// host, host:port, [v6], [v6]:port
bool valid_authority(std::string_view a) {
    if (a.starts_with('[')) {
        auto close = a.find(']');
        if (close == std::string_view::npos || close == 1)
            return false;
        auto v6 = a.substr(1, close - 1);
        if (!std::ranges::all_of(v6, [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
            }))
            return false;
        auto rest = a.substr(close + 1);
        return rest.empty() || (rest.front() == ':' && valid_port(rest.substr(1)));
    }
    auto colon = a.find(':');
    if (colon == std::string_view::npos)
        return valid_host_name(a);
    return valid_host_name(a.substr(0, colon)) && valid_port(a.substr(colon + 1));
}

Result<std::string> string_member(const nlohmann::json& body, const char* name,
                                  std::size_t max_len) {
    const auto& v = body[name];
    if (!v.is_string())
        return fail(Error::invalid(fmt::format("{} must be a string", name), name));
    auto s = v.get<std::string>();
    if (s.size() > max_len)
        return fail(
            Error::invalid(fmt::format("{} is longer than {} characters", name, max_len), name));
    return s;
}

Result<std::vector<std::string>> event_types_member(const nlohmann::json& v) {
    if (!v.is_array())
        return fail(Error::invalid("event_types must be a list of activity types, e.g. "
                                   "[\"library.loan\", \"pool.*\"]; [] means every activity",
                                   "event_types"));
    if (v.size() > kMaxEventTypes)
        return fail(
            Error::invalid(fmt::format("at most {} event types", kMaxEventTypes), "event_types"));
    std::vector<std::string> out;
    for (const auto& item : v) {
        if (!item.is_string())
            return fail(Error::invalid("each event type is a string", "event_types"));
        auto type = item.get<std::string>();
        if (auto ok = validate_event_type(type); !ok)
            return fail(Error::invalid(ok.error().message, "event_types"));
        if (std::ranges::find(out, type) == out.end())
            out.push_back(std::move(type));
    }
    return out;
}

nlohmann::json time_or_null(const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json(nullptr);
}

} // namespace

Result<void> validate_url(std::string_view url) {
    auto bad = [](std::string msg) { return fail(Error::invalid(std::move(msg), "url")); };
    if (url.empty())
        return bad("url is required: where to send the activities, e.g. https://cms.example/hook");
    if (url.size() > kMaxUrl)
        return bad(fmt::format("url is longer than {} characters", kMaxUrl));
    std::size_t rest = 0;
    if (starts_with_nocase(url, "https://"))
        rest = 8;
    else if (starts_with_nocase(url, "http://"))
        rest = 7;
    else
        return bad("only http:// and https:// URLs can receive webhooks");
    if (std::ranges::any_of(url, [](char c) {
            auto u = static_cast<unsigned char>(c);
            return u <= 0x20 || u >= 0x7f;
        }))
        return bad("url contains spaces or characters outside ASCII (write international "
                   "domains in their xn-- form and percent-encode the path)");
    if (url.find('#') != std::string_view::npos)
        return bad("url must not have a fragment (#...): it is never sent to the server");
    auto after = url.substr(rest);
    auto authority = after.substr(0, after.find_first_of("/?"));
    if (authority.find('@') != std::string_view::npos)
        return bad("url must not contain a user name or password: the signature of each "
                   "delivery shows that it comes from us");
    if (!valid_authority(authority))
        return bad("url has no valid host (and port)");
    return {};
}

Result<void> validate_event_type(std::string_view pattern) {
    std::string_view type = pattern;
    if (pattern.ends_with(".*"))
        type = pattern.substr(0, pattern.size() - 2);
    if (auto ok = activity::validate_type(type); !ok)
        return fail(Error::invalid(fmt::format("'{}' is not an activity type such as "
                                               "library.loan or a prefix such as pool.*",
                                               pattern.substr(0, 64)),
                                   "event_types"));
    return {};
}

bool matches(const Webhook& w, std::string_view type) {
    if (w.event_types.empty())
        return true;
    return std::ranges::any_of(w.event_types, [&](const std::string& p) {
        if (p.ends_with(".*")) // "pool.*" matches pool.visit and pool.ticket.bought
            return type.starts_with(std::string_view(p).substr(0, p.size() - 1));
        return p == type;
    });
}

std::vector<std::string> split_event_types(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        if (!current.empty() && std::ranges::find(out, current) == out.end())
            out.push_back(current);
        current.clear();
    };
    for (char c : text) {
        if (c == ',' || c == ';' || std::isspace(static_cast<unsigned char>(c)))
            flush();
        else
            current.push_back(c);
    }
    flush();
    return out;
}

Result<WebhookInput> parse_input(const nlohmann::json& body, InputMode mode) {
    WebhookInput in;
    for (const auto& [key, value] : body.items()) {
        if (key == "url") {
            in.url = TRY(string_member(body, "url", kMaxUrl));
            TRY(validate_url(*in.url));
        } else if (key == "description") {
            in.description = value.is_null()
                                 ? std::string()
                                 : TRY(string_member(body, "description", kMaxDescription));
        } else if (key == "event_types") {
            in.event_types =
                value.is_null() ? std::vector<std::string>{} : TRY(event_types_member(value));
        } else if (key == "active") {
            if (!value.is_boolean())
                return fail(Error::invalid("active must be true or false", "active"));
            in.active = value.get<bool>();
        } else if (key == "rotate_secret" && mode == InputMode::Patch) {
            if (!value.is_boolean())
                return fail(Error::invalid("rotate_secret must be true or false", "rotate_secret"));
            in.rotate_secret = value.get<bool>();
        } else if (key == "secret") {
            return fail(Error::invalid("the secret is made by Teilhabe; to get a new one, "
                                       "PATCH with \"rotate_secret\": true",
                                       "secret"));
        } else if (key == "id" || key == "created_at" || key == "updated_at") {
            continue; // read-only members of the resource, as a client may send it back
        } else {
            return fail(Error::invalid("unknown member '" + key + "'", key));
        }
    }
    if (mode == InputMode::Create && !in.url)
        TRY(validate_url(""));
    return in;
}

nlohmann::json to_json(const Webhook& w) {
    return {{"id", w.id},
            {"url", w.url},
            {"description", w.description},
            {"event_types", w.event_types},
            {"active", w.active},
            {"created_at", format_iso8601(w.created_at)},
            {"updated_at", format_iso8601(w.updated_at)}};
}

const char* to_string(DeliveryStatus s) {
    switch (s) {
    case DeliveryStatus::Pending:
        return "pending";
    case DeliveryStatus::Delivered:
        return "delivered";
    case DeliveryStatus::Failed:
        return "failed";
    case DeliveryStatus::Cancelled:
        return "cancelled";
    }
    return "pending";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view s) {
    for (auto st : {DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed,
                    DeliveryStatus::Cancelled})
        if (s == to_string(st))
            return st;
    return std::nullopt;
}

nlohmann::json to_json(const Delivery& d) {
    auto opt_int = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json history = nlohmann::json::array();
    for (const auto& a : d.history)
        history.push_back(
            {{"at", format_iso8601(a.at)},
             {"response_status", opt_int(a.response_status)},
             {"error", a.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.error)},
             {"duration_ms", a.duration_ms}});
    return {{"id", d.id},
            {"webhook_id", d.webhook_id},
            {"activity_id", opt_int(d.activity_id)},
            {"event_type", d.event_type},
            {"citizen_id", opt_int(d.citizen_id)},
            {"status", to_string(d.status)},
            {"attempts", d.attempts},
            {"response_status", opt_int(d.response_status)},
            {"last_error",
             d.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.last_error)},
            {"created_at", format_iso8601(d.created_at)},
            {"last_attempt_at", time_or_null(d.last_attempt_at)},
            {"finished_at", time_or_null(d.finished_at)},
            {"history", history}};
}

} // namespace teilhabe::webhooks
