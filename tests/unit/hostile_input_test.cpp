// Randomised hostile input for the parsers of untrusted bytes: every mutation must give a clear
// error (or a valid result), never a crash, an exception or a sanitizer report.
#include "adapters/common/checks.hpp"
#include "adapters/registry.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "bot/config.hpp"
#include "tests/support/signed_requests.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace bot {
namespace {

using namespace std::chrono_literals;

std::string mutate(std::string s, std::mt19937& rng) {
    std::uniform_int_distribution<int> op(0, 4);
    std::uniform_int_distribution<int> byte(0, 255);
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t at = rng() % s.size();
        switch (op(rng)) {
            case 0:
                s[at] = static_cast<char>(byte(rng));
                break;
            case 1:
                s.erase(at, 1 + rng() % 4);
                break;
            case 2:
                s.insert(at, 1, static_cast<char>(byte(rng)));
                break;
            case 3:
                s.insert(at, s.substr(at, 1 + rng() % 16));
                break;
            default:
                s.resize(at);
                break;
        }
    }
    return s;
}

TEST(HostileInput, ConfigParserSurvivesMutatedDocuments) {
    const std::string valid = R"({
      // comment
      "server": {"listen": "127.0.0.1:8080", "max_connections": 10, "tls": {"cert_file": "/x", "key_file": "/y"}},
      "store": {"driver": "sqlite", "path": "data/x.db", "max_batch": 8},
      "log": {"level": "info"},
      "bots": [{"id": "demo", "platform": "webhook", "secret": "${S}", "dedupe_ttl_s": 600}]
    })";
    const config::EnvLookup env = [](std::string_view) -> std::optional<std::string> {
        return "value-of-secret";
    };
    std::mt19937 rng(20261127);
    int rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string doc = mutate(valid, rng);
        config::LoadResult r;
        ASSERT_NO_THROW(r = config::parse(doc, env)) << doc;
        if (!r.config) {
            ++rejected;
            ASSERT_FALSE(r.problems.empty());
            for (const auto& p : r.problems) {
                EXPECT_FALSE(p.message.empty());
                EXPECT_EQ(p.message.find("value-of-secret"), std::string::npos);
            }
        }
    }
    EXPECT_GT(rejected, 1000) << "the mutations should mostly break the document";
    // Deep nesting and huge documents are errors, not stack overflows.
    EXPECT_FALSE(config::parse(std::string(100000, '['), env).config);
    EXPECT_FALSE(config::parse("{\"bots\":[" + std::string(50000, '{'), env).config);
}

