#include "web/qr_svg.h"

#include <gtest/gtest.h>

namespace teilhabe::web {
namespace {

TEST(QrSvg, AnOtpauthUriBecomesAnAccessibleSvgWithoutScriptOrStyle) {
    auto svg = qr_svg("otpauth://totp/Teilhabe:anna@example.org?secret=JBSWY3DPEHPK3PXP",
                      "QR-Code <zum> Einrichten");
    ASSERT_TRUE(svg);
    EXPECT_TRUE(svg->starts_with("<svg "));
    EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg->find("aria-label=\"QR-Code &lt;zum&gt; Einrichten\""), std::string::npos);
    EXPECT_NE(svg->find("<path d=\"M"), std::string::npos);
    EXPECT_EQ(svg->find("style"), std::string::npos);
    EXPECT_EQ(svg->find("script"), std::string::npos);
    // Version 1 is 21 modules; with the quiet zone of 4 on each side at least 29.
    auto box = svg->find("viewBox=\"0 0 ");
    ASSERT_NE(box, std::string::npos);
    EXPECT_GE(std::stoi(svg->substr(box + 13)), 29);
}

} // namespace
} // namespace teilhabe::web
