#include "consent/unsubscribe.h"

#include "security/crypto.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::consent {

namespace {

// 128 bits of the HMAC: forging one link takes 2^128 tries.
constexpr std::size_t kSignatureHex = 32;

std::string sign(std::string_view secret, std::string_view payload) {
    return security::hmac_sha256_hex(secret, fmt::format("unsubscribe|{}", payload))
        .substr(0, kSignatureHex);
}

std::optional<std::int64_t> number(std::string_view s) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || n < 0)
        return std::nullopt;
    return n;
}

std::string trim_slash(std::string_view base) {
    while (!base.empty() && base.back() == '/')
        base.remove_suffix(1);
    return std::string(base);
}

} // namespace

std::string unsubscribe_token(std::string_view secret, std::int64_t citizen_id,
                              std::int64_t campaign_id, const std::vector<std::int64_t>& topic_ids) {
    auto payload = fmt::format("{}.{}.{}", citizen_id, campaign_id, fmt::join(topic_ids, "-"));
    return payload + "." + sign(secret, payload);
}

std::optional<UnsubscribeClaim> verify_unsubscribe_token(std::string_view secret,
                                                         std::string_view token) {
    if (token.size() > 2000)
        return std::nullopt;
    auto last = token.rfind('.');
    if (last == std::string_view::npos)
        return std::nullopt;
    auto payload = token.substr(0, last);
    if (!security::constant_time_equal(token.substr(last + 1), sign(secret, payload)))
        return std::nullopt;
    auto d1 = payload.find('.');
    auto d2 = d1 == std::string_view::npos ? d1 : payload.find('.', d1 + 1);
    if (d2 == std::string_view::npos)
        return std::nullopt;
    auto citizen = number(payload.substr(0, d1));
    auto campaign = number(payload.substr(d1 + 1, d2 - d1 - 1));
    if (!citizen || !campaign || *citizen == 0)
        return std::nullopt;
    UnsubscribeClaim claim{*citizen, *campaign, {}};
    auto topics = payload.substr(d2 + 1);
    while (!topics.empty()) {
        auto dash = topics.find('-');
        auto id = number(topics.substr(0, dash));
        if (!id)
            return std::nullopt;
        claim.topic_ids.push_back(*id);
        topics = dash == std::string_view::npos ? std::string_view{} : topics.substr(dash + 1);
    }
    return claim;
}

std::string unsubscribe_url(std::string_view base_url, std::string_view token) {
    return fmt::format("{}/unsubscribe/{}", trim_slash(base_url), token);
}

std::string one_click_url(std::string_view base_url, std::string_view token) {
    return unsubscribe_url(base_url, token);
}

} // namespace teilhabe::consent
