#pragma once
// Child processes for integration tests: the real `teilhabe` binary, run with its own
// environment, its output captured in a file, stoppable by signal.

#include "base/error.h"

#include <string>
#include <utility>
#include <vector>
#include <sys/types.h>

namespace teilhabe::testing {

struct ProcessOptions {
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> env; // added to the inherited environment
    std::string stdin_data;                               // written to the child's stdin, then closed
};

class Process {
public:
    static Result<Process> start(ProcessOptions options);
    Process(Process&& other) noexcept;
    Process& operator=(Process&&) = delete;
    ~Process(); // kills the child if it still runs

    pid_t pid() const { return m_pid; }
    bool running();
    bool signal(int sig);
    // Waits for the child to end; the exit code, or 128 + signal number.
    int wait();
    // Everything the child wrote to stdout and stderr so far.
    std::string output() const;

private:
    Process() = default;
    pid_t m_pid{-1};
    int m_status{-1};
    std::string m_output_path;
};

struct RunResult {
    int exit_code;
    std::string output;
};

// Runs a command to its end.
RunResult run(ProcessOptions options);

// The `teilhabe` binary under test (TEILHABE_BINARY, else the one this build produced).
std::string teilhabe_binary();

// A port on 127.0.0.1 that was free a moment ago.
int free_port();

} // namespace teilhabe::testing
