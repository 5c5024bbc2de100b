#pragma once
// multipart/form-data (RFC 7578 over the syntax of RFC 2046 section 5.1): the body of an HTML
// form with enctype="multipart/form-data", as browsers send a file upload. Parts are kept in
// memory; the server's body limit (WebSettings::max_body_bytes) bounds the whole body.

#include "base/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::web {

struct MultipartPart {
    std::string name;                    // the form control's name
    std::optional<std::string> filename; // set for <input type=file>, possibly empty
    std::string content_type;            // "text/plain" when the part names none
    std::string body;                    // the bytes as sent, unchanged
};

constexpr std::size_t kMaxMultipartParts = 1000;
constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;

// The boundary parameter of a Content-Type of multipart/form-data; InvalidArgument when the
// type is another one or the boundary is missing or not 1 to 70 characters (RFC 2046 5.1.1).
Result<std::string> multipart_boundary(std::string_view content_type);

// Splits the body at the boundary. InvalidArgument for a body that does not follow the syntax
// (no opening or closing delimiter, a part without Content-Disposition: form-data and a name,
// headers too large, more than kMaxMultipartParts parts).
Result<std::vector<MultipartPart>> parse_multipart(std::string_view body,
                                                   std::string_view boundary);

// Both steps for a request's Content-Type and body.
Result<std::vector<MultipartPart>> parse_multipart_request(std::string_view content_type,
                                                           std::string_view body);

// The first part named `name` that is not a file ("" when absent), like form_value.
std::string multipart_value(const std::vector<MultipartPart>& parts, std::string_view name);
// The first file part named `name`.
const MultipartPart* multipart_file(const std::vector<MultipartPart>& parts,
                                    std::string_view name);

} // namespace teilhabe::web
