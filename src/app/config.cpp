#include "app/config.h"

#include "delivery/smtp_client.h"
#include "journeys/calendar.h"

#include <charconv>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace teilhabe::app {

namespace {

enum class Kind { Text, Number, Format, QuietHours };

struct Key {
    const char* toml;
    const char* env;
    Kind kind;
    std::function<void(Config&, const std::string&)> set;
};

Result<unsigned long> parse_number(const std::string& key, const std::string& v) {
    unsigned long out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size())
        return fail(Error::invalid(fmt::format("{} must be a whole number, not '{}'", key, v), key));
    return out;
}

const std::vector<Key>& keys() {
    static const std::vector<Key> k = {
        {"listen", "TEILHABE_LISTEN", Kind::Text, [](Config& c, const std::string& v) { c.listen = v; }},
        {"database", "TEILHABE_DATABASE", Kind::Text, [](Config& c, const std::string& v) { c.database = v; }},
        {"smtp", "TEILHABE_SMTP", Kind::Text, [](Config& c, const std::string& v) { c.smtp = v; }},
        {"smtp_connections", "TEILHABE_SMTP_CONNECTIONS", Kind::Number, [](Config& c, const std::string& v) { c.smtp_connections = static_cast<unsigned>(std::stoul(v)); }},
        {"smtp_rate_per_minute", "TEILHABE_SMTP_RATE_PER_MINUTE", Kind::Number, [](Config& c, const std::string& v) { c.smtp_rate_per_minute = static_cast<unsigned>(std::stoul(v)); }},
        {"smtp_rate_per_hour", "TEILHABE_SMTP_RATE_PER_HOUR", Kind::Number, [](Config& c, const std::string& v) { c.smtp_rate_per_hour = static_cast<unsigned>(std::stoul(v)); }},
        {"smtp_lease_seconds", "TEILHABE_SMTP_LEASE_SECONDS", Kind::Number, [](Config& c, const std::string& v) { c.smtp_lease_seconds = static_cast<unsigned>(std::stoul(v)); }},
        {"base_url", "TEILHABE_BASE_URL", Kind::Text, [](Config& c, const std::string& v) { c.base_url = v; }},
        {"mail_from", "TEILHABE_MAIL_FROM", Kind::Text, [](Config& c, const std::string& v) { c.mail_from = v; }},
        {"dkim_domain", "TEILHABE_DKIM_DOMAIN", Kind::Text, [](Config& c, const std::string& v) { c.dkim_domain = v; }},
        {"dkim_selector", "TEILHABE_DKIM_SELECTOR", Kind::Text, [](Config& c, const std::string& v) { c.dkim_selector = v; }},
        {"dkim_key_file", "TEILHABE_DKIM_KEY_FILE", Kind::Text, [](Config& c, const std::string& v) { c.dkim_key_file = v; }},
        {"town_name", "TEILHABE_TOWN_NAME", Kind::Text, [](Config& c, const std::string& v) { c.town_name = v; }},
        {"town_logo_url", "TEILHABE_TOWN_LOGO_URL", Kind::Text, [](Config& c, const std::string& v) { c.town_logo_url = v; }},
        {"town_color", "TEILHABE_TOWN_COLOR", Kind::Text, [](Config& c, const std::string& v) { c.town_color = v; }},
        {"imprint_street", "TEILHABE_IMPRINT_STREET", Kind::Text, [](Config& c, const std::string& v) { c.imprint_street = v; }},
        {"imprint_city", "TEILHABE_IMPRINT_CITY", Kind::Text, [](Config& c, const std::string& v) { c.imprint_city = v; }},
        {"imprint_represented_by", "TEILHABE_IMPRINT_REPRESENTED_BY", Kind::Text, [](Config& c, const std::string& v) { c.imprint_represented_by = v; }},
        {"imprint_phone", "TEILHABE_IMPRINT_PHONE", Kind::Text, [](Config& c, const std::string& v) { c.imprint_phone = v; }},
        {"imprint_email", "TEILHABE_IMPRINT_EMAIL", Kind::Text, [](Config& c, const std::string& v) { c.imprint_email = v; }},
        {"imprint_url", "TEILHABE_IMPRINT_URL", Kind::Text, [](Config& c, const std::string& v) { c.imprint_url = v; }},
        {"privacy_url", "TEILHABE_PRIVACY_URL", Kind::Text, [](Config& c, const std::string& v) { c.privacy_url = v; }},
        {"log_format", "TEILHABE_LOG_FORMAT", Kind::Format, [](Config& c, const std::string& v) { c.log_format = v == "json" ? LogFormat::Json : LogFormat::Text; }},
        {"log_level", "TEILHABE_LOG_LEVEL", Kind::Text, [](Config& c, const std::string& v) { c.log_level = v; }},
        {"threads", "TEILHABE_THREADS", Kind::Number, [](Config& c, const std::string& v) { c.threads = static_cast<unsigned>(std::stoul(v)); }},
        {"workers", "TEILHABE_WORKERS", Kind::Number, [](Config& c, const std::string& v) { c.workers = static_cast<unsigned>(std::stoul(v)); }},
        {"max_body_bytes", "TEILHABE_MAX_BODY_BYTES", Kind::Number, [](Config& c, const std::string& v) { c.max_body_bytes = std::stoul(v); }},
        {"db_pool", "TEILHABE_DB_POOL", Kind::Number, [](Config& c, const std::string& v) { c.db_pool = static_cast<unsigned>(std::stoul(v)); }},
        {"portal_ask_again_days", "TEILHABE_PORTAL_ASK_AGAIN_DAYS", Kind::Number, [](Config& c, const std::string& v) { c.portal_ask_again_days = static_cast<unsigned>(std::stoul(v)); }},
        {"stadttaler_max_balance_cents", "TEILHABE_STADTTALER_MAX_BALANCE_CENTS", Kind::Number, [](Config& c, const std::string& v) { c.stadttaler_max_balance_cents = std::stoll(v); }},
        {"stadttaler_webhook_secret", "TEILHABE_STADTTALER_WEBHOOK_SECRET", Kind::Text, [](Config& c, const std::string& v) { c.stadttaler_webhook_secret = v; }},
        {"quiet_hours", "TEILHABE_QUIET_HOURS", Kind::QuietHours, [](Config& c, const std::string& v) { c.quiet_hours = v; }},
        {"stadttaler_request_minutes", "TEILHABE_STADTTALER_REQUEST_MINUTES", Kind::Number, [](Config& c, const std::string& v) { c.stadttaler_request_minutes = std::stoll(v); }},
    };
    return k;
}

