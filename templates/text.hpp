#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

/// Text helpers for answers typed in chat: UTF-8 aware, pure, no locale dependence.
namespace bot::templates::text {

/// Number of Unicode code points, so 一个汉字 counts as one; nullopt when `s` is not valid UTF-8.
std::optional<std::size_t> char_count(std::string_view s);

/// Folds full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space U+3000 to a space, so
/// "１２" reads as "12" and "ｙｅｓ" as "yes".
std::string fold_width(std::string_view s);

/// Trims ASCII whitespace and U+3000 at both ends.
std::string trim(std::string_view s);

/// ASCII lower-case (other bytes unchanged).
std::string lower_ascii(std::string_view s);

/// fold_width + trim + lower_ascii: the form used to compare commands and choice names.
std::string normalize(std::string_view s);

/// The first `max_chars` code points of `s` (valid UTF-8 assumed), with "…" when cut.
std::string truncate(std::string_view s, std::size_t max_chars);

/// "HH:MM" (00:00–23:59) → minutes after midnight.
std::optional<std::chrono::minutes> parse_time(std::string_view s);

}  // namespace bot::templates::text
