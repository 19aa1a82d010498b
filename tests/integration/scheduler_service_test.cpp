// The scheduler and the operators' API through the built binary: /api/v1 behind a bearer token,
// reminders and digests delivered to a webhook bot's callback_url (a fake platform on loopback),
// and two `liaison-bot tick` processes on one store.
#include "adapters/webhook/webhook_adapter.hpp"
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <signal.h>
#include <thread>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using test::Child;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kSecret = "scheduler-test-secret-1";
const std::string kToken = "api-token-0123456789abcdef";

class SchedulerServiceTest : public ::testing::Test {
protected:
    std::string write_config(bool api, bool scheduler_enabled) {
        const std::string src = LIAISON_SOURCE_DIR;
        return dir.write("liaison.jsonc",
                         R"({
            "server": { "listen": "127.0.0.1:0" },
            "store": { "path": ")" +
                             db() + R"(" },
            "templates_dir": ")" +
                             src + R"(/templates/data",
            "roster": ")" + src +
                             R"(/seeds/roster.jsonc",
            "calendar": ")" + src +
                             R"(/seeds/calendar-cn.jsonc",
            "bots": [ { "id": "demo", "platform": "webhook", "secret": "${TEST_BOT_SECRET}",
                        "callback_url": ")" +
                             fake.base_url() + R"(/liaison" } ],
            "scheduler": {
              "enabled": )" + (scheduler_enabled ? "true" : "false") +
                             R"(,
              "coordinator_chats": [ { "bot": "demo", "chat": "coordinators" } ],
              "digest": { "weekday": "monday", "time": "09:00", "chats": [ { "bot": "demo", "chat": "coordinators" } ] }
            })" + (api ? R"(, "api": { "token": "${TEST_API_TOKEN}" })" : "") +
                             R"(
        })");
    }
    std::string db() const { return dir.file("data/liaison.db"); }
    std::vector<std::string> env() const {
        return {"TEST_BOT_SECRET=" + kSecret, "TEST_API_TOKEN=" + kToken};
    }

    std::unique_ptr<Child> start(const std::string& config) {
        auto child = std::make_unique<Child>(
            kExe, std::vector<std::string>{"serve", "--config", config}, env(), dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        if (!line) {
            ADD_FAILURE() << "server did not start; stderr:\n" << log();
            return child;
        }
        port = test::port_from_banner(*line);
        return child;
    }
    std::string log() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }
    std::optional<test::Response> api(std::string_view method,
                                      std::string_view target,
                                      std::string_view body = {},
                                      const std::string& token = kToken) {
        std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) {
            headers.emplace_back("Authorization", "Bearer " + token);
        }
        return test::request(port, method, target, body, headers);
    }

    test::TempDir dir;
    test::FakePlatform fake;
    std::uint16_t port = 0;
};

