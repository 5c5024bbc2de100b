#include "app/config.h"

#include <gtest/gtest.h>
#include <map>

namespace teilhabe::app {
namespace {

Environment env_of(std::map<std::string, std::string> m) {
    return [m](const std::string& k) -> std::optional<std::string> {
        auto it = m.find(k);
        if (it == m.end())
            return std::nullopt;
        return it->second;
    };
}

TEST(Config, DefaultsFollowTheOperatorsContract) {
    auto c = load_config(std::nullopt, "", env_of({}));
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_EQ(c->listen, "127.0.0.1:8080");
    EXPECT_EQ(c->database, "sqlite:teilhabe.db");
    EXPECT_EQ(c->effective_base_url(), "http://127.0.0.1:8080");
    EXPECT_EQ(c->host(), "127.0.0.1");
    EXPECT_EQ(c->port(), 8080);
}

TEST(Config, SmtpSettingsHaveDefaultsAndAreValidated) {
    auto d = load_config(std::nullopt, "", env_of({}));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->smtp_connections, 4u);
    EXPECT_EQ(d->smtp_rate_per_minute, 0u);
    EXPECT_EQ(d->smtp_rate_per_hour, 0u);
    auto c = load_config("smtp = \"smtp://news:geheim@mail.example:587\"\nsmtp_connections = 8\n"
                         "smtp_rate_per_minute = 100\nsmtp_rate_per_hour = 3000\n",
                         "teilhabe.toml", env_of({}));
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_EQ(c->smtp_connections, 8u);
    EXPECT_EQ(c->smtp_rate_per_hour, 3000u);
    for (auto [key, value] : std::map<std::string, std::string>{
             {"TEILHABE_SMTP_CONNECTIONS", "0"},
             {"TEILHABE_SMTP", "smtp://mail.example:0"},
             {"TEILHABE_SMTP_LEASE_SECONDS", "0"}}) {
        auto bad = load_config(std::nullopt, "", env_of({{key, value}}));
        EXPECT_FALSE(bad.has_value()) << key;
    }
    auto more_per_minute = load_config(std::nullopt, "",
                                       env_of({{"TEILHABE_SMTP_RATE_PER_MINUTE", "10"},
                                               {"TEILHABE_SMTP_RATE_PER_HOUR", "5"}}));
    ASSERT_FALSE(more_per_minute.has_value());
    EXPECT_EQ(more_per_minute.error().field, "smtp_rate_per_minute");
}

TEST(Config, ThePortalsPauseAfterADeclinedQuestionIsNinetyDaysUnlessSet) {
    auto d = load_config(std::nullopt, "", env_of({}));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->portal_ask_again_days, 90u);
    auto c = load_config("portal_ask_again_days = 30\n", "teilhabe.toml",
                         env_of({{"TEILHABE_PORTAL_ASK_AGAIN_DAYS", "14"}}));
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_EQ(c->portal_ask_again_days, 14u);
    auto bad = load_config(std::nullopt, "", env_of({{"TEILHABE_PORTAL_ASK_AGAIN_DAYS", "0"}}));
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().field, "portal_ask_again_days");
}

// Issue 6: the journeys' town-wide quiet hours; the environment wins, a malformed value is an
// error that names the setting (not a silent fall back to the default).
TEST(Config, QuietHoursAreReadFromTomlAndTheEnvironmentWins) {
    auto d = load_config(std::nullopt, "", env_of({}));
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->quiet_hours, "20:00-08:00 sundays");
    auto from_toml = load_config("quiet_hours = \"22:00-07:00\"\n", "teilhabe.toml", env_of({}));
    ASSERT_TRUE(from_toml) << from_toml.error().message;
    EXPECT_EQ(from_toml->quiet_hours, "22:00-07:00");
    auto both = load_config("quiet_hours = \"22:00-07:00\"\n", "teilhabe.toml",
                            env_of({{"TEILHABE_QUIET_HOURS", "off"}}));
    ASSERT_TRUE(both) << both.error().message;
    EXPECT_EQ(both->quiet_hours, "off");
    auto sundays = load_config(std::nullopt, "", env_of({{"TEILHABE_QUIET_HOURS", "sundays"}}));
    ASSERT_TRUE(sundays) << sundays.error().message;
    EXPECT_EQ(sundays->quiet_hours, "sundays");

    auto bad_env = load_config(std::nullopt, "", env_of({{"TEILHABE_QUIET_HOURS", "nachts"}}));
    ASSERT_FALSE(bad_env);
    EXPECT_EQ(bad_env.error().field, "quiet_hours");
    EXPECT_NE(bad_env.error().message.find("TEILHABE_QUIET_HOURS"), std::string::npos) << bad_env.error().message;
    auto bad_toml = load_config("quiet_hours = \"25:00-07:00\"\n", "teilhabe.toml", env_of({}));
    ASSERT_FALSE(bad_toml);
    EXPECT_NE(bad_toml.error().message.find("quiet_hours"), std::string::npos);
    EXPECT_FALSE(load_config("quiet_hours = 22\n", "teilhabe.toml", env_of({})).has_value());
}

TEST(Config, EnvironmentWinsOverToml) {
    auto c = load_config("listen = \"0.0.0.0:9000\"\ndatabase = \"sqlite:/var/x.db\"\nthreads = 8\n",
                         "teilhabe.toml", env_of({{"TEILHABE_LISTEN", "127.0.0.1:9100"}}));
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_EQ(c->listen, "127.0.0.1:9100");
    EXPECT_EQ(c->database, "sqlite:/var/x.db");
    EXPECT_EQ(c->threads, 8u);
}

TEST(Config, UnknownTomlKeyIsAnErrorThatNamesIt) {
    auto c = load_config("listen = \"127.0.0.1:1\"\nlisten_adress = \"x\"\n", "teilhabe.toml",
                         env_of({}));
    ASSERT_FALSE(c.has_value());
    EXPECT_NE(c.error().message.find("listen_adress"), std::string::npos);
    EXPECT_NE(c.error().message.find("teilhabe.toml"), std::string::npos);
}

TEST(Config, WrongTypesAndSyntaxAreErrors) {
    EXPECT_FALSE(load_config("threads = \"many\"\n", "f", env_of({})).has_value());
    EXPECT_FALSE(load_config("listen = 8080\n", "f", env_of({})).has_value());
    auto broken = load_config("listen = \n", "f.toml", env_of({}));
    ASSERT_FALSE(broken.has_value());
    EXPECT_NE(broken.error().message.find("f.toml:1"), std::string::npos);
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_THREADS", "4x"}})).has_value());
}

TEST(Config, ValidatesValues) {
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_DATABASE", "mysql://x"}})).has_value());
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_LISTEN", "nohost"}})).has_value());
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_LISTEN", "127.0.0.1:70000"}})).has_value());
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_SMTP", "mail.example:25"}})).has_value());
    EXPECT_FALSE(load_config(std::nullopt, "", env_of({{"TEILHABE_LOG_FORMAT", "xml"}})).has_value());
    auto pg = load_config(std::nullopt, "", env_of({{"TEILHABE_DATABASE", "postgresql://u:p@h:5432/d"},
                                                    {"TEILHABE_BASE_URL", "https://beteiligung.musterstadt.de/"}}));
    ASSERT_TRUE(pg.has_value());
    EXPECT_EQ(pg->effective_base_url(), "https://beteiligung.musterstadt.de");
}

} // namespace
} // namespace teilhabe::app
