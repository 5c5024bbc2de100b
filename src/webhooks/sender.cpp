#include "webhooks/sender.h"

#include <fmt/format.h>

namespace teilhabe::webhooks {

Verdict judge(const SendResult& r) {
    if (!r.status)
        return {false, r.error.empty() ? "no answer" : r.error};
    int s = *r.status;
    if (s >= 200 && s < 300)
        return {true, {}};
    if (s >= 300 && s < 400)
        return {false, fmt::format("HTTP {}: redirects are not followed; give the final URL", s)};
    return {false, fmt::format("HTTP {}", s)};
}

} // namespace teilhabe::webhooks