TEST_F(SchedulerServiceTest, TheApiNeedsTheTokenAndRemindsAndPostsTheDigest) {
    auto child = start(write_config(true, false));
    ASSERT_NE(port, 0);
    // 401 without a token, with a wrong one, with another scheme; no route is revealed.
    for (const std::string& token : {std::string(), std::string("wrong-token-0123456789"), kToken + "x"}) {
        const auto r = api("GET", "/api/v1/status", {}, token);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 401u) << token;
        EXPECT_EQ(r->header("www-authenticate"), "Bearer");
    }
    EXPECT_EQ(
        test::request(port, "GET", "/api/v1/status", {}, {{"Authorization", "Basic " + kToken}})->status,
        401u);
    EXPECT_EQ(api("GET", "/api/v1/nothing-here", {}, "")->status, 401u);

    const auto status = api("GET", "/api/v1/status?template=weekly_progress");
    ASSERT_TRUE(status);
    ASSERT_EQ(status->status, 200u) << status->body;
    const auto j = json::parse(status->body);
    ASSERT_EQ(j["templates"].size(), 1u);
    EXPECT_EQ(j["templates"][0]["id"], "weekly_progress");
    EXPECT_EQ(j["templates"][0]["expected"], 5);
    EXPECT_EQ(j["templates"][0]["units"][1]["id"], "heping");
    EXPECT_EQ(j["templates"][0]["units"][1]["state"], "missing");
    EXPECT_EQ(j["templates"][0]["units"][1]["officers"][0]["name"], "李四");
    EXPECT_EQ(api("GET", "/api/v1/status?template=nope")->status, 404u);
    EXPECT_EQ(api("GET", "/api/v1/status")->status, 200u);

    // Hostile and malformed bodies are refused before anything is done.
    for (const std::string& bad : {std::string("{"),
                                   std::string("[1,2]"),
                                   std::string(R"({"units":"heping"})"),
                                   std::string(R"({"units":[42]})"),
                                   std::string(R"({"units":["nowhere"]})"),
                                   std::string(R"({"template":"nope"})"),
                                   std::string(R"({"evil":true})"),
                                   std::string("\xff\xfe{}")}) {
        const auto r = api("POST", "/api/v1/remind", bad);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 400u) << bad << " → " << r->body;
    }
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM outbox"), "0\n");

    const auto remind = api("POST", "/api/v1/remind", R"({"template":"weekly_progress","units":["heping"]})");
    ASSERT_TRUE(remind);
    ASSERT_EQ(remind->status, 200u) << remind->body;
    EXPECT_EQ(json::parse(remind->body)["queued"], 2) << "李四 and the group's count";
    ASSERT_TRUE(fake.wait_for(2, 10s)) << log();
    const auto again = api("POST", "/api/v1/remind", R"({"template":"weekly_progress"})");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 429u);
    EXPECT_FALSE(again->header("retry-after").empty());

    const auto digest = api("POST", "/api/v1/digest");
    ASSERT_TRUE(digest);
    ASSERT_EQ(digest->status, 200u) << digest->body;
    EXPECT_EQ(json::parse(digest->body)["queued"], 1);
    ASSERT_TRUE(fake.wait_for(3, 10s)) << log();
    EXPECT_EQ(api("POST", "/api/v1/digest", R"({"chats":[{"bot":"nobot","chat":"x"}]})")->status, 400u);
    EXPECT_EQ(api("GET", "/api/v1/remind")->status, 405u);
    EXPECT_EQ(api("POST", "/api/v1/status")->status, 405u);
    EXPECT_EQ(api("GET", "/api/v1/nothing-here")->status, 404u);

    // What reached the platform: signed like inbound requests, in order, with the words.
    const auto sent = fake.requests();
    ASSERT_EQ(sent.size(), 3u);
    for (const auto& r : sent) {
        EXPECT_EQ(r.target, "/liaison");
        const auto ts = r.headers.at("x-liaison-timestamp");
        EXPECT_EQ(r.headers.at("x-liaison-signature"),
                  adapters::webhook::WebhookAdapter::sign(kSecret, ts, r.body));
    }
    const auto first = json::parse(sent[0].body);
    EXPECT_EQ(first["chat"], "demo-group");
    EXPECT_EQ(first["mention"]["name"], "李四");
    EXPECT_EQ(first["mention"]["user"], "u-lisi");
    // The wording depends on the real clock (before or after Friday's deadline); both name the unit.
    EXPECT_EQ(first["text"].get<std::string>().rfind("提醒:《工作进度周报》", 0), 0u) << first["text"];
    EXPECT_NE(first["text"].get<std::string>().find("和平街道"), std::string::npos) << first["text"];
    EXPECT_EQ(json::parse(sent[1].body)["mention"]["user"], "");
    const auto posted = json::parse(sent[2].body);
    EXPECT_EQ(posted["chat"], "coordinators");
    EXPECT_EQ(posted["text"].get<std::string>().rfind("【联络工作周报】", 0), 0u) << posted["text"];
    EXPECT_EQ(log().find(kToken), std::string::npos) << "the API token reached the log";
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s), 0);
}

TEST_F(SchedulerServiceTest, WithoutATokenThereIsNoApiAndServeTicksAtStart) {
    auto child = start(write_config(false, true));
    ASSERT_NE(port, 0);
    EXPECT_EQ(api("GET", "/api/v1/status")->status, 404u);
    // The first tick runs at start: it holds the lease and moves the cursor.
    bool ticked = false;
    for (int i = 0; i < 100 && !ticked; ++i) {
        const auto m = test::request(port, "GET", "/metrics");
        ticked = m && m->body.find(R"(liaison_scheduler_ticks_total{lease="held"} 1)") != std::string::npos;
        if (!ticked) {
            std::this_thread::sleep_for(50ms);
        }
    }
    EXPECT_TRUE(ticked) << log();
    // The calendar's published data ends with 2026: /metrics says until when (2027-01-01 00:00 in
    // Shanghai), /readyz stays ready, and the start warned.
    EXPECT_NE(test::request(port, "GET", "/metrics")
                  ->body.find("liaison_calendar_covered_until_timestamp_seconds 1798732800"),
              std::string::npos);
    EXPECT_EQ(test::request(port, "GET", "/readyz")->status, 200u);
    EXPECT_NE(log().find("the working-day data ends on 2026-12-31"), std::string::npos) << log();
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM scheduler_state WHERE name = 'scheduler.cursor'"),
              "1\n");
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s), 0) << log();
}

