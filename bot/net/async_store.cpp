#include "bot/net/async_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>

namespace bot::net {

namespace asio = boost::asio;

asio::awaitable<result<void>> run_unit(store::Store& store,
                                       store::Work work,
                                       std::chrono::milliseconds deadline) {
    struct Pending {
        explicit Pending(const asio::any_io_executor& ex) : timer(ex) {}
        asio::steady_timer timer;
        std::optional<result<void>> outcome;
    };
    const auto ex = co_await asio::this_coro::executor;
    auto pending = std::make_shared<Pending>(ex);
    pending->timer.expires_after(deadline);
    // The store calls back on its own thread; hop to ours before touching `pending`.
    store.submit(std::move(work), [pending, ex](result<void> r) {
        asio::post(ex, [pending, r] {
            pending->outcome = r;
            pending->timer.cancel();
        });
    });
    auto [ec] = co_await pending->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled when the outcome arrived; expired otherwise
    if (pending->outcome) {
        co_return *pending->outcome;
    }
    co_return result<void>(errc::store_timeout);
}

}  // namespace bot::net
