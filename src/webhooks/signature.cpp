#include "webhooks/signature.h"

#include <sodium.h>
#include <vector>

namespace teilhabe::webhooks {

namespace {

constexpr std::string_view kPrefix = "whsec_";
constexpr std::string_view kVersion = "v1,";

void ensure_sodium() {
    // Idempotent and thread-safe; the server calls it at start (security::init), tests may not.
    static const int ok = sodium_init();
    (void)ok;
}

std::string base64(const unsigned char* data, std::size_t len) {
    std::string out(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, len, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

} // namespace

std::string generate_secret() {
    ensure_sodium();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return std::string(kPrefix) + base64(bytes, sizeof bytes);
}

Result<std::string> secret_key(std::string_view secret) {
    if (!secret.starts_with(kPrefix))
        return fail(Error::invalid("a webhook secret starts with whsec_"));
    auto text = secret.substr(kPrefix.size());
    std::string key(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), text.data(),
                          text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len == 0)
        return fail(Error::invalid("a webhook secret is whsec_ and base64"));
    key.resize(len);
    return key;
}

Result<std::string> sign(std::string_view secret, std::string_view message_id,
                         std::int64_t timestamp_s, std::string_view body) {
    ensure_sodium();
    auto key = TRY(secret_key(secret));
    std::string content;
    content.reserve(message_id.size() + body.size() + 24);
    content.append(message_id).append(".").append(std::to_string(timestamp_s)).append(".");
    content.append(body);
    crypto_auth_hmacsha256_state state;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(content.data()),
                                  content.size());
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(key.data(), key.size());
    return std::string(kVersion) + base64(mac, sizeof mac);
}

bool verify(std::string_view secret, std::string_view message_id, std::int64_t timestamp_s,
            std::string_view body, std::string_view header) {
    auto expected = sign(secret, message_id, timestamp_s, body);
    if (!expected)
        return false;
    bool found = false;
    while (!header.empty()) {
        auto space = header.find(' ');
        auto one = header.substr(0, space);
        header = space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
        if (one.size() == expected->size() &&
            sodium_memcmp(one.data(), expected->data(), one.size()) == 0)
            found = true; // go on: the time taken does not say which one matched
    }
    return found;
}

} // namespace teilhabe::webhooks
