#include "security/crypto.h"

#include <mutex>
#include <sodium.h>
#include <vector>

namespace teilhabe::security {

namespace {

std::string to_hex(const unsigned char* data, std::size_t len) {
    std::string out(len * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, len);
    out.pop_back();
    return out;
}

const std::string& dummy_hash() {
    static const std::string hash = [] {
        auto h = hash_password(random_token(16));
        return h ? *h : std::string{};
    }();
    return hash;
}

} // namespace

Result<void> init() {
    if (sodium_init() < 0)
        return fail(Error::internal("libsodium could not be initialised"));
    return {};
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail(Error::exhausted("not enough memory to hash the password"));
    return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
    std::string h(encoded_hash);
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded_hash, PasswordCost cost) {
    std::string h(encoded_hash);
    return crypto_pwhash_str_needs_rehash(h.c_str(), cost.ops, cost.mem_bytes) != 0;
}

void verify_dummy_password(std::string_view password) {
    (void)verify_password(dummy_hash(), password);
}

std::string random_token(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return to_hex(digest, sizeof digest);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    return to_hex(mac, sizeof mac);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace teilhabe::security
