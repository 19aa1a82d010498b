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

namespace bot::handlers {
namespace {

/// A weekly report up to its last item (报送单位), answered with `unit`; returns that answer's reply.
std::string weekly_for_unit(test::FlowHarness& h, const std::string& who, const std::string& unit) {
    for (const char* m : {"填报 工作进度周报", "老旧小区加装电梯", "60%", "推进中", "完成土建,启动安装"}) {
        h.say(who, m);
    }
    return h.say(who, unit);
}

TEST(Identity, OfficersFileOnlyForTheirOwnUnits) {
    test::FlowHarness h;
    h.roster = load_roster_text(R"({
      "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "heping", "name": "和平街道" },
                 { "id": "school", "name": "城东中学党支部" } ],
      "people": [
        { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [ { "bot": "demo", "user": "u-zhangsan" } ] },
        { "id": "lisi", "name": "李四", "unit": "heping", "also_units": ["school"],
          "accounts": [ { "bot": "demo", "user": "u-lisi" } ] },
        { "id": "sunhong", "name": "孙红", "role": "coordinator", "accounts": [ { "bot": "demo", "user": "u-sunhong" } ] } ],
      "chats": [ { "id": "demo-group", "units": ["*"], "templates": ["*"] } ] })",
                                "r.jsonc")
                   .roster;
    // The prompt lists only the officer's own unit; another unit, by name or by number, is refused.
    h.say("zhangsan", "填报 工作进度周报");
    for (const char* m : {"老旧小区加装电梯", "60%", "推进中"}) {
        h.say("zhangsan", m);
    }
    const std::string prompt = h.say("zhangsan", "完成土建,启动安装");
    EXPECT_NE(prompt.find("1 幸福里社区"), std::string::npos) << prompt;
    EXPECT_EQ(prompt.find("和平街道"), std::string::npos) << prompt;
    const std::string refused = h.say("zhangsan", "和平街道");
    EXPECT_NE(refused.find("只能为本人所在单位报送"), std::string::npos) << refused;
    EXPECT_NE(h.say("zhangsan", "2").find("只能为本人所在单位报送"), std::string::npos);
    EXPECT_NE(h.say("zhangsan", "幸福里社区").find("预览"), std::string::npos);
    // Units the roster lists for an officer: each of them, and no other.
    test::FlowHarness h2;
    h2.roster = h.roster;
    EXPECT_NE(weekly_for_unit(h2, "lisi", "城东中学党支部").find("预览"), std::string::npos);
    h2.say("lisi", "提交");
    ASSERT_EQ(h2.submitted.size(), 1u);
    EXPECT_EQ(h2.submitted[0].unit_id, "school");
    EXPECT_NE(weekly_for_unit(h2, "lisi", "幸福里社区").find("只能为本人所在单位报送"), std::string::npos);
    // One-shot filling is held to the same rule.
    test::FlowHarness h3;
    h3.roster = h.roster;
    h3.say("zhangsan", "填报 工作进度周报");
    const std::string one_shot =
        h3.say("zhangsan",
               "重点任务:老旧小区加装电梯\n完成进度:60%\n状态:推进中\n下周计划:启动安装\n报送单位:和平街道");
    EXPECT_NE(one_shot.find("只能为本人所在单位报送"), std::string::npos) << one_shot;
    // A coordinator files for any unit.
    test::FlowHarness h4;
    h4.roster = h.roster;
    EXPECT_NE(weekly_for_unit(h4, "sunhong", "和平街道").find("预览"), std::string::npos);
    // The roster refuses an unknown extra unit, and extra units without a unit.
    const auto bad = load_roster_text(R"({ "units": [ { "id": "u", "name": "U" } ],
      "people": [ { "id": "a", "name": "A", "unit": "u", "also_units": ["nope"] },
                  { "id": "c", "name": "C", "role": "coordinator", "also_units": ["u"] } ] })",
                                      "r.jsonc");
    EXPECT_TRUE(has_problem(bad, "$.people[0].also_units", "unknown unit \"nope\"")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.people[1].also_units", "needs \"unit\" first")) << all(bad);
    // An officer of two units is chased for both.
    const Roster& r = h.roster;
    EXPECT_EQ(r.officers_of(r.unit_position("school")).size(), 1u);
    EXPECT_EQ(r.officers_of(r.unit_position("heping")).size(), 1u);
}

