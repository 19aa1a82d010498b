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

/// A URL a platform handed us to answer on (a reply URL inside a verified body): https to any
/// host, or http to this machine only (127.0.0.1, ::1, localhost: the tests' fake platforms).
/// Hosts are compared after parsing: http://127.0.0.1.evil.example/ is not this machine.
bool is_reply_url(std::string_view url);

/// Whether `url` has the scheme, host and port of `base` (parsed, not matched by prefix).
bool same_origin(std::string_view url, std::string_view base);

}  // namespace bot::adapters
