#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
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

/// An answer's JSON object, or an empty object when the body is not one (answers are untrusted).
inline nlohmann::json object_of(std::string_view body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

/// The boolean member `key` of `j`, or `fallback` when `j` is not an object or the member is absent
/// or not a boolean (nlohmann's value() throws on a wrong type: found by fuzz_adapters).
inline bool flag(const nlohmann::json& j, const char* key, bool fallback = false) {
    if (!j.is_object()) {
        return fallback;
    }
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

/// The integer member `key` of `j` (clamped to int), or `fallback` when absent or not an integer.
inline int integer(const nlohmann::json& j, const char* key, int fallback) {
    if (!j.is_object()) {
        return fallback;
    }
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
        return fallback;
    }
    const auto v = it->get<std::int64_t>();
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : static_cast<int>(v);
}

}  // namespace bot::adapters
