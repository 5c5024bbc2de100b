#pragma once
// Sends one signed delivery. An interface, so the delivery logic (delivery.h) does not depend
// on the HTTP client; the real one is CurlSender (curl_sender.h).

#include "webhooks/message.h"

#include <chrono>
#include <optional>
#include <string>

namespace teilhabe::webhooks {

struct SendResult {
    std::optional<int> status; // none when no answer came (refused, timed out, TLS error)
    std::string error;         // what went wrong on the way, empty when an answer came
    std::int64_t duration_ms{0};
};

class Sender {
public:
    virtual ~Sender() = default;
    virtual SendResult post(const Message& m) = 0;
};

// 2xx is delivered. Everything else is a failed attempt, with the reason to record: a redirect
// is not followed (the subscription names the URL; a receiver that moved is told by the
// failure, and a redirect cannot lead our signed data elsewhere).
struct Verdict {
    bool delivered{false};
    std::string error;
};
Verdict judge(const SendResult& r);

} // namespace teilhabe::webhooks
