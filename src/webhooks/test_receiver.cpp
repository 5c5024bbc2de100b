#include "webhooks/test_receiver.h"

#include <algorithm>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdexcept>

namespace teilhabe::webhooks::testing {

TestReceiver::TestReceiver() {
    m_server = std::make_unique<http::Server>(
        http::ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 2},
        [this](http::Request& req) { return handle(req); });
    if (auto l = m_server->listen(); !l)
        throw std::runtime_error("test receiver: " + l.error().message);
    m_thread = std::thread([this] { m_server->run(); });
}

TestReceiver::~TestReceiver() {
    release();
    m_server->stop();
    m_thread.join();
}

std::string TestReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_server->port()) + path;
}

void TestReceiver::answer_with(std::vector<int> statuses) {
    std::lock_guard lock(m_mutex);
    m_answers.assign(statuses.begin(), statuses.end());
}

void TestReceiver::hold() {
    std::lock_guard lock(m_mutex);
    m_held = true;
}

void TestReceiver::release() {
    {
        std::lock_guard lock(m_mutex);
        m_held = false;
    }
    m_changed.notify_all();
}

std::string TestReceiver::Received::header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
        if (k == lower_name)
            return v;
    return {};
}

std::vector<TestReceiver::Received> TestReceiver::received() const {
    std::lock_guard lock(m_mutex);
    return m_received;
}

bool TestReceiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_received.size() >= n; });
}

http::Response TestReceiver::handle(http::Request& req) {
    std::unique_lock lock(m_mutex);
    m_received.push_back({req.path, req.headers, req.body});
    m_changed.notify_all();
    m_changed.wait(lock, [&] { return !m_held; });
    int status = 200;
    if (!m_answers.empty()) {
        status = m_answers.front();
        m_answers.pop_front();
    }
    auto r = http::Response::text(status, "ok");
    if (status >= 300 && status < 400)
        r.set_header("Location", url("/moved"));
    return r;
}

std::string openssl_signature(const std::string& secret, const std::string& signed_content) {
    std::string b64 = secret.substr(secret.find('_') + 1);
    std::string key(b64.size(), '\0');
    int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                              reinterpret_cast<const unsigned char*>(b64.data()),
                              static_cast<int>(b64.size()));
    if (len < 0)
        return "undecodable secret";
    // EVP_DecodeBlock counts the padding as zero bytes.
    key.resize(static_cast<std::size_t>(len) -
               static_cast<std::size_t>(std::count(b64.begin(), b64.end(), '=')));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac,
         &mac_len);
    std::string out(4 * ((mac_len + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac,
                            static_cast<int>(mac_len));
    out.resize(static_cast<std::size_t>(n));
    return "v1," + out;
}

} // namespace teilhabe::webhooks::testing
