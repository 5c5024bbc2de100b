#include "webhooks/curl_sender.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <memory>

namespace teilhabe::webhooks {

namespace {

// The answer's body is not kept: only its status counts, and a receiver's page must not end up
// in our database.
std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
    return size * n;
}

struct CurlDeleter {
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

CurlSender::CurlSender(CurlOptions options) : m_options(std::move(options)) {
    // Not thread-safe in older libcurl: done once, before any worker thread sends.
    static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
    (void)init;
}

SendResult CurlSender::post(const Message& m) {
    SendResult out;
    std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
    if (!h) {
        out.error = "libcurl could not start";
        return out;
    }
    std::unique_ptr<curl_slist, CurlDeleter> headers;
    for (const auto& [name, value] : m.headers)
        headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
    // No "Expect: 100-continue" round trip for bodies above 1 KiB.
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
    char errbuf[CURL_ERROR_SIZE] = {};
    CURL* c = h.get();
    curl_easy_setopt(c, CURLOPT_URL, m.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, m.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(m.body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // threads: no SIGALRM for DNS time-outs
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    auto started = std::chrono::steady_clock::now();
    CURLcode rc = curl_easy_perform(c);
    out.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    if (rc != CURLE_OK) {
        out.error =
            rc == CURLE_OPERATION_TIMEDOUT
                ? fmt::format("no answer within {} ms", m_options.timeout.count())
                : fmt::format("{}{}{}", curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf);
        return out;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    return out;
}

} // namespace teilhabe::webhooks
