#pragma once

#include "bot/core/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace bot::net {

/// Submits `work` to the store and resumes on the calling coroutine's executor once the store
/// reports its outcome (after the commit), or with errc::store_timeout after `deadline`.
boost::asio::awaitable<result<void>> run_unit(store::Store& store,
                                              store::Work work,
                                              std::chrono::milliseconds deadline);

}  // namespace bot::net
