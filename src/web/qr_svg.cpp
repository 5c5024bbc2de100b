#include "web/qr_svg.h"

#include "base/html.h"

#include <fmt/format.h>
#include <memory>
#include <qrencode.h>

namespace teilhabe::web {

std::optional<std::string> qr_svg(std::string_view text, std::string_view label) {
    std::string input(text);
    // Error correction M (15 %): the usual choice for a code shown on a screen.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code)
        return std::nullopt;
    const int quiet = 4; // the quiet zone ISO/IEC 18004 asks for
    const int size = code->width + 2 * quiet;
    std::string path;
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if (code->data[y * code->width + x] & 1)
                path += fmt::format("M{} {}h1v1h-1z", x + quiet, y + quiet);
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"200\" "
        "height=\"200\" role=\"img\" aria-label=\"{1}\" shape-rendering=\"crispEdges\">"
        "<rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path d=\"{2}\" fill=\"#000\"/></svg>",
        size, html_escape(label), path);
}

} // namespace teilhabe::web
