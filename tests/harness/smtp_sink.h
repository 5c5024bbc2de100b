#pragma once
// An SMTP server on 127.0.0.1 for mail tests: tests/harness/smtp_sink.py (Debian's
// python3-aiosmtpd) as a child process that stores every accepted message in a temporary
// folder, once per accepted recipient.
//
// Faults by the local part of a recipient address, answered at RCPT TO:
//   tempfail…@example  ->  451 4.3.0 try again later
//   reject…@example    ->  550 5.1.1 no such user

#include "harness/process.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::testing {

struct SmtpMessage {
    std::string raw;                   // the DATA bytes as received (CRLF, dot-unstuffed)
    std::string mail_from;             // envelope sender (MAIL FROM)
    std::string rcpt_to;               // the envelope recipient this copy was stored for
    std::vector<std::string> rcpt_tos; // every accepted recipient of the same transaction
    std::string peer;                  // "127.0.0.1:PORT" of the client
    std::string received;              // UTC, ISO 8601
    std::string name;                  // file stem in the sink folder, "NNNNNN-I"

    // The first header field of that name (case-insensitive), unfolded; "" when absent.
    std::string header(std::string_view name) const;
    // Everything after the blank line that ends the header section.
    std::string body() const;
};

class SmtpSink {
public:
    // Starts the sink on a free port and waits (bounded) until it listens.
    static Result<SmtpSink> start();
    SmtpSink(SmtpSink&& other) noexcept;
    SmtpSink& operator=(SmtpSink&&) = delete;
    ~SmtpSink(); // stops the sink and removes its folder

    int port() const { return m_port; }
    std::string url() const; // smtp://127.0.0.1:PORT
    const std::string& dir() const { return m_dir; }
    Process& process() { return *m_process; }

    // Stored messages in arrival order, and within one transaction in recipient order.
    std::vector<SmtpMessage> messages() const;
    // How many messages are stored (cheap: counts files, reads none).
    std::size_t count() const;
    // Polls until at least `n` messages are stored; false when the timeout passes first.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    // SIGTERM and wait: the exit code (0 on a clean stop).
    int stop();

private:
    SmtpSink() = default;
    int m_port{0};
    std::string m_dir;
    std::optional<Process> m_process;
};

// The script, found in the source tree this build was configured from.
std::string smtp_sink_script();

} // namespace teilhabe::testing
