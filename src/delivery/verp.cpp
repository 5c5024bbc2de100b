#include "delivery/verp.h"

#include "security/crypto.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::delivery {

namespace {
std::string mac_of(std::int64_t id, std::string_view secret) {
    return security::hmac_sha256_hex(secret, fmt::format("outbox:{}", id)).substr(0, 16);
}
} // namespace

std::string verp_address(std::int64_t outbox_id, std::string_view secret, std::string_view domain) {
    return fmt::format("bounce+{}-{}@{}", outbox_id, mac_of(outbox_id, secret), domain);
}

std::optional<std::int64_t> parse_verp(std::string_view text, std::string_view secret) {
    for (auto pos = text.find("bounce+"); pos != std::string_view::npos;
         pos = text.find("bounce+", pos + 1)) {
        auto rest = text.substr(pos + 7);
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
        if (ec != std::errc() || p == rest.data() + rest.size() || *p != '-')
            continue;
        auto mac = rest.substr(static_cast<std::size_t>(p - rest.data()) + 1, 16);
        if (mac.size() == 16 && security::constant_time_equal(mac, mac_of(id, secret)))
            return id;
    }
    return std::nullopt;
}

std::string bare_address(std::string_view mailbox) {
    auto open = mailbox.rfind('<');
    auto close = mailbox.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        mailbox = mailbox.substr(open + 1, close - open - 1);
    while (!mailbox.empty() && (mailbox.front() == ' ' || mailbox.front() == '\t'))
        mailbox.remove_prefix(1);
    while (!mailbox.empty() && (mailbox.back() == ' ' || mailbox.back() == '\t'))
        mailbox.remove_suffix(1);
    return std::string(mailbox);
}

std::string domain_of(std::string_view address) {
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string{} : std::string(address.substr(at + 1));
}

} // namespace teilhabe::delivery
