#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bot::test {

/// A child process (the built liaison-bot) with its stdout on a pipe and stderr to a file.
class Child {
public:
    /// Starts `exe args...` with the current environment plus `env` ("NAME=value").
    /// With `pipe_stdin`, the child's stdin is a pipe written by write_stdin(); else /dev/null.
    Child(const std::string& exe,
          const std::vector<std::string>& args,
          const std::vector<std::string>& env,
          const std::string& stderr_file,
          bool pipe_stdin = false);
    /// Writes to the child's stdin (pipe_stdin only); false when the child has gone.
    bool write_stdin(const std::string& text);
    ~Child();  // kills the child if it still runs
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    /// Reads stdout until a line contains `needle`; returns that line, nullopt on timeout or EOF.
    std::optional<std::string> wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
    /// Everything read from stdout so far.
    const std::string& output() const { return out_; }
    void signal(int signo) const;
    /// Waits for the exit status (exit code, or 128+signal); nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int in_fd_ = -1;
    std::string out_;
    std::optional<int> status_;
};

/// Runs a command to completion; returns its exit code and combined stdout+stderr.
struct RunResult {
    int code = -1;
    std::string output;
};
RunResult run(const std::string& exe,
              const std::vector<std::string>& args,
              const std::vector<std::string>& env,
              const std::string& stdin_text = "");

/// The port in "... listening on http://127.0.0.1:PORT" (0 when absent).
std::uint16_t port_from_banner(const std::string& line);

}  // namespace bot::test
