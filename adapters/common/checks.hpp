#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/errors.hpp"

#include <chrono>
#include <string_view>

/// Checks every adapter makes the same way, written once.
namespace bot::adapters {

enum class TimestampUnit { seconds, milliseconds };

/// A request's signed timestamp (decimal text in `unit` since the epoch) must be within `window`
/// of `now` either way: an old signed request is a replay. errc::malformed when it is not a
/// number, errc::stale_request when it is outside the window.
result<void> check_timestamp(std::string_view text,
                             TimestampUnit unit,
                             TimePoint now,
                             std::chrono::seconds window);

/// An absolute http:// or https:// URL with a host, parsed (not matched by prefix).
bool is_http_url(std::string_view url);

}  // namespace bot::adapters
