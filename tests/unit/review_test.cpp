// 审核把关: a report's life (submitted → returned → resubmitted → approved → adopted, or withdrawn),
// who may do what (officers, coordinators scoped to a subtree of units, admins), the author told of
// every decision, and an audit entry for every step. Through the real router over SQLite.
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace bot::handlers {
namespace {

using test::kTreeRoster;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

#define EXPECT_SAYS(reply, part) \
    EXPECT_TRUE(has((reply), (part))) << "expected «" << (part) << "» in:\n" << (reply)

std::string file(test::FlowHarness& h, const std::string& who, const std::string& title) {
    return h.file_weekly(who, title);
}

std::vector<std::string> audit_actions(test::FlowHarness& h, const std::string& target) {
    std::vector<std::string> out;
    EXPECT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto rows = tx.audit().of_target(target, 100);
        if (!rows) {
            return rows.error();
        }
        for (const auto& e : *rows) {
            out.push_back(e.action + " by " + e.actor_id + " (" + e.role + ")" +
                          (e.after.empty() ? "" : ": " + e.after));
        }
        return {};
    }));
    return out;
}

class Review : public ::testing::Test {
protected:
    Review() { h.roster = load_roster_text(kTreeRoster, "r.jsonc").roster; }
    test::FlowHarness h;
};

TEST_F(Review, AReportIsReturnedResubmittedApprovedAndAdoptedWithEveryStepAudited) {
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    ASSERT_EQ(n, "R-2026-0001");
    // The queue: in the coordinator's subtree only.
    EXPECT_SAYS(h.say("sunhong", "审核"), "1. R-2026-0001 幸福里社区 张三《老旧小区加装电梯》第 1 版");
    EXPECT_SAYS(h.say("zhoumin", "审核"), "没有待审核的报告");
    EXPECT_SAYS(h.say("chief", "审核"), "R-2026-0001");
    EXPECT_SAYS(h.say("zhangsan", "审核"), "仅限组织部门使用");
    // Outside the scope, a decision is refused with the reason.
    EXPECT_SAYS(h.say("zhoumin", "通过 R-2026-0001"), "没有找到编号 R-2026-0001 的报告") << "nor its unit";
    // 退回 needs a comment; the author is told, with it, in the chat (@-mentioned).
    EXPECT_SAYS(h.say("sunhong", "退回 R-2026-0001"), "退回需写明意见");
    EXPECT_SAYS(h.say("sunhong", "退回 r-2026-0001 请补充具体数据和成效"), "已退回 R-2026-0001");
    ASSERT_EQ(h.committed.replies.size(), 2u);
    EXPECT_EQ(h.committed.replies[1].mention_user_id, "u-zhangsan");
    EXPECT_SAYS(h.committed.replies[1].text, "被退回修改,意见:请补充具体数据和成效");
    EXPECT_SAYS(h.say("sunhong", "通过 R-2026-0001"), "当前已退回,不能通过");
    EXPECT_SAYS(h.say("sunhong", "审核"), "没有待审核的报告");
    // The author revises and resubmits: back in the queue as revision 2.
    EXPECT_SAYS(h.say("zhangsan", "修改 R-2026-0001"), "预览");
    EXPECT_SAYS(h.say("zhangsan", "提交"), "R-2026-0001");
    EXPECT_SAYS(h.say("sunhong", "审核"), "《老旧小区加装电梯》第 2 版");
    // Others may neither see nor withdraw it.
    EXPECT_SAYS(h.say("lisi", "查看 R-2026-0001"), "没有找到编号 R-2026-0001 的报告");
    EXPECT_SAYS(h.say("lisi", "撤回 R-2026-0001"), "不是您提交的报告");
    // Adoption only after approval; the level from the configured list.
    EXPECT_SAYS(h.say("sunhong", "采用 R-2026-0001 市级"), "不能采用(需先审核通过)");
    EXPECT_SAYS(h.say("sunhong", "通过 R-2026-0001"), "已通过 R-2026-0001");
    EXPECT_SAYS(h.committed.replies[1].text, "已审核通过");
    EXPECT_SAYS(h.say("zhangsan", "撤回 R-2026-0001"), "不能撤回(已通过的报告不能撤回)");
    EXPECT_SAYS(h.say("zhangsan", "修改 R-2026-0001"), "不能再修改");
    EXPECT_SAYS(h.say("sunhong", "采用 R-2026-0001 县级"), "区级、市级、省级、中央级");
    EXPECT_SAYS(h.say("sunhong", "采用 R-2026-0001 市级 《组工信息》第12期"),
                "被市级采用(+3 分),载体:《组工信息》第12期");
    EXPECT_SAYS(h.committed.replies[1].text, "喜报");
    EXPECT_SAYS(h.say("chief", "采用 R-2026-0001 省级"), "被省级采用(+5 分)") << "adopted again, higher up";
    // The author sees it whole, with its history.
    const std::string shown = h.say("zhangsan", "查看 R-2026-0001");
    EXPECT_SAYS(shown, "幸福里社区 · 张三 · 已采用 · 第 2 版");
    EXPECT_SAYS(shown, "重点任务:老旧小区加装电梯");
    EXPECT_SAYS(shown, "采用:市级(+3 分)");
    EXPECT_SAYS(shown, "采用:省级(+5 分)");
    EXPECT_SAYS(shown, "孙红 退回 请补充具体数据和成效");
    EXPECT_EQ(audit_actions(h, n),
              (std::vector<std::string>{"report.submitted by zhangsan (officer): submitted",
                                        "report.returned by sunhong (coordinator): 请补充具体数据和成效",
                                        "report.resubmitted by zhangsan (officer): revision 2",
                                        "report.approved by sunhong (coordinator): approved",
                                        "report.adopted by sunhong (coordinator): 市级 《组工信息》第12期",
                                        "report.adopted by chief (admin): 省级"}));
}

