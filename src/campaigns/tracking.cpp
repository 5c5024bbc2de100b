#include "campaigns/tracking.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <cstdint>

namespace teilhabe::campaigns {

namespace {

constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMaxToken = 8192;

void ensure_sodium() {
    static const int ok = sodium_init();
    (void)ok;
}

std::string b64(const unsigned char* data, std::size_t len) {
    std::string out(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::string> unb64(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                          nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

// The HMAC state after the key and the purpose: the same for every token of an installation,
// so each thread keeps it for the last secret it saw instead of hashing the key's two pads for
// every click (a measurable share of the redirect).
crypto_auth_hmacsha256_state keyed_state(std::string_view secret) {
    constexpr std::string_view kPurpose = "teilhabe click v1\n";
    thread_local std::string cached_secret;
    thread_local crypto_auth_hmacsha256_state cached{};
    thread_local bool ready = false;
    if (!ready || cached_secret != secret) {
        // The key is the installation secret with a purpose prefix: a token for another purpose
        // signed with the same secret never passes here.
        crypto_auth_hmacsha256_init(&cached, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
        crypto_auth_hmacsha256_update(&cached, reinterpret_cast<const unsigned char*>(kPurpose.data()),
                                      kPurpose.size());
        cached_secret.assign(secret);
        ready = true;
    }
    return cached;
}

void mac_of(std::string_view secret, std::string_view payload, unsigned char (&mac)[crypto_auth_hmacsha256_BYTES]) {
    auto st = keyed_state(secret);
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

// The payload as make_click_token writes it, `[campaign,citizen,"url"]` or with `,"topic"`,
// read without building a JSON document when no string holds an escape (the usual case);
// anything else goes to the JSON parser.
std::optional<std::int64_t> take_integer(std::string_view& s) {
    std::size_t i = 0;
    bool negative = i < s.size() && s[i] == '-';
    if (negative)
        ++i;
    std::int64_t v = 0;
    std::size_t digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
        if (v > (INT64_MAX - 9) / 10)
            return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    if (digits == 0)
        return std::nullopt;
    s.remove_prefix(i);
    return negative ? -v : v;
}

std::optional<std::string> take_plain_string(std::string_view& s) {
    if (s.empty() || s.front() != '"')
        return std::nullopt;
    auto end = s.find('"', 1);
    if (end == std::string_view::npos)
        return std::nullopt;
    auto text = s.substr(1, end - 1);
    for (char c : text)
        if (c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return std::nullopt;
    s.remove_prefix(end + 1);
    return std::string(text);
}

bool take(std::string_view& s, char c) {
    if (s.empty() || s.front() != c)
        return false;
    s.remove_prefix(1);
    return true;
}

std::optional<TrackedLink> read_plain_payload(std::string_view s) {
    TrackedLink out;
    if (!take(s, '['))
        return std::nullopt;
    auto campaign = take_integer(s);
    if (!campaign || !take(s, ','))
        return std::nullopt;
    auto citizen = take_integer(s);
    if (!citizen || !take(s, ','))
        return std::nullopt;
    auto url = take_plain_string(s);
    if (!url)
        return std::nullopt;
    if (take(s, ',')) {
        auto topic = take_plain_string(s);
        if (!topic)
            return std::nullopt;
        out.topic = std::move(*topic);
    }
    if (!take(s, ']') || !s.empty())
        return std::nullopt;
    out.campaign_id = *campaign;
    out.citizen_id = *citizen;
    out.url = std::move(*url);
    return out;
}

std::optional<TrackedLink> read_json_payload(std::string_view payload) {
    auto j = nlohmann::json::parse(payload, nullptr, false);
    if (!j.is_array() || j.size() < 3 || j.size() > 4 || !j[0].is_number_integer() || !j[1].is_number_integer() ||
        !j[2].is_string() || (j.size() == 4 && !j[3].is_string()))
        return std::nullopt;
    return TrackedLink{j[0].get<std::int64_t>(), j[1].get<std::int64_t>(), j[2].get<std::string>(),
                       j.size() == 4 ? j[3].get<std::string>() : std::string()};
}

} // namespace

std::string make_click_token(std::string_view secret, const TrackedLink& link) {
    ensure_sodium();
    nlohmann::json j = nlohmann::json::array({link.campaign_id, link.citizen_id, link.url});
    if (!link.topic.empty())
        j.push_back(link.topic);
    auto payload = j.dump();
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    mac_of(secret, payload, mac);
    return b64(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) + "." + b64(mac, kMacBytes);
}

std::optional<TrackedLink> read_click_token(std::string_view secret, std::string_view token) {
    ensure_sodium();
    if (token.size() > kMaxToken)
        return std::nullopt;
    auto dot = token.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    auto payload = unb64(token.substr(0, dot));
    auto mac = unb64(token.substr(dot + 1));
    if (!payload || !mac || mac->size() != kMacBytes)
        return std::nullopt;
    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    mac_of(secret, *payload, expected);
    if (sodium_memcmp(expected, mac->data(), kMacBytes) != 0)
        return std::nullopt;
    if (auto plain = read_plain_payload(*payload))
        return plain;
    return read_json_payload(*payload);
}

std::string click_url(std::string_view base_url, std::string_view secret, const TrackedLink& link) {
    std::string out(base_url);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    return out + "/r/" + make_click_token(secret, link);
}

} // namespace teilhabe::campaigns