// People are read while the file is parsed (a 100,000-person document is never held whole), so
// the units they name may come later in the file, and a syntax error is still the only problem.
TEST(Identity, PeopleMayComeBeforeTheirUnitsAndKeepTheirPaths) {
    const auto loaded = load_roster_text(R"({
      "people": [ { "id": "a", "name": "A", "unit": "u", "scope": ["u"] },
                  "not a person",
                  { "id": "b", "name": "B", "unit": "gone", "also_units": ["u", "nope"] },
                  { "id": "c", "name": "C", "role": "coordinator", "scope": ["nowhere"] },
                  { "id": "a", "name": "A again", "unit": "u" } ],
      "units": [ { "id": "u", "name": "U" } ] })",
                                         "r.jsonc");
    EXPECT_TRUE(has_problem(loaded, "$.people[0].scope", "only a coordinator")) << all(loaded);
    EXPECT_TRUE(has_problem(loaded, "$.people[1]", "expected an object, got string")) << all(loaded);
    EXPECT_TRUE(has_problem(loaded, "$.people[2].unit", "unknown unit \"gone\"")) << all(loaded);
    EXPECT_TRUE(has_problem(loaded, "$.people[2].also_units", "unknown unit \"nope\"")) << all(loaded);
    EXPECT_FALSE(has_problem(loaded, "$.people[2].also_units", "unknown unit \"u\"")) << all(loaded);
    EXPECT_TRUE(has_problem(loaded, "$.people[3].scope", "unknown unit \"nowhere\"")) << all(loaded);
    EXPECT_TRUE(has_problem(loaded, "$.people[4].id", "duplicate person id \"a\"")) << all(loaded);
    EXPECT_EQ(loaded.errors.size(), 6u) << all(loaded);

    const auto good = load_roster_text(R"({ "people": [ { "id": "a", "name": "A", "unit": "u" } ],
                                            "units": [ { "id": "u", "name": "U" } ] })",
                                       "r.jsonc");
    ASSERT_TRUE(good.errors.empty()) << all(good);
    EXPECT_EQ(good.roster.person_by_id("a")->units, std::vector<std::string>{"u"});

    const auto broken =
        load_roster_text(R"({ "people": [ { "id": "a", "name": "A", "role": "boss" } ], )", "r.jsonc");
    ASSERT_EQ(broken.errors.size(), 1u) << all(broken);
    EXPECT_EQ(broken.errors[0].path, "$");
    EXPECT_NE(broken.errors[0].message.find("not valid JSON"), std::string::npos) << all(broken);

    const auto not_a_list = load_roster_text(R"({ "people": { "id": "a" } })", "r.jsonc");
    EXPECT_TRUE(has_problem(not_a_list, "$.people", "expected an array")) << all(not_a_list);
}

}  // namespace
}  // namespace bot::handlers

namespace bot::handlers {
namespace {

const char* const kBindingRoster = R"({
  "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "school", "name": "城东中学党支部" } ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [ { "bot": "demo", "user": "u-zhangsan" } ] },
    { "id": "wangwu", "name": "王五", "unit": "school", "accounts": [ { "platform": "wecom_app", "user": "wangwu" } ] },
    { "id": "wangwu2", "name": "王五", "unit": "xingfuli" },
    { "id": "zhaoliu", "name": "赵六", "unit": "school" },
    { "id": "sunhong", "name": "孙红", "role": "coordinator", "accounts": [ { "bot": "demo", "user": "u-sunhong" } ] } ],
  "chats": [ { "id": "demo-group", "units": ["*"], "templates": ["*"] } ] })";

/// The outbox rows queued so far (notices to other chats), as "chat|mention|text".
std::vector<std::string> queued(test::FlowHarness& h) {
    std::vector<std::string> out;
    EXPECT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto rows = tx.outbox().claim_due(h.now + std::chrono::hours(1), 100);
        if (!rows) {
            return rows.error();
        }
        for (const auto& r : *rows) {
            out.push_back(r.message.chat_id + "|" + r.message.mention_user_id + "|" + r.message.text);
        }
        return {};
    }));
    return out;
}

