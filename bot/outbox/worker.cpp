#include "bot/outbox/worker.hpp"

#include "bot/core/log.hpp"
#include "bot/net/async_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <utility>

namespace bot::outbox {

namespace asio = boost::asio;

namespace {

using Accepted = std::vector<std::pair<std::int64_t, TimePoint>>;

result<void> mark_sent(store::Tx& tx, const Accepted& sent) {
    for (const auto& [id, at] : sent) {
        if (auto r = tx.outbox().mark_sent(id, at); !r) {
            return r;
        }
    }
    return {};
}

/// Groups claimed rows by queue (bot|queue, id order within each), completes batches a claim's
/// LIMIT cut in two, and forms and stores the new batches (form_batches) before anything is sent.
result<void> group_claimed(store::Tx& tx,
                           std::vector<store::OutboxMessage> claimed,
                           std::string_view holder,
                           const std::map<std::string, std::size_t, std::less<>>& max_bytes,
                           std::vector<std::vector<store::OutboxMessage>>& chats) {
    std::set<std::int64_t> ids;
    std::set<std::int64_t> batches;
    for (const auto& m : claimed) {
        ids.insert(m.id);
        if (m.batch != 0) {
            batches.insert(m.batch);
        }
    }
    for (const std::int64_t b : batches) {
        auto rest = tx.outbox().claim_batch(b, holder);
        if (!rest) {
            return rest.error();
        }
        for (auto& m : *rest) {
            if (ids.insert(m.id).second) {
                claimed.push_back(std::move(m));
            }
        }
    }
    std::map<std::string, std::size_t> index;
    for (auto& m : claimed) {
        const std::string key = m.message.bot_id + "|" + m.queue;
        const auto [it, fresh] = index.emplace(key, chats.size());
        if (fresh) {
            chats.emplace_back();
        }
        chats[it->second].push_back(std::move(m));
    }
    for (auto& chat : chats) {
        std::sort(chat.begin(), chat.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    }
    // The queues of one chat side by side, oldest first: a chat whose replies each have a URL of
    // their own (the WeCom AI bot) is delivered queue after queue by one lane (Impl::lane), so its
    // replies keep the order of the messages they answer.
    std::sort(chats.begin(), chats.end(), [](const auto& a, const auto& b) {
        return std::tie(a.front().message.bot_id, a.front().message.chat_id, a.front().id) <
               std::tie(b.front().message.bot_id, b.front().message.chat_id, b.front().id);
    });
    for (auto& chat : chats) {
        const auto found = max_bytes.find(chat.front().message.bot_id);
        if (found == max_bytes.end()) {
            continue;  // no such bot: send_chat fails the rows
        }
        for (const auto& batch : form_batches(chat, found->second)) {
            if (auto r = tx.outbox().set_batch(batch); !r) {
                return r;
            }
        }
    }
    return {};
}

}  // namespace

struct Worker::Impl {
    Impl(asio::io_context& io,
         store::Store& s,
         const AdapterMap& a,
         net::HttpClient& h,
         const Clock& c,
         WorkerOptions o)
        : ioc(io),
          store(s),
          adapters(a),
          http(h),
          clock(c),
          opt(std::move(o)),
          timer(io),
          rng(std::random_device{}()) {
        for (const auto& [id, adapter] : adapters) {
            max_bytes[id] = adapter->max_text_bytes();
        }
    }