TEST_F(SchedulerServiceTest, AReplayNeverMovesTheClockOfARunningService) {
    const std::string config = write_config(false, true);
    auto child = start(config);
    ASSERT_NE(port, 0);
    const auto cursor = [&] {
        return test::query(db(), "SELECT value FROM scheduler_state WHERE name = 'scheduler.cursor'");
    };
    for (int i = 0; i < 100 && cursor().empty(); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    const std::string before = cursor();
    ASSERT_FALSE(before.empty()) << "serve ticked at start";
    // Tomorrow, while serve runs: refused with the reason and the way to do it; nothing moved.
    const auto refused = test::run(kExe, {"tick", "--config", config, "--at", "2026-12-31T09:00:00+08:00"}, env());
    EXPECT_EQ(refused.code, 2) << refused.output;
    EXPECT_NE(refused.output.find("refused: a running service"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("--store COPY.db"), std::string::npos) << refused.output;
    EXPECT_EQ(cursor(), before);
    EXPECT_EQ(test::query(db(), "SELECT holder != 'x' FROM leases WHERE name = 'scheduler'"), "1\n");
    // Into a copy it runs, and the live store is untouched.
    const std::string copy = dir.file("replay.db");
    const auto made = test::run(kExe, {"backup", copy, "--config", config}, env());
    ASSERT_EQ(made.code, 0) << made.output;
    for (const std::string at : {"2026-12-31T09:00:00+08:00", "2027-01-04T09:00:00+08:00"}) {
        const auto replay = test::run(kExe, {"tick", "--config", config, "--store", copy, "--at", at}, env());
        EXPECT_EQ(replay.code, 0) << replay.output;
        EXPECT_NE(replay.output.find("leader=yes"), std::string::npos) << replay.output;
    }
    EXPECT_EQ(cursor(), before);
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s), 0) << log();
}

TEST_F(SchedulerServiceTest, TwoTickProcessesOnOneStoreQueueEachSendOnce) {
    const std::string config = write_config(false, true);
    // Thursday 10:00 (the working day before, privately: the webhook bot has a callback), Friday
    // 15:00 and 17:00, Monday 09:00 (escalation and digest): each moment by two processes at once.
    const std::vector<std::string> moments{"2026-11-26T10:00:00+08:00",
                                           "2026-11-27T15:00:00+08:00",
                                           "2026-11-27T17:00:00+08:00",
                                           "2026-11-30T09:00:00+08:00"};
    for (const auto& at : moments) {
        // Both under one lease name, so that both run: only the unique keys stand between them.
        auto a = std::async(std::launch::async, [&] {
            return test::run(kExe, {"tick", "--config", config, "--at", at, "--holder", "same"}, env());
        });
        auto b = std::async(std::launch::async, [&] {
            return test::run(kExe, {"tick", "--config", config, "--at", at, "--holder", "same"}, env());
        });
        for (const auto& r : {a.get(), b.get()}) {
            ASSERT_EQ(r.code, 0) << r.output;
            EXPECT_NE(r.output.find("leader=yes"), std::string::npos) << r.output;
        }
        // Another holder at the same moment finds the lease taken and does nothing.
        const auto c = test::run(kExe, {"tick", "--config", config, "--at", at}, env());
        ASSERT_EQ(c.code, 0) << c.output;
        EXPECT_NE(c.output.find("leader=no rounds=0 queued=0"), std::string::npos) << c.output;
    }
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM outbox"), "21\n")
        << "5 private reminders + a count, twice 5 @-mentions + a count, an escalation, a digest, and "
           "the notice that the calendar's data ends on 2026-12-31\n"
        << test::query(db(), "SELECT created_at, chat_id, mention_name, direct FROM outbox ORDER BY id");
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM outbox WHERE direct = 1"), "5\n");
    EXPECT_EQ(
        test::query(
            db(),
            "SELECT chat_id FROM outbox WHERE text LIKE '【工作日历】日历数据只到 2026-12-31。2027 年起%'"),
        "coordinators\n")
        << "told once, by one of the two processes";
    EXPECT_EQ(
        test::query(db(), "SELECT count(*) FROM scheduled_sends WHERE send_key LIKE 'digest/2026-W49/%'"),
        "1\n");
    // Bad --at values are usage errors.
    const auto bad = test::run(kExe, {"tick", "--config", config, "--at", "next tuesday"}, env());
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.output.find("--at: expected a time"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace bot