TEST_F(Review, CommentsAndCarriersKeepTheirCaseAndWidth) {
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    EXPECT_SAYS(h.say("sunhong", "退回 r-2026-0001 请补充PPT,见R-2026-0001 Ｐart 2"), "已退回 R-2026-0001");
    ASSERT_EQ(h.committed.replies.size(), 2u);
    EXPECT_SAYS(h.committed.replies[1].text, "意见:请补充PPT,见R-2026-0001 Ｐart 2");
    h.say("zhangsan", "修改 R-2026-0001");
    h.say("zhangsan", "提交");
    EXPECT_SAYS(h.say("sunhong", "ＡＰＰＲＯＶＥ R-2026-0001"), "已通过") << "the command word folds";
    EXPECT_SAYS(h.say("sunhong", "采用 R-2026-0001 市级 CCTV《新闻联播》"), "载体:CCTV《新闻联播》");
    const auto trail = audit_actions(h, n);
    EXPECT_EQ(trail.back(), "report.adopted by sunhong (coordinator): 市级 CCTV《新闻联播》");
    EXPECT_EQ(trail[1], "report.returned by sunhong (coordinator): 请补充PPT,见R-2026-0001 Ｐart 2");
}

TEST_F(Review, TheSameAdoptionTwiceIsCountedOnce) {
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    h.say("sunhong", "通过 " + n);
    EXPECT_SAYS(h.say("sunhong", "采用 " + n + " 市级 CCTV《新闻联播》"), "+3 分");
    EXPECT_SAYS(h.say("sunhong", "采用 " + n + " 市级 CCTV《新闻联播》"), "已按市级登记过采用");
    EXPECT_EQ(h.committed.replies.size(), 1u) << "nobody is told twice";
    EXPECT_SAYS(h.say("sunhong", "采用 " + n + " 市级 《组工信息》第12期"), "+3 分") << "another carrier";
    EXPECT_SAYS(h.say("chief", "采用 " + n + " 省级 CCTV《新闻联播》"), "+5 分") << "another level";
    int points = 0;
    ASSERT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto rows = tx.reports().adoptions(n);
        if (!rows) {
            return rows.error();
        }
        for (const auto& a : *rows) {
            points += a.points;
        }
        EXPECT_EQ(rows->size(), 3u);
        return {};
    }));
    EXPECT_EQ(points, 11);
    const auto trail = audit_actions(h, n);
    EXPECT_EQ(std::count_if(trail.begin(),
                            trail.end(),
                            [](const std::string& a) { return a.rfind("report.adopted", 0) == 0; }),
              3);
}