    asio::io_context& ioc;
    store::Store& store;
    const AdapterMap& adapters;
    net::HttpClient& http;
    const Clock& clock;
    WorkerOptions opt;
    asio::steady_timer timer;
    bool stopping = false;
    bool woken = false;
    /// A wake() is posted and has not run yet: further ones add nothing (one per queued message).
    std::atomic<bool> wake_posted{false};
    std::function<void()> on_stopped;
    std::map<std::string, TokenBucket> buckets;  // "bot|chat"
    struct CachedToken {
        std::string value;
        TimePoint refresh_at;  ///< at 80 % of its lifetime
    };
    std::map<std::string, CachedToken> tokens;  // by bot id
    std::mt19937 rng;
    std::map<std::string, std::size_t, std::less<>> max_bytes;  ///< per bot, for form_batches
    /// Whether a bot's platform answers: the queues that failed since its last success, and
    /// whether that makes an outage (two or more queues).
    struct Health {
        std::set<std::string> failing;
        bool outage = false;
        TimePoint last_probe{};
    };
    std::map<std::string, Health> health;  // by bot id
    std::set<std::int64_t> probes;         ///< rows made due early to learn if a platform is back
    std::vector<std::string> back;         ///< bots back after an outage: released with the next claim
    void failed_once(const std::string& bot_id, const std::string& queue);
    void succeeded(const std::string& bot_id);
    /// Messages the platform accepted, with the time: marked sent in the next claim's unit of work
    /// (the round's chats finish together, and one unit instead of one per chat leaves the store
    /// thread to the webhooks), or by run() when it stops.
    Accepted accepted;

    /// The bot's access token, fetched when missing or due for refresh; errors as the send would.
    asio::awaitable<result<std::string>> token_for(const std::string& bot_id, const Adapter& adapter);

