#include "delivery/smtp_test_server.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace teilhabe::delivery::testing {

std::string temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "teilhabe-smtp-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
        return {};
    return tmpl;
}

SmtpTestServer::SmtpTestServer(SmtpServerOptions options) {
    m_dir = temp_dir();
    m_out = m_dir + "/received.jsonl";
    std::vector<std::string> args = {"/usr/bin/python3", TEILHABE_SMTP_TEST_SERVER, "--out", m_out};
    if (options.tls) {
        m_cert = m_dir + "/cert.pem";
        auto key = m_dir + "/key.pem";
        auto cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                   "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
                   key + " -out " + m_cert + " 2>/dev/null";
        if (std::system(cmd.c_str()) != 0)
            return;
        args.insert(args.end(), {"--tls-cert", m_cert, "--tls-key", key});
    }
    if (!options.auth.empty())
        args.insert(args.end(), {"--auth", options.auth});
    for (const auto& r : options.replies)
        args.insert(args.end(), {"--reply", r});
    if (options.recipients_only)
        args.push_back("--recipients-only");
    if (options.pipelining)
        args.push_back("--pipelining");
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return;
    m_pid = fork();
    if (m_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    m_stdin = in[1];
    FILE* f = fdopen(out[0], "r");
    char line[128];
    if (f && fgets(line, sizeof line, f))
        std::sscanf(line, "PORT %d", &m_port);
    if (f)
        fclose(f);
}

SmtpTestServer::~SmtpTestServer() {
    if (m_stdin >= 0)
        close(m_stdin); // the server stops when its stdin closes
    if (m_pid > 0) { // no waiting for a graceful stop: the test is over
        kill(m_pid, SIGKILL);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
    if (!m_dir.empty())
        std::filesystem::remove_all(m_dir);
}

std::string SmtpTestServer::url(const std::string& userinfo) const {
    return "smtp://" + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" + std::to_string(m_port);
}

std::vector<nlohmann::json> SmtpTestServer::received() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(m_out);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty())
            out.push_back(nlohmann::json::parse(line));
    return out;
}

} // namespace teilhabe::delivery::testing
