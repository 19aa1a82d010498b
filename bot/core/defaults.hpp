#pragma once

#include <string_view>

/// The installation defaults that configuration, templates, handlers and the scheduler share,
/// written once. Configuration overrides each of them.
namespace bot {

inline constexpr std::string_view kDefaultBotName = "联络员助手";  ///< how the bot is @-mentioned
inline constexpr std::string_view kDefaultLocale = "zh-CN";        ///< the language of replies
inline constexpr std::string_view kDefaultTimeZone = "Asia/Shanghai";

}  // namespace bot
