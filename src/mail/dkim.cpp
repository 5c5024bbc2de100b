#include "mail/dkim.h"

#include "mail/mime.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sstream>
#include <vector>

namespace teilhabe::mail {

struct DkimSigner::Key {
    EVP_PKEY* pkey{nullptr};
    ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct Field {
    std::string name;
    std::string_view value; // raw, after the colon, with folding
};

// Splits "header CRLF CRLF body" into fields and the body.
Result<std::pair<std::vector<Field>, std::string_view>> split_message(std::string_view msg) {
    auto end = msg.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return fail(Error::invalid("the message has no blank line between header and body"));
    std::string_view head = msg.substr(0, end + 2);
    std::vector<Field> fields;
    std::size_t pos = 0;
    while (pos < head.size()) {
        // A field runs until a CRLF not followed by WSP.
        std::size_t stop = pos;
        for (;;) {
            stop = head.find("\r\n", stop);
            if (stop == std::string_view::npos || stop + 2 >= head.size() ||
                !is_wsp(head[stop + 2]))
                break;
            stop += 2;
        }
        if (stop == std::string_view::npos)
            stop = head.size();
        auto field = head.substr(pos, stop - pos);
        auto colon = field.find(':');
        if (colon == std::string_view::npos)
            return fail(Error::invalid("a header line has no colon"));
        fields.push_back({std::string(field.substr(0, colon)), field.substr(colon + 1)});
        pos = stop + 2;
    }
    return std::pair{std::move(fields), msg.substr(end + 4)};
}

std::string sha256(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(digest), len);
}

} // namespace

std::string dkim_relaxed_header(std::string_view name, std::string_view raw_value) {
    std::string out = lower(name);
    // Field names may carry trailing WSP before the colon.
    while (!out.empty() && is_wsp(out.back()))
        out.pop_back();
    out += ':';
    std::string value;
    bool pending_space = false;
    for (char c : raw_value) {
        if (c == '\r' || c == '\n')
            continue; // unfold
        if (is_wsp(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space && !value.empty())
            value += ' ';
        pending_space = false;
        value += c;
    }
    out += value;
    out += "\r\n";
    return out;
}

std::string dkim_relaxed_body(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    std::size_t pos = 0;
    std::size_t blank_run_start = std::string::npos; // where trailing empty lines begin
    while (pos < body.size()) {
        auto nl = body.find("\r\n", pos);
        auto line = body.substr(pos, (nl == std::string_view::npos ? body.size() : nl) - pos);
        std::string canon;
        bool space = false;
        for (char c : line) {
            if (is_wsp(c)) {
                space = true;
                continue;
            }
            if (space)
                canon += ' ';
            space = false;
            canon += c;
        }
        if (canon.empty()) {
            if (blank_run_start == std::string::npos)
                blank_run_start = out.size();
        } else {
            blank_run_start = std::string::npos;
        }
        out += canon;
        out += "\r\n";
        if (nl == std::string_view::npos)
            break;
        pos = nl + 2;
    }
    if (blank_run_start != std::string::npos)
        out.resize(blank_run_start);
    return out;
}

DkimSigner::DkimSigner(std::unique_ptr<Key> key, std::string domain, std::string selector)
    : m_key(std::move(key)), m_domain(std::move(domain)), m_selector(std::move(selector)) {}
DkimSigner::DkimSigner(DkimSigner&&) noexcept = default;
DkimSigner& DkimSigner::operator=(DkimSigner&&) noexcept = default;
DkimSigner::~DkimSigner() = default;

Result<DkimSigner> DkimSigner::from_pem(std::string_view pem, std::string domain,
                                        std::string selector) {
    auto bad = [](char c) {
        return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_');
    };
    if (domain.empty() || selector.empty() || std::any_of(domain.begin(), domain.end(), bad) ||
        std::any_of(selector.begin(), selector.end(), bad))
        return fail(Error::invalid("DKIM domain and selector must be DNS labels", "dkim"));
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    auto key = std::make_unique<Key>();
    key->pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key->pkey || EVP_PKEY_base_id(key->pkey) != EVP_PKEY_RSA)
        return fail(Error::invalid("the DKIM key is not a PEM RSA private key", "dkim"));
    if (EVP_PKEY_bits(key->pkey) < 1024)
        return fail(Error::invalid("the DKIM key has fewer than 1024 bits", "dkim"));
    return DkimSigner(std::move(key), std::move(domain), std::move(selector));
}

