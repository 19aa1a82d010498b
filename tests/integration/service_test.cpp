// The built liaison-bot binary, driven as an operator would: start, signal, restart, check-config.
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <signal.h>
#include <thread>

namespace bot {
namespace {

using namespace std::chrono_literals;
using test::Child;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kSecret = "service-test-secret-1";

class ServiceTest : public ::testing::Test {
protected:
    std::string write_config(const std::string& extra_server = "") {
        return dir.write("liaison.jsonc",
                         R"({
            // test configuration
            "server": { "listen": "127.0.0.1:0", "read_timeout_ms": 5000 )" +
                             extra_server + R"( },
            "store": { "path": ")" +
                             dir.file("data/liaison.db") + R"(" },
            "templates_dir": ")" +
                             std::string(LIAISON_SOURCE_DIR) + R"(/templates/data",
            "roster": ")" + std::string(LIAISON_SOURCE_DIR) +
                             R"(/seeds/roster.jsonc",
            "calendar": ")" + std::string(LIAISON_SOURCE_DIR) +
                             R"(/seeds/calendar-cn.jsonc",
            "bots": [ { "id": "demo", "platform": "webhook", "secret": "${TEST_BOT_SECRET}" } ]
        })");
    }

    std::unique_ptr<Child> start(const std::string& config) {
        auto child = std::make_unique<Child>(kExe,
                                             std::vector<std::string>{"serve", "--config", config},
                                             std::vector<std::string>{"TEST_BOT_SECRET=" + kSecret},
                                             dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        if (!line) {
            ADD_FAILURE() << "server did not start; stderr:\n" << stderr_text();
            return child;
        }
        port = test::port_from_banner(*line);
        return child;
    }

    std::string stderr_text() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }

    std::optional<test::Response> post_event(const std::string& id) {
        const std::string body = test::webhook_body(id);
        return test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    }

