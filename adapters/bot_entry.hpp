#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

/// A bot entry of the configuration as the platform registry reads it (adapters/registry.cpp):
/// its credentials and settings. Here, below both, so that the registry does not include the
/// configuration reader that includes it (bot/config.hpp has the rest of the configuration).
namespace bot::config {

/// A secret resolved from an environment variable. It has no stream operator and no implicit
/// conversion: the only way to the value is `reveal()`, and no log line or error message uses it.
class Secret {
public:
    Secret() = default;
    Secret(std::string env_name, std::string value)
        : env_name_(std::move(env_name)), value_(std::move(value)) {}
    const std::string& env_name() const noexcept { return env_name_; }
    const std::string& reveal() const noexcept { return value_; }

private:
    std::string env_name_;
    std::string value_;
};

struct BotConfig {
    std::string id;
    std::string platform;
    std::map<std::string, Secret, std::less<>> secrets;        ///< per platform, see adapters/registry.cpp
    std::map<std::string, std::string, std::less<>> settings;  ///< optional per-platform settings
    std::string api_base_url;                                  ///< the platform API; tests point it at a fake
    /// The resolved value of a credential ("" when absent).
    const std::string& secret(std::string_view name) const {
        static const std::string kNone;
        const auto it = secrets.find(name);
        return it == secrets.end() ? kNone : it->second.reveal();
    }
    std::string setting(std::string_view name) const {
        const auto it = settings.find(name);
        return it == settings.end() ? std::string() : it->second;
    }
    std::chrono::seconds timestamp_window{300};
    std::chrono::seconds dedupe_ttl{86'400};
    std::string locale;          ///< "zh-CN" or "en"; empty: conversation.locale
    double rate_per_minute = 0;  ///< messages per minute per chat; 0: the platform's published limit
};

}  // namespace bot::config
