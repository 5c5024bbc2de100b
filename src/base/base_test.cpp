#include "base/email.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/metrics.h"
#include "base/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <thread>

namespace teilhabe {
namespace {

Result<int> half(int n) {
    if (n % 2)
        return fail(Error::invalid("odd", "n"));
    return n / 2;
}

Result<int> quarter(int n) {
    int h = TRY(half(n));
    return TRY(half(h));
}

Result<void> check_even(int n) {
    TRY(half(n));
    return {};
}

TEST(Try, PropagatesTheFirstError) {
    EXPECT_EQ(quarter(8).value(), 2);
    auto r = quarter(6);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(r.error().field, "n");
    EXPECT_TRUE(check_even(2).has_value());
    EXPECT_FALSE(check_even(3).has_value());
}

TEST(Clock, ManualClockAdvancesAndFormats) {
    ManualClock c(from_unix_ms(0));
    EXPECT_EQ(format_iso8601(c.now()), "1970-01-01T00:00:00.000Z");
    c.advance(std::chrono::hours(24 * 3) + Millis(5));
    EXPECT_EQ(format_iso8601(c.now()), "1970-01-04T00:00:00.005Z");
    EXPECT_EQ(c.now_ms(), 3 * 86'400'000 + 5);
}

TEST(Metrics, CountsRequestsIntoBucketsAndClasses) {
    Metrics m;
    m.record_request(200, 0.0005);
    m.record_request(404, 0.2);
    m.record_request(503, 3.0);
    auto text = m.render_prometheus();
    EXPECT_NE(text.find("teilhabe_http_requests_total{status=\"2xx\"} 1"), std::string::npos);
    EXPECT_NE(text.find("teilhabe_http_requests_total{status=\"4xx\"} 1"), std::string::npos);
    EXPECT_NE(text.find("teilhabe_http_request_duration_seconds_bucket{le=\"0.001\"} 1"),
              std::string::npos);
    EXPECT_NE(text.find("teilhabe_http_request_duration_seconds_bucket{le=\"0.25\"} 2"),
              std::string::npos);
    EXPECT_NE(text.find("teilhabe_http_request_duration_seconds_bucket{le=\"+Inf\"} 3"),
              std::string::npos);
}

} // namespace
} // namespace teilhabe

namespace teilhabe {
namespace {

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
    auto utc = parse_rfc3339("2026-11-24T10:00:00Z");
    ASSERT_TRUE(utc.has_value()) << utc.error().message;
    EXPECT_EQ(format_iso8601(*utc), "2026-11-24T10:00:00.000Z");
    EXPECT_EQ(format_iso8601(parse_rfc3339("2026-11-24T11:00:00+01:00").value()),
              "2026-11-24T10:00:00.000Z");
    EXPECT_EQ(format_iso8601(parse_rfc3339("2026-11-24T08:30:00.25-01:30").value()),
              "2026-11-24T10:00:00.250Z");
    EXPECT_EQ(format_iso8601(parse_rfc3339("2024-02-29T00:00:00.123456Z").value()),
              "2024-02-29T00:00:00.123Z");
    EXPECT_EQ(to_unix_ms(parse_rfc3339("1970-01-01T00:00:00Z").value()), 0);
}

TEST(Rfc3339, RefusesWhatIsNotAnInstant) {
    for (const char* bad : {"", "2026-11-24", "2026-11-24T10:00:00", "2026-13-01T00:00:00Z",
                            "2025-02-29T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:00Z",
                            "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00+0100",
                            "2026-11-24T10:00:00Zjunk", "yesterday at noon"}) {
        auto r = parse_rfc3339(bad);
        EXPECT_FALSE(r.has_value()) << bad;
        if (!r) {
            EXPECT_NE(r.error().message.find("2026-11-24T10:00:00Z"), std::string::npos);
        }
    }
}

} // namespace
} // namespace teilhabe

namespace teilhabe {
namespace {

TEST(Email, OneNormalFormForStaffAndCitizens) {
    EXPECT_EQ(normalise_email("  Anna.Mueller@Example.ORG \t\r\n"), "anna.mueller@example.org");
    EXPECT_EQ(normalise_email("\vX@Y.DE\f"), "x@y.de");
    EXPECT_EQ(normalise_email("JÜRGEN@MÜNCHEN.DE"), "jÜrgen@mÜnchen.de") << "only ASCII is folded";
    EXPECT_EQ(normalise_email("   "), "");
}

// What `top -H` shows: the name given, cut to the 15 characters Linux keeps.
TEST(ThreadName, IsSetAndCutTo15Characters) {
    std::string seen_short, seen_long;
    std::thread([&] {
        char buf[32] = {};
        name_this_thread("th-clicks");
        pthread_getname_np(pthread_self(), buf, sizeof buf);
        seen_short = buf;
        name_this_thread("th-a-name-much-longer-than-fifteen");
        pthread_getname_np(pthread_self(), buf, sizeof buf);
        seen_long = buf;
    }).join();
    EXPECT_EQ(seen_short, "th-clicks");
    EXPECT_EQ(seen_long, "th-a-name-much-");
}

} // namespace
} // namespace teilhabe
