#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/store.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Pure decisions of the outbox worker: what to send in how many requests, and when to retry.
namespace bot::outbox {

/// One request's worth of text. `ids` are the outbox rows it completes: a long message split in
/// parts carries its id on the last part only, so it counts as sent when all parts are.
struct Delivery {
    std::vector<std::int64_t> ids;
    Message message;
    std::string context;
    std::int64_t batch = 0;  ///< the rows' batch, 0 for a message sent alone
};

/// Decides, when they are claimed, which messages of one queue (in id order) go out merged: runs
/// of consecutive messages to the same person, on their first attempt and in no batch yet, while
/// they fit in `max_bytes` (a backlog becomes fewer, longer messages). Sets their `batch` to the
/// run's first id and returns each new batch's ids (a message with a doc is always sent alone), for the claim
/// to store before anything is sent: an interrupted or failed batch is sent again whole, as the same text
/// under the same key.
std::vector<std::vector<std::int64_t>> form_batches(std::vector<store::OutboxMessage>& queue,
                                                    std::size_t max_bytes);

/// Plans the claimed messages of one queue (in id order): the messages of one batch are one
/// request ("liaison-<first>-<last>"); any other message is sent alone ("liaison-<id>-p<part>"),
/// split at line breaks (else at characters, UTF-8 safe) when longer than `max_bytes`. A message
/// with a doc is split by bot::split() so that each part, as `adapter` renders it
/// (Adapter::rendered_bytes), fits Adapter::max_doc_bytes(); without an adapter, its plain text
/// must fit `max_bytes`.
std::vector<Delivery> plan(const std::vector<store::OutboxMessage>& messages,
                           std::size_t max_bytes,
                           const Adapter* adapter = nullptr);

/// Splits `text` into parts of at most `max_bytes` bytes, never inside a UTF-8 sequence.
std::vector<std::string> split_text(std::string_view text, std::size_t max_bytes);

/// Exponential backoff for the `attempt`-th failure (1-based): base·2^(attempt−1), capped at
/// `cap`, scaled by a jitter factor in [0.8, 1.2] taken from `jitter01` ∈ [0, 1).
std::chrono::milliseconds backoff(int attempt,
                                  std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap,
                                  double jitter01);

/// A per-chat token bucket: `capacity` messages at once, refilled at `per_minute`.
class TokenBucket {
public:
    TokenBucket(double per_minute, double capacity, TimePoint now);
    /// When the next message may go (now, if a token is available); take() consumes it.
    TimePoint next_allowed(TimePoint now);
    void take(TimePoint now);

private:
    void refill(TimePoint now);
    double per_second_;
    double capacity_;
    double tokens_;
    TimePoint last_;
};

}  // namespace bot::outbox
