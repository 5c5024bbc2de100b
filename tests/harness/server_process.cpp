#include "harness/server_process.h"

#include "harness/http_client.h"

#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <thread>

namespace teilhabe::testing {

Result<ServerProcess> ServerProcess::start(const std::string& database_url,
                                           std::vector<std::pair<std::string, std::string>> env) {
    ServerProcess s;
    s.m_port = free_port();
    env.emplace_back("TEILHABE_DATABASE", database_url);
    env.emplace_back("TEILHABE_LISTEN", fmt::format("127.0.0.1:{}", s.m_port));
    env.emplace_back("TEILHABE_BASE_URL", fmt::format("http://127.0.0.1:{}", s.m_port));
    env.emplace_back("TEILHABE_THREADS", "4");
    s.m_process.emplace(TRY(Process::start({.argv = {teilhabe_binary(), "serve"}, .env = env})));
    // Readiness: poll the health check until the server answers (bounded; not a timing
    // assumption about the code under test).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!s.m_process->running())
            return fail(Error::unavailable("teilhabe serve exited early:\n" + s.m_process->output()));
        if (http_get(s.m_port, "/healthz").status == 200)
            return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return fail(Error::unavailable("teilhabe serve did not become ready:\n" + s.m_process->output()));
}

int ServerProcess::stop() {
    m_process->signal(SIGTERM);
    return m_process->wait();
}

} // namespace teilhabe::testing
