#include "bot/core/metrics.hpp"

#include <cmath>
#include <cstdio>

namespace bot {
namespace {

const std::vector<double> kLatencyBounds{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
const std::vector<double> kBatchBounds{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

std::string format_number(double v) {
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, const std::string& value) {
    out += name;
    if (!labels.empty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) {
        ++i;
    }
    ++counts_[i];
    sum_ += value;
    ++count_;
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += counts_[i];
        const std::string le = i < bounds_.size() ? format_number(bounds_[i]) : "+Inf";
        sample(out, bucket, std::string(labels) + "le=\"" + le + "\"", std::to_string(cumulative));
    }
    std::string plain(labels);
    if (!plain.empty()) {
        plain.pop_back();  // trailing comma
    }
    sample(out, std::string(name) + "_sum", plain, format_number(sum_));
    sample(out, std::string(name) + "_count", plain, std::to_string(count_));
}

Metrics::Metrics() : commit_latency_(kLatencyBounds), commit_batch_(kBatchBounds) {}

void Metrics::http_request(std::string_view route, unsigned status, double seconds) {
    const std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), status}];
    auto it = latency_.find(route);
    if (it == latency_.end()) {
        it = latency_.emplace(std::string(route), Histogram(kLatencyBounds)).first;
    }
    it->second.observe(seconds);
}

void Metrics::connection_opened() {
    const std::lock_guard lock(mutex_);
    ++open_connections_;
    ++connections_total_;
}

void Metrics::connection_closed() {
    const std::lock_guard lock(mutex_);
    --open_connections_;
}

void Metrics::connection_rejected() {
    const std::lock_guard lock(mutex_);
    ++connections_rejected_;
}

void Metrics::store_commit(double seconds, std::size_t batch_size, bool ok) {
    const std::lock_guard lock(mutex_);
    commit_latency_.observe(seconds);
    commit_batch_.observe(static_cast<double>(batch_size));
    ++(ok ? commits_ok_ : commits_failed_);
}

void Metrics::outbox_delivery(std::string_view platform, std::string_view outcome, std::size_t messages) {
    const std::lock_guard lock(mutex_);
    deliveries_[{std::string(platform), std::string(outcome)}] += messages;
}

void Metrics::scheduler_tick(bool leader, std::size_t sent, std::size_t skipped, std::size_t unroutable) {
    const std::lock_guard lock(mutex_);
    ++(leader ? ticks_leader_ : ticks_follower_);
    scheduled_["sent"] += sent;
    scheduled_["skipped"] += skipped;
    scheduled_["unroutable"] += unroutable;
}

std::int64_t Metrics::open_connections() const {
    const std::lock_guard lock(mutex_);
    return open_connections_;
}

std::string Metrics::render() const {
    const std::lock_guard lock(mutex_);
    std::string out;
    out.reserve(4096);

    header(out, "liaison_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, count] : requests_) {
        sample(out,
               "liaison_http_requests_total",
               "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"",
               std::to_string(count));
    }
    header(out,
           "liaison_http_request_duration_seconds",
           "histogram",
           "Time from a complete request to its response being queued, by route.");
    for (const auto& [route, histogram] : latency_) {
        histogram.render(out, "liaison_http_request_duration_seconds", "route=\"" + route + "\",");
    }
    header(out, "liaison_http_open_connections", "gauge", "Client connections currently open.");
    sample(out, "liaison_http_open_connections", "", std::to_string(open_connections_));
    header(out, "liaison_http_connections_total", "counter", "Client connections accepted.");
    sample(out, "liaison_http_connections_total", "", std::to_string(connections_total_));
    header(out,
           "liaison_http_connections_rejected_total",
           "counter",
           "Connections refused because the connection limit was reached.");
    sample(out, "liaison_http_connections_rejected_total", "", std::to_string(connections_rejected_));

    header(out,
           "liaison_store_commit_duration_seconds",
           "histogram",
           "Duration of one group commit (transaction, units of work and fsync).");
    commit_latency_.render(out, "liaison_store_commit_duration_seconds", "");
    header(out, "liaison_store_commit_batch_size", "histogram", "Units of work per group commit.");
    commit_batch_.render(out, "liaison_store_commit_batch_size", "");
    header(out, "liaison_store_commits_total", "counter", "Group commits, by outcome.");
    sample(out, "liaison_store_commits_total", "result=\"ok\"", std::to_string(commits_ok_));
    sample(out, "liaison_store_commits_total", "result=\"error\"", std::to_string(commits_failed_));
    header(out,
           "liaison_outbox_messages_total",
           "counter",
           "Outgoing messages by platform and the outcome of their delivery attempt (sent, retry, failed).");
    for (const auto& [key, count] : deliveries_) {
        sample(out,
               "liaison_outbox_messages_total",
               "platform=\"" + key.first + "\",outcome=\"" + key.second + "\"",
               std::to_string(count));
    }
    header(out,
           "liaison_scheduler_ticks_total",
           "counter",
           "Scheduler ticks, by whether this process held the lease.");
    sample(out, "liaison_scheduler_ticks_total", "lease=\"held\"", std::to_string(ticks_leader_));
    sample(out, "liaison_scheduler_ticks_total", "lease=\"elsewhere\"", std::to_string(ticks_follower_));
    header(out,
           "liaison_scheduled_sends_total",
           "counter",
           "Scheduled messages decided by this process: sent (queued), skipped (past catch-up), unroutable.");
    for (const char* state : {"sent", "skipped", "unroutable"}) {
        const auto it = scheduled_.find(state);
        sample(out,
               "liaison_scheduled_sends_total",
               std::string("state=\"") + state + "\"",
               std::to_string(it == scheduled_.end() ? 0 : it->second));
    }
    if (calendar_until_) {
        header(out,
               "liaison_calendar_covered_until_timestamp_seconds",
               "gauge",
               "The end of the last day the working-day calendar's published data covers; after it holidays "
               "are computed and make-up days unknown.");
        sample(out, "liaison_calendar_covered_until_timestamp_seconds", "", std::to_string(*calendar_until_));
    }
    return out;
}

void Metrics::calendar_covered_until(std::int64_t unix_seconds) {
    const std::lock_guard lock(mutex_);
    calendar_until_ = unix_seconds;
}

}  // namespace bot
