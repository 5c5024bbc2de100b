#pragma once
// German by default, English on request: the `lang` cookie (set by the language switch),
// then Accept-Language. Texts live in web/i18n/{de,en}.json, compiled into the binary.

#include "http/message.h"

#include <string>
#include <string_view>

namespace teilhabe::web {

enum class Locale { De, En };

const char* to_string(Locale l);
Locale choose_locale(const http::Request& req);
Locale parse_locale(std::string_view s, Locale fallback = Locale::De);

// The text for a key; the key itself when it is missing (visible, not a crash).
const std::string& tr(Locale l, std::string_view key);

// Every key of a catalogue (for templates and the test that both catalogues agree).
std::vector<std::string> catalogue_keys(Locale l);

} // namespace teilhabe::web
