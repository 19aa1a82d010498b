// A WeCom group whose conversation runs through the AI bot (which cannot post unasked) gets its
// reminders through the group's robot (群机器人): the roster chat names it as "push". The robot's
// wire format (../shared/protocols.md §1.6) is checked at a fake WeCom on loopback; check-config
// says how each chat is reached and refuses an AI-bot chat without a robot.
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_robot.hpp"
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <signal.h>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kRobotKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

class WeComRobotTest : public ::testing::Test {
protected:
    std::string write(const std::string& push, const std::string& scheduler = R"({ "enabled": false })") {
        dir.write("roster.jsonc",
                  R"({
            "units": [ { "id": "xingfuli", "name": "幸福里社区" } ],
            "people": [ { "id": "zhangsan", "name": "张三", "unit": "xingfuli",
                          "accounts": [ { "bot": "ai", "user": "zhangsan_wx" } ] } ],
            "chats": [ { "id": "group-1", "bot": "ai")" +
                      push + R"(, "units": ["*"], "templates": ["weekly_progress"] } ] })");
        return dir.write("liaison.jsonc",
                         R"({
            "server": { "listen": "127.0.0.1:0" },
            "store": { "path": ")" +
                             dir.file("data/liaison.db") +
                             R"(" },
            "templates_dir": ")" +
                             std::string(LIAISON_SOURCE_DIR) +
                             R"(/templates/data",
            "roster": "roster.jsonc",
            "calendar": ")" + std::string(LIAISON_SOURCE_DIR) +
                             R"(/seeds/calendar-cn.jsonc",
            "scheduler": )" + scheduler + R"(,
            "bots": [
              { "id": "ai", "platform": "wecom_aibot", "token": "${T_TOKEN}", "encoding_aes_key": "${T_KEY}" },
              { "id": "robot", "platform": "wecom_robot", "key": "${T_ROBOT_KEY}", "api_base_url": ")" +
                             fake.base_url() + R"(" } ] })");
    }
    std::vector<std::string> env() const {
        return {"T_TOKEN=QDG6eK",
                "T_KEY=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                "T_ROBOT_KEY=" + kRobotKey};
    }

    test::TempDir dir;
    test::FakePlatform fake{[](const test::RecordedRequest&) {
        test::FakeReply ok;
        ok.body = R"({"errcode":0,"errmsg":"ok"})";
        return ok;
    }};
};

TEST_F(WeComRobotTest, RemindersToAnAiBotGroupGoThroughItsRobot) {
    const std::string config = write(R"(, "push": "robot")");
    const auto checked = test::run(kExe, {"check-config", config}, env());
    ASSERT_EQ(checked.code, 0) << checked.output;
    EXPECT_NE(checked.output.find(
                  "chat group-1: replies through ai; reminders and digests through robot (wecom_robot)"),
              std::string::npos)
        << checked.output;
    EXPECT_EQ(checked.output.find(kRobotKey), std::string::npos) << "the key is a secret";

    // Thursday 10:00, the working day before Friday's deadline: 张三 has not reported.
    const auto ticked =
        test::run(kExe, {"tick", "--config", config, "--at", "2026-11-26T10:00:00+08:00"}, env());
    ASSERT_EQ(ticked.code, 0) << ticked.output;
    EXPECT_NE(ticked.output.find("queued=2"), std::string::npos) << ticked.output;

    // serve delivers what the tick queued.
    test::Child child(kExe, {"serve", "--config", config}, env(), dir.file("stderr.log"));
    ASSERT_TRUE(child.wait_for_line("listening on", 20s));
    ASSERT_TRUE(fake.wait_for(2, 10s));
    for (const auto& r : fake.requests()) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.target, "/cgi-bin/webhook/send?key=" + kRobotKey);
        EXPECT_EQ(r.headers.at("content-type"), "application/json");
    }
    const json mention = json::parse(fake.requests()[0].body);
    EXPECT_EQ(mention["msgtype"], "text");
    EXPECT_EQ(mention["text"]["mentioned_list"], json::array({"zhangsan_wx"}));
    EXPECT_NE(mention["text"]["content"].get<std::string>().find("还未收到幸福里社区的报送"),
              std::string::npos)
        << mention;
    EXPECT_LE(mention["text"]["content"].get<std::string>().size(), 2048u);
    const json count = json::parse(fake.requests()[1].body);
    EXPECT_FALSE(count["text"].contains("mentioned_list")) << "the group's count mentions nobody";
    for (int i = 0; i < 100 && test::query(dir.file("data/liaison.db"),
                                           "SELECT count(*) FROM outbox WHERE state = 'sent'") != "2\n";
         ++i) {
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT bot_id, state FROM outbox ORDER BY id"),
              "robot|sent\nrobot|sent\n");
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(10s), 0);
}

