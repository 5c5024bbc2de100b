#include "security/totp.h"

#include "security/crypto.h"

#include <cctype>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

namespace teilhabe::security {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string uri_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

std::string base32_encode(const std::vector<unsigned char>& bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
    std::vector<unsigned char> out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char ch : text) {
        if (ch == ' ' || ch == '-' || ch == '=')
            continue;
        auto pos = kAlphabet.find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
        if (pos == std::string_view::npos)
            return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(pos);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

std::string new_totp_secret() {
    std::vector<unsigned char> key(20);
    randombytes_buf(key.data(), key.size());
    return base32_encode(key);
}

std::string hotp(const std::vector<unsigned char>& key, std::uint64_t counter) {
    unsigned char msg[8];
    for (int i = 7; i >= 0; --i) {
        msg[i] = static_cast<unsigned char>(counter & 0xFF);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg, sizeof msg, mac, &len);
    int offset = mac[len - 1] & 0x0F;
    std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                        (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                        (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                        static_cast<std::uint32_t>(mac[offset + 3]);
    std::string code = std::to_string(bin % 1'000'000);
    return std::string(kTotpDigits - code.size(), '0') + code;
}

std::int64_t totp_step(std::int64_t unix_ms) {
    return unix_ms / 1000 / kTotpStepSeconds;
}

std::string totp_at(std::string_view secret_base32, std::int64_t unix_ms) {
    auto key = base32_decode(secret_base32);
    if (!key || key->empty())
        return {};
    return hotp(*key, static_cast<std::uint64_t>(totp_step(unix_ms)));
}

std::optional<std::int64_t> totp_verify(std::string_view secret_base32, std::string_view code,
                                        std::int64_t unix_ms) {
    std::string digits;
    for (char ch : code)
        if (ch != ' ' && ch != '-')
            digits += ch;
    if (digits.size() != static_cast<std::size_t>(kTotpDigits))
        return std::nullopt;
    auto key = base32_decode(secret_base32);
    if (!key || key->empty())
        return std::nullopt;
    auto now = totp_step(unix_ms);
    std::optional<std::int64_t> found;
    // Every candidate is computed and compared in constant time, so the time taken does not
    // say which step matched.
    for (std::int64_t step = now - 1; step <= now + 1; ++step)
        if (constant_time_equal(hotp(*key, static_cast<std::uint64_t>(step)), digits) && !found)
            found = step;
    return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32) {
    return "otpauth://totp/" + uri_encode(issuer) + ":" + uri_encode(account) +
           "?secret=" + std::string(secret_base32) + "&issuer=" + uri_encode(issuer) +
           "&algorithm=SHA1&digits=6&period=30";
}

std::string grouped(std::string_view secret_base32) {
    std::string out;
    for (std::size_t i = 0; i < secret_base32.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out += ' ';
        out += secret_base32[i];
    }
    return out;
}

} // namespace teilhabe::security
