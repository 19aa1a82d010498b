#pragma once

#include <concepts>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

/// Structured logging: one line per event, `level component key=value ...`, to stderr.
/// Thread-safe. Values that contain spaces, quotes or `=` are quoted. Every registered secret is
/// replaced by `[redacted]` in every line, whatever key it travels under.
namespace bot::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(Level level) noexcept;
bool enabled(Level level) noexcept;
std::optional<Level> parse_level(std::string_view text) noexcept;

/// Registers a secret value; from now on it never appears in a log line. Values shorter than four
/// bytes are ignored (they would redact ordinary words).
void add_secret(std::string_view value);

/// Replaces the sink (default: one write(2) per line to stderr). Pass nullptr to restore it.
void set_sink(std::function<void(std::string_view line)> sink);

/// One log line, emitted when the object is destroyed (at the end of the full expression):
/// `log::info("http").kv("status", 200);`
class Line {
public:
    Line(Level level, std::string_view component);
    ~Line();
    Line(const Line&) = delete;
    Line& operator=(const Line&) = delete;

    Line& kv(std::string_view key, std::string_view value);
    Line& kv(std::string_view key, const char* value) { return kv(key, std::string_view(value)); }
    Line& kv(std::string_view key, const std::string& value) { return kv(key, std::string_view(value)); }
    Line& kv(std::string_view key, bool value) { return kv(key, value ? "true" : "false"); }
    Line& kv(std::string_view key, double value);
    template <std::integral T>
    Line& kv(std::string_view key, T value) {
        if (on_) {
            append_key(key);
            buf_ += std::to_string(value);
        }
        return *this;
    }

private:
    void append_key(std::string_view key);
    std::string buf_;
    bool on_;
};

inline Line debug(std::string_view component) {
    return {Level::debug, component};
}
inline Line info(std::string_view component) {
    return {Level::info, component};
}
inline Line warn(std::string_view component) {
    return {Level::warn, component};
}
inline Line error(std::string_view component) {
    return {Level::error, component};
}

/// Applies secret redaction to `text` (used for the line itself and available to tests).
std::string redact(std::string text);

}  // namespace bot::log