TEST_F(Review, ADecisionNamingTwoReportsDoesNeitherAndSaysWhy) {
    const std::string a = file(h, "zhangsan", "老旧小区加装电梯");
    const std::string b = file(h, "lisi", "背街小巷整治");
    ASSERT_EQ(b, "R-2026-0002");
    EXPECT_SAYS(h.say("sunhong", "通过 R-2026-0001 R-2026-0002"), "一次处理一篇报告");
    EXPECT_SAYS(h.say("sunhong", "通过 R-2026-0001、R-2026-0002"), "一次处理一篇报告");
    EXPECT_SAYS(h.say("sunhong", "退回 R-2026-0001 r-2026-0002 请补充"), "一次处理一篇报告");
    EXPECT_EQ(h.last.find<handlers::ReviewChange>(), nullptr);
    EXPECT_SAYS(h.say("sunhong", "审核"), "待审核 2 篇") << "neither was decided";
    h.say("sunhong", "通过 R-2026-0001");
    EXPECT_SAYS(h.say("sunhong", "采用 R-2026-0001 R-2026-0002 市级"), "一次处理一篇报告");
    EXPECT_EQ(h.last.find<handlers::ReviewChange>(), nullptr);
}

TEST_F(Review, TheReviewerIsToldHowTheAuthorHearsOfADecisionOrThatTheyCannot) {
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    // In the chat where it was filed: the notice is right there.
    EXPECT_SAYS(h.say("sunhong", "退回 " + n + " 请补充数据"), "已在本群通知 张三");
    h.say("zhangsan", "修改 " + n);
    h.say("zhangsan", "提交");
    // Elsewhere, through a bot that can post unasked: told where they filed it.
    EXPECT_SAYS(h.say("sunhong", "退回 " + n + " 再补充", "coordinators"), "已在其报送的群里通知 张三");
    EXPECT_EQ(h.take_outbox().size(), 1u);
    h.say("zhangsan", "修改 " + n);
    h.say("zhangsan", "提交");
    // A bot that cannot post unasked (a webhook without callback_url): said so, nothing queued.
    h.settings().push_bots.clear();
    const std::string said = h.say("sunhong", "退回 " + n + " 第三次", "coordinators");
    EXPECT_SAYS(said, "张三 收不到机器人的通知");
    EXPECT_FALSE(has(said, "已在")) << said;
    EXPECT_TRUE(h.take_outbox().empty()) << "no row doomed to fail";
    ASSERT_NE(h.last.find<handlers::ReviewChange>(), nullptr);
    EXPECT_EQ(h.last.find<handlers::ReviewChange>()->to, "returned") << "the decision stands";
}

TEST_F(Review, TheAuthorWithdrawsBeforeApprovalAndADecisionElsewhereReachesThemThroughTheOutbox) {
    const std::string n = file(h, "wangwu", "校园党建开放日");
    ASSERT_EQ(n, "R-2026-0001");
    // Decided in another chat: the author is told where they filed, through the outbox.
    EXPECT_SAYS(h.say("zhoumin", "退回 R-2026-0001 标题请写明活动成效", "coordinators"), "已退回");
    const auto queued = h.take_outbox();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].message.chat_id, "demo-group");
    EXPECT_EQ(queued[0].message.mention_user_id, "u-wangwu");
    EXPECT_SAYS(queued[0].message.text, "标题请写明活动成效");
    EXPECT_SAYS(h.say("wangwu", "撤回 R-2026-0001"), "已撤回 R-2026-0001");
    EXPECT_SAYS(h.say("chief", "通过 R-2026-0001"), "当前已撤回,不能通过");
    EXPECT_SAYS(h.say("zhoumin", "审核"), "没有待审核的报告");
    EXPECT_SAYS(h.say("wangwu", "撤回"), "请回复「撤回 编号」");
    EXPECT_SAYS(h.say("sunhong", "通过"), "请回复「通过 编号」");
    EXPECT_SAYS(h.say("sunhong", "通过 R-2026-0099"), "没有找到编号 R-2026-0099");
    EXPECT_EQ(audit_actions(h, n).back(), "report.withdrawn by wangwu (officer): withdrawn");
}

TEST_F(Review, WhereThePlatformCanTheAuthorIsToldPrivately) {
    h.settings().direct_bots = {"demo"};
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    EXPECT_SAYS(h.say("sunhong", "退回 " + n + " 请补充具体数据"), "已退回 " + n);
    ASSERT_EQ(h.committed.replies.size(), 1u) << "nothing about it in the group but the reviewer's answer";
    const auto queued = h.take_outbox();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_TRUE(queued[0].message.direct);
    EXPECT_EQ(queued[0].message.chat_id, "@u-zhangsan");
    EXPECT_SAYS(queued[0].message.text, "意见:请补充具体数据");
}

