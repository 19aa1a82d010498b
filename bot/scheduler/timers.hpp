#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store.hpp"
#include "bot/scheduler/scheduler.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

/// The timers that drive the scheduler and the store's housekeeping in `serve` (I/O thread).
namespace bot::scheduler {

/// This process's name in the scheduler's lease: host, pid and a random part.
std::string process_holder();

/// Runs a job on the io_context's thread every `every` (first at start when `at_start`). A job
/// gets a `done` to call from any thread when it has finished; the next run is armed from then.
class Every {
public:
    using Job = std::function<void(std::function<void()> done)>;

    Every(boost::asio::io_context& ioc, std::chrono::seconds every, bool at_start, Job job);
    ~Every();
    Every(const Every&) = delete;
    Every& operator=(const Every&) = delete;

    void start();
    /// No run starts after this; a run in progress finishes.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// One scheduler tick (scheduler::tick) as a job: its outcome goes to the metrics, and
/// `on_queued` (thread-safe: it is called on the store thread) when it queued messages.
Every::Job tick_job(store::Store& store,
                    const Clock& clock,
                    Metrics& metrics,
                    const Deps& deps,
                    std::function<void()> on_queued);

/// Deleting expired dedupe keys and drafts idle longer than `draft_ttl`, as a job.
Every::Job purge_job(store::Store& store,
                     const Clock& clock,
                     std::chrono::hours draft_ttl,
                     std::chrono::days outbox_retention = std::chrono::days(30));

}  // namespace bot::scheduler
