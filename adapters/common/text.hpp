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

}  // namespace bot::adapters