    asio::awaitable<void> run();
    /// The lease of this process renewed (with a holder), and rows left 'sending' by processes
    /// that are gone put back to pending.
    store::Work requeue_unit(TimePoint now) const;
    /// What a claim unit hands back to its round (written on the store thread, read after it).
    struct Round {
        std::vector<std::vector<store::OutboxMessage>> chats;
        std::optional<TimePoint> next_due;
        std::vector<std::int64_t> probed;
    };
    /// The round's unit of work: `accepted` marked sent, `requeue` (when set), the bots back
    /// released, one probe for each bot still down, and the due messages claimed into `round`.
    store::Work claim_unit(TimePoint now,
                           store::Work requeue,
                           std::vector<std::string> release,
                           std::vector<std::string> probe,
                           std::shared_ptr<Round> round) const;
    asio::awaitable<void> deliver_chat(std::vector<store::OutboxMessage> messages);
    /// Sends the chat's messages in order; ids the platform accepted go to `sent` (recorded by
    /// deliver_chat in one unit of work when the chat is done, not one commit per message).
    /// One delivery through the adapter's API, with one token refresh when the platform asks.
    /// `adapter` and `d` belong to the caller's frame, which awaits this at once.
    asio::awaitable<SendOutcome> send_once(const std::string& bot_id,
                                           const Adapter& adapter,
                                           const Delivery& d,
                                           const std::string& context);
    asio::awaitable<void> send_chat(const std::vector<store::OutboxMessage>& messages,
                                    std::vector<std::int64_t>& sent);
    /// A delivery the platform did not take, to be tried again: the chat's `remaining` rows back
    /// to pending, not before the platform asked and backing off with jitter (a failed probe
    /// waits as long as it would have without it). The arguments belong to send_chat's frame.
    asio::awaitable<void> retry_later(const std::string& bot_id,
                                      const Adapter& adapter,
                                      const std::string& queue,
                                      int attempts,
                                      bool probe,
                                      const SendOutcome& outcome,
                                      TimePoint now,
                                      std::vector<std::int64_t> remaining);
    /// Delivers the chats concurrently, at most `parallel_chats` at a time; returns when all are done.
    asio::awaitable<void> deliver_all(std::vector<std::vector<store::OutboxMessage>> chats);
    /// One lane of deliver_all: takes the next chat of `chats` until none is left (or stopping).
    /// `chats` and `next` belong to deliver_all's frame, which waits for every lane.
    asio::awaitable<void> lane(std::vector<std::vector<store::OutboxMessage>>& chats, std::size_t& next);
    asio::awaitable<bool> update(store::Work work);
    using RowOp = std::function<result<void>(store::Tx&, std::int64_t)>;
    void count(const Adapter& adapter, std::string_view outcome, std::size_t messages) const {
        if (opt.metrics != nullptr && messages > 0) {
            opt.metrics->outbox_delivery(adapter.platform(), outcome, messages);
        }
    }
    /// Applies `op` to each of `ids` in one unit of work (sent, failed).
    asio::awaitable<void> record(std::vector<std::int64_t> ids, RowOp op);
    /// One chat's `ids` (in order) back to pending at `next`, in one unit of work; `attempted`
    /// false when no request was made for them (rate limit, a failed probe).
    asio::awaitable<void> reschedule(std::vector<std::int64_t> ids,
                                     TimePoint next,
                                     std::string error,
                                     bool attempted = true);
    /// Sleeps until `next_due` (or the poll interval, whichever is sooner), a wake() or stop().
    asio::awaitable<void> idle_wait(std::optional<TimePoint> next_due);
    TokenBucket& bucket(const std::string& key,
                        const Adapter& adapter,
                        const std::string& bot_id,
                        TimePoint now);
};

asio::awaitable<bool> Worker::Impl::update(store::Work work) {
    const result<void> r = co_await net::run_unit(store, std::move(work), opt.store_deadline);
    if (!r) {
        log::error("outbox").kv("event", "store_update_failed").kv("reason", r.error().message());
    }
    co_return static_cast<bool>(r);
}

asio::awaitable<void> Worker::Impl::record(std::vector<std::int64_t> ids, RowOp op) {
    store::Work work = [ids = std::move(ids), op = std::move(op)](store::Tx& tx) -> result<void> {
        for (const auto id : ids) {
            if (auto r = op(tx, id); !r) {
                return r;
            }
        }
        return {};
    };
    (void)co_await update(std::move(work));
}

asio::awaitable<void> Worker::Impl::reschedule(std::vector<std::int64_t> ids,
                                               TimePoint next,
                                               std::string error,
                                               bool attempted) {
    store::Work work = [ids = std::move(ids), next, error = std::move(error), attempted](store::Tx& tx) {
        return tx.outbox().reschedule(ids, next, error, attempted);
    };
    (void)co_await update(std::move(work));
}

void Worker::Impl::failed_once(const std::string& bot_id, const std::string& queue) {
    Health& h = health[bot_id];
    h.failing.insert(queue);
    if (!h.outage && h.failing.size() >= 2) {
        h.outage = true;
        h.last_probe = clock.now();
        log::warn("outbox").kv("event", "platform_down").kv("bot", bot_id).kv("queues", h.failing.size());
    }
}

void Worker::Impl::succeeded(const std::string& bot_id) {
    const auto it = health.find(bot_id);
    if (it == health.end()) {
        return;
    }
    if (it->second.outage) {
        log::info("outbox").kv("event", "platform_back").kv("bot", bot_id);
        back.push_back(bot_id);
        woken = true;  // claim again at once: the released messages are due
    }
    health.erase(it);
}

TokenBucket& Worker::Impl::bucket(const std::string& key,
                                  const Adapter& adapter,
                                  const std::string& bot_id,
                                  TimePoint now) {
    auto it = buckets.find(key);
    if (it == buckets.end()) {
        const auto custom = opt.rate_per_minute.find(bot_id);
        const double per_minute =
            custom != opt.rate_per_minute.end() ? custom->second : adapter.per_chat_per_minute();
        it = buckets.emplace(key, TokenBucket(per_minute, std::max(1.0, per_minute / 3.0), now)).first;
    }
    return it->second;
}

asio::awaitable<result<std::string>> Worker::Impl::token_for(const std::string& bot_id,
                                                             const Adapter& adapter) {
    auto request = adapter.token_request();
    if (!request) {
        co_return result<std::string>(std::string());  // this platform needs none
    }
    const TimePoint now = clock.now();
    if (const auto it = tokens.find(bot_id); it != tokens.end() && now < it->second.refresh_at) {
        co_return result<std::string>(it->second.value);
    }
    const auto response = co_await http.request(std::move(*request));
    if (!response) {
        co_return result<std::string>(response.error());
    }
    auto token = adapter.parse_token(response->status, response->body);
    if (!token) {
        log::error("outbox").kv("event", "token_refused").kv("bot", bot_id).kv("status", response->status);
        co_return result<std::string>(token.error());
    }
    tokens[bot_id] = {token->value, now + token->lifetime * 4 / 5};
    log::info("outbox")
        .kv("event", "token_fetched")
        .kv("bot", bot_id)
        .kv("lifetime_s", token->lifetime.count());
    co_return result<std::string>(token->value);
}

asio::awaitable<void> Worker::Impl::idle_wait(std::optional<TimePoint> next_due) {
    auto wait = opt.poll;
    if (next_due) {
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next_due - clock.now());
        wait = std::clamp(until, std::chrono::milliseconds(0), opt.poll);
    }
    if (woken || stopping) {
        woken = false;
        co_return;
    }
    timer.expires_after(wait);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled by wake() or stop()
    woken = false;
}

store::Work Worker::Impl::requeue_unit(TimePoint now) const {
    return [holder = opt.holder, lease = opt.holder_lease, now](store::Tx& tx) -> result<void> {
        if (!holder.empty()) {
            if (auto held = tx.schedule().acquire_lease("outbox:" + holder, holder, now, now + lease);
                !held) {
                return held.error();
            }
        }
        auto n = tx.outbox().requeue_interrupted(holder, now);
        if (!n) {
            return n.error();
        }
        if (*n > 0) {
            log::info("outbox").kv("event", "requeued_interrupted").kv("messages", *n);
        }
        return {};
    };
}

store::Work Worker::Impl::claim_unit(TimePoint now,
                                     store::Work requeue,
                                     std::vector<std::string> release,
                                     std::vector<std::string> probe,
                                     std::shared_ptr<Round> round) const {
    // One unit: the last round's accepted messages marked sent, the next due ones claimed and
    // their batches stored, and when there are none, when the next one is due. Once a third of a
    // lease period (`requeue`): the lease renewed, and rows of processes gone requeued.
    return [round = std::move(round),
            now,
            batch = opt.batch,
            sent = accepted,
            requeue = std::move(requeue),
            release = std::move(release),
            probe = std::move(probe),
            &max_bytes = max_bytes,
            holder = opt.holder](store::Tx& tx) -> result<void> {
        if (auto marked = mark_sent(tx, sent); !marked) {
            return marked;
        }
        if (requeue) {
            if (auto r = requeue(tx); !r) {
                return r;
            }
        }
        for (const auto& bot_id : release) {
            auto n = tx.outbox().release(bot_id, now);
            if (!n) {
                return n.error();
            }
            log::info("outbox").kv("event", "released").kv("bot", bot_id).kv("messages", *n);
        }
        for (const auto& bot_id : probe) {
            auto id = tx.outbox().probe(bot_id, now);
            if (!id) {
                return id.error();
            }
            if (*id) {
                round->probed.push_back(**id);
            }
        }
        auto claimed = tx.outbox().claim_due(now, batch, holder);
        if (!claimed) {
            return claimed.error();
        }
        if (claimed->empty()) {
            auto due = tx.outbox().next_due();
            if (!due) {
                return due.error();
            }
            round->next_due = *due;
            return {};
        }
        return group_claimed(tx, std::move(*claimed), holder, max_bytes, round->chats);
    };
}

asio::awaitable<void> Worker::Impl::run() {
    TimePoint renewed{};
    if (co_await update(requeue_unit(clock.now()))) {
        renewed = clock.now();
    }
    while (!stopping) {
        const TimePoint now = clock.now();
        // Bots back after an outage: what waits on a backoff goes now. Bots still down: one probe
        // each per probe interval.
        std::vector<std::string> release = std::move(back);
        back.clear();
        std::vector<std::string> probe;
        for (auto& [bot_id, h] : health) {
            if (h.outage && now - h.last_probe >= opt.probe_interval) {
                h.last_probe = now;
                probe.push_back(bot_id);
            }
        }
        const bool renew = !opt.holder.empty() && now - renewed >= opt.holder_lease / 3;
        auto round = std::make_shared<Round>();
        store::Work claim = claim_unit(
            now, renew ? requeue_unit(now) : store::Work{}, std::move(release), std::move(probe), round);
        const bool claimed_ok = co_await update(std::move(claim));
        if (claimed_ok && renew) {
            renewed = now;
        }
        if (!claimed_ok) {
            co_await idle_wait(std::nullopt);  // `accepted` is kept for the next try
            continue;
        }
        accepted.clear();
        probes.insert(round->probed.begin(), round->probed.end());
        if (round->chats.empty()) {
            co_await idle_wait(round->next_due);
            continue;
        }
        co_await deliver_all(std::move(round->chats));
    }
    if (!accepted.empty()) {
        // A failure here leaves the rows 'sending': sent again after the restart (at least once).
        store::Work mark = [sent = std::move(accepted)](store::Tx& tx) {
            return mark_sent(tx, sent);
        };
        (void)co_await update(std::move(mark));
    }
    if (on_stopped) {
        auto f = std::move(on_stopped);
        f();
    }
}

asio::awaitable<void> Worker::Impl::deliver_all(std::vector<std::vector<store::OutboxMessage>> chats) {
    // Chats are independent: their deliveries overlap, and their outcomes share group commits.
    // Within a chat, deliver_chat keeps the order. Rows of chats not started when stopping stay
    // 'sending' and are requeued at the next start.
    // `parallel_chats` lanes, each taking the next chat until none is left (or stopping).
    std::size_t next = 0;
    std::size_t lanes = std::min(std::max<std::size_t>(1, opt.parallel_chats), chats.size());
    asio::steady_timer done(ioc, asio::steady_timer::time_point::max());
    for (std::size_t i = 0, n = lanes; i < n; ++i) {
        asio::co_spawn(ioc, lane(chats, next), [&lanes, &done](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    log::error("outbox").kv("event", "delivery_failed").kv("reason", x.what());
                }
            }
            if (--lanes == 0) {
                done.cancel();
            }
        });
    }
    if (lanes > 0) {
        auto [ec] = co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
        (void)ec;  // cancelled when the last lane is done
    }
}

