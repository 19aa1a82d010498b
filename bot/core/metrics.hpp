#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot {

/// A cumulative histogram with fixed upper bounds (Prometheus semantics). Not thread-safe by itself;
/// `Metrics` guards it.
class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double value);
    /// Appends `name_bucket{...le="..."}`, `name_sum`, `name_count` lines; `labels` is either empty
    /// or `key="value",` pairs ending in a comma.
    void render(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // one per bound, plus +Inf
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

/// Process metrics, rendered in the Prometheus text exposition format (version 0.0.4).
/// Thread-safe: the I/O thread records requests and connections, the store thread records commits.
class Metrics {
public:
    Metrics();

    void http_request(std::string_view route, unsigned status, double seconds);
    void connection_opened();
    void connection_closed();
    void connection_rejected();
    void store_commit(double seconds, std::size_t batch_size, bool ok);
    /// One delivery attempt by the outbox worker: "sent", "retry" or "failed", per platform.
    void outbox_delivery(std::string_view platform, std::string_view outcome, std::size_t messages);

    /// One scheduler tick: sends decided now, by state ("sent", "skipped", "unroutable").
    void scheduler_tick(bool leader, std::size_t sent, std::size_t skipped, std::size_t unroutable);

    /// The end of the last day the working-day calendar's data covers (Unix seconds).
    void calendar_covered_until(std::int64_t unix_seconds);

    std::int64_t open_connections() const;
    std::string render() const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, Histogram, std::less<>> latency_;
    std::int64_t open_connections_ = 0;
    std::uint64_t connections_total_ = 0;
    std::uint64_t connections_rejected_ = 0;
    Histogram commit_latency_;
    Histogram commit_batch_;
    std::uint64_t commits_ok_ = 0;
    std::uint64_t commits_failed_ = 0;
    std::map<std::pair<std::string, std::string>, std::uint64_t>
        deliveries_;  // (platform, outcome) → messages
    std::uint64_t ticks_leader_ = 0;
    std::uint64_t ticks_follower_ = 0;
    std::map<std::string, std::uint64_t, std::less<>> scheduled_;  // state → sends
    std::optional<std::int64_t> calendar_until_;
};

}  // namespace bot
