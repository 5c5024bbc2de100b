#include "campaigns/tracking.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace teilhabe::campaigns {

namespace {

constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMaxToken = 8192;
// Signed before the payload: a token for another purpose signed with the same secret never
// passes as a click token.
constexpr std::string_view kClickPurpose = "teilhabe click v1\n";

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

// Unpadded base64url, as sodium_base642bin reads it (an unknown character, a length that leaves
// one character over, or bits left over that are not zero refuse the text), by table: the
// token is public, so nothing here needs libsodium's constant-time decoder, which was a
// measurable share of the redirect.
std::optional<std::string> unb64(std::string_view text) {
    static constexpr auto kValue = [] {
        std::array<std::int8_t, 256> t{};
        t.fill(-1);
        constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (std::size_t i = 0; i < kAlphabet.size(); ++i)
            t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
        return t;
    }();
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : text) {
        auto v = kValue[static_cast<unsigned char>(ch)];
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

// The HMAC state after the key and the purpose: the same for every token of an installation,
// so each thread keeps it for the last secret it saw instead of hashing the key's two pads for
// every link of every message rendered.
crypto_auth_hmacsha256_state keyed_state(std::string_view secret) {
    thread_local std::string cached_secret;
    thread_local crypto_auth_hmacsha256_state cached{};
    thread_local bool ready = false;
    if (!ready || cached_secret != secret) {
        crypto_auth_hmacsha256_init(&cached, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
        crypto_auth_hmacsha256_update(&cached, reinterpret_cast<const unsigned char*>(kClickPurpose.data()),
                                      kClickPurpose.size());
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

// The redirect's check of a token: the same HMAC-SHA-256 on OpenSSL's SHA-256, which uses the
// CPU's SHA instructions where it has them (libsodium's does not; its HMAC was the largest part
// of reading a token). Signing stays with libsodium (mac_of), so every round trip in the tests
// checks the two implementations against each other. Per thread, as keyed_state: the contexts
// after the key's inner pad and the purpose, and after its outer pad, for the last secret seen.
class CheckingMac {
public:
    CheckingMac() : m_inner(EVP_MD_CTX_new()), m_outer(EVP_MD_CTX_new()), m_work(EVP_MD_CTX_new()) {}
    ~CheckingMac() {
        EVP_MD_CTX_free(m_inner);
        EVP_MD_CTX_free(m_outer);
        EVP_MD_CTX_free(m_work);
    }
    CheckingMac(const CheckingMac&) = delete;
    CheckingMac& operator=(const CheckingMac&) = delete;

    bool compute(std::string_view secret, std::string_view payload, unsigned char (&mac)[32]) {
        if (!m_inner || !m_outer || !m_work)
            return false;
        if (!m_ready || m_secret != secret) {
            m_ready = key(secret);
            m_secret.assign(secret);
            if (!m_ready)
                return false;
        }
        unsigned char inner[32];
        unsigned int n = 0;
        return EVP_MD_CTX_copy_ex(m_work, m_inner) == 1 &&
               EVP_DigestUpdate(m_work, payload.data(), payload.size()) == 1 &&
               EVP_DigestFinal_ex(m_work, inner, &n) == 1 && EVP_MD_CTX_copy_ex(m_work, m_outer) == 1 &&
               EVP_DigestUpdate(m_work, inner, sizeof inner) == 1 && EVP_DigestFinal_ex(m_work, mac, &n) == 1;
    }

private:
    bool key(std::string_view secret) {
        unsigned char k[64] = {};
        unsigned int n = 0;
        if (secret.size() > sizeof k) { // RFC 2104: a longer key is hashed first
            if (EVP_Digest(secret.data(), secret.size(), k, &n, EVP_sha256(), nullptr) != 1)
                return false;
        } else {
            std::copy(secret.begin(), secret.end(), k);
        }
        unsigned char pad[64];
        for (std::size_t i = 0; i < sizeof pad; ++i)
            pad[i] = k[i] ^ 0x36;
        bool ok = EVP_DigestInit_ex(m_inner, EVP_sha256(), nullptr) == 1 && EVP_DigestUpdate(m_inner, pad, sizeof pad) == 1 &&
                  EVP_DigestUpdate(m_inner, kClickPurpose.data(), kClickPurpose.size()) == 1;
        for (std::size_t i = 0; i < sizeof pad; ++i)
            pad[i] = k[i] ^ 0x5c;
        ok = ok && EVP_DigestInit_ex(m_outer, EVP_sha256(), nullptr) == 1 &&
             EVP_DigestUpdate(m_outer, pad, sizeof pad) == 1;
        OPENSSL_cleanse(k, sizeof k);
        OPENSSL_cleanse(pad, sizeof pad);
        return ok;
    }

    EVP_MD_CTX* m_inner;
    EVP_MD_CTX* m_outer;
    EVP_MD_CTX* m_work;
    std::string m_secret;
    bool m_ready{false};
};

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
    if (token.size() > kMaxToken)
        return std::nullopt;
    auto dot = token.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    auto payload = unb64(token.substr(0, dot));
    auto mac = unb64(token.substr(dot + 1));
    if (!payload || !mac || mac->size() != kMacBytes)
        return std::nullopt;
    thread_local CheckingMac checking;
    unsigned char expected[32];
    if (!checking.compute(secret, *payload, expected) || CRYPTO_memcmp(expected, mac->data(), kMacBytes) != 0)
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
