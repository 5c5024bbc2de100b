#include "campaigns/tracking.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

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

void mac_of(std::string_view secret, std::string_view payload, unsigned char (&mac)[crypto_auth_hmacsha256_BYTES]) {
    crypto_auth_hmacsha256_state st;
    // The key is the installation secret with a purpose prefix: a token for another purpose
    // signed with the same secret never passes here.
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    constexpr std::string_view kPurpose = "teilhabe click v1\n";
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
    crypto_auth_hmacsha256_final(&st, mac);
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
    auto j = nlohmann::json::parse(*payload, nullptr, false);
    if (!j.is_array() || j.size() < 3 || j.size() > 4 || !j[0].is_number_integer() || !j[1].is_number_integer() ||
        !j[2].is_string() || (j.size() == 4 && !j[3].is_string()))
        return std::nullopt;
    TrackedLink out{j[0].get<std::int64_t>(), j[1].get<std::int64_t>(), j[2].get<std::string>(),
                    j.size() == 4 ? j[3].get<std::string>() : std::string()};
    return out;
}

std::string click_url(std::string_view base_url, std::string_view secret, const TrackedLink& link) {
    std::string out(base_url);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    return out + "/r/" + make_click_token(secret, link);
}

} // namespace teilhabe::campaigns
