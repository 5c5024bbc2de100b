#pragma once
// A real HTTP receiver on loopback for the webhook tests (on our own http::Server): records what
// arrives and answers with the statuses it is told, in order. Tests only.

#include "http/message.h"
#include "http/server.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace teilhabe::webhooks::testing {

class TestReceiver {
public:
    TestReceiver();
    ~TestReceiver();

    std::string url(const std::string& path = "/hook") const;
    // The next answers, in order; after them every request gets 200. A 3xx answer carries a
    // Location on this receiver (/moved), to show that it is not followed.
    void answer_with(std::vector<int> statuses);
    // While held, requests wait for release() before they are answered (time-outs).
    void hold();
    void release();

    struct Received {
        std::string path;
        http::Headers headers;
        std::string body;
        std::string header(std::string_view lower_name) const;
    };
    std::vector<Received> received() const;
    // Waits (on a condition variable, not a sleep) until `n` requests have arrived.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    http::Response handle(http::Request& req);

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::deque<int> m_answers;
    std::vector<Received> m_received;
    bool m_held{false};
    std::unique_ptr<http::Server> m_server;
    std::thread m_thread;
};

// The Webhook-Signature for `signed_content` ("id.timestamp.body"), computed with OpenSSL's HMAC
// and base64: independent of the libsodium code that signs, so a mistake cannot hide in both.
std::string openssl_signature(const std::string& secret, const std::string& signed_content);

} // namespace teilhabe::webhooks::testing
