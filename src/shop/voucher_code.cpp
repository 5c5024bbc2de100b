#include "shop/voucher_code.h"

#include <array>
#include <sodium.h>

namespace teilhabe::shop {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford

int value_of(char c) {
    auto pos = kAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Multiplication by the field element x in GF(2^5) with the modulus x^5 + x^2 + 1.
int times_x(int r) {
    r <<= 1;
    if (r & 0x20)
        r ^= 0x25;
    return r;
}

// Damm's quasigroup r * d = x·r + d (addition in GF(32) is XOR). It is totally anti-symmetric
// because x is neither 0 nor 1: (c*a)*b = (c*b)*a implies a = b, so a swap of neighbours changes
// the result; and it is a quasigroup, so a changed symbol does too.
int step(int r, int d) { return times_x(r) ^ d; }

} // namespace

char check_symbol(std::string_view symbols) {
    int r = 0;
    for (char c : symbols)
        r = step(r, value_of(c));
    // The check symbol c makes the whole code end at 0: x·r + c = 0, so c = x·r.
    return kAlphabet[static_cast<std::size_t>(times_x(r))];
}

bool check_ok(std::string_view code) {
    int r = 0;
    for (char c : code) {
        int v = value_of(c);
        if (v < 0)
            return false;
        r = step(r, v);
    }
    return !code.empty() && r == 0;
}

std::string new_code() {
    std::array<unsigned char, 12> bytes{}; // 96 bits, of which 95 are used
    randombytes_buf(bytes.data(), bytes.size());
    std::string out;
    unsigned bits = 0, acc = 0;
    std::size_t i = 0;
    while (out.size() < kCodeSymbols - 1) {
        if (bits < 5) {
            acc = (acc << 8) | bytes[i++];
            bits += 8;
        }
        bits -= 5;
        out += kAlphabet[(acc >> bits) & 31u];
    }
    out += check_symbol(out);
    return out;
}

Result<std::string> normalise_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (value_of(c) < 0)
            return fail(Error::invalid("The code has a character that codes do not use.", "code"));
        out += c;
        if (out.size() > kCodeSymbols)
            break;
    }
    if (out.size() != kCodeSymbols)
        return fail(Error::invalid("A code has 20 characters.", "code"));
    if (!check_ok(out))
        return fail(Error::invalid("The code is mistyped: its check character does not match.",
                                   "code"));
    return out;
}

std::string format_code(std::string_view code) {
    std::string out;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out += '-';
        out += code[i];
    }
    return out;
}

} // namespace teilhabe::shop
