#include "bot/core/metrics.hpp"

#include "tests/support/prometheus.hpp"

#include <gtest/gtest.h>

namespace bot {
namespace {

TEST(Metrics, RendersWellFormedPrometheusText) {
    Metrics m;
    m.http_request("/healthz", 200, 0.0003);
    m.http_request("/healthz", 200, 0.02);
    m.http_request("/hooks/{bot}", 401, 0.001);
    m.connection_opened();
    m.connection_opened();
    m.connection_closed();
    m.store_commit(0.004, 12, true);
    m.store_commit(0.5, 1, false);
    m.outbox_delivery("slack", "sent", 3);
    m.outbox_delivery("slack", "sent", 1);
    m.outbox_delivery("telegram", "retry", 2);
    m.scheduler_tick(true, 5, 1, 0);
    m.scheduler_tick(false, 0, 0, 0);
    m.scheduler_tick(true, 2, 0, 3);
    const std::string text = m.render();
    const auto parsed = test::parse_prometheus(text);
    ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
    EXPECT_EQ(parsed.value("liaison_http_requests_total{route=\"/healthz\",status=\"200\"}"), 2);
    EXPECT_EQ(parsed.value("liaison_http_requests_total{route=\"/hooks/{bot}\",status=\"401\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_http_open_connections"), 1);
    EXPECT_EQ(parsed.value("liaison_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"}"),
              1);
    EXPECT_EQ(parsed.value("liaison_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"),
              2);
    EXPECT_EQ(parsed.value("liaison_http_request_duration_seconds_count{route=\"/healthz\"}"), 2);
    EXPECT_EQ(parsed.value("liaison_store_commit_batch_size_bucket{le=\"16\"}"), 2);
    EXPECT_EQ(parsed.value("liaison_store_commit_batch_size_bucket{le=\"8\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_store_commit_batch_size_sum"), 13);
    EXPECT_EQ(parsed.value("liaison_store_commits_total{result=\"error\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_outbox_messages_total{platform=\"slack\",outcome=\"sent\"}"), 4);
    EXPECT_EQ(parsed.value("liaison_outbox_messages_total{platform=\"telegram\",outcome=\"retry\"}"), 2);
    EXPECT_EQ(parsed.value("liaison_scheduler_ticks_total{lease=\"held\"}"), 2);
    EXPECT_EQ(parsed.value("liaison_scheduler_ticks_total{lease=\"elsewhere\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_scheduled_sends_total{state=\"sent\"}"), 7);
    EXPECT_EQ(parsed.value("liaison_scheduled_sends_total{state=\"skipped\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_scheduled_sends_total{state=\"unroutable\"}"), 3);
}

TEST(Metrics, CheckerRejectsBrokenText) {
    EXPECT_FALSE(test::parse_prometheus("metric_without_value\n").errors.empty());
    EXPECT_FALSE(test::parse_prometheus("# TYPE x counter\nx{a=\"1\" 3\n").errors.empty());
    EXPECT_FALSE(test::parse_prometheus("# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n"
                                        "h_sum 1\nh_count 2\n")
                     .errors.empty());
    EXPECT_FALSE(test::parse_prometheus("y 1\n").errors.empty()) << "sample without a TYPE line";
}

}  // namespace
}  // namespace bot