asio::awaitable<void> Worker::Impl::lane(std::vector<std::vector<store::OutboxMessage>>& chats,
                                         std::size_t& next) {
    const auto same_chat = [&chats](std::size_t a, std::size_t b) {
        return chats[a].front().message.bot_id == chats[b].front().message.bot_id &&
               chats[a].front().message.chat_id == chats[b].front().message.chat_id;
    };
    while (!stopping && next < chats.size()) {
        // This chat's queues (group_claimed put them side by side), taken together and delivered one
        // after another; other lanes go on with other chats meanwhile.
        const std::size_t first = next;
        std::size_t end = first + 1;
        while (end < chats.size() && same_chat(first, end)) {
            ++end;
        }
        next = end;
        for (std::size_t i = first; i < end && !stopping; ++i) {
            co_await deliver_chat(std::move(chats[i]));
        }
    }
}

asio::awaitable<void> Worker::Impl::deliver_chat(std::vector<store::OutboxMessage> messages) {
    std::vector<std::int64_t> sent;
    co_await send_chat(messages, sent);
    // Marked sent with the next claim (run()). A crash before that commit sends these again after
    // the restart (at least once; Feishu's uuid and the webhook's id make the repeat recognisable).
    const TimePoint now = clock.now();
    for (const auto id : sent) {
        accepted.emplace_back(id, now);
    }
}

