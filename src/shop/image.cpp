#include "shop/image.h"

namespace teilhabe::shop {

Result<std::string> image_type(std::string_view b) {
    if (b.size() > kMaxImageBytes)
        return fail(Error::invalid("The picture is larger than 512 KiB.", "image"));
    if (b.starts_with("\x89PNG\r\n\x1a\n"))
        return std::string("image/png");
    if (b.starts_with("\xFF\xD8\xFF"))
        return std::string("image/jpeg");
    if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP")
        return std::string("image/webp");
    return fail(Error::invalid("Only PNG, JPEG and WebP pictures can be uploaded.", "image"));
}

} // namespace teilhabe::shop