TEST(Identity, BindingIsOffUnlessConfigured) {
    test::FlowHarness h;
    h.roster = load_roster_text(kBindingRoster, "r.jsonc").roster;
    EXPECT_NE(h.say("u-new", "绑定 赵六").find("未开放自助绑定"), std::string::npos);
    EXPECT_NE(h.say("u-new", "填报").find("请联系组织部门添加"), std::string::npos);
    EXPECT_EQ(h.last.find<handlers::BindingChange>(), nullptr);
}

TEST(Identity, AnUnknownAccountBindsToAnOfficerOnceACoordinatorApproves) {
    test::FlowHarness h;
    h.roster = load_roster_text(kBindingRoster, "r.jsonc").roster;
    h.settings().allow_binding = true;
    EXPECT_NE(h.say("u-new", "填报").find("绑定 姓名"), std::string::npos) << "the way in is told";
    EXPECT_NE(h.say("u-new", "绑定").find("例如「绑定 张三」"), std::string::npos);
    EXPECT_NE(h.say("u-new", "绑定 钱八").find("名册中没有「钱八」"), std::string::npos);
    EXPECT_NE(h.say("u-new", "绑定 王五").find("有多位「王五」"), std::string::npos)
        << "two people share the name";
    EXPECT_NE(h.say("u-new", "绑定 孙红").find("只能在名册中配置"), std::string::npos)
        << "never a coordinator";
    EXPECT_NE(h.say("u-new", "绑定 张三").find("已有账号"), std::string::npos)
        << "张三 has an account on this bot";
    EXPECT_NE(h.say("zhangsan", "绑定 赵六").find("您已是名册中的 张三"), std::string::npos);
    // A request, numbered by the store.
    const std::string asked = h.say("u-new", "绑定 赵六");
    EXPECT_NE(asked.find("已提交绑定申请 B1"), std::string::npos) << asked;
    EXPECT_NE(asked.find("赵六(城东中学党支部)"), std::string::npos) << asked;
    EXPECT_NE(asked.find("同意绑定 B1"), std::string::npos) << asked;
    EXPECT_NE(h.say("u-new", "填报").find("绑定 姓名"), std::string::npos) << "pending: still nobody";
    // Only coordinators decide.
    EXPECT_NE(h.say("zhangsan", "同意绑定 B1").find("仅限组织部门使用"), std::string::npos);
    const std::string list = h.say("sunhong", "同意绑定", "coordinators");
    EXPECT_NE(list.find("B1 u-new → 赵六(城东中学党支部)"), std::string::npos) << list;
    EXPECT_NE(h.say("sunhong", "同意绑定 B9", "coordinators").find("没有找到绑定申请"), std::string::npos);
    const std::string approved = h.say("sunhong", "同意绑定 b1", "coordinators");
    EXPECT_NE(approved.find("已同意 B1:u-new 现在是名册中的 赵六"), std::string::npos) << approved;
    // The requester is told in the chat where they asked (through the outbox), @-mentioned.
    const auto notices = queued(h);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0].rfind("demo-group|u-new|您的绑定申请 B1 已通过", 0), 0u) << notices[0];
    // From now on the account is 赵六: files reports for 赵六's unit.
    EXPECT_NE(h.say("u-new", "绑定 赵六").find("您已是名册中的 赵六"), std::string::npos);
    h.say("u-new", "填报 工作进度周报");
    for (const char* m : {"老旧小区加装电梯", "60%", "推进中", "完成土建,启动安装", "跳过"}) {
        h.say("u-new", m);
    }
    h.say("u-new", "提交");
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_EQ(h.submitted[0].author_id, "zhaoliu");
    EXPECT_EQ(h.submitted[0].unit_id, "school");
    EXPECT_NE(h.say("sunhong", "同意绑定 B1", "coordinators").find("已经处理过(已同意)"), std::string::npos);
    // Bound as an officer: nothing more (coordinators come from the roster only).
    EXPECT_NE(h.say("u-new", "进度").find("仅限组织部门使用"), std::string::npos) << "an officer, not more";
}