asio::awaitable<SendOutcome> Worker::Impl::send_once(const std::string& bot_id,
                                                     const Adapter& adapter,
                                                     const Delivery& d,
                                                     const std::string& context) {
    SendOutcome outcome;
    // An expired or revoked token is refreshed and the send tried once more at once.
    for (int round = 0; round < 2; ++round) {
        const auto token = co_await token_for(bot_id, adapter);
        if (!token) {
            co_return SendOutcome{
                SendOutcome::Kind::retry, {}, "no access token: " + token.error().message()};
        }
        // An adapter that throws (it should not: fuzz_adapters found one that did) fails this
        // message alone instead of ending the chat's delivery with the rows left 'sending'.
        result<OutboundRequest> request = errc::invalid_argument;
        try {
            request = adapter.send_request(d.message, context, *token, clock.now());
        } catch (const std::exception& e) {
            co_return SendOutcome{
                SendOutcome::Kind::failed, {}, std::string("cannot build the request: ") + e.what()};
        }
        if (!request) {
            co_return SendOutcome{
                SendOutcome::Kind::failed, {}, "cannot build the request: " + request.error().message()};
        }
        const auto response = co_await http.request(std::move(*request));
        if (!response) {
            co_return SendOutcome{SendOutcome::Kind::retry, {}, response.error().message()};
        }
        outcome = adapter.parse_send(response->status, response->headers, response->body);
        if (outcome.kind != SendOutcome::Kind::refresh_token) {
            co_return outcome;
        }
        tokens.erase(bot_id);
        log::info("outbox").kv("event", "token_expired").kv("bot", bot_id);
    }
    outcome.kind = SendOutcome::Kind::retry;  // refreshed and still refused
    co_return outcome;
}

