// The desk's rules (handlers/desk.hpp): which units a list covers, what changed between two
// answers, the months of a trend, and who may give or be given a review.
#include "handlers/desk.hpp"

#include <gtest/gtest.h>

namespace bot::handlers::desk {
namespace {

using namespace std::chrono_literals;

Roster district() {
    std::vector<Unit> units{{.id = "heping", .name = "和平街道"},
                            {.id = "xingfuli", .name = "幸福里社区", .parent = "heping"},
                            {.id = "lane", .name = "小巷党支部", .parent = "xingfuli"},
                            {.id = "school", .name = "城东中学党支部"}};
    const auto person = [](std::string id, std::string name, Role role, std::vector<std::string> scope) {
        Person p;
        p.id = std::move(id);
        p.name = std::move(name);
        p.role = role;
        p.scope = std::move(scope);
        return p;
    };
    std::vector<Person> people{person("all", "孙红", Role::coordinator, {}),
                               person("hp", "和平协调员", Role::coordinator, {"heping"}),
                               person("xf", "幸福里协调员", Role::coordinator, {"xingfuli"}),
                               person("officer", "张三", Role::officer, {})};
    people.back().unit = "lane";
    people.back().units = {"lane"};
    return Roster(units, people, {});
}

TEST(DeskUnits, AListCoversTheScopeNarrowedToAUnitAndThoseBelowIt) {
    const Roster r = district();
    using V = std::vector<std::string>;
    EXPECT_TRUE(units_for(r, *r.person_by_id("all"), "").every);
    EXPECT_EQ(units_for(r, *r.person_by_id("all"), "xingfuli").units, (V{"xingfuli", "lane"}));
    EXPECT_EQ(units_for(r, *r.person_by_id("hp"), "").units, (V{"heping", "lane", "xingfuli"}));
    EXPECT_EQ(units_for(r, *r.person_by_id("xf"), "heping").units, (V{"xingfuli", "lane"}))
        << "a unit above the scope: only what the scope holds";
    EXPECT_TRUE(units_for(r, *r.person_by_id("hp"), "school").none()) << "outside the scope: nothing";
    EXPECT_TRUE(units_for(r, *r.person_by_id("hp"), "nowhere").none());
    EXPECT_TRUE(units_for(r, *r.person_by_id("officer"), "").none()) << "an officer has no desk";
}

TEST(DeskChange, TheMiddleThatChangedBetweenTheSameStartAndEnd) {
    const Change c = diff("完成进度 60%,下周启动", "完成进度 85%,下周启动安装");
    EXPECT_EQ(c.start, "完成进度 ");
    EXPECT_EQ(c.removed, "60%,下周启动");
    EXPECT_EQ(c.added, "85%,下周启动安装");
    EXPECT_EQ(c.end, "");
    const Change same = diff("不变", "不变");
    EXPECT_TRUE(same.same());
    EXPECT_EQ(same.start, "不变");
    // Characters are never split: 业 (E4 B8 9A) and 主 (E4 B8 BB) share their first two bytes.
    const Change chars = diff("物业", "物主");
    EXPECT_EQ(chars.removed, "业");
    EXPECT_EQ(chars.added, "主");
    EXPECT_EQ(diff("", "新").added, "新");
    EXPECT_EQ(diff("旧", "").removed, "旧");
}

TEST(DeskTrend, TimesCountInTheirSpanWeighedWhenAsked) {
    const TimePoint t0{std::chrono::hours(1000)};
    const std::vector<Span> spans{{t0, t0 + 24h}, {t0 + 24h, t0 + 48h}};
    EXPECT_EQ(per_span({t0, t0 + 1h, t0 + 24h, t0 + 48h, t0 - 1s}, spans), (std::vector<int>{2, 1}));
    EXPECT_EQ(per_span({t0, t0 + 30h}, spans, {3, 5}), (std::vector<int>{3, 5}));
}

TEST(DeskAssign, OnlyCoordinatorsOfTheUnitGiveAndAreGivenItsReview) {
    const Roster r = district();
    std::vector<std::string> ids;
    for (const Person* p : reviewers_of(r, "lane")) {
        ids.push_back(p->id);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"all", "hp", "xf"}));
    EXPECT_EQ(reviewers_of(r, "school").size(), 1U);
    EXPECT_EQ(assign_refusal(r, r.person_by_id("hp"), "lane", r.person_by_id("xf")), "");
    EXPECT_EQ(assign_refusal(r, r.person_by_id("hp"), "school", r.person_by_id("all")), "desk.no_report");
    EXPECT_EQ(assign_refusal(r, r.person_by_id("all"), "school", r.person_by_id("hp")),
              "desk.assign_not_reviewer");
    EXPECT_EQ(assign_refusal(r, r.person_by_id("all"), "lane", r.person_by_id("officer")),
              "desk.assign_not_reviewer");
    EXPECT_EQ(assign_refusal(r, r.person_by_id("all"), "lane", nullptr), "desk.assign_not_reviewer");
    // An API token bound to nobody acts for the whole organisation; the reviewer is checked still.
    EXPECT_EQ(assign_refusal(r, nullptr, "school", r.person_by_id("all")), "");
    EXPECT_EQ(assign_refusal(r, nullptr, "school", r.person_by_id("hp")), "desk.assign_not_reviewer");
    // The one who has it already: nothing to do (after the refusals: it tells nothing outside the scope).
    StoredReport lane_report;
    lane_report.unit_id = "lane";
    lane_report.assignee = "xf";
    EXPECT_EQ(assign_rule(r, r.person_by_id("hp"), lane_report, r.person_by_id("xf")),
              "desk.assigned_already");
    EXPECT_EQ(assign_rule(r, r.person_by_id("hp"), lane_report, r.person_by_id("all")), "");
    EXPECT_EQ(assign_rule(r, r.person_by_id("hp"), lane_report, r.person_by_id("officer")),
              "desk.assign_not_reviewer");
}

}  // namespace
}  // namespace bot::handlers::desk