Result<void> apply(Config& c, const Key& k, const std::string& value, const std::string& where) {
    if (k.kind == Kind::Number)
        TRY(parse_number(where, value));
    if (k.kind == Kind::Format && value != "text" && value != "json")
        return fail(Error::invalid(fmt::format("{} must be \"text\" or \"json\"", where), k.toml));
    if (k.kind == Kind::QuietHours && !journeys::parse_quiet_hours_setting(value))
        return fail(Error::invalid(fmt::format("{} must be like \"20:00-08:00 sundays\", \"22:00-07:00\", "
                                               "\"sundays\" or \"off\", not '{}'",
                                               where, value),
                                   k.toml));
    k.set(c, value);
    return {};
}

Result<void> apply_toml(Config& c, const std::string& text, const std::string& source) {
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return fail(Error::invalid(fmt::format("{}:{}:{}: {}", source, e.source().begin.line,
                                               e.source().begin.column, e.description())));
    }
    for (auto&& [name, node] : table) {
        std::string key(name.str());
        auto it = std::find_if(keys().begin(), keys().end(),
                               [&](const Key& k) { return key == k.toml; });
        if (it == keys().end())
            return fail(Error::invalid(
                fmt::format("{}: unknown setting '{}' (known: listen, database, smtp, smtp_connections, "
                            "smtp_rate_per_minute, smtp_rate_per_hour, smtp_lease_seconds, base_url, "
                            "mail_from, dkim_domain, dkim_selector, dkim_key_file, town_name, town_logo_url, "
                            "town_color, imprint_street, imprint_city, imprint_represented_by, "
                            "imprint_phone, imprint_email, imprint_url, privacy_url, "
                            "log_format, log_level, threads, workers, max_body_bytes, db_pool, "
                            "portal_ask_again_days, stadttaler_max_balance_cents, "
                            "stadttaler_webhook_secret, quiet_hours,"
                            " stadttaler_request_minutes)",
                            source, key),
                key));
        std::string where = fmt::format("{}: {}", source, key);
        if (it->kind == Kind::Number) {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 0)
                return fail(Error::invalid(where + " must be a whole number", key));
            TRY(apply(c, *it, std::to_string(*v), where));
        } else {
            auto v = node.value<std::string>();
            if (!v)
                return fail(Error::invalid(where + " must be a string in quotes", key));
            TRY(apply(c, *it, *v, where));
        }
    }
    return {};
}

} // namespace

