#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

/// Small helpers every adapter's parser and dialect use.
namespace bot::adapters {

/// The string member `key` of `j`, or "" when absent or not a string (untrusted JSON is read
/// defensively, never with at()).
inline std::string str(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Escapes &, < and > (and " when `quotes`): Slack mrkdwn, Telegram HTML.
inline std::string escape_markup(std::string_view text, bool quotes) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                if (quotes) {
                    out += "&quot;";
                    break;
                }
                out += c;
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace bot::adapters