TEST(HostileInput, WebhookAdapterSurvivesMutatedSignedBodies) {
    const adapters::webhook::WebhookAdapter adapter("demo", "hostile-secret", 300s, 3600s);
    const TimePoint now = TimePoint(std::chrono::seconds(1'800'000'000));
    const std::string valid =
        R"({"event_id":"e-1","chat":"c","user":"u","user_name":"张三","text":"填报\n第二行"})";
    std::mt19937 rng(42);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        HttpRequest r;
        r.method = "POST";
        r.body = mutate(valid, rng);
        // Correctly signed, so the parser behind the signature check is what gets exercised.
        r.headers = {{"x-liaison-timestamp", "1800000000"},
                     {"x-liaison-signature",
                      adapters::webhook::WebhookAdapter::sign("hostile-secret", "1800000000", r.body)}};
        result<WebhookOutcome> out = errc::malformed;
        ASSERT_NO_THROW(out = adapter.on_webhook(r, now));
        if (out) {
            ++accepted;
            ASSERT_TRUE(out->event);
            EXPECT_FALSE(out->event->dedupe_key.empty());
        } else {
            EXPECT_EQ(out.error(), make_error_code(errc::malformed));
        }
        // The same bytes with a mutated signature are always refused.
        r.headers[1].second = mutate(r.headers[1].second, rng);
        if (r.headers[1].second !=
            adapters::webhook::WebhookAdapter::sign("hostile-secret", "1800000000", r.body)) {
            EXPECT_FALSE(adapter.on_webhook(r, now));
        }
    }
    EXPECT_GT(accepted, 0);
}

TEST(HostileInput, EveryPlatformOfTheRegistrySurvivesMutatedSignedBodies) {
    const TimePoint now = TimePoint(std::chrono::seconds(1'800'000'000));
    for (const auto& p : test::signed_platforms()) {
        SCOPED_TRACE(std::string(p.platform));
        const auto adapter = p.make();
        ASSERT_EQ(adapter->platform(), p.platform);
        if (!p.request) {
            // Outbound only (a group robot's webhook): nothing that arrives is an event.
            HttpRequest r;
            r.method = "POST";
            r.body = R"({"text":"填报"})";
            const auto out = adapter->on_webhook(r, now);
            EXPECT_TRUE(!out || !out->event);
            continue;
        }
        // The sample is a message the platform sends: the seed the mutations start from.
        const auto seed = adapter->on_webhook(p.request(*adapter, p.sample), now);
        ASSERT_TRUE(seed && seed->event) << (seed ? "no event" : seed.error().message());
        EXPECT_NE(seed->event->text.find("填报"), std::string::npos) << seed->event->text;
        std::mt19937 rng(7);
        for (int i = 0; i < 1500; ++i) {
            const HttpRequest r = p.request(*adapter, mutate(p.sample, rng));
            result<WebhookOutcome> out = errc::malformed;
            ASSERT_NO_THROW(out = adapter->on_webhook(r, now));
            if (out && out->event) {
                EXPECT_FALSE(out->event->dedupe_key.empty());
                EXPECT_LE(out->event->text.size(), kMaxTextBytes);
                ASSERT_NO_THROW((void)adapter->acknowledge(*out->event, false, {}));
            }
        }
    }
}

TEST(RegistryCoverage, EveryPlatformHasASignedRequest) {
    // A platform added to adapters/registry.cpp without its row in tests/support/signed_requests.hpp
    // would skip the hostile input above and the adapter fuzz target.
    std::set<std::string, std::less<>> covered;
    for (const auto& p : test::signed_platforms()) {
        covered.insert(std::string(p.platform));
    }
    for (const auto& p : adapters::platforms()) {
        EXPECT_EQ(covered.count(p.name), 1u) << p.name << " has no row in signed_requests.hpp";
    }
    EXPECT_EQ(covered.size(), adapters::platforms().size());
}

}  // namespace
}  // namespace bot

// The checks every adapter shares (adapters/common/checks.hpp).
namespace bot::adapters {
namespace {

TEST(SharedChecks, TimestampWindowInSecondsAndMillisecondsBothWays) {
    const TimePoint now{std::chrono::seconds(1'700'000'000)};
    const auto window = std::chrono::seconds(300);
    EXPECT_TRUE(check_timestamp("1700000000", TimestampUnit::seconds, now, window));
    EXPECT_TRUE(check_timestamp("1700000300", TimestampUnit::seconds, now, window));
    EXPECT_EQ(check_timestamp("1699999699", TimestampUnit::seconds, now, window).error(),
              errc::stale_request);
    EXPECT_EQ(check_timestamp("1700000301", TimestampUnit::seconds, now, window).error(),
              errc::stale_request);
    EXPECT_TRUE(check_timestamp("1700000000999", TimestampUnit::milliseconds, now, window));
    EXPECT_EQ(check_timestamp("1700000301000", TimestampUnit::milliseconds, now, window).error(),
              errc::stale_request);
    for (const char* bad : {"", "abc", "17e9", " 1700000000", "1700000000 ", "0x10", "+"}) {
        EXPECT_EQ(check_timestamp(bad, TimestampUnit::seconds, now, window).error(), errc::malformed) << bad;
    }
    EXPECT_EQ(check_timestamp("9223372036854775807", TimestampUnit::seconds, now, window).error(),
              errc::stale_request)
        << "no overflow converting to milliseconds";
}

TEST(SharedChecks, HttpUrlsAreParsedNotMatchedByPrefix) {
    EXPECT_TRUE(is_http_url("https://ops.example/cb"));
    EXPECT_TRUE(is_http_url("http://127.0.0.1:8080/x"));
    for (const char* bad : {"ftp://x", "https://", "https:/x", "http//x", "x", "", "javascript:alert(1)"}) {
        EXPECT_FALSE(is_http_url(bad)) << bad;
    }
}

}  // namespace
}  // namespace bot::adapters
