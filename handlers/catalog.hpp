#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The message catalogue: every user-facing sentence, in zh-CN and en, keyed by a stable id.
/// `{name}` placeholders are filled from the arguments.
namespace bot::handlers {

using Args = std::vector<std::pair<std::string, std::string>>;

/// "zh-CN" or "en"; anything else falls back to zh-CN.
std::string msg(std::string_view locale, std::string_view key, const Args& args = {});

/// "2026 年第 48 周" / "2026 年 11 月" (and English) for a period's year and week or month.
std::string period_label(std::string_view locale, bool weekly, int year, int number);

/// Every key, for tests that check both languages are present and placeholders agree.
std::vector<std::string_view> catalog_keys();
std::string_view catalog_raw(std::string_view locale, std::string_view key);

}  // namespace bot::handlers
