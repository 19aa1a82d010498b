#pragma once

#include <cstddef>
#include <string_view>

/// The installation defaults that configuration, templates, handlers and the scheduler share,
/// written once. Configuration overrides each of them.
namespace bot {

inline constexpr std::string_view kDefaultBotName = "联络员助手";  ///< how the bot is @-mentioned
inline constexpr std::string_view kDefaultLocale = "zh-CN";        ///< the language of replies
inline constexpr std::string_view kDefaultTimeZone = "Asia/Shanghai";

/// The longest chat message Liaison takes, in bytes of UTF-8 (about 5,400 Chinese characters);
/// a longer one is answered with the limit instead of being refused (adapters: limit_text).
inline constexpr std::size_t kMaxTextBytes = 16'384;

}  // namespace bot
