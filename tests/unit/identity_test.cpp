// Who is who: a sender is a roster person only through an account on the bot or platform the
// message came through; person ids and user ids of other platforms never match.
#include "handlers/roster.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

namespace bot::handlers {
namespace {

const char* const kRoster = R"({
  "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "heping", "name": "和平街道" } ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli",
      "accounts": [ { "platform": "slack", "user": "U1" }, { "bot": "wx", "user": "zhangsan" } ] },
    { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [ { "platform": "wecom_app", "user": "lisi" } ] },
    { "id": "sunhong", "name": "孙红", "role": "coordinator", "accounts": [ { "bot": "wx", "user": "SunHong" } ] }
  ]
})";

bool has_problem(const RosterLoad& r, const std::string& path, const std::string& part) {
    for (const auto& e : r.errors) {
        if (e.path == path && e.message.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string all(const RosterLoad& r) {
    std::string out;
    for (const auto& e : r.errors) {
        out += e.path + ": " + e.message + "\n";
    }
    return out;
}

TEST(Identity, ASenderIsMatchedByBotOrPlatformAndUserOnly) {
    const auto loaded = load_roster_text(kRoster, "roster.jsonc");
    ASSERT_TRUE(loaded.errors.empty()) << all(loaded);
    const Roster& roster = loaded.roster;
    // A WeCom user whose userid happens to be a person id is nobody.
    EXPECT_EQ(roster.person("wx", "wecom_app", "sunhong"), nullptr);
    EXPECT_EQ(roster.person("wx", "wecom_app", "SunHong")->id, "sunhong");
    // A Slack id is Zhang San on every Slack bot, and on no other platform.
    EXPECT_EQ(roster.person("sl", "slack", "U1")->id, "zhangsan");
    EXPECT_EQ(roster.person("sl2", "slack", "U1")->id, "zhangsan");
    EXPECT_EQ(roster.person("tg", "telegram", "U1"), nullptr);
    // An account naming a bot is that bot's only.
    EXPECT_EQ(roster.person("wx", "wecom_app", "zhangsan")->id, "zhangsan");
    EXPECT_EQ(roster.person("wx2", "wecom_app", "zhangsan"), nullptr);
    EXPECT_EQ(roster.person("wx2", "wecom_app", "lisi")->id, "lisi");
    // The local console speaks as a person id.
    EXPECT_EQ(roster.person("console", std::string(kConsolePlatform), "lisi")->id, "lisi");
    // Reminders mention the account of the platform they go through.
    const Person& z = *roster.person_by_id("zhangsan");
    EXPECT_EQ(z.account_on("sl", "slack"), "U1");
    EXPECT_EQ(z.account_on("wx", "wecom_app"), "zhangsan");
    EXPECT_EQ(z.account_on("tg", "telegram"), "") << "no account there: nobody is mentioned";
}

TEST(Identity, AccountsClaimedTwiceOrWithoutAPlatformAreRefused) {
    const auto r = load_roster_text(R"({
  "units": [ { "id": "u", "name": "U" } ],
  "people": [
    { "id": "a", "name": "A", "unit": "u", "accounts": [ { "platform": "slack", "user": "U1" } ] },
    { "id": "b", "name": "B", "unit": "u", "accounts": [ { "platform": "slack", "user": "U1" } ] },
    { "id": "c", "name": "C", "unit": "u", "accounts": [ "u-c" ] },
    { "id": "d", "name": "D", "unit": "u", "accounts": [ { "user": "x" }, { "bot": "b", "platform": "slack", "user": "y" } ] },
    { "id": "e", "name": "E", "unit": "u", "accounts": [ { "platform": "telegram", "user": "U1" } ] }
  ]
})",
                                    "roster.jsonc");
    EXPECT_TRUE(has_problem(r, "$.people[1].accounts[0]", "is already \"a\"'s")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.people[2].accounts[0]", R"(write {"bot": "<bot id>", "user": "u-c"})"))
        << all(r);
    EXPECT_TRUE(has_problem(r, "$.people[3].accounts[0]", "exactly one of")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.people[3].accounts[1]", "exactly one of")) << all(r);
    EXPECT_EQ(r.errors.size(), 4u) << "the same user id on another platform is another account\n" << all(r);
}

TEST(Identity, AWeComUserNamedLikeTheCoordinatorGetsNoCoordinatorRights) {
    test::FlowHarness h;
    // In the demo roster 孙红 is the coordinator "sunhong" with the account u-sunhong on the demo
    // bot. A sender whose user id is "sunhong" is someone else.
    const std::string board = h.say("u-sunhong", "进度");
    EXPECT_NE(board.find("【工作进度周报】"), std::string::npos) << board;
    const std::string stranger = h.say("sunhong-not-on-roster", "进度");
    EXPECT_EQ(stranger.find("【工作进度周报】"), std::string::npos) << stranger;
    test::FlowHarness h2;
    h2.roster = load_roster_text(R"({ "units": [ { "id": "u", "name": "U" } ],
      "people": [ { "id": "sunhong", "name": "孙红", "role": "coordinator" } ] })",
                                 "r.jsonc")
                    .roster;
    const std::string impostor = h2.say("sunhong", "进度");  // no account: the person id is sent as is
    EXPECT_EQ(impostor.find("【"), std::string::npos) << "a person id is not an account: " << impostor;
    EXPECT_NE(impostor.find("仅限组织部门使用"), std::string::npos) << impostor;
}

}  // namespace
}  // namespace bot::handlers