TEST_F(Review, RankingsCountReportsApprovalsAdoptionsAndPointsPerUnit) {
    // Hand-computed: 城东中学 1 report, adopted 省级 (5) and 中央级 (10) = 15; 幸福里 2 reports, both
    // approved, one adopted 市级 = 3; 和平街道 1 report, adopted 区级 = 1.
    const std::string z1 = file(h, "zhangsan", "老旧小区加装电梯");
    const std::string z2 = file(h, "zhangsan", "社区议事厅改造");
    const std::string l1 = file(h, "lisi", "街道志愿服务队");
    const std::string w1 = file(h, "wangwu", "校园党建开放日");
    for (const auto& n : {z1, z2, l1}) {
        h.say("sunhong", "通过 " + n);
    }
    h.say("sunhong", "采用 " + z1 + " 市级");
    h.say("sunhong", "采用 " + l1 + " 区级");
    h.say("zhoumin", "通过 " + w1);
    h.say("zhoumin", "采用 " + w1 + " 省级");
    h.say("chief", "采用 " + w1 + " 中央级");
    const std::string all = h.say("chief", "排名");
    EXPECT_SAYS(all, "【比学赶超】2026 年 11 月 · 全部类型");
    EXPECT_SAYS(all, "1. 城东中学党支部 15 分 · 报送 1(按时 1)· 通过 1 · 采用 2(中央级 1 省级 1)");
    EXPECT_SAYS(all, "2. 幸福里社区 3 分 · 报送 2(按时 2)· 通过 2 · 采用 1(市级 1)");
    EXPECT_SAYS(all, "3. 和平街道 1 分 · 报送 1(按时 1)· 通过 1 · 采用 1(区级 1)");
    EXPECT_SAYS(all, "本期尚无报送:2 个单位");
    // A scoped coordinator compares the units of their scope; officers see every unit.
    const std::string scoped = h.say("sunhong", "排名");
    EXPECT_SAYS(scoped, "1. 幸福里社区 3 分");
    EXPECT_FALSE(has(scoped, "城东中学")) << scoped;
    EXPECT_SAYS(scoped, "本期尚无报送:1 个单位");
    EXPECT_SAYS(h.say("lisi", "排名 季"), "2026 年第 4 季度");
    EXPECT_SAYS(h.say("lisi", "排名 年 工作进度周报"), "2026 年 · 工作进度周报");
    EXPECT_SAYS(h.say("lisi", "排名 年 先进典型推荐"), "本期还没有报送或采用");
    EXPECT_SAYS(h.say("lisi", "排名 下个月"), "没有「下个月」这个时段或类型");
    // Next month starts from nothing.
    h.now = test::shanghai(2026, 12, 2, 9, 0);
    EXPECT_SAYS(h.say("chief", "排名"), "(采用得分 › 通过 › 报送)\n本期还没有报送或采用");
    EXPECT_SAYS(h.say("chief", "排名 月"), "【比学赶超】2026 年 12 月");
    EXPECT_SAYS(h.say("chief", "排名 年"), "1. 城东中学党支部 15 分");
}

TEST_F(Review, ACoordinatorsBoardAndRemindersCoverTheirScope) {
    const std::string board = h.say("sunhong", "进度 工作进度周报");
    EXPECT_SAYS(board, "幸福里社区");
    EXPECT_FALSE(has(board, "城东中学")) << board;
    EXPECT_SAYS(board, "/3") << "东城区委 and its two branches";
    EXPECT_SAYS(h.say("chief", "进度 工作进度周报"), "/5");
    EXPECT_SAYS(h.say("sunhong", "催报 工作进度周报 城东中学党支部"),
                "城东中学党支部 不在您负责的单位范围内");
    // The scope is the use case's (usecase::remind), the same for chat and the API.
    h.take_outbox();
    h.now = test::shanghai(2026, 12, 4, 17, 0);  // Friday, the week's report due
    const std::string reminded = h.say("sunhong", "催报 工作进度周报");
    EXPECT_SAYS(reminded, "3 个单位未报");
    for (const auto& row : h.take_outbox()) {
        EXPECT_NE(row.message.mention_name, "王五") << "城东中学 is outside 孙红's scope";
    }
    h.now += std::chrono::minutes(10);
    const std::string all = h.say("chief", "催报 工作进度周报");
    EXPECT_SAYS(all, "5 个单位未报") << "an admin reminds every unit";
}

