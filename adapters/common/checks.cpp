#include "adapters/common/checks.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <cstdint>

namespace bot::adapters {

result<void> check_timestamp(std::string_view text,
                             TimestampUnit unit,
                             TimePoint now,
                             std::chrono::seconds window) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return errc::malformed;
    }
    const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    const std::int64_t now_ms = since_epoch.count();
    const std::int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
    // Compared in milliseconds; a seconds value too large to convert is outside any window.
    constexpr std::int64_t kMaxSeconds = INT64_MAX / 1000;
    if (unit == TimestampUnit::seconds && (value > kMaxSeconds || value < -kMaxSeconds)) {
        return errc::stale_request;
    }
    const std::int64_t sent_ms = unit == TimestampUnit::seconds ? value * 1000 : value;
    if (sent_ms < now_ms - window_ms || sent_ms > now_ms + window_ms) {
        return errc::stale_request;
    }
    return {};
}

bool is_http_url(std::string_view url) {
    const auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) {
        return false;
    }
    const auto scheme = parsed->scheme();
    return (scheme == "http" || scheme == "https") && parsed->has_authority() && !parsed->host().empty();
}

}  // namespace bot::adapters
