#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Checked reading of JSON documents written by people (configuration, templates, roster): every
/// problem is collected with its JSON path (`$.bots[0].id`) and a reason, so one run reports all of
/// them. Never throws on bad input.
namespace bot::json_check {

struct Problem {
    std::string path;
    std::string message;
};

/// Parses JSON with `//` and `/* */` comments. On a syntax error returns nullopt and adds one problem
/// at `$` naming line and column.
std::optional<nlohmann::json> parse_with_comments(std::string_view text, std::vector<Problem>& problems);

/// Receives one element of a streamed array, by its index, while the document is being parsed.
using ElementSink = std::function<void(std::size_t index, const nlohmann::json& element)>;

/// Like parse_with_comments, but each element of the top-level array `key` goes to `sink` as soon as
/// it is parsed and is not kept: `$.key` is left in the document as an empty array. A roster of
/// 100,000 people never exists as one document (its tree was the service's peak memory at start).
/// When `$.key` is not an array it is kept as it is, for the caller to report. On a syntax error the
/// problems `sink` added are dropped: the syntax error is the one problem.
std::optional<nlohmann::json> parse_streaming(std::string_view text,
                                              std::string_view key,
                                              const ElementSink& sink,
                                              std::vector<Problem>& problems);

/// Letters, digits and '_', not starting with a digit (keys shown as .key in paths, ENV names).
bool is_identifier(std::string_view s);

/// "string", "integer", "object", ... for messages.
const char* type_name(const nlohmann::json& j);

class Reader {
public:
    Reader(const nlohmann::json& j, std::string path, std::vector<Problem>& problems);

    /// False (and a problem) when not an object; otherwise reports every key not in `allowed`.
    bool object(std::initializer_list<std::string_view> allowed);
    bool object(const std::vector<std::string_view>& allowed);
    /// False (and a problem) when not an array.
    bool array();

    /// The member, or nullptr (with a problem when `required`).
    const nlohmann::json* get(std::string_view key, bool required);
    bool has(std::string_view key) const;

    /// Each returns true when the key was present and valid (and `out` was set).
    bool string(std::string_view key, std::string& out, bool required = false);
    bool boolean(std::string_view key, bool& out, bool required = false);
    bool number(std::string_view key, double& out, double min, double max, bool required = false);
    bool integer64(
        std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max, bool required = false);
    /// An array of non-empty strings; replaces `out` when the key is present (a problem per bad item).
    bool string_list(std::string_view key, std::vector<std::string>& out, bool required = false);

    template <class Int>
    bool integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max, bool required = false) {
        std::int64_t v = 0;
        if (!integer64(key, v, min, max, required)) {
            return false;
        }
        out = static_cast<Int>(v);
        return true;
    }

    template <class Rep, class Period>
    bool duration(std::string_view key,
                  std::chrono::duration<Rep, Period>& out,
                  std::int64_t min,
                  std::int64_t max) {
        std::int64_t n = 0;
        if (!integer64(key, n, min, max)) {
            return false;
        }
        out = std::chrono::duration<Rep, Period>(n);
        return true;
    }

    Reader child(std::string_view key) const;
    Reader element(std::size_t index) const;
    const nlohmann::json& value() const { return j_; }
    const std::string& path() const { return path_; }
    std::string child_path(std::string_view key) const;
    void problem(std::string path, std::string message) const;
    std::vector<Problem>& problems() const { return problems_; }

private:
    const nlohmann::json& j_;
    std::string path_;
    std::vector<Problem>& problems_;
};

}  // namespace bot::json_check