TEST(ReviewRoles, EachRoleTimesEachActionIsAllowedOrRefusedWithAReason) {
    // 张三 wrote R-2026-0001 (幸福里, under 东城); 李四 is another officer of 东城; 周敏 coordinates
    // 西城 only; 孙红 coordinates 东城; 钱部长 is an admin. Each cell on a fresh store.
    struct Action {
        std::string say;
        std::string done;       ///< in the reply when allowed
        bool approved = false;  ///< the report is approved first (adoption needs it)
        std::vector<bool> allowed;
    };
    const std::vector<std::string> who{"zhangsan", "lisi", "zhoumin", "sunhong", "chief"};
    const std::vector<Action> actions{
        {"审核", "1. R-2026-0001", false, {false, false, false, true, true}},
        {"查看 R-2026-0001", "第 1 版", false, {true, false, false, true, true}},
        {"通过 R-2026-0001", "已通过 R-2026-0001", false, {false, false, false, true, true}},
        {"退回 R-2026-0001 请补充数据", "已退回 R-2026-0001", false, {false, false, false, true, true}},
        {"采用 R-2026-0001 市级", "被市级采用", true, {false, false, false, true, true}},
        {"撤回 R-2026-0001", "已撤回 R-2026-0001", false, {true, false, false, false, false}},
        {"修改 R-2026-0001", "预览", false, {true, false, false, false, false}},
    };
    for (const auto& a : actions) {
        for (std::size_t i = 0; i < who.size(); ++i) {
            test::FlowHarness h;
            h.roster = load_roster_text(kTreeRoster, "r.jsonc").roster;
            ASSERT_EQ(file(h, "zhangsan", "老旧小区加装电梯"), "R-2026-0001");
            if (a.approved) {
                h.say("chief", "通过 R-2026-0001");
            }
            const std::string reply = h.say(who[i], a.say);
            EXPECT_EQ(has(reply, a.done), a.allowed[i]) << who[i] << " «" << a.say << "» → " << reply;
            EXPECT_FALSE(reply.empty()) << who[i] << " «" << a.say << "»: a refusal says why";
            // A refused decision changes nothing and leaves no audit entry beyond the submission.
            if (!a.allowed[i] && a.say != "审核" && a.say.rfind("查看", 0) != 0 &&
                a.say.rfind("修改", 0) != 0) {
                EXPECT_EQ(audit_actions(h, "R-2026-0001").size(), a.approved ? 2u : 1u)
                    << who[i] << " " << a.say;
            }
        }
    }
}

TEST_F(Review, TheRosterRefusesABadTreeOrScope) {
    const auto r = load_roster_text(R"({
      "units": [ { "id": "a", "name": "A", "parent": "b" }, { "id": "b", "name": "B", "parent": "a" },
                 { "id": "c", "name": "C", "parent": "nowhere" } ],
      "people": [ { "id": "x", "name": "X", "role": "coordinator", "scope": ["zz"] },
                  { "id": "y", "name": "Y", "unit": "c", "scope": ["c"] } ] })",
                                    "r.jsonc");
    std::string all;
    for (const auto& e : r.errors) {
        all += e.path + ": " + e.message + "\n";
    }
    EXPECT_SAYS(all, "a cycle of parents");
    EXPECT_SAYS(all, "$.units[2].parent: unknown unit \"nowhere\"");
    EXPECT_SAYS(all, "$.people[0].scope: unknown unit \"zz\"");
    EXPECT_SAYS(all, "$.people[1].scope: only a coordinator has a scope");
    // In scope: a unit, and every unit below it.
    const Roster roster = load_roster_text(kTreeRoster, "r.jsonc").roster;
    const Person& sunhong = *roster.person_by_id("sunhong");
    EXPECT_TRUE(roster.in_scope(sunhong, "xingfuli"));
    EXPECT_TRUE(roster.in_scope(sunhong, "dongcheng"));
    EXPECT_FALSE(roster.in_scope(sunhong, "school"));
    EXPECT_TRUE(roster.in_scope(*roster.person_by_id("chief"), "school"));
    EXPECT_FALSE(roster.in_scope(*roster.person_by_id("zhangsan"), "xingfuli"))
        << "an officer coordinates nothing";
    EXPECT_EQ(roster.units_in_scope(sunhong), (std::vector<std::string>{"dongcheng", "xingfuli", "heping"}));
}

}  // namespace
}  // namespace bot::handlers
