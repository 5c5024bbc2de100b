#include "web/multipart.h"

#include <gtest/gtest.h>

namespace teilhabe::web {
namespace {

// What Chromium sends for a form with a hidden field and a file.
const std::string kBody =
    "------WebKitFormBoundaryx1\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n"
    "\r\n"
    "tok123\r\n"
    "------WebKitFormBoundaryx1\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"b\\\"u;rger.csv\"\r\n"
    "Content-Type: text/csv\r\n"
    "\r\n"
    "email;name\r\n"
    "a@b.de;\"x\r\n--not the boundary\"\r\n"
    "\r\n"
    "------WebKitFormBoundaryx1--\r\n";

TEST(Multipart, BoundaryFromTheContentType) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").value(), "abc");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b;c\"").value(), "a b;c");
    EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded").error().code,
              ErrorCode::UnsupportedMedia);
    EXPECT_FALSE(multipart_boundary("multipart/form-data").has_value());
    EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST(Multipart, SplitsFieldsAndFilesKeepingTheBytes) {
    auto parts = parse_multipart_request(
        "multipart/form-data; boundary=----WebKitFormBoundaryx1", kBody);
    ASSERT_TRUE(parts.has_value()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ(multipart_value(*parts, "csrf"), "tok123");
    EXPECT_EQ((*parts)[0].content_type, "text/plain");
    const auto* file = multipart_file(*parts, "file");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->filename.value(), "b\"u;rger.csv");
    EXPECT_EQ(file->content_type, "text/csv");
    // A line that only looks like a delimiter (no CRLF before the full boundary) stays content,
    // and the line break before the delimiter belongs to the delimiter.
    EXPECT_EQ(file->body, "email;name\r\na@b.de;\"x\r\n--not the boundary\"\r\n");
    EXPECT_EQ(multipart_value(*parts, "file"), ""); // a file is not a plain value
    EXPECT_EQ(multipart_file(*parts, "csrf"), nullptr);
}

TEST(Multipart, PreambleEmptyPartsAndEpilogue) {
    std::string body = "ignored preamble\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                       "\r\n--b\r\ncontent-disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                       "\r\n\r\n--b--epilogue";
    auto parts = parse_multipart(body, "b");
    ASSERT_TRUE(parts.has_value()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "a");
    EXPECT_EQ((*parts)[0].body, "");
    EXPECT_EQ((*parts)[1].filename.value(), "");
    EXPECT_EQ((*parts)[1].body, "");
    auto none = parse_multipart("--b--\r\n", "b");
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->empty());
}

TEST(Multipart, RefusesMalformedBodies) {
    auto refused = [](std::string body) {
        auto r = parse_multipart(body, "b");
        return !r.has_value() && r.error().code == ErrorCode::InvalidArgument;
    };
    EXPECT_TRUE(refused(""));
    EXPECT_TRUE(refused("no boundary here"));
    // Truncated: no closing delimiter.
    EXPECT_TRUE(refused("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue"));
    // Headers that never end.
    EXPECT_TRUE(refused("--b\r\nContent-Disposition: form-data; name=a\r\nvalue\r\n--b--"));
    // Not form-data, no name, no disposition, a header line without a colon.
    EXPECT_TRUE(refused("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--b--"));
    EXPECT_TRUE(refused("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--"));
    EXPECT_TRUE(refused("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"));
    EXPECT_TRUE(refused("--b\r\nno colon\r\n\r\nv\r\n--b--"));
    // Garbage after a delimiter.
    EXPECT_TRUE(refused("--bx\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--"));
    // Oversized headers.
    EXPECT_TRUE(refused("--b\r\nContent-Disposition: form-data; name=a\r\nX: " +
                        std::string(kMaxPartHeaderBytes, 'x') + "\r\n\r\nv\r\n--b--"));
}

TEST(Multipart, LimitsTheNumberOfParts) {
    std::string body;
    for (std::size_t i = 0; i <= kMaxMultipartParts; ++i)
        body += "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n";
    body += "--b--";
    EXPECT_FALSE(parse_multipart(body, "b").has_value());
}

} // namespace
} // namespace teilhabe::web