TEST_F(WeComRobotTest, AWeekReplayedGivesTheGroupItsLadderAndMondaysDigestThroughTheRobot) {
    // The group talks to the AI bot; the robot posts the ladder, the follow-up and the digest.
    const std::string config = write(R"(, "push": "robot")",
                                     R"({ "enabled": false,
        "coordinator_chats": [ { "bot": "robot", "chat": "group-1" } ],
        "digest": { "weekday": "monday", "time": "09:00", "chats": [ { "bot": "robot", "chat": "group-1" } ] } })");
    // Tuesday 11-24 to Monday 11-30 09:30, four ticks a day, the weekend too.
    for (int day = 24; day <= 30; ++day) {
        for (const char* at : {"09:30", "12:00", "15:30", "17:30"}) {
            if (day == 30 && std::string_view(at) != "09:30") {
                break;
            }
            const std::string t = "2026-11-" + std::to_string(day) + "T" + at + ":00+08:00";
            const auto ticked = test::run(kExe, {"tick", "--config", config, "--at", t}, env());
            ASSERT_EQ(ticked.code, 0) << t << ": " << ticked.output;
        }
    }
    test::Child child(kExe, {"serve", "--config", config}, env(), dir.file("stderr.log"));
    ASSERT_TRUE(child.wait_for_line("listening on", 20s));
    // Tuesday's notice that the calendar's data ends on 12-31 (coordinators are told once);
    // Thursday's ladder step and Friday's two, each an @-mention and the group's count; Monday's
    // follow-up and digest. The robot's 20 a minute spreads them over a few seconds.
    ASSERT_TRUE(fake.wait_for(9, 30s)) << fake.requests().size();
    std::this_thread::sleep_for(500ms);
    const auto requests = fake.requests();
    std::string all;
    for (const auto& r : requests) {
        all += r.body + "\n";
    }
    ASSERT_EQ(requests.size(), 9u) << "nothing else, nothing twice:\n" << all;
    EXPECT_NE(requests[0].body.find("【工作日历】日历数据只到 2026-12-31"), std::string::npos) << all;
    for (std::size_t step = 0; step < 3; ++step) {
        int mentions = 0;
        for (std::size_t i = 1 + 2 * step; i < 3 + 2 * step; ++i) {
            const json body = json::parse(requests[i].body);
            EXPECT_EQ(body["msgtype"], "text") << i;
            EXPECT_LE(body["text"]["content"].get<std::string>().size(), 2048u);
            mentions += body["text"].contains("mentioned_list") ? 1 : 0;
        }
        EXPECT_EQ(mentions, 1) << "step " << step << ": 张三 @-mentioned, and the group's count";
    }
    std::vector<std::string> markdown;
    for (std::size_t i = 7; i < 9; ++i) {
        const json body = json::parse(requests[i].body);
        EXPECT_EQ(body["msgtype"], "markdown") << "the follow-up and the digest look native: " << body;
        markdown.push_back(body["markdown"]["content"]);
        EXPECT_LE(markdown.back().size(), 4096u);
    }
    std::sort(markdown.begin(), markdown.end());
    EXPECT_EQ(markdown[0].find("**【催报汇总】《工作进度周报》"), 0u) << markdown[0];
    EXPECT_NE(markdown[0].find("**【工作进度周报】2026 年第 48 周"), std::string::npos) << markdown[0];
    EXPECT_EQ(markdown[1].find("**【联络工作周报】2026 年第 48 周**"), 0u) << "Monday of week 49 covers week 48 and says so\n" << markdown[1];
    EXPECT_NE(markdown[1].find("未报:幸福里社区"), std::string::npos) << markdown[1];
    EXPECT_EQ(test::query(dir.file("data/liaison.db"),
                          "SELECT state, substr(text, 1, 6) FROM outbox WHERE doc != '' ORDER BY id"),
              "sent|【催报汇总】\nsent|【联络工作周\n")
        << "the follow-up and the digest keep their structure in the outbox";
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(10s), 0);
}

TEST_F(WeComRobotTest, AnAiBotGroupWithoutARobotIsRefusedAndTheRobotTakesNothingIn) {
    const auto refused = test::run(kExe, {"check-config", write("")}, env());
    EXPECT_EQ(refused.code, 1) << refused.output;
    EXPECT_NE(refused.output.find("chat \"group-1\" gets reminders, but its bot \"ai\" is a WeCom AI bot"),
              std::string::npos)
        << refused.output;
    EXPECT_NE(refused.output.find("\"push\""), std::string::npos) << refused.output;

    const std::string config = write(R"(, "push": "robot")");
    test::Child child(kExe, {"serve", "--config", config}, env(), dir.file("stderr.log"));
    const auto line = child.wait_for_line("listening on", 20s);
    ASSERT_TRUE(line);
    const auto r = test::request(test::port_from_banner(*line), "POST", "/hooks/robot", "{}", {});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u) << "a robot is outbound only";
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(10s), 0);
}

