#pragma once
// Tests only: the aiosmtpd server of testdata/smtp_server.py on loopback, as a child process.

#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace teilhabe::delivery::testing {

struct SmtpServerOptions {
    bool tls{false}; // STARTTLS with a self-signed certificate made by openssl at start
    std::string auth; // USER:PASS
    std::vector<std::string> replies; // ADDR=REPLY
    bool recipients_only{false};
    bool pipelining{false}; // offer PIPELINING
};

class SmtpTestServer {
public:
    explicit SmtpTestServer(SmtpServerOptions options = {});
    ~SmtpTestServer();
    bool ok() const { return m_port != 0; }
    int port() const { return m_port; }
    std::string url(const std::string& userinfo = {}) const;
    const std::string& cert_file() const { return m_cert; }
    // Every message received so far, in order.
    std::vector<nlohmann::json> received() const;

private:
    std::string m_dir, m_out, m_cert;
    pid_t m_pid{0};
    int m_stdin{-1};
    int m_port{0};
};

// A fresh temporary folder (mkdtemp).
std::string temp_dir();

} // namespace teilhabe::delivery::testing