std::string Config::host() const {
    auto colon = listen.rfind(':');
    std::string h = colon == std::string::npos ? listen : listen.substr(0, colon);
    if (h.size() > 2 && h.front() == '[' && h.back() == ']')
        h = h.substr(1, h.size() - 2);
    return h;
}

std::uint16_t Config::port() const {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return 8080;
    return static_cast<std::uint16_t>(std::stoul(listen.substr(colon + 1)));
}

std::string Config::effective_base_url() const {
    std::string u = base_url.empty() ? "http://" + listen : base_url;
    while (u.ends_with('/'))
        u.pop_back();
    return u;
}

Environment process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v)
            return std::nullopt;
        return std::string(v);
    };
}

Result<void> validate(const Config& c) {
    auto colon = c.listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return fail(Error::invalid("listen must be HOST:PORT, e.g. 127.0.0.1:8080", "listen"));
    auto port = TRY(parse_number("listen port", c.listen.substr(colon + 1)));
    if (port > 65535)
        return fail(Error::invalid("listen port must be at most 65535", "listen"));
    if (!c.database.starts_with("sqlite:") && !c.database.starts_with("postgresql://") &&
        !c.database.starts_with("postgres://"))
        return fail(Error::invalid("database must be sqlite:PATH or postgresql://user:pass@host:port/db",
                                   "database"));
    if (!c.smtp.empty())
        TRY(delivery::parse_smtp_url(c.smtp));
    if (c.smtp_connections == 0 || c.smtp_connections > 64)
        return fail(Error::invalid("smtp_connections must be between 1 and 64", "smtp_connections"));
    if (c.smtp_rate_per_hour != 0 && c.smtp_rate_per_minute > c.smtp_rate_per_hour)
        return fail(Error::invalid("smtp_rate_per_minute cannot exceed smtp_rate_per_hour",
                                   "smtp_rate_per_minute"));
    if (c.smtp_lease_seconds < 1 || c.smtp_lease_seconds > 86400)
        return fail(Error::invalid("smtp_lease_seconds must be between 1 and 86400",
                                   "smtp_lease_seconds"));
    if (!c.base_url.empty() && !c.base_url.starts_with("http://") && !c.base_url.starts_with("https://"))
        return fail(Error::invalid("base_url must start with http:// or https://", "base_url"));
    if (c.threads == 0 || c.threads > 256)
        return fail(Error::invalid("threads must be between 1 and 256", "threads"));
    if (c.max_body_bytes < 1024)
        return fail(Error::invalid("max_body_bytes must be at least 1024", "max_body_bytes"));
    if (c.db_pool == 0)
        return fail(Error::invalid("db_pool must be at least 1", "db_pool"));
    if (c.portal_ask_again_days < 1 || c.portal_ask_again_days > 3650)
        return fail(Error::invalid("portal_ask_again_days must be between 1 and 3650",
                                   "portal_ask_again_days"));
    if (c.stadttaler_request_minutes < 1 || c.stadttaler_request_minutes > 24 * 60)
        return fail(Error::invalid("stadttaler_request_minutes must be between 1 and 1440",
                                   "stadttaler_request_minutes"));
    static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(std::begin(levels), std::end(levels), c.log_level) == std::end(levels))
        return fail(Error::invalid("log_level must be trace, debug, info, warn, error or off",
                                   "log_level"));
    return {};
}

Result<Config> load_config(const std::optional<std::string>& toml_text, const std::string& source,
                           const Environment& env) {
    Config c;
    if (toml_text)
        TRY(apply_toml(c, *toml_text, source));
    for (const auto& k : keys())
        if (auto v = env(k.env))
            TRY(apply(c, k, *v, k.env));
    TRY(validate(c));
    return c;
}

Result<Config> load_config_file(const std::optional<std::string>& path, const Environment& env) {
    if (!path)
        return load_config(std::nullopt, "", env);
    std::ifstream in(*path);
    if (!in)
        return fail(Error::invalid(fmt::format("cannot read the configuration file {}", *path)));
    std::stringstream ss;
    ss << in.rdbuf();
    return load_config(ss.str(), *path, env);
}

} // namespace teilhabe::app
