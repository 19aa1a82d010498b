#include "tests/support/process.hpp"

#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace bot::test {
namespace {

std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        env.emplace_back(*e);
    }
    for (const auto& x : extra) {
        const auto name = x.substr(0, x.find('=') + 1);
        std::erase_if(env, [&](const std::string& s) { return s.rfind(name, 0) == 0; });
        env.push_back(x);
    }
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

pid_t spawn(const std::string& exe,
            const std::vector<std::string>& args,
            const std::vector<std::string>& env,
            int stdout_fd,
            int stderr_fd,
            int stdin_fd = -1) {
    std::vector<std::string> argv_s{exe};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    auto envp_s = merged_env(env);
    auto argv = c_strings(argv_s);
    auto envp = c_strings(envp_s);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, stdout_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, stderr_fd, STDERR_FILENO);
    if (stdin_fd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, stdin_fd, STDIN_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        throw std::runtime_error("posix_spawn " + exe + ": " + std::strerror(rc));
    }
    return pid;
}

int decode(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

}  // namespace

Child::Child(const std::string& exe,
             const std::vector<std::string>& args,
             const std::vector<std::string>& env,
             const std::string& stderr_file,
             bool pipe_stdin) {
    int fds[2];
    int in[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0 || (pipe_stdin && ::pipe2(in, O_CLOEXEC) != 0)) {
        throw std::runtime_error("pipe failed");
    }
    const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = spawn(exe, args, env, fds[1], err, in[0]);
    ::close(fds[1]);
    ::close(err);
    out_fd_ = fds[0];
    if (pipe_stdin) {
        ::close(in[0]);
        in_fd_ = in[1];
    }
}

bool Child::write_stdin(const std::string& text) {
    std::size_t done = 0;
    while (in_fd_ >= 0 && done < text.size()) {
        const ssize_t n = ::write(in_fd_, text.data() + done, text.size() - done);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return in_fd_ >= 0;
}

Child::~Child() {
    if (!status_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
    if (out_fd_ >= 0) {
        ::close(out_fd_);
    }
    if (in_fd_ >= 0) {
        ::close(in_fd_);
    }
}

std::optional<std::string> Child::wait_for_line(const std::string& needle,
                                                std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t scanned = 0;
    for (;;) {
        for (auto nl = out_.find('\n', scanned); nl != std::string::npos; nl = out_.find('\n', scanned)) {
            const std::string line = out_.substr(scanned, nl - scanned);
            scanned = nl + 1;
            if (line.find(needle) != std::string::npos) {
                return line;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return std::nullopt;
        }
        char buf[4096];
        const ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) {
            return std::nullopt;
        }
        out_.append(buf, static_cast<std::size_t>(n));
    }
}

void Child::signal(int signo) const {
    ::kill(pid_, signo);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
    if (status_) {
        return status_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int st = 0;
        const pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = decode(st);
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

RunResult run(const std::string& exe,
              const std::vector<std::string>& args,
              const std::vector<std::string>& env,
              const std::string& stdin_text) {
    int fds[2];
    int in[2];
    if (::pipe2(fds, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = spawn(exe, args, env, fds[1], fds[1], in[0]);
    ::close(fds[1]);
    ::close(in[0]);
    // Small scripts fit in the pipe buffer; write them all, then signal end of input.
    std::size_t done = 0;
    while (done < stdin_text.size()) {
        const ssize_t n = ::write(in[1], stdin_text.data() + done, stdin_text.size() - done);
        if (n <= 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(in[1]);
    RunResult r;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) {
        r.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int st = 0;
    ::waitpid(pid, &st, 0);
    r.code = decode(st);
    return r;
}

std::uint16_t port_from_banner(const std::string& line) {
    const auto at = line.find("listening on ");
    if (at == std::string::npos) {
        return 0;
    }
    const auto colon = line.rfind(':');
    return static_cast<std::uint16_t>(std::stoul(line.substr(colon + 1)));
}

}  // namespace bot::test