#include "tests/support/flow_harness.hpp"

namespace bot::handlers {
namespace {

/// 孙红 asked to hear of every report in 东城; 周敏 (西城) did not ask.
constexpr const char* kNoticesRoster = R"({
  "units": [
    { "id": "dongcheng", "name": "东城区委" },
    { "id": "xingfuli", "name": "幸福里社区", "parent": "dongcheng" },
    { "id": "xicheng", "name": "西城区委" } ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [ { "bot": "demo", "user": "u-zhangsan" } ] },
    { "id": "sunhong", "name": "孙红", "role": "coordinator", "scope": ["dongcheng"], "notices": "each",
      "accounts": [ { "bot": "demo", "user": "u-sunhong" } ] },
    { "id": "zhoumin", "name": "周敏", "role": "coordinator", "notices": "each", "scope": ["xicheng"],
      "accounts": [ { "bot": "demo", "user": "u-zhoumin" } ] } ],
  "chats": [ { "id": "demo-group", "bot": "demo" } ] })";

TEST(DeskNotices, ACoordinatorWhoAskedHearsOfEachReportAndRevisionInTheirScope) {
    test::FlowHarness h;
    auto loaded = load_roster_text(kNoticesRoster, "roster.jsonc");
    ASSERT_TRUE(loaded.errors.empty());
    h.roster = std::move(loaded.roster);
    h.settings().direct_bots = {"demo"};
    const std::string number = h.file_weekly("zhangsan", "加装电梯民生实事");
    ASSERT_FALSE(number.empty());
    std::vector<std::string> told;
    for (const auto& m : h.take_outbox()) {
        told.push_back(m.message.chat_id + " " + m.message.text);
    }
    ASSERT_EQ(told.size(), 1U) << "孙红 only: 周敏's scope is 西城, the author is not told";
    EXPECT_EQ(
        told[0].rfind(
            "@u-sunhong 【新报告】幸福里社区 张三 报送《加装电梯民生实事》(工作进度周报),编号 " + number, 0),
        0U)
        << told[0];
    // A revision is told as one, with its revision number.
    h.say("zhangsan", "修改 " + number);
    h.say("zhangsan", "2");
    h.say("zhangsan", "80%");
    EXPECT_NE(h.say("zhangsan", "提交").find(number), std::string::npos);
    const auto revised = h.take_outbox();
    ASSERT_EQ(revised.size(), 1U);
    EXPECT_EQ(
        revised[0].message.text.rfind(
            "【修改后报送】幸福里社区 张三 修改了《加装电梯民生实事》(工作进度周报)," + number + " 第 2 版",
            0),
        0U)
        << revised[0].message.text;
    // Without a bot that can message privately, nobody is told (nothing goes into a group).
    h.settings().direct_bots.clear();
    ASSERT_FALSE(h.file_weekly("zhangsan", "老旧小区改造").empty());
    EXPECT_TRUE(h.take_outbox().empty());
}

