#include "bot/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <unistd.h>
#include <vector>

namespace bot::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};

struct Shared {
    std::mutex mutex;
    std::vector<std::string> secrets;
    std::function<void(std::string_view)> sink;
};

Shared& shared() {
    static Shared s;
    return s;
}

constexpr std::string_view level_name(Level level) {
    switch (level) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warn:
            return "warn";
        case Level::error:
            return "error";
    }
    return "info";
}

bool needs_quotes(std::string_view v) {
    if (v.empty()) {
        return true;
    }
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || c == '"' || c == '=' || c == '\\' || u == 0x7f) {
            return true;
        }
    }
    return false;
}

void append_value(std::string& out, std::string_view v) {
    if (!needs_quotes(v)) {
        out += v;
        return;
    }
    out += '"';
    for (const char c : v) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    char hex[8];
                    std::snprintf(
                        hex, sizeof hex, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += hex;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const auto secs = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf,
                  sizeof buf,
                  "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  tm.tm_year + 1900,
                  tm.tm_mon + 1,
                  tm.tm_mday,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

}  // namespace

void set_level(Level level) noexcept {
    g_level.store(static_cast<int>(level));
}

bool enabled(Level level) noexcept {
    return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

std::optional<Level> parse_level(std::string_view text) noexcept {
    for (const Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
        if (text == level_name(l)) {
            return l;
        }
    }
    return std::nullopt;
}

void add_secret(std::string_view value) {
    if (value.size() < 4) {
        return;
    }
    auto& s = shared();
    const std::lock_guard lock(s.mutex);
    s.secrets.emplace_back(value);
}

void set_sink(std::function<void(std::string_view)> sink) {
    auto& s = shared();
    const std::lock_guard lock(s.mutex);
    s.sink = std::move(sink);
}

std::string redact(std::string text) {
    auto& s = shared();
    const std::lock_guard lock(s.mutex);
    for (const auto& secret : s.secrets) {
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
            text.replace(pos, secret.size(), "[redacted]");
            pos += 10;
        }
    }
    return text;
}

Line::Line(Level level, std::string_view component) : on_(enabled(level)) {
    if (on_) {
        buf_.reserve(160);
        buf_ += level_name(level);
        buf_ += ' ';
        buf_ += component;
        buf_ += " ts=";
        buf_ += utc_now();
    }
}

Line::~Line() {
    if (!on_) {
        return;
    }
    std::string line = redact(std::move(buf_));
    line += '\n';
    auto& s = shared();
    const std::lock_guard lock(s.mutex);
    if (s.sink) {
        s.sink(line);
        return;
    }
    // One write per line keeps lines whole when several threads log at once.
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) {
            break;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

void Line::append_key(std::string_view key) {
    buf_ += ' ';
    buf_ += key;
    buf_ += '=';
}

Line& Line::kv(std::string_view key, std::string_view value) {
    if (on_) {
        append_key(key);
        append_value(buf_, value);
    }
    return *this;
}

Line& Line::kv(std::string_view key, double value) {
    if (on_) {
        append_key(key);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", value);
        buf_ += buf;
    }
    return *this;
}

}  // namespace bot::log
