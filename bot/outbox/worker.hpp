#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store.hpp"
#include "bot/net/http_client.hpp"
#include "bot/outbox/plan.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace bot::outbox {

struct WorkerOptions {
    std::size_t batch = 256;               ///< messages claimed per round
    std::size_t parallel_chats = 32;       ///< chats delivered at once (each chat stays in order)
    std::chrono::milliseconds poll{1000};  ///< look for due messages at least this often
    std::chrono::milliseconds backoff_base{2000};
    std::chrono::milliseconds backoff_max{600'000};
    int max_attempts = 12;  ///< then the message is marked failed
    /// A bot is taken to be down when messages of two or more queues fail (retry) with no
    /// success between. Then one waiting message is tried this often (a probe, not counted as an
    /// attempt); the first success releases every message of the bot that waits on a backoff, so
    /// that replies go out within seconds of the platform's recovery, not after old timers.
    std::chrono::milliseconds probe_interval{3000};
    /// A reply that goes to a URL of its message only (a queue of its own: the WeCom AI bot's
    /// response_url) is given up this long after it was stored: such a URL does not come back.
    std::chrono::milliseconds reply_url_bound{120'000};
    /// This process, as it claims rows (empty: the store has no other user, and at start every row
    /// left 'sending' is requeued). With a holder, the worker keeps the lease "outbox:<holder>"
    /// and requeues only rows of holders whose lease has expired, at start and then once a lease
    /// period: two `serve` on one store never requeue each other's rows in flight.
    std::string holder;
    /// Rows of a process that was killed come back this long after its last renewal, at most.
    std::chrono::seconds holder_lease{10};
    std::chrono::milliseconds store_deadline{10'000};
    std::map<std::string, double, std::less<>> rate_per_minute;  ///< per bot, overrides the adapter's
    Metrics* metrics = nullptr;                                  ///< delivery counters, if given
};

/// Delivers the outbox: claims due rows, plans them per chat (merge, split), respects each chat's
/// rate, sends through the adapter's pure request builder and the HTTP client, and records the
/// outcome (sent, retry with backoff or Retry-After, failed). Runs on the io_context's thread;
/// wake() and stop() may be called from any thread.
class Worker {
public:
    Worker(boost::asio::io_context& ioc,
           store::Store& store,
           const AdapterMap& adapters,
           net::HttpClient& http,
           const Clock& clock,
           WorkerOptions options);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Puts messages left in flight by a previous process back in line, then starts delivering.
    void start();
    /// New messages were committed: look now instead of at the next poll.
    void wake();
    /// Finishes the request in flight, then stops; `on_stopped` runs when the loop has ended.
    void stop(std::function<void()> on_stopped);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace bot::outbox
