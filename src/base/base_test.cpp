#include "base/clock.h"
#include "base/error.h"
#include "base/metrics.h"

#include <gtest/gtest.h>

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
