#include "app/logging.h"

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace teilhabe::app {

namespace {

// %* writes the message as a JSON string, quotes and control characters escaped.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        std::string text(msg.payload.data(), msg.payload.size());
        std::string quoted = nlohmann::json(text).dump(-1, ' ', false,
                                                        nlohmann::json::error_handler_t::replace);
        dest.append(quoted.data(), quoted.data() + quoted.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessageFlag>();
    }
};

} // namespace

void setup_logging(LogFormat format, const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("teilhabe");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
    if (format == LogFormat::Json) {
        auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        f->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","thread":%t,"msg":%*})");
        spdlog::set_formatter(std::move(f));
    } else {
        spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
    }
}

} // namespace teilhabe::app
