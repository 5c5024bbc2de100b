#pragma once
// DKIM signatures (RFC 6376): rsa-sha256, relaxed/relaxed canonicalisation, over the header
// fields receivers and RFC 8058 care about. The key is the town's; the public half is published
// as a TXT record at <selector>._domainkey.<domain> (README "E-mail and DKIM").

#include "base/clock.h"
#include "base/error.h"

#include <memory>
#include <string>
#include <string_view>

namespace teilhabe::mail {

// The fields signed when present, in this order (RFC 6376 5.4.1; RFC 8058 4 requires both
// List-Unsubscribe fields to be covered).
inline constexpr std::string_view dkim_signed_fields[] = {
    "From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"};

class DkimSigner {
public:
    // From a PEM private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"), at least 1024
    // bits (2048 recommended).
    static Result<DkimSigner> from_pem(std::string_view pem, std::string domain,
                                       std::string selector);
    static Result<DkimSigner> from_file(const std::string& path, std::string domain,
                                        std::string selector);

    DkimSigner(DkimSigner&&) noexcept;
    DkimSigner& operator=(DkimSigner&&) noexcept;
    ~DkimSigner();

    // The message (CRLF line ends, as to_mime produces it) with a DKIM-Signature header field
    // prepended. t= is `now`. InvalidArgument when the message has no header/body separator or
    // no From field.
    Result<std::string> sign(std::string_view message, TimePoint now) const;

    const std::string& domain() const { return m_domain; }
    const std::string& selector() const { return m_selector; }

private:
    struct Key;
    DkimSigner(std::unique_ptr<Key> key, std::string domain, std::string selector);
    std::unique_ptr<Key> m_key;
    std::string m_domain;
    std::string m_selector;
};

struct DkimKeyPair {
    std::string private_pem; // PKCS#8 PEM
    std::string public_b64;  // base64 DER SubjectPublicKeyInfo: the p= of the DNS record
    // The TXT record's value: "v=DKIM1; k=rsa; p=<public_b64>"
    std::string dns_txt() const { return "v=DKIM1; k=rsa; p=" + public_b64; }
};

// A fresh RSA key pair (for the demo, tests, and operators without openssl at hand).
Result<DkimKeyPair> generate_dkim_key(int bits = 2048);

// Canonicalisation, exposed for tests (RFC 6376 3.4.2 and 3.4.4).
std::string dkim_relaxed_header(std::string_view name, std::string_view raw_value);
std::string dkim_relaxed_body(std::string_view body);

} // namespace teilhabe::mail
