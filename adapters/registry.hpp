#pragma once

#include "adapters/bot_entry.hpp"
#include "bot/core/adapter.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
    /// Replies to one message must fit one push of at most this many bytes (0: no limit). Longer
    /// replies are paged, 继续 for the next (bot/router/pages.hpp): the WeCom AI bot answers each
    /// message once, through its response_url.
    std::size_t reply_page_bytes = 0;
    /// Whether a bot of this platform can never post unasked, whatever its settings (the adapter's
    /// pushes() says so for one entry): a chat reminded through it needs a `push` route.
    bool never_pushes = false;
    /// What check-config suggests when a bot of this platform cannot post unasked ("" : nothing).
    std::string_view push_hint = "";
};

/// Every platform this build has, in documentation order.
const std::vector<Platform>& platforms();

/// The row named `name`, or nullptr.
const Platform* find_platform(std::string_view name);

}  // namespace bot::adapters
