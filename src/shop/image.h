#pragma once
// Offer pictures: only PNG, JPEG and WebP, recognised by their first bytes (not by what the
// browser claims), at most 512 KiB. No SVG: it may carry script.

#include "base/error.h"

#include <string>
#include <string_view>

namespace teilhabe::shop {

inline constexpr std::size_t kMaxImageBytes = 512 * 1024;

// The content type of the bytes; InvalidArgument (field "image") for anything else or too large.
Result<std::string> image_type(std::string_view bytes);

} // namespace teilhabe::shop
