#pragma once
// `teilhabe serve` as a child process on a free loopback port, ready when /healthz answers.

#include "harness/process.h"

#include <optional>
#include <string>

namespace teilhabe::testing {

class ServerProcess {
public:
    // Migrates and serves `database_url`; extra environment (TEILHABE_*) as given.
    static Result<ServerProcess> start(const std::string& database_url,
                                       std::vector<std::pair<std::string, std::string>> env = {});
    int port() const { return m_port; }
    Process& process() { return *m_process; }
    // SIGTERM and wait: the exit code.
    int stop();

private:
    int m_port{0};
    std::optional<Process> m_process;
};

} // namespace teilhabe::testing
