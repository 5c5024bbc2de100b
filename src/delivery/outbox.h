#pragma once
// The e-mail outbox (DESIGN.md "E-mail outbox"): one row per recipient and message, moving
// queued -> claimed -> sent | bounced | suppressed | failed | cancelled. Every row ends in a
// terminal state; a campaign is finished when all its rows are.

#include "base/clock.h"
#include "base/error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::delivery {

enum class OutboxKind { Campaign, Transactional };
enum class OutboxState { Queued, Claimed, Sent, Bounced, Suppressed, Failed, Cancelled };

const char* to_string(OutboxKind k);
const char* to_string(OutboxState s);
std::optional<OutboxKind> parse_kind(std::string_view s);
std::optional<OutboxState> parse_state(std::string_view s);
bool is_terminal(OutboxState s);

// What the MTA answered to one message (RFC 5321 reply code, RFC 3463 enhanced status code).
struct SmtpReply {
    int code{0};          // 0: no reply (connection refused, timed out, TLS failed)
    std::string enhanced; // "2.0.0", empty when the server does not send one
    std::string text;     // the reply's text, lines joined by "\n"
    std::string queue_id; // from "queued as X" when present
    std::string error;    // the transport's message when there was no reply

    bool accepted() const { return code >= 200 && code < 300; }
    // 5xx is permanent; 4xx and no reply at all are worth another try.
    bool permanent() const { return code >= 500 && code < 600; }
    std::string summary() const; // "550 5.1.1 no such user", for error columns and logs
};

struct OutboxRow {
    std::int64_t id{0};
    OutboxKind kind{OutboxKind::Transactional};
    std::optional<std::int64_t> campaign_id;
    std::optional<std::int64_t> citizen_id;
    std::string email;
    std::string payload; // transactional: the complete MIME message; campaign: empty
    OutboxState state{OutboxState::Queued};
    int attempts{0};
    TimePoint due_at{};
    std::optional<std::string> claimed_by;
    std::optional<int> smtp_code;
    std::string smtp_status, smtp_reply, queue_id, error;
    TimePoint created_at{};
    std::optional<TimePoint> finished_at;
};

// Temporary failures are tried again after 1, 2, 4 ... minutes (at most 6 hours apart), each
// delay spread by up to ±20 % (derived from the row id, so tests are repeatable and a batch
// that failed together does not come back together); after max_attempts the row is failed.
struct RetryPolicy {
    int max_attempts{8};
    std::chrono::milliseconds first{std::chrono::minutes(1)};
    std::chrono::milliseconds cap{std::chrono::hours(6)};
};
std::chrono::milliseconds retry_delay(const RetryPolicy& p, int attempts, std::int64_t row_id);

} // namespace teilhabe::delivery