TEST_F(WeComRobotTest, DingTalkAndFeishuCustomRobotsPostSignedToTheirGroups) {
    // Two groups where only a custom robot is present: its bot is the robot itself.
    dir.write("roster.jsonc", R"({
        "units": [ { "id": "heping", "name": "和平街道" }, { "id": "school", "name": "城东中学党支部" } ],
        "people": [ { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [ { "bot": "dt", "user": "0326150155" } ] },
                    { "id": "wangwu", "name": "王五", "unit": "school", "accounts": [ { "bot": "fs", "user": "ou_wang" } ] } ],
        "chats": [ { "id": "dt-group", "bot": "dt", "units": ["heping"], "templates": ["weekly_progress"] },
                   { "id": "fs-group", "bot": "fs", "units": ["school"], "templates": ["weekly_progress"] } ] })");
    const std::string config = dir.write("liaison.jsonc",
                                         R"({
        "store": { "path": ")" + dir.file("data/liaison.db") +
                                             R"(" }, "server": { "listen": "127.0.0.1:0" },
        "templates_dir": ")" + std::string(LIAISON_SOURCE_DIR) +
                                             R"(/templates/data", "roster": "roster.jsonc",
        "calendar": ")" + std::string(LIAISON_SOURCE_DIR) +
                                             R"(/seeds/calendar-cn.jsonc", "scheduler": { "enabled": false },
        "bots": [
          { "id": "dt", "platform": "dingtalk_robot", "access_token": "${T_DT}", "secret": "${T_DT_SEC}",
            "api_base_url": ")" + fake.base_url() +
                                             R"(" },
          { "id": "fs", "platform": "feishu_robot", "hook": "${T_FS}", "secret": "${T_FS_SEC}",
            "api_base_url": ")" + fake.base_url() +
                                             R"(" } ] })");
    const std::vector<std::string> env{
        "T_DT=dt-access-token", "T_DT_SEC=SECdingsecret", "T_FS=fs-hook-uuid", "T_FS_SEC=fs-secret"};
    fake.set_handler([](const test::RecordedRequest& r) {
        test::FakeReply ok;
        ok.body = r.target.find("/robot/send") == 0 ? R"({"errcode":0,"errmsg":"ok"})"
                                                    : R"({"code":0,"msg":"success"})";
        return ok;
    });
    const auto checked = test::run(kExe, {"check-config", config}, env);
    ASSERT_EQ(checked.code, 0) << checked.output;
    EXPECT_NE(checked.output.find(
                  "chat dt-group: replies through dt; reminders and digests through dt (dingtalk_robot)"),
              std::string::npos)
        << checked.output;
    ASSERT_EQ(test::run(kExe, {"tick", "--config", config, "--at", "2026-11-26T10:00:00+08:00"}, env).code,
              0);
    test::Child child(kExe, {"serve", "--config", config}, env, dir.file("stderr.log"));
    ASSERT_TRUE(child.wait_for_line("listening on", 20s));
    ASSERT_TRUE(fake.wait_for(4, 10s)) << "a mention and a count in each group";
    int dingtalk = 0;
    int feishu = 0;
    for (const auto& r : fake.requests()) {
        const json body = json::parse(r.body);
        if (r.target.rfind("/robot/send?access_token=dt-access-token&timestamp=", 0) == 0) {
            ++dingtalk;
            // The signature the fake recomputes from the timestamp it was given.
            const auto ts = r.target.substr(r.target.find("timestamp=") + 10, 13);
            std::string sign = adapters::dingtalk::DingTalkAdapter::sign("SECdingsecret", ts);
            std::string encoded;
            for (const char c : sign) {
                encoded += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
            }
            EXPECT_NE(r.target.find("&sign=" + encoded), std::string::npos) << r.target;
            if (body.contains("at")) {
                EXPECT_EQ(body["at"]["atUserIds"], json::array({"0326150155"}));
                EXPECT_EQ(body["text"]["content"].get<std::string>().rfind("@0326150155 ", 0), 0u) << body;
            }
        } else {
            ASSERT_EQ(r.target, "/open-apis/bot/v2/hook/fs-hook-uuid");
            ++feishu;
            EXPECT_EQ(body["sign"],
                      adapters::feishu::FeishuRobotAdapter::sign(body["timestamp"].get<std::string>(),
                                                                 "fs-secret"));
            EXPECT_TRUE(body["content"]["post"].is_object()) << body;
        }
    }
    EXPECT_EQ(dingtalk, 2);
    EXPECT_EQ(feishu, 2);
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(10s), 0);
}

}  // namespace
}  // namespace bot
