#include "bot/outbox/plan.hpp"
#include "templates/text.hpp"

#include <gtest/gtest.h>

namespace bot::outbox {
namespace {

using namespace std::chrono_literals;

store::OutboxMessage row(std::int64_t id, const std::string& mention, const std::string& text) {
    store::OutboxMessage m;
    m.id = id;
    m.message.bot_id = "sl";
    m.message.chat_id = "C9";
    m.message.mention_user_id = mention;
    m.message.mention_name = mention;
    m.message.text = text;
    m.attempts = 1;  // as claimed for the first time
    return m;
}

/// Batches formed as at the claim, then the plan.
std::vector<Delivery> claim_and_plan(std::vector<store::OutboxMessage> rows, std::size_t max_bytes) {
    form_batches(rows, max_bytes);
    return plan(rows, max_bytes);
}

TEST(OutboxPlan, ABacklogToOnePersonBecomesFewerMessages) {
    std::vector<store::OutboxMessage> rows{
        row(1, "U1", "一"), row(2, "U1", "二"), row(3, "U2", "三"), row(4, "U1", "四")};
    const auto batches = form_batches(rows, 1000);
    ASSERT_EQ(batches, (std::vector<std::vector<std::int64_t>>{{1, 2}})) << "stored with the claim";
    EXPECT_EQ(rows[0].batch, 1);
    EXPECT_EQ(rows[1].batch, 1);
    EXPECT_EQ(rows[2].batch, 0);
    const auto d = plan(rows, 1000);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].ids, (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(d[0].message.text, "一\n\n二");
    EXPECT_EQ(d[1].ids, (std::vector<std::int64_t>{3}));
    EXPECT_EQ(d[2].ids, (std::vector<std::int64_t>{4})) << "order is kept: no merging across another person";
    EXPECT_EQ(d[0].message.idempotency_key, "liaison-1-2");
    EXPECT_EQ(d[1].message.idempotency_key, "liaison-3-p0");
    // Without a batch, nothing is merged: a row is sent alone under its own key.
    EXPECT_EQ(plan({row(1, "U1", "一"), row(2, "U1", "二")}, 1000).size(), 2u);
}

TEST(OutboxPlan, ABatchIsSentAgainAsTheSameMessageAndARetriedRowJoinsNone) {
    // Rows 1 and 2 went out merged, and the process died before it recorded the answer. After the
    // restart they are claimed again (attempt 2) with row 3 behind them, for the same person.
    std::vector<store::OutboxMessage> rows{row(1, "U1", "一"), row(2, "U1", "二"), row(3, "U1", "三")};
    rows[0].batch = rows[1].batch = 1;
    rows[0].attempts = rows[1].attempts = 2;
    EXPECT_TRUE(form_batches(rows, 1000).empty()) << "row 3 does not join a batch sent before";
    const auto d = plan(rows, 1000);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].message.text, "一\n\n二") << "the same text as the first time";
    EXPECT_EQ(d[0].message.idempotency_key, "liaison-1-2") << "under the same key";
    EXPECT_EQ(d[1].message.idempotency_key, "liaison-3-p0");
    // A row sent alone and retried stays alone: it was shown (maybe) as itself.
    std::vector<store::OutboxMessage> retried{row(4, "U1", "四"), row(5, "U1", "五")};
    retried[0].attempts = 2;
    EXPECT_TRUE(form_batches(retried, 1000).empty());
    EXPECT_EQ(plan(retried, 1000)[0].message.idempotency_key, "liaison-4-p0");
}

TEST(OutboxPlan, MergingStopsAtTheSizeLimit) {
    const auto d =
        claim_and_plan({row(1, "U1", std::string(60, 'a')), row(2, "U1", std::string(60, 'b'))}, 100);
    ASSERT_EQ(d.size(), 2u);
    const auto three = claim_and_plan({row(1, "U1", std::string(40, 'a')),
                                       row(2, "U1", std::string(40, 'b')),
                                       row(3, "U1", std::string(40, 'c'))},
                                      100);
    ASSERT_EQ(three.size(), 2u);
    EXPECT_EQ(three[0].ids, (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(three[1].ids, (std::vector<std::int64_t>{3}));
}

TEST(OutboxPlan, LongMessagesAreSplitUtf8SafelyPreferringLineBreaks) {
    std::string text;
    for (int i = 0; i < 40; ++i) {
        text += "第" + std::to_string(i) + "行内容\n";
    }
    const auto d = plan({row(7, "U1", text)}, 100);
    ASSERT_GT(d.size(), 1u);
    std::string joined;
    for (std::size_t i = 0; i < d.size(); ++i) {
        EXPECT_LE(d[i].message.text.size(), 100u);
        EXPECT_TRUE(templates::text::char_count(d[i].message.text).has_value())
            << "a part cut inside a character";
        EXPECT_EQ(d[i].ids.empty(), i + 1 < d.size()) << "only the last part completes the row";
        if (i + 1 < d.size()) {
            EXPECT_EQ(d[i].message.text.back(), '\n') << "cut at a line break";
        }
        joined += d[i].message.text;
    }
    EXPECT_EQ(joined, text);
    // Without line breaks: cut between characters.
    const auto parts = split_text(std::string(50, 'x') + "汉字汉字汉字", 52);
    for (const auto& p : parts) {
        EXPECT_TRUE(templates::text::char_count(p).has_value());
        EXPECT_LE(p.size(), 52u);
    }
}

TEST(OutboxPlan, BackoffGrowsWithJitterAndACap) {
    EXPECT_EQ(backoff(1, 2000ms, 600'000ms, 0.5), 2000ms);
    EXPECT_EQ(backoff(3, 2000ms, 600'000ms, 0.5), 8000ms);
    EXPECT_EQ(backoff(30, 2000ms, 600'000ms, 0.5), 600'000ms);
    EXPECT_EQ(backoff(1, 2000ms, 600'000ms, 0.0), 1600ms);
    EXPECT_EQ(backoff(1, 2000ms, 600'000ms, 1.0), 2400ms);
}

TEST(OutboxPlan, TokenBucketAllowsABurstThenTheRate) {
    const TimePoint t0(std::chrono::seconds(1000));
    TokenBucket b(20, 3, t0);  // 20 per minute: one every 3 s after a burst of 3
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(b.next_allowed(t0), t0);
        b.take(t0);
    }
    EXPECT_EQ(b.next_allowed(t0), t0 + 3s);
    EXPECT_EQ(b.next_allowed(t0 + 3s), t0 + 3s);
    b.take(t0 + 3s);
    EXPECT_GT(b.next_allowed(t0 + 3s), t0 + 3s);
}

}  // namespace
}  // namespace bot::outbox
