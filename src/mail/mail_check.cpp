#include "mail/mail_check.h"

#include "harness/process.h"

#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>

namespace teilhabe::mail::check {

namespace {

constexpr const char* parse_script = R"PY(
import sys, json, email, email.policy, email.header
raw = sys.stdin.buffer.read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
defects = [repr(d) for d in msg.defects]
headers, addresses = [], {}
for k, v in msg.items():
    headers.append([k, str(v)])
    defects += [repr(d) for d in getattr(v, "defects", ())]
    if k in ("From", "To", "Reply-To"):
        a = v.addresses[0]
        addresses[k] = [a.display_name, a.addr_spec]
rfc2047 = {k: str(email.header.make_header(email.header.decode_header(v.replace("\r\n", ""))))
           for k, v in msg.raw_items()}
parts = []
for part in msg.walk():
    defects += [repr(d) for d in part.defects]
    if part.is_multipart():
        continue
    parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                  "cte": part.get("Content-Transfer-Encoding"),
                  "content": part.get_content().replace("\r\n", "\n")})
head = raw.split(b"\r\n\r\n", 1)[0]
print(json.dumps({
    "defects": defects, "content_type": msg.get_content_type(), "headers": headers,
    "addresses": addresses, "parts": parts, "rfc2047": rfc2047,
    "max_line": max(len(l) for l in raw.split(b"\r\n")),
    "header_max_line": max(len(l) for l in head.split(b"\r\n")),
    "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
    "ends_crlf": raw.endswith(b"\r\n"),
}))
)PY";

constexpr const char* dkim_script = R"PY(
import sys, dkim
selector, domain, txt = sys.argv[1], sys.argv[2], sys.argv[3].encode()
asked = []
def dnsfunc(name, timeout=5, **kw):
    asked.append(name)
    return txt if name == (selector + "._domainkey." + domain + ".").encode() else None
raw = sys.stdin.buffer.read()
ok = dkim.verify(raw, dnsfunc=dnsfunc)
print("ok" if ok else "fail: asked for " + repr(asked))
)PY";

std::string last_line(const std::string& s) {
    auto end = s.find_last_not_of('\n');
    if (end == std::string::npos)
        return {};
    auto start = s.rfind('\n', end);
    return s.substr(start == std::string::npos ? 0 : start + 1,
                    end - (start == std::string::npos ? 0 : start + 1) + 1);
}

} // namespace

nlohmann::json parse_with_python(const std::string& message) {
    auto r = teilhabe::testing::run({{TEILHABE_PYTHON, "-c", parse_script}, {}, message});
    auto j = nlohmann::json::parse(last_line(r.output), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.output;
    return j.is_discarded() ? nlohmann::json::object() : j;
}

std::string dkim_verify(const std::string& message, const std::string& selector,
                        const std::string& domain, const std::string& dns_txt) {
    auto r = teilhabe::testing::run(
        {{TEILHABE_PYTHON, "-c", dkim_script, selector, domain, dns_txt}, {}, message});
    auto line = last_line(r.output);
    return line == "ok" ? line : r.output;
}

double spamassassin_score(const std::string& message, std::string* report) {
    auto home = std::filesystem::temp_directory_path() /
                ("teilhabe-sa-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    std::filesystem::create_directories(home);
    // -L: local tests only (no DNS blocklists, no Razor/Pyzor); Bayes and auto-learning off so
    // that the score depends on the message alone.
    auto r = teilhabe::testing::run(
        {{TEILHABE_SPAMASSASSIN, "-L", "-t", "--cf=use_bayes 0", "--cf=bayes_auto_learn 0"},
         {{"HOME", home.string()}},
         message});
    std::filesystem::remove_all(home);
    auto pos = r.output.find("X-Spam-Status:");
    EXPECT_NE(pos, std::string::npos) << r.output;
    if (pos == std::string::npos)
        return 1000;
    auto end = r.output.find("version=", pos);
    if (report)
        *report = r.output.substr(pos, end - pos);
    auto score = r.output.find("score=", pos);
    return std::strtod(r.output.c_str() + score + 6, nullptr);
}

} // namespace teilhabe::mail::check
