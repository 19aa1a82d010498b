#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store.hpp"
#include "bot/scheduler/scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <string>

/// The timers that drive the scheduler and the store's housekeeping in `serve` (I/O thread).
namespace bot::scheduler {

namespace asio = boost::asio;

/// This process's name in the scheduler's lease: host, pid and a random part.
std::string process_holder();

/// The thin timer around scheduler::tick: one tick at start, then every `every`.
class Ticker {
public:
    Ticker(asio::io_context& ioc,
           store::Store& store,
           const Clock& clock,
           Metrics& metrics,
           const scheduler::Deps& deps,
           std::chrono::seconds every,
           std::function<void()> on_queued)
        : timer_(ioc),
          store_(store),
          clock_(clock),
          metrics_(metrics),
          deps_(deps),
          every_(every),
          on_queued_(std::move(on_queued)),
          holder_(process_holder()) {}

    void start() { fire(); }
    void stop() {
        stopped_ = true;
        timer_.cancel();
    }

private:
    void fire() {
        if (stopped_) {
            return;
        }
        auto report = std::make_shared<scheduler::TickReport>();
        store_.submit(
            scheduler::tick(deps_, holder_, clock_.now(), report),
            [this, report, ex = timer_.get_executor()](result<void> r) {
                // On the store thread: hop back to the I/O thread.
                asio::post(ex, [this, report, r] {
                    if (!r) {
                        log::error("scheduler").kv("event", "tick_failed").kv("reason", r.error().message());
                    } else {
                        metrics_.scheduler_tick(report->leader,
                                                static_cast<std::size_t>(report->queued),
                                                static_cast<std::size_t>(report->skipped),
                                                static_cast<std::size_t>(report->unroutable));
                        if (report->queued > 0 && on_queued_) {
                            on_queued_();
                        }
                    }
                    arm();
                });
            });
    }
    void arm() {
        if (stopped_) {
            return;
        }
        timer_.expires_after(every_);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                fire();
            }
        });
    }

    asio::steady_timer timer_;
    store::Store& store_;
    const Clock& clock_;
    Metrics& metrics_;
    const scheduler::Deps& deps_;
    std::chrono::seconds every_;
    std::function<void()> on_queued_;
    std::string holder_;
    bool stopped_ = false;
};

/// Deletes expired dedupe keys now and then; stops when cancelled.
class Purger {
public:
    Purger(asio::io_context& ioc,
           store::Store& store,
           const Clock& clock,
           std::chrono::seconds every,
           std::chrono::hours draft_ttl)
        : timer_(ioc), store_(store), clock_(clock), every_(every), draft_ttl_(draft_ttl) {}

    void start() { arm(); }
    void stop() {
        stopped_ = true;
        timer_.cancel();
    }

private:
    void arm() {
        timer_.expires_after(every_);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopped_) {
                return;
            }
            const TimePoint now = clock_.now();
            const TimePoint drafts_before = now - draft_ttl_;
            store_.submit(
                [now, drafts_before](store::Tx& tx) -> result<void> {
                    auto n = tx.forget_expired_events(now);
                    if (!n) {
                        return n.error();
                    }
                    auto drafts = tx.forget_sessions_before(drafts_before);
                    if (!drafts) {
                        return drafts.error();
                    }
                    if (*n > 0 || *drafts > 0) {
                        log::info("store").kv("event", "purged").kv("dedupe_keys", *n).kv("drafts", *drafts);
                    }
                    return {};
                },
                [](result<void>) {});
            arm();
        });
    }

    asio::steady_timer timer_;
    store::Store& store_;
    const Clock& clock_;
    std::chrono::seconds every_;
    std::chrono::hours draft_ttl_;
    bool stopped_ = false;
};

}  // namespace bot::scheduler
