#pragma once

#include "bot/core/adapter.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot::config {
struct BotConfig;
}

/// The platform registry: everything about a platform that the rest of the service needs, in one
/// row. bot/config.cpp reads a bot entry by its row (credentials, settings, checks) and bot/app.cpp
/// builds its adapter with the row's factory. Adding a platform: a folder under adapters/, one row
/// in registry.cpp, a page in docs/platforms/.
namespace bot::adapters {

/// A problem with one key of a bot entry: the key and what is wrong.
using KeyProblem = std::pair<std::string, std::string>;

struct Platform {
    std::string_view name;
    std::vector<std::string_view> secrets;           ///< required credentials (`${ENV}` references)
    std::vector<std::string_view> settings;          ///< optional plain settings
    std::string_view default_api_base;               ///< used when the entry has no api_base_url
    std::vector<std::string_view> optional_secrets;  ///< credentials that may be absent
    std::chrono::seconds timestamp_window{300};      ///< default replay window of signed requests
    /// Checks of this platform beyond presence (shapes of keys, combinations); may be nullptr.
    void (*check)(const config::BotConfig& bot, std::vector<KeyProblem>& problems) = nullptr;
    /// Builds the adapter of a bot entry that passed the checks.
    std::unique_ptr<Adapter> (*make)(const config::BotConfig& bot) = nullptr;
};

/// Every platform this build has, in documentation order.
const std::vector<Platform>& platforms();

/// The row named `name`, or nullptr.
const Platform* find_platform(std::string_view name);

}  // namespace bot::adapters
