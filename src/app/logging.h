#pragma once
// spdlog to standard error, as text or as one JSON object per line (for log collectors).

#include "app/config.h"

namespace teilhabe::app {

void setup_logging(LogFormat format, const std::string& level);

} // namespace teilhabe::app
