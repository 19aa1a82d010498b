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

namespace {

/// An absolute URL with an authority, parsed. Boost.URL 1.81 ends an IPv4 host at its last digit
/// and takes the rest as the path ("http://127.0.0.1.evil.example/" parses as host 127.0.0.1, path
/// ".evil.example/"); RFC 3986 requires a path after an authority to be empty or begin with "/",
/// so such a URL is refused here.
boost::system::result<boost::urls::url_view> parse_with_authority(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || !parsed->has_authority()) {
        return boost::urls::error::bad_pct_hexdig;  // any error: the caller only asks whether
    }
    const auto path = parsed->encoded_path();
    if (!path.empty() && path.front() != '/') {
        return boost::urls::error::bad_pct_hexdig;
    }
    return parsed;
}

}  // namespace

bool is_http_url(std::string_view url) {
    const auto parsed = parse_with_authority(url);
    if (!parsed) {
        return false;
    }
    const auto scheme = parsed->scheme();
    return (scheme == "http" || scheme == "https") && parsed->has_authority() && !parsed->host().empty();
}

bool is_reply_url(std::string_view url) {
    const auto parsed = parse_with_authority(url);
    if (!parsed || parsed->host().empty() || parsed->has_userinfo()) {
        return false;
    }
    if (parsed->scheme() == "https") {
        return true;
    }
    if (parsed->scheme() != "http") {
        return false;
    }
    switch (parsed->host_type()) {
        case boost::urls::host_type::ipv4:
            return parsed->host_ipv4_address().is_loopback();
        case boost::urls::host_type::ipv6:
            return parsed->host_ipv6_address().is_loopback();
        default:
            return parsed->host() == "localhost";
    }
}

bool same_origin(std::string_view url, std::string_view base) {
    const auto a = parse_with_authority(url);
    const auto b = parse_with_authority(base);
    return a && b && !a->has_userinfo() && a->scheme() == b->scheme() && a->host() == b->host() &&
           a->port() == b->port();
}

}  // namespace bot::adapters
