#pragma once
// Checks of produced mail by the real tools a receiver uses: Python's strict `email` parser
// (policy=default), python3-dkim, and SpamAssassin with local rules only.

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::mail::check {

// {"defects": [...], "content_type": "...", "headers": [[name, decoded value], ...],
//  "addresses": {"From": [display name, addr-spec], ...}, "parts": [{"type", "content"}],
//  "max_line": longest line in bytes, "bare_lf": bool, "header_max_line": ...}
nlohmann::json parse_with_python(const std::string& message);

// python3-dkim's verify() with a DNS function that answers `dns_txt` for
// <selector>._domainkey.<domain> only; "ok" or the failure reason.
std::string dkim_verify(const std::string& message, const std::string& selector,
                        const std::string& domain, const std::string& dns_txt);

// SpamAssassin's score with local tests only (-L, no Bayes, a temporary home). `report`
// receives the X-Spam-Status field.
double spamassassin_score(const std::string& message, std::string* report = nullptr);

} // namespace teilhabe::mail::check
