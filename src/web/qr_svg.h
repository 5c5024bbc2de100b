#pragma once
// A QR code as an inline SVG (libqrencode), e.g. for the otpauth:// URI of a second factor.
// No script, no inline style: the page's Content-Security-Policy allows it as it is.

#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::web {

// `label` becomes the SVG's accessible name. Nothing when the text does not fit a QR code.
std::optional<std::string> qr_svg(std::string_view text, std::string_view label);

} // namespace teilhabe::web