    test::TempDir dir;
    std::uint16_t port = 0;
};

TEST_F(ServiceTest, SigtermWithARequestInFlightCompletesItAndExitsZero) {
    auto child = start(write_config());
    ASSERT_NE(port, 0);
    test::RawConn idle(port);
    test::RawConn busy(port);
    const std::string body = test::webhook_body("inflight-1");
    const std::string req =
        test::build_request("POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    ASSERT_TRUE(busy.send(req.substr(0, req.size() - 5)));
    std::this_thread::sleep_for(200ms);
    child->signal(SIGTERM);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(idle.wait_closed(2s)) << "idle connection closed at shutdown";
    ASSERT_TRUE(busy.send(req.substr(req.size() - 5)));
    auto r = busy.read_response(5s);
    ASSERT_TRUE(r) << stderr_text();
    EXPECT_EQ(r->status, 200u);
    EXPECT_NE(r->body.find(R"("duplicate":false)"), std::string::npos) << r->body;
    EXPECT_EQ(r->header("connection"), "close");
    const auto code = child->wait(10s);
    ASSERT_TRUE(code) << "did not exit after SIGTERM";
    EXPECT_EQ(*code, 0) << stderr_text();
    const std::string log = stderr_text();
    EXPECT_NE(log.find("event=stopping signal=15"), std::string::npos) << log;
    EXPECT_NE(log.find("event=closed"), std::string::npos) << "store closed before exit\n" << log;
    EXPECT_EQ(log.find(kSecret), std::string::npos) << "a secret reached the log";
}

TEST_F(ServiceTest, SecondSigtermDuringSlowRequestsStopsAtOnceWithoutCrashing) {
    // Twenty connections, half of them with a request body still arriving, then SIGTERM and a
    // second SIGTERM 50 ms later: the service stops at once. Under ASan a connection outliving
    // the server object it registered with shows up as heap-use-after-free (exit 134).
    auto child = start(write_config());
    ASSERT_NE(port, 0);
    std::vector<std::unique_ptr<test::RawConn>> conns;
    for (int i = 0; i < 20; ++i) {
        conns.push_back(std::make_unique<test::RawConn>(port));
        if (i % 2 == 0) {
            const std::string body = test::webhook_body("slow-" + std::to_string(i));
            const std::string req =
                test::build_request("POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
            ASSERT_TRUE(conns.back()->send(req.substr(0, req.size() - 5)));
        }
    }
    std::this_thread::sleep_for(300ms);
    child->signal(SIGTERM);
    std::this_thread::sleep_for(50ms);
    child->signal(SIGTERM);
    const auto code = child->wait(10s);
    ASSERT_TRUE(code) << "did not exit after two SIGTERMs";
    EXPECT_EQ(*code, 0) << stderr_text();
    const std::string log = stderr_text();
    EXPECT_NE(log.find("event=second_signal"), std::string::npos) << log;
    EXPECT_EQ(log.find("AddressSanitizer"), std::string::npos) << log;
}

TEST_F(ServiceTest, SigintStopsAnIdleServerAndRestartKeepsCommittedData) {
    const std::string config = write_config();
    {
        auto child = start(config);
        ASSERT_NE(port, 0);
        auto first = post_event("persisted-1");
        ASSERT_TRUE(first);
        ASSERT_EQ(first->status, 200u);
        EXPECT_NE(first->body.find(R"("duplicate":false)"), std::string::npos) << first->body;
        // The webhook platform has no send API: the bot's reply travels in the answer.
        EXPECT_NE(first->body.find(R"("mention":{"name":"张三","user":"u-zhangsan"})"), std::string::npos)
            << first->body;
        EXPECT_NE(first->body.find("没有听懂"), std::string::npos) << first->body;
        child->signal(SIGINT);
        const auto code = child->wait(10s);
        ASSERT_TRUE(code);
        EXPECT_EQ(*code, 0);
    }
    auto child = start(config);
    ASSERT_NE(port, 0);
    auto ready = test::request(port, "GET", "/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200u);
    auto again = post_event("persisted-1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200u);
    EXPECT_NE(again->body.find(R"("duplicate":true)"), std::string::npos)
        << "the event committed before the restart is known";
    auto fresh = post_event("persisted-2");
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->body.find(R"("duplicate":false)"), std::string::npos);
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s).value_or(-1), 0);
}

TEST_F(ServiceTest, AnOverlongOrHostileMessageIsAnsweredNotRefused) {
    auto child = start(write_config());
    ASSERT_NE(port, 0);
    // Over the 16 KiB text limit: acknowledged (a 400 would make the platform retry it forever)
    // and answered with the limit, once.
    const std::string long_body = test::webhook_body("long-1", std::string(20'000, 'x'));
    auto long_reply =
        test::request(port, "POST", "/hooks/demo", long_body, test::webhook_headers(kSecret, long_body));
    ASSERT_TRUE(long_reply);
    EXPECT_EQ(long_reply->status, 200u);
    const auto answered = nlohmann::json::parse(long_reply->body);
    ASSERT_EQ(answered["replies"].size(), 1u) << long_reply->body;
    EXPECT_NE(answered["replies"][0]["text"].get<std::string>().find("这条消息太长了,最多约 5461 个字"),
              std::string::npos)
        << long_reply->body;
    auto retry =
        test::request(port, "POST", "/hooks/demo", long_body, test::webhook_headers(kSecret, long_body));
    ASSERT_TRUE(retry);
    EXPECT_EQ(nlohmann::json::parse(retry->body)["replies"].size(), 0u) << "told once";
    // Invisible and direction-changing characters are gone before anything reads the text: a
    // command hidden behind them is still the command.
    const std::string hidden = test::webhook_body("hidden-1", "\u202e\u200b帮助\u2066");
    auto help = test::request(port, "POST", "/hooks/demo", hidden, test::webhook_headers(kSecret, hidden));
    ASSERT_TRUE(help);
    EXPECT_EQ(help->status, 200u);
    EXPECT_NE(help->body.find("填报"), std::string::npos) << help->body;
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s).value_or(-1), 0);
}

TEST_F(ServiceTest, CheckConfigAcceptsAValidFile) {
    const auto r = test::run(kExe, {"check-config", write_config()}, {"TEST_BOT_SECRET=" + kSecret});
    EXPECT_EQ(r.code, 0) << r.output;
    EXPECT_NE(r.output.find("OK (1 bot"), std::string::npos) << r.output;
    // The shipped calendar's data ends with 2026, less than 60 days from now (or already past).
    EXPECT_NE(r.output.find("warning: " + std::string(LIAISON_SOURCE_DIR) +
                            "/seeds/calendar-cn.jsonc: the working-day data ends on 2026-12-31"),
              std::string::npos)
        << r.output;
}

TEST_F(ServiceTest, CheckConfigPrintsEveryProblemAndNoSecret) {
    const std::string path = dir.write("bad.jsonc", R"({
        "server": { "listen": "nowhere", "max_connections": "many" },
        "store": { "driver": "oracle" },
        "bots": [ { "id": "a", "platform": "webhook", "secret": "literal-secret-value" },
                  { "id": "b", "platform": "webhook", "secret": "${UNSET_SECRET_VAR}" } ],
        "extra": true
    })");
    const auto r = test::run(kExe, {"check-config", path}, {"TEST_BOT_SECRET=" + kSecret});
    EXPECT_EQ(r.code, 1) << r.output;
    for (const char* expected : {"$.server.listen",
                                 "$.server.max_connections",
                                 "$.store.driver",
                                 "$.bots[0].secret",
                                 "UNSET_SECRET_VAR is not set",
                                 "$.extra: unknown key",
                                 "6 problems found"}) {
        EXPECT_NE(r.output.find(expected), std::string::npos) << expected << " missing from:\n" << r.output;
    }
    EXPECT_EQ(r.output.find("literal-secret-value"), std::string::npos) << r.output;
}

TEST_F(ServiceTest, ServeRefusesAnInvalidConfigurationAndAnOccupiedPort) {
    const std::string bad = dir.write("bad.json", "{\"server\": {\"listen\": 1}}");
    const auto invalid = test::run(kExe, {"serve", "--config", bad}, {});
    EXPECT_EQ(invalid.code, 1) << invalid.output;
    EXPECT_NE(invalid.output.find("$.server.listen"), std::string::npos) << invalid.output;

    auto child = start(write_config());
    ASSERT_NE(port, 0);
    const auto busy =
        test::run(kExe,
                  {"serve", "--config", write_config(), "--listen", "127.0.0.1:" + std::to_string(port)},
                  {"TEST_BOT_SECRET=" + kSecret});
    EXPECT_EQ(busy.code, 2) << busy.output;
    EXPECT_NE(busy.output.find("cannot bind"), std::string::npos) << busy.output;
    child->signal(SIGTERM);
    EXPECT_EQ(child->wait(10s).value_or(-1), 0);
}

TEST_F(ServiceTest, ServeRefusesToStartWithABadTemplate) {
    dir.write("templates/broken.jsonc", R"({"id": "broken", "version": 1, "name": "坏模板",
        "cadence": {"kind": "weekly", "due": {"weekday": "someday", "time": "17:00"}},
        "fields": [{"id": "a", "type": "text", "label": "A", "max_length": 0}]})");
    const std::string config = dir.write("broken-config.jsonc", R"({
        "server": { "listen": "127.0.0.1:0" },
        "store": { "path": ")" + dir.file("data/liaison.db") + R"(" },
        "roster": ")" + std::string(LIAISON_SOURCE_DIR) + R"(/seeds/roster.jsonc",
        "calendar": ")" + std::string(LIAISON_SOURCE_DIR) + R"(/seeds/calendar-cn.jsonc"
    })");
    const auto r = test::run(kExe, {"serve", "--config", config}, {});
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("broken.jsonc: $.cadence.due.weekday"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("broken.jsonc: $.fields[0].max_length"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("listening on"), std::string::npos) << r.output;
    const auto check = test::run(kExe, {"check-config", config}, {});
    EXPECT_EQ(check.code, 1) << check.output;
    EXPECT_NE(check.output.find("found in templates or roster"), std::string::npos) << check.output;
}

TEST(Cli, VersionHelpAndUsageErrors) {
    const auto version = test::run(kExe, {"version"}, {});
    EXPECT_EQ(version.code, 0);
    EXPECT_EQ(version.output.rfind("liaison-bot ", 0), 0u) << version.output;
    const auto help = test::run(kExe, {"help"}, {});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.output.find("check-config"), std::string::npos);
    EXPECT_EQ(test::run(kExe, {"frobnicate"}, {}).code, 2);
    EXPECT_EQ(test::run(kExe, {"serve", "--bogus"}, {}).code, 2);
    EXPECT_EQ(test::run(kExe, {"check-config"}, {}).code, 2);
    EXPECT_EQ(test::run(kExe, {}, {}).code, 2);
}

}  // namespace
}  // namespace bot