TEST(Identity, ANewRequestReplacesThePendingOneAndARefusalIsTold) {
    test::FlowHarness h;
    h.roster = load_roster_text(kBindingRoster, "r.jsonc").roster;
    h.settings().allow_binding = true;
    EXPECT_NE(h.say("u-typo", "绑定 赵六").find("B1"), std::string::npos);
    EXPECT_NE(h.say("u-typo", "绑定 zhaoliu").find("B2"), std::string::npos) << "by person id too";
    EXPECT_NE(h.say("sunhong", "同意绑定 B1").find("已拒绝或已被新的申请取代"), std::string::npos);
    // Refused in the chat where it was asked: the requester is answered there, @-mentioned.
    const std::string refused = h.say("sunhong", "拒绝绑定 B2");
    EXPECT_NE(refused.find("已拒绝 B2"), std::string::npos) << refused;
    ASSERT_EQ(h.committed.replies.size(), 2u);
    EXPECT_EQ(h.committed.replies[1].mention_user_id, "u-typo");
    EXPECT_NE(h.committed.replies[1].text.find("未通过"), std::string::npos);
    EXPECT_NE(h.say("u-typo", "填报").find("绑定 姓名"), std::string::npos) << "still nobody";
    EXPECT_NE(h.say("sunhong", "同意绑定").find("没有待确认"), std::string::npos);
}

TEST(Identity, TwoRequestsForOneOfficerCannotBothBeApproved) {
    test::FlowHarness h;
    h.roster = load_roster_text(kBindingRoster, "r.jsonc").roster;
    h.settings().allow_binding = true;
    EXPECT_NE(h.say("u-b1", "绑定 赵六").find("B1"), std::string::npos);
    EXPECT_NE(h.say("u-b2", "绑定 赵六").find("B2"), std::string::npos) << "both asked while 赵六 had none";
    EXPECT_NE(h.say("sunhong", "同意绑定 B1").find("已同意 B1"), std::string::npos);
    const std::string second = h.say("sunhong", "同意绑定 B2");
    EXPECT_NE(second.find("B2 未同意:赵六 在这个机器人上已有绑定的账号"), std::string::npos) << second;
    EXPECT_EQ(h.last.find<handlers::BindingChange>(), nullptr);
    EXPECT_NE(h.say("u-b2", "填报").find("绑定 姓名"), std::string::npos) << "u-b2 is still nobody";
    EXPECT_NE(h.say("u-b1", "绑定 赵六").find("您已是名册中的 赵六"), std::string::npos);
    // Refusing it is still possible, and says so.
    EXPECT_NE(h.say("sunhong", "拒绝绑定 B2").find("已拒绝 B2"), std::string::npos);
}

// A coordinator with a scope lists and decides only requests for officers of their units (the
// desk's 绑定申请 keeps to the same rule: handlers::binding::rule).
TEST(Identity, AScopedCoordinatorDecidesOnlyRequestsForTheirUnits) {
    std::string text(kBindingRoster);
    const std::string people = R"("people": [)";
    text.insert(text.find(people) + people.size(),
                R"({ "id": "xfcoord", "name": "幸福里协调员", "role": "coordinator", "scope": ["xingfuli"],
                     "accounts": [ { "bot": "demo", "user": "u-xfcoord" } ] },)");
    test::FlowHarness h;
    auto loaded = load_roster_text(text, "r.jsonc");
    ASSERT_TRUE(loaded.errors.empty()) << loaded.errors.front().to_string();
    h.roster = std::move(loaded.roster);
    h.settings().allow_binding = true;
    EXPECT_NE(h.say("u-new", "绑定 赵六").find("B1"), std::string::npos) << "赵六 is 城东中学党支部's";
    EXPECT_NE(h.say("xfcoord", "同意绑定").find("没有待确认"), std::string::npos) << "nothing of theirs";
    EXPECT_NE(h.say("xfcoord", "同意绑定 B1").find("没有找到绑定申请「B1」"), std::string::npos);
    EXPECT_NE(h.say("xfcoord", "拒绝绑定 B1").find("没有找到绑定申请「B1」"), std::string::npos);
    EXPECT_NE(h.say("sunhong", "同意绑定 B1").find("已同意 B1"), std::string::npos) << "every unit's";
}

}  // namespace
}  // namespace bot::handlers