TEST(DeskNotices, HourlyOnesListTheNewestInScopeThroughTheBotTheyCameThrough) {
    std::string text(kNoticesRoster);
    for (std::size_t at = text.find(R"("notices": "each")"); at != std::string::npos;
         at = text.find(R"("notices": "each")")) {
        text.replace(at, 17, R"("notices": "hourly")");
    }
    auto loaded = load_roster_text(text, "roster.jsonc");
    ASSERT_TRUE(loaded.errors.empty());
    ReminderContext ctx{.roster = loaded.roster,
                        .coordinator_chats = {},
                        .locale = "zh-CN",
                        .bot_locale = {},
                        .can_direct = [](std::string_view bot) { return bot == "demo"; },
                        .platform_of = {},
                        .bound_account = {}};
    std::vector<desk::Arrival> arrived;
    for (int i = 1; i <= 7; ++i) {
        arrived.push_back(
            {"R-2026-000" + std::to_string(i), "标题" + std::to_string(i), "xingfuli", "demo", "zhangsan"});
    }
    arrived.push_back({"R-2026-0008", "西城的", "xicheng", "demo", "zhoumin"});  // 周敏's own
    const auto sends = desk::hourly_notices("notices/1", arrived, "09:00", ctx);
    ASSERT_EQ(sends.size(), 1U) << "周敏 filed the only report of 西城; 孙红 hears of 东城's";
    EXPECT_EQ(sends[0].key, "notices/1/person:sunhong");
    EXPECT_TRUE(sends[0].message.direct);
    EXPECT_EQ(sends[0].message.chat_id, "@u-sunhong");
    EXPECT_EQ(
        sends[0].message.text,
        "【新报告汇总】09:00 以来您的范围内有 7 份新报告或修改后报送,最新的:R-2026-0007《标题7》(幸福里社区);"
        "R-2026-0006《标题6》(幸福里社区);R-2026-0005《标题5》(幸福里社区);R-2026-0004《标题4》(幸福里社区);"
        "R-2026-0003《标题3》(幸福里社区) 等。回复「审核」或在审核台查看。");
    // Through a bot that cannot message privately, nobody is told (nothing goes into a group).
    for (auto& a : arrived) {
        a.bot_id = "webhook";
    }
    EXPECT_TRUE(desk::hourly_notices("notices/1", arrived, "09:00", ctx).empty());
}

TEST(DeskNotices, OnlyCoordinatorsAskAndOnlyEachHourlyOrNone) {
    const auto officer = load_roster_text(
        R"({"units": [{"id": "u", "name": "U"}], "people": [{"id": "p", "name": "P", "unit": "u", "notices": "each"}]})",
        "roster.jsonc");
    ASSERT_EQ(officer.errors.size(), 1U);
    EXPECT_NE(officer.errors[0].message.find("only coordinators"), std::string::npos)
        << officer.errors[0].message;
    const auto hourly = load_roster_text(
        R"({"units": [{"id": "u", "name": "U"}], "people": [{"id": "c", "name": "C", "role": "coordinator", "notices": "hourly"}]})",
        "roster.jsonc");
    ASSERT_TRUE(hourly.errors.empty());
    EXPECT_EQ(hourly.roster.person_by_id("c")->notices, Person::Notices::hourly);
    const auto daily = load_roster_text(
        R"({"units": [{"id": "u", "name": "U"}], "people": [{"id": "c", "name": "C", "role": "coordinator", "notices": "daily"}]})",
        "roster.jsonc");
    ASSERT_EQ(daily.errors.size(), 1U);
    EXPECT_NE(daily.errors[0].message.find("\"hourly\""), std::string::npos);
}

}  // namespace
}  // namespace bot::handlers

namespace bot::handlers {
namespace {

TEST(DeskSignIn, 登录AndDeskSendTheLinkPrivatelyLikeWebForm) {
    test::FlowHarness h;
    h.settings().web_url = "https://liaison.example.gov.cn";
    h.settings().direct_bots = {"demo"};
    for (const std::string word : {"登录", "审核台", "sign in", "desk"}) {
        EXPECT_NE(h.say("sunhong", word).find("登录链接已私信发给您"), std::string::npos) << word;
        const auto sent = h.take_outbox();
        ASSERT_EQ(sent.size(), 1U) << word;
        EXPECT_TRUE(sent[0].message.direct) << word;
        EXPECT_NE(sent[0].message.text.find("https://liaison.example.gov.cn/app/signin?t="),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace bot::handlers