Result<DkimSigner> DkimSigner::from_file(const std::string& path, std::string domain,
                                         std::string selector) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(Error::invalid(fmt::format("cannot read the DKIM key {}", path), "dkim"));
    std::stringstream ss;
    ss << in.rdbuf();
    return from_pem(ss.str(), std::move(domain), std::move(selector));
}

// RFC 6376 5: hash the canonical body, then sign the canonical signed fields followed by the
// DKIM-Signature field itself with an empty b=.
Result<std::string> DkimSigner::sign(std::string_view message, TimePoint now) const {
    auto [fields, body] = TRY(split_message(message));
    std::string signed_names, canon_headers;
    for (auto name : dkim_signed_fields) {
        // The last instance of a field is the one signed (RFC 6376 5.4.2).
        auto it = std::find_if(fields.rbegin(), fields.rend(),
                               [&](const Field& f) { return lower(f.name) == lower(name); });
        if (it == fields.rend())
            continue;
        canon_headers += dkim_relaxed_header(it->name, it->value);
        if (!signed_names.empty())
            signed_names += ':';
        signed_names += lower(name);
    }
    if (signed_names.find("from") != 0)
        return fail(Error::invalid("the message has no From field to sign"));
    auto bh = base64(sha256(dkim_relaxed_body(body)));
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::string header = fold_header(fmt::format(
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={}; s={}; t={}; h={}; bh={}; b=",
        m_domain, m_selector, seconds, signed_names, bh));
    header.resize(header.size() - 2); // without CRLF, as it is signed
    auto colon = header.find(':');
    std::string to_sign =
        canon_headers + dkim_relaxed_header(header.substr(0, colon), header.substr(colon + 1));
    to_sign.resize(to_sign.size() - 2); // RFC 6376 3.7: the signature field without its CRLF

    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::string sig;
    std::size_t len = 0;
    bool ok =
        ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key->pkey) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(to_sign.data()),
                       to_sign.size()) == 1;
    if (ok) {
        sig.resize(len);
        ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                            reinterpret_cast<const unsigned char*>(to_sign.data()),
                            to_sign.size()) == 1;
        sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return fail(Error::internal("OpenSSL could not sign the message"));
    // The signature in lines of 72 characters; verifiers drop the folding whitespace in b=.
    auto b = base64(sig);
    std::string out = header;
    auto last_line =
        header.size() - (header.rfind('\n') == std::string::npos ? 0 : header.rfind('\n') + 1);
    std::size_t first = last_line < 78 ? 78 - last_line : 0;
    out += b.substr(0, first);
    for (std::size_t i = first; i < b.size(); i += 76)
        out += "\r\n\t" + b.substr(i, 76);
    out += "\r\n";
    out.append(message);
    return out;
}

Result<DkimKeyPair> generate_dkim_key(int bits) {
    EVP_PKEY* pkey = EVP_RSA_gen(static_cast<unsigned>(bits));
    if (!pkey)
        return fail(Error::internal("OpenSSL could not generate an RSA key"));
    DkimKeyPair pair;
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    pair.private_pem.assign(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    unsigned char* der = nullptr;
    int der_len = i2d_PUBKEY(pkey, &der);
    EVP_PKEY_free(pkey);
    if (der_len <= 0)
        return fail(Error::internal("OpenSSL could not encode the public key"));
    pair.public_b64 =
        base64(std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_len)));
    OPENSSL_free(der);
    return pair;
}

} // namespace teilhabe::mail
