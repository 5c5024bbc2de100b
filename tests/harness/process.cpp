#include "harness/process.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace teilhabe::testing {

namespace {

std::string output_file() {
    static std::atomic<int> counter{0};
    auto path = std::filesystem::temp_directory_path() /
                fmt::format("teilhabe_proc_{}_{}.log", ::getpid(), counter++);
    return path.string();
}

// The child: environment merged, stdin from a pipe, stdout+stderr into the log file.
[[noreturn]] void exec_child(const ProcessOptions& o, int stdin_fd, int out_fd) {
    ::dup2(stdin_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(out_fd, STDERR_FILENO);
    for (auto& [k, v] : o.env)
        ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : o.argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
}

} // namespace

Result<Process> Process::start(ProcessOptions options) {
    Process p;
    p.m_output_path = output_file();
    int out_fd = ::open(p.m_output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int pipe_fds[2];
    if (out_fd < 0 || ::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return fail(Error::internal("cannot create the output file or pipe of a child process"));
    pid_t pid = ::fork();
    if (pid < 0)
        return fail(Error::internal("fork failed"));
    if (pid == 0)
        exec_child(options, pipe_fds[0], out_fd);
    ::close(out_fd);
    ::close(pipe_fds[0]);
    std::signal(SIGPIPE, SIG_IGN);
    std::string_view data = options.stdin_data;
    while (!data.empty()) {
        auto n = ::write(pipe_fds[1], data.data(), data.size());
        if (n <= 0)
            break;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[1]);
    p.m_pid = pid;
    return p;
}

Process::Process(Process&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_status(other.m_status),
      m_output_path(std::move(other.m_output_path)) {}

Process::~Process() {
    if (m_pid > 0 && running()) {
        ::kill(m_pid, SIGKILL);
        wait();
    }
    if (!m_output_path.empty()) {
        std::error_code ec;
        std::filesystem::remove(m_output_path, ec);
    }
}

bool Process::running() {
    if (m_pid <= 0 || m_status >= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

bool Process::signal(int sig) { return m_pid > 0 && m_status < 0 && ::kill(m_pid, sig) == 0; }

int Process::wait() {
    if (m_pid <= 0 || m_status >= 0)
        return m_status;
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return m_status;
}

std::string Process::output() const {
    std::ifstream in(m_output_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult run(ProcessOptions options) {
    auto p = Process::start(std::move(options));
    if (!p)
        return {127, p.error().message};
    int code = p->wait();
    return {code, p->output()};
}

std::string teilhabe_binary() {
    const char* env = std::getenv("TEILHABE_BINARY");
    return env && *env ? env : TEILHABE_DEFAULT_BINARY;
}

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

} // namespace teilhabe::testing
