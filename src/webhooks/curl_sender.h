#pragma once
// The HTTP client of the deliveries, on libcurl: POST only, http and https only, no
// redirects, a time limit for the whole exchange, the answer's body read and dropped.

#include "webhooks/sender.h"

namespace teilhabe::webhooks {

struct CurlOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
    std::string user_agent{"Teilhabe-Webhooks/1"};
};

class CurlSender final : public Sender {
public:
    explicit CurlSender(CurlOptions options = {});
    SendResult post(const Message& m) override;

private:
    CurlOptions m_options;
};

} // namespace teilhabe::webhooks
