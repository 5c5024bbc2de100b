#pragma once
// Settings of the operators' contract (SPEC.md): defaults, then the TOML file given with
// --config, then TEILHABE_* environment variables (the environment wins).

#include "base/error.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace teilhabe::app {

enum class LogFormat { Text, Json };

struct Config {
    std::string listen{"127.0.0.1:8080"};
    std::string database{"sqlite:teilhabe.db"};
    std::string smtp;     // smtp://[user:pass@]host:port or smtps://...; empty: no mail out
    unsigned smtp_connections{4};      // parallel SMTP connections of this instance
    unsigned smtp_rate_per_minute{0};  // messages per minute of this instance; 0: unlimited
    unsigned smtp_rate_per_hour{0};    // messages per hour of this instance; 0: unlimited
    unsigned smtp_lease_seconds{120};  // how long an instance holds a claimed outbox row
    std::string base_url; // default: http:// + listen
    std::string mail_from{"Stadt Musterstadt <info@musterstadt.example>"};
    std::string dkim_domain, dkim_selector, dkim_key_file;
    std::string town_name{"Musterstadt"};
    // The frame of every campaign e-mail: logo (https URL), colour (#rrggbb), and the imprint
    // the law asks for in its footer (mail/layout.h).
    std::string town_logo_url, town_color{"#005ea8"};
    std::string imprint_street{"Marktplatz 1"}, imprint_city{"12345 Musterstadt"};
    std::string imprint_represented_by, imprint_phone, imprint_email, imprint_url, privacy_url;
    LogFormat log_format{LogFormat::Text};
    std::string log_level{"info"};
    unsigned threads{4};
    unsigned workers{1};
    std::size_t max_body_bytes{10 * 1024 * 1024};
    unsigned db_pool{8};
    // Progressive profiling: days a question the person declined rests before it is asked again.
    unsigned portal_ask_again_days{90};
    // Stadttaler (issue 7): the most a wallet may hold, and the payment provider's webhook
    // secret (empty: the webhook answers 503).
    std::int64_t stadttaler_max_balance_cents{25'000};
    std::string stadttaler_webhook_secret;
    // Journeys (issue 6): no journey mail in these hours (Europe/Berlin), unless a journey sets
    // its own: "20:00-08:00 sundays", "22:00-07:00", "sundays" or "off"
    // (journeys::parse_quiet_hours_setting).
    std::string quiet_hours{"20:00-08:00 sundays"};
    // Minutes a partner's payment request waits for the person's confirmation.
    std::int64_t stadttaler_request_minutes{15};

    std::string host() const;
    std::uint16_t port() const;
    std::string effective_base_url() const;
};

using Environment = std::function<std::optional<std::string>(const std::string&)>;
Environment process_environment();

// Reads the TOML text (unknown keys and wrong types are errors that name the key), then the
// environment. `source` names the file in messages.
Result<Config> load_config(const std::optional<std::string>& toml_text, const std::string& source,
                           const Environment& env);
Result<Config> load_config_file(const std::optional<std::string>& path, const Environment& env);
Result<void> validate(const Config& c);

} // namespace teilhabe::app