asio::awaitable<void> Worker::Impl::retry_later(const std::string& bot_id,
                                                const Adapter& adapter,
                                                const std::string& queue,
                                                int attempts,
                                                bool probe,
                                                const SendOutcome& outcome,
                                                TimePoint now,
                                                std::vector<std::int64_t> remaining) {
    if (outcome.retry_after.count() == 0) {
        failed_once(bot_id, queue);  // a rate limit is not an outage
    }
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    const auto wait = std::max<std::chrono::milliseconds>(
        outcome.retry_after, backoff(attempts, opt.backoff_base, opt.backoff_max, jitter(rng)));
    const TimePoint next = now + wait;
    const std::string error = outcome.error;
    log::warn("outbox")
        .kv("event", "retry")
        .kv("bot", bot_id)
        .kv("attempts", attempts)
        .kv("in_ms", static_cast<std::int64_t>(wait.count()))
        .kv("reason", error);
    count(adapter, "retry", remaining.size());
    co_await reschedule(std::move(remaining), next, error, !probe);
}

asio::awaitable<void> Worker::Impl::send_chat(const std::vector<store::OutboxMessage>& messages,
                                              std::vector<std::int64_t>& sent) {
    const std::string& bot_id = messages.front().message.bot_id;
    const auto found = adapters.find(bot_id);
    std::vector<std::int64_t> all_ids;
    for (const auto& m : messages) {
        all_ids.push_back(m.id);
    }
    if (found == adapters.end() || !(found->second->sends() || found->second->pushes())) {
        log::error("outbox").kv("event", "no_sender").kv("bot", bot_id).kv("messages", all_ids.size());
        RowOp fail = [](store::Tx& tx, std::int64_t id) {
            return tx.outbox().fail(id, "no bot with a send API for this message");
        };
        co_await record(all_ids, std::move(fail));
        co_return;
    }
    const Adapter& adapter = *found->second;
    const std::string key = bot_id + "|" + messages.front().message.chat_id;
    const auto deliveries = plan(messages, adapter.max_text_bytes(), &adapter);
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
        const Delivery& d = deliveries[i];
        std::vector<std::int64_t> remaining;  // ids of this delivery and every later one
        for (std::size_t k = i; k < deliveries.size(); ++k) {
            remaining.insert(remaining.end(), deliveries[k].ids.begin(), deliveries[k].ids.end());
        }
        // Incomplete parts of a split message stay with the message's own id on its last part.
        if (remaining.empty()) {
            remaining.push_back(messages.back().id);
        }
        TimePoint now = clock.now();
        TokenBucket& b = bucket(key, adapter, bot_id, now);
        if (const TimePoint allowed = b.next_allowed(now); allowed > now) {
            // The chat's rate is used up: the rest waits (and will be merged with what arrives meanwhile).
            co_await reschedule(std::move(remaining), allowed, "waiting for the chat's rate limit", false);
            co_return;
        }
        b.take(now);
        // Tried before: the event's own reply channel may be what failed (retry_context).
        const std::string context =
            messages.front().attempts > 1 ? adapter.retry_context(d.context) : d.context;
        const SendOutcome outcome = co_await send_once(bot_id, adapter, d, context);
        now = clock.now();
        const store::OutboxMessage& head = messages.front();
        const bool probe = probes.erase(head.id) > 0;
        // A probe during an outage is not counted as an attempt.
        const int attempts = probe ? std::max(1, head.attempts - 1) : head.attempts;
        if (outcome.kind == SendOutcome::Kind::sent) {
            succeeded(bot_id);
            sent.insert(sent.end(), d.ids.begin(), d.ids.end());
            count(adapter, "sent", d.ids.size());
            // Counted in liaison_outbox_messages_total; a line each only at debug (at info it was
            // a third of the log's lines and of its write(2)s under load).
            log::debug("outbox")
                .kv("event", "sent")
                .kv("bot", bot_id)
                .kv("messages", d.ids.size())
                .kv("bytes", d.message.text.size());
            continue;
        }
        // A reply to a URL of its message only: that URL does not come back, and nothing else waits.
        const bool own_url_expired = !head.queue.empty() && head.queue != head.message.chat_id &&
                                     now - head.created_at > opt.reply_url_bound;
        if (outcome.kind == SendOutcome::Kind::failed || attempts >= opt.max_attempts || own_url_expired) {
            const auto ids =
                outcome.kind == SendOutcome::Kind::failed ? (d.ids.empty() ? remaining : d.ids) : remaining;
            const std::string error = outcome.error;
            log::error("outbox")
                .kv("event", "failed")
                .kv("bot", bot_id)
                .kv("attempts", attempts)
                .kv("reason", error);
            RowOp failed = [error](store::Tx& tx, std::int64_t id) {
                return tx.outbox().fail(id, error);
            };
            count(adapter, "failed", ids.size());
            co_await record(ids, std::move(failed));
            if (outcome.kind == SendOutcome::Kind::failed) {
                continue;
            }
            co_return;
        }
        co_await retry_later(
            bot_id, adapter, head.queue, attempts, probe, outcome, now, std::move(remaining));
        co_return;
    }
}

Worker::Worker(asio::io_context& ioc,
               store::Store& store,
               const AdapterMap& adapters,
               net::HttpClient& http,
               const Clock& clock,
               WorkerOptions options)
    : impl_(std::make_shared<Impl>(ioc, store, adapters, http, clock, std::move(options))) {}

Worker::~Worker() = default;

void Worker::start() {
    asio::co_spawn(impl_->ioc, impl_->run(), [impl = impl_](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                log::error("outbox").kv("event", "worker_failed").kv("reason", x.what());
            }
        }
    });
}

void Worker::wake() {
    // Thread-safe: the worker runs on its own io_context (bot/app.cpp), wake() comes from others.
    if (impl_->wake_posted.exchange(true)) {
        return;
    }
    asio::post(impl_->ioc, [impl = impl_] {
        impl->wake_posted = false;
        impl->woken = true;
        impl->timer.cancel();
    });
}

void Worker::stop(std::function<void()> on_stopped) {
    asio::post(impl_->ioc, [impl = impl_, f = std::move(on_stopped)]() mutable {
        impl->stopping = true;
        impl->on_stopped = std::move(f);
        impl->timer.cancel();
    });
}

}  // namespace bot::outbox
