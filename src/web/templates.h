#pragma once
// Server-rendered pages and e-mails: logic-less mustache templates under web/templates,
// compiled into the binary and filled from JSON. Values are HTML-escaped unless a template
// deliberately uses {{{triple}}} braces for trusted, already-rendered HTML.

#include "base/error.h"
#include "web/i18n.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace teilhabe::web {

// Renders web/templates/<name>.mustache with `data`. The texts of the locale are available as
// {{t.some.key}}.
Result<std::string> render_template(std::string_view name, const nlohmann::json& data,
                                    Locale locale);

// The locale's catalogue as a nested JSON object ("nav.dashboard" -> {"nav":{"dashboard":..}}).
const nlohmann::json& texts(Locale locale);

// Static files (web/static/...) compiled into the binary.
std::optional<std::string_view> static_file(std::string_view path);

} // namespace teilhabe::web
