#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <type_traits>

namespace bot {

/// Domain errors (verification, parsing, validation, storage). Mapped to HTTP statuses in one place:
/// bot/net/server.cpp (`status_for`).
enum class errc {
    ok = 0,
    bad_signature = 1,   ///< signature or token does not match
    stale_request,       ///< timestamp outside the platform's window
    malformed,           ///< body or headers cannot be parsed
    payload_too_large,   ///< over a configured size limit
    unknown_bot,         ///< no bot with this id
    method_not_allowed,  ///< the route exists, the method does not
    not_found,           ///< no such route or record
    store_failure,       ///< the database reported an error
    store_closed,        ///< the store no longer accepts work
    store_timeout,       ///< the store did not answer in time
    invalid_argument,    ///< a caller passed a value outside the contract
};

/// The `bot` error category; messages are short, English and never contain user data.
const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), error_category()};
}

template <class T>
using result = boost::system::result<T>;

}  // namespace bot

template <>
struct boost::system::is_error_code_enum<bot::errc> : std::true_type {};
