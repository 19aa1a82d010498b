#include "bot/scheduler/timers.hpp"

#include "bot/core/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <random>
#include <unistd.h>

namespace bot::scheduler {

namespace asio = boost::asio;

std::string process_holder() {
    char host[256] = {};
    (void)::gethostname(host, sizeof host - 1);
    std::random_device rd;
    return std::string(host) + "/" + std::to_string(::getpid()) + "/" + std::to_string(rd());
}

struct Every::Impl {
    Impl(asio::io_context& ioc, std::chrono::seconds e, bool s, Job j)
        : timer(ioc), every(e), at_start(s), job(std::move(j)) {}

    void run() {
        if (stopped) {
            return;
        }
        // `done` may come from the store thread: the next run is armed on the I/O thread.
        job([this, ex = timer.get_executor()] { asio::post(ex, [this] { arm(); }); });
    }
    void arm() {
        if (stopped) {
            return;
        }
        timer.expires_after(every);
        timer.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                run();
            }
        });
    }

    asio::steady_timer timer;
    std::chrono::seconds every;
    bool at_start;
    Job job;
    bool stopped = false;
};

Every::Every(asio::io_context& ioc, std::chrono::seconds every, bool at_start, Job job)
    : impl_(std::make_unique<Impl>(ioc, every, at_start, std::move(job))) {}

Every::~Every() = default;

void Every::start() {
    if (impl_->at_start) {
        impl_->run();
    } else {
        impl_->arm();
    }
}

void Every::stop() {
    impl_->stopped = true;
    impl_->timer.cancel();
}

Every::Job tick_job(store::Store& store,
                    const Clock& clock,
                    Metrics& metrics,
                    const Deps& deps,
                    std::function<void()> on_queued) {
    return [&store, &clock, &metrics, &deps, on_queued = std::move(on_queued), holder = process_holder()](
               std::function<void()> done) {
        auto report = std::make_shared<TickReport>();
        store.submit(
            tick(deps, holder, clock.now(), report),
            [&metrics, on_queued, report, done = std::move(done)](result<void> r) {
                if (!r) {
                    log::error("scheduler").kv("event", "tick_failed").kv("reason", r.error().message());
                } else {
                    metrics.scheduler_tick(report->leader,
                                           static_cast<std::size_t>(report->queued),
                                           static_cast<std::size_t>(report->skipped),
                                           static_cast<std::size_t>(report->unroutable));
                    if (report->queued > 0 && on_queued) {
                        on_queued();
                    }
                }
                done();
            });
    };
}

Every::Job purge_job(store::Store& store,
                     const Clock& clock,
                     std::chrono::hours draft_ttl,
                     std::chrono::days outbox_retention) {
    return [&store, &clock, draft_ttl, outbox_retention](std::function<void()> done) {
        const TimePoint now = clock.now();
        const TimePoint drafts_before = now - draft_ttl;
        const TimePoint messages_before = now - outbox_retention;
        store.submit(
            [now, drafts_before, messages_before](store::Tx& tx) -> result<void> {
                auto n = tx.events().forget_expired(now);
                if (!n) {
                    return n.error();
                }
                auto drafts = tx.sessions().forget_before(drafts_before);
                if (!drafts) {
                    return drafts.error();
                }
                // Pages nobody asked for go with the drafts (as long unasked for), and so do
                // sign-in links and browser sessions long expired.
                auto pages = tx.pages().forget_before(drafts_before);
                if (!pages) {
                    return pages.error();
                }
                auto web = tx.web().forget_before(drafts_before);
                if (!web) {
                    return web.error();
                }
                auto messages = tx.outbox().forget_done_before(messages_before);
                if (!messages) {
                    return messages.error();
                }
                if (*n > 0 || *drafts > 0 || *pages > 0 || *messages > 0) {
                    log::info("store")
                        .kv("event", "purged")
                        .kv("dedupe_keys", *n)
                        .kv("drafts", *drafts)
                        .kv("pages", *pages)
                        .kv("messages", *messages);
                }
                return {};
            },
            [done = std::move(done)](result<void>) { done(); });
    };
}

}  // namespace bot::scheduler
