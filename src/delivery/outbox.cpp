#include "delivery/outbox.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace teilhabe::delivery {

namespace {
constexpr std::array<std::pair<OutboxState, const char*>, 7> kStates = {{
    {OutboxState::Queued, "queued"},
    {OutboxState::Claimed, "claimed"},
    {OutboxState::Sent, "sent"},
    {OutboxState::Bounced, "bounced"},
    {OutboxState::Suppressed, "suppressed"},
    {OutboxState::Failed, "failed"},
    {OutboxState::Cancelled, "cancelled"},
}};
} // namespace

const char* to_string(OutboxKind k) {
    return k == OutboxKind::Campaign ? "campaign" : "transactional";
}

const char* to_string(OutboxState s) {
    for (const auto& [state, name] : kStates)
        if (state == s)
            return name;
    return "queued";
}

std::optional<OutboxKind> parse_kind(std::string_view s) {
    if (s == "campaign")
        return OutboxKind::Campaign;
    if (s == "transactional")
        return OutboxKind::Transactional;
    return std::nullopt;
}

std::optional<OutboxState> parse_state(std::string_view s) {
    for (const auto& [state, name] : kStates)
        if (s == name)
            return state;
    return std::nullopt;
}

bool is_terminal(OutboxState s) { return s != OutboxState::Queued && s != OutboxState::Claimed; }

std::string SmtpReply::summary() const {
    if (code == 0)
        return error.empty() ? std::string("no reply") : error;
    std::string first_line = text.substr(0, text.find('\n'));
    if (enhanced.empty())
        return fmt::format("{} {}", code, first_line);
    return fmt::format("{} {} {}", code, enhanced, first_line);
}

std::chrono::milliseconds retry_delay(const RetryPolicy& p, int attempts, std::int64_t row_id) {
    int doublings = std::clamp(attempts - 1, 0, 20);
    auto base = std::min<std::int64_t>(p.first.count() << doublings, p.cap.count());
    // A spread of -20 % .. +20 % from the row id (Knuth's multiplicative hash).
    auto spread = static_cast<std::int64_t>((static_cast<std::uint64_t>(row_id) * 2654435761u) % 41) - 20;
    return std::chrono::milliseconds(base + base * spread / 100);
}

} // namespace teilhabe::delivery
