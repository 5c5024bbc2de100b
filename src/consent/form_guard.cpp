#include "consent/form_guard.h"

#include "security/crypto.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::consent::guard {

namespace {

std::string signature(std::string_view secret, std::string_view issued) {
    return security::hmac_sha256_hex(secret, fmt::format("subscribe-form|{}", issued));
}

int leading_zero_bits(const std::string& hex) {
    int bits = 0;
    for (char ch : hex) {
        int v = ch >= 'a' ? ch - 'a' + 10 : ch - '0';
        if (v == 0) {
            bits += 4;
            continue;
        }
        for (int mask = 8; mask && !(v & mask); mask >>= 1)
            ++bits;
        break;
    }
    return bits;
}

} // namespace

std::string make_stamp(std::string_view secret, std::int64_t issued_ms) {
    auto issued = std::to_string(issued_ms);
    return issued + "." + signature(secret, issued);
}

std::optional<std::int64_t> read_stamp(std::string_view secret, std::string_view stamp) {
    auto dot = stamp.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 20)
        return std::nullopt;
    auto issued = stamp.substr(0, dot);
    if (!security::constant_time_equal(stamp.substr(dot + 1), signature(secret, issued)))
        return std::nullopt;
    std::int64_t ms = 0;
    auto [p, ec] = std::from_chars(issued.data(), issued.data() + issued.size(), ms);
    if (ec != std::errc{} || p != issued.data() + issued.size())
        return std::nullopt;
    return ms;
}

bool proof_of_work_ok(std::string_view stamp, std::string_view nonce, int bits) {
    if (nonce.empty() || nonce.size() > 32)
        return false;
    return leading_zero_bits(security::sha256_hex(fmt::format("{}:{}", stamp, nonce))) >= bits;
}

const char* to_string(Verdict v) {
    switch (v) {
    case Verdict::Ok: return "ok";
    case Verdict::NoStamp: return "no_stamp";
    case Verdict::Honeypot: return "honeypot";
    case Verdict::BadStamp: return "bad_stamp";
    case Verdict::TooFast: return "too_fast";
    case Verdict::Expired: return "expired";
    case Verdict::BadProofOfWork: return "bad_proof_of_work";
    }
    return "?";
}

Verdict check(std::string_view secret, const Submission& s, std::int64_t now_ms) {
    if (!s.honeypot.empty())
        return Verdict::Honeypot;
    if (s.stamp.empty())
        return Verdict::NoStamp;
    auto issued = read_stamp(secret, s.stamp);
    if (!issued || *issued > now_ms + 60'000)
        return Verdict::BadStamp;
    auto age = now_ms - *issued;
    if (age > kMaxAge.count())
        return Verdict::Expired;
    if (!s.nonce.empty()) {
        if (!proof_of_work_ok(s.stamp, s.nonce))
            return Verdict::BadProofOfWork;
        return age < kMinFill.count() ? Verdict::TooFast : Verdict::Ok;
    }
    return age < kMinFillNoScript.count() ? Verdict::TooFast : Verdict::Ok;
}

} // namespace teilhabe::consent::guard
