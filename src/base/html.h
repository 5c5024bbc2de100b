#pragma once
// Text into HTML: & < > " ' as character references, so a value can never become markup or
// leave an attribute. One escaper for the campaign templates, the mails composed in code and
// pages that show HTML as text.

#include <string>
#include <string_view>

namespace teilhabe {

void append_html_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

} // namespace teilhabe
