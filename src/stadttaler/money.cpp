#include "stadttaler/money.h"

#include "security/crypto.h"

#include <fmt/format.h>

namespace teilhabe::stadttaler {

namespace {
constexpr std::int64_t kMaxAmount = 1'000'000; // 10,000.00
}

Result<std::int64_t> parse_amount(std::string_view t, std::string_view field) {
    auto bad = [&] {
        return fail(Error::invalid("An amount like 12,50 is expected.", std::string(field)));
    };
    while (!t.empty() && (t.front() == ' '))
        t.remove_prefix(1);
    for (std::string_view suffix : {"€", "EUR", " "})
        while (t.ends_with(suffix))
            t.remove_suffix(suffix.size());
    std::int64_t euros = 0, cents = 0;
    int digits_before = 0, digits_after = -1;
    for (char c : t) {
        if (c == ',' || c == '.') {
            if (digits_after >= 0 || digits_before == 0)
                return bad();
            digits_after = 0;
        } else if (c >= '0' && c <= '9') {
            if (digits_after < 0) {
                if (++digits_before > 7)
                    return bad();
                euros = euros * 10 + (c - '0');
            } else {
                if (++digits_after > 2)
                    return bad();
                cents = cents * 10 + (c - '0');
            }
        } else {
            return bad();
        }
    }
    if (digits_before == 0 || digits_after == 0)
        return bad();
    if (digits_after == 1)
        cents *= 10;
    auto total = euros * 100 + cents;
    if (total <= 0 || total > kMaxAmount)
        return fail(Error::invalid("The amount must be between 0,01 and 10.000,00.",
                                   std::string(field)));
    return total;
}

std::string format_cents(std::int64_t cents, bool english) {
    auto sign = cents < 0 ? "-" : "";
    auto abs = cents < 0 ? -cents : cents;
    if (english)
        return fmt::format("{}€{}.{:02}", sign, abs / 100, abs % 100);
    return fmt::format("{}{},{:02} €", sign, abs / 100, abs % 100);
}

std::string csv_cents(std::int64_t cents) {
    auto abs = cents < 0 ? -cents : cents;
    return fmt::format("{}{},{:02}", cents < 0 ? "-" : "", abs / 100, abs % 100);
}

std::string sign(std::string_view secret, std::string_view body) {
    return "sha256=" + security::hmac_sha256_hex(secret, body);
}

bool signature_ok(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty())
        return false;
    return security::constant_time_equal(sign(secret, body), header);
}

} // namespace teilhabe::stadttaler
