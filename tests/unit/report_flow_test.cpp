#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"
#include "handlers/ranking.hpp"
#include "templates/text.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <regex>
#include <set>

namespace bot::handlers {
namespace {

using namespace std::chrono_literals;
using test::boards_needed;
using test::FlowHarness;
using test::report_needed;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// Evaluates `text` once (it is often a message sent to the flow) and allows a trailing << note.
::testing::AssertionResult has_text(const std::string& text, const std::string& needle) {
    if (contains(text, needle)) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected «" << needle << "» in:\n" << text;
}

#define EXPECT_HAS(text, needle) EXPECT_TRUE(has_text((text), (needle)))

/// 张三 starts 党建联络信息 and is asked for field 1 (信息类型).
void start_info(FlowHarness& h, const std::string& user = "zhangsan") {
    EXPECT_HAS(h.say(user, "@联络员助手 填报"), "请选择要填报的类型");
    EXPECT_HAS(h.say(user, "@联络员助手 1"), "【党建联络信息】第 1/10 项 · 信息类型(必填)");
}

const std::string kCase =
    "社区党委牵头成立业委会党支部,组织党员楼栋长每周走访居民,收集诉求,建立问题清单和销号机制。";

/// Answers every field of 党建联络信息 up to the preview (kind = 创新做法, no problem/suggestion field).
void fill_info(FlowHarness& h, const std::string& user = "zhangsan") {
    start_info(h, user);
    EXPECT_HAS(h.say(user, "创新做法"), "第 2/10 项 · 标题");
    EXPECT_HAS(h.say(user, "社区“红色物业”让老旧小区焕新颜"), "第 3/10 项 · 发生日期");
    EXPECT_HAS(h.say(user, "昨天"), "第 4/10 项 · 地点");
    EXPECT_HAS(h.say(user, "幸福里社区党群服务中心"), "第 5/10 项 · 主要做法");
    EXPECT_HAS(h.say(user, kCase), "第 6/10 项 · 成效与数据");
    EXPECT_HAS(h.say(user, "三个月解决居民诉求 126 件,满意率 97%。"), "第 7/10 项 · 分析与观点(选填");
    EXPECT_HAS(h.say(user, "跳过"), "第 8/10 项 · 下一步打算");
    EXPECT_HAS(h.say(user, "跳过"), "第 9/10 项 · 报送单位");
    EXPECT_HAS(h.say(user, "跳过"), "第 10/10 项 · 照片或附件");
    EXPECT_HAS(h.say(user, "", "demo-group", true, {"image:abc123"}), "【党建联络信息】预览");
}

TEST(ReportFlow, DatePromptHintOnceAndFutureDatesExplainedAndChoicesByNumeral) {
    FlowHarness h;
    start_info(h, "zhangsan");
    EXPECT_HAS(h.say("zhangsan", "①"), "第 2/10 项 · 标题") << "a circled number picks the first choice";
    const std::string prompt = h.say("zhangsan", "社区“红色物业”让老旧小区焕新颜");
    EXPECT_HAS(prompt, "第 3/10 项 · 发生日期");
    const auto first = prompt.find("今天、昨天");
    ASSERT_NE(first, std::string::npos) << prompt;
    EXPECT_EQ(prompt.find("今天、昨天", first + 1), std::string::npos) << "the date hint once:\n" << prompt;
    const std::string refused = h.say("zhangsan", "明天");
    EXPECT_HAS(refused, "日期不能晚于今天");
    EXPECT_EQ(refused.find("没有识别出日期"), std::string::npos) << refused;
}

TEST(ReportFlow, CompleteReportInChinese) {
    FlowHarness h;
    fill_info(h);
    const std::string preview = h.say("zhangsan", "预览");
    EXPECT_HAS(preview, "1. 信息类型:创新做法");
    EXPECT_HAS(preview, "3. 发生日期:2026-11-24");
    EXPECT_HAS(preview, "7. 分析与观点:(未填)");
    EXPECT_HAS(preview, "9. 报送单位:幸福里社区");
    EXPECT_HAS(preview, "回复「提交」确认");
    const std::string done = h.say("zhangsan", "提交");
    EXPECT_HAS(done,
               "已提交《社区“红色物业”让老旧小区焕新颜》,编号 R-2026-0001,2026 年 11 月,按时。等待审核。");
    ASSERT_EQ(h.submitted.size(), 1u);
    const Submission& s = h.submitted[0];
    EXPECT_EQ(s.template_id, "liaison_info");
    EXPECT_EQ(s.template_version, 1);
    EXPECT_EQ(s.period_key, "2026-11");
    EXPECT_EQ(s.unit_id, "xingfuli");
    EXPECT_EQ(s.author_id, "zhangsan");
    EXPECT_EQ(s.fields.at("kind"), "practice");
    EXPECT_EQ(s.fields.at("event_date"), "2026-11-24");
    EXPECT_EQ(s.fields.at("photos"), "image:abc123");
    EXPECT_EQ(s.fields.count("analysis"), 0u);
    EXPECT_EQ(s.fields.count("issue_detail"), 0u) << "a hidden conditional field is not stored";
    EXPECT_EQ(h.session("zhangsan"), nullptr) << "the session ends with the submission";
}

TEST(ReportFlow, EveryPromptMentionsTheOfficerAndMentionsOfTheBotAreStripped) {
    FlowHarness h;
    h.say("zhangsan", "＠联络员助手 填报");  // full-width @
    h.say("zhangsan", "1 @联络员助手");
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 创新做法"), "第 2/10 项");
    for (const auto& r : h.last.replies) {
        EXPECT_EQ(r.mention_user_id, "u-zhangsan") << "the account the message came from";
        EXPECT_EQ(r.mention_name, "张三");
    }
}

TEST(ReportFlow, UnaddressedMessagesWithoutSessionAreIgnoredAndStrangersAreTold) {
    FlowHarness h;
    EXPECT_EQ(h.say("zhangsan", "大家好", "demo-group", false), "");
    EXPECT_EQ(h.last.op, SessionOp::keep);
    EXPECT_HAS(h.say("stranger", "@联络员助手 填报"), "不在联络员名单中");
    EXPECT_EQ(h.say("zhangsan", "@联络员助手 你好"),
              "没有听懂。回复「帮助」查看可用命令,回复「填报」开始填报。")
        << "an addressed message that is no command gets one line pointing at the help, not the help";
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 帮助"), "填报命令");
    // With a session, plain messages are answers.
    start_info(h);
    EXPECT_HAS(h.say("zhangsan", "3", "demo-group", false), "第 2/10 项");
}

TEST(ReportFlow, InvalidAnswersGetASpecificMessageAndTheSamePrompt) {
    FlowHarness h;
    start_info(h);
    h.say("zhangsan", "创新做法");
    const std::string short_title = h.say("zhangsan", "红色物业");
    EXPECT_HAS(short_title, "需要 5 字以上,您输入了 4 字。");
    EXPECT_HAS(short_title, "第 2/10 项 · 标题");
    EXPECT_FALSE(contains(short_title, "示例")) << "the example waits for repeated failures";
    const std::string again = h.say("zhangsan", std::string(41 * 3, 'x').substr(0, 41));
    EXPECT_HAS(again, "最多 40 字,您输入了 41 字。");
    EXPECT_HAS(again, "示例:社区“红色物业”让老旧小区焕新颜") << "after two failures the example is shown";
    EXPECT_EQ(h.session("zhangsan")->field_index, 1u) << "no invalid answer advances the flow";
    EXPECT_HAS(h.say("zhangsan", "社区“红色物业”让老旧小区焕新颜"), "第 3/10 项");
    EXPECT_EQ(h.session("zhangsan")->failures, 0);
    EXPECT_HAS(h.say("zhangsan", "下周三"), "没有识别出日期");
    // Bytes that are not UTF-8 arrive as U+FFFD (unicode::clean): not a date, and said so.
    EXPECT_HAS(h.say("zhangsan", "\xff\xfe"), "没有识别出日期");
}

TEST(ReportFlow, RandomAnswersNeverCrashOrAdvanceAnInvalidField) {
    FlowHarness h;
    start_info(h);
    h.say("zhangsan", "1");
    std::mt19937 rng(7);
    const std::vector<std::string> pieces{"红", "色",           "🚩",    " ",    "\n",   "１", "a", "@",
                                          ":",  "：",           "\xff", "修改", "提交", "R-", "9", "%",
                                          "、", "\xe3\x80\x80", "\"",   "\\"};
    for (int i = 0; i < 400; ++i) {
        std::string text;
        const int n = static_cast<int>(rng() % 6);
        for (int k = 0; k < n; ++k) {
            text += pieces[rng() % pieces.size()];
        }
        ASSERT_NO_THROW(h.say("zhangsan", text)) << text;
        const Session* s = h.session("zhangsan");
        if (s != nullptr && s->stage == Stage::filling && s->field_index == 1) {
            EXPECT_EQ(s->answers.count("title"), 0u) << text;
        }
        if (s == nullptr) {
            start_info(h);  // the random text said 取消 or submitted: begin again
            h.say("zhangsan", "1");
        }
    }
}

TEST(ReportFlow, BackSkipEditPreviewCancelHelpAtEveryStage) {
    FlowHarness h;
    // Choosing
    EXPECT_HAS(h.say("zhangsan", "填报"), "请选择");
    EXPECT_HAS(h.say("zhangsan", "5"), "没有找到该类型");
    EXPECT_HAS(h.say("zhangsan", "帮助"), "填报命令");
    EXPECT_HAS(h.say("zhangsan", "取消"), "已取消");
    EXPECT_EQ(h.session("zhangsan"), nullptr);
    // Filling: back at the first item, skip a required one, back from the second
    start_info(h);
    EXPECT_HAS(h.say("zhangsan", "上一步"), "已经是第一项");
    EXPECT_HAS(h.say("zhangsan", "跳过"), "第 1 项为必填,不能跳过");
    h.say("zhangsan", "重大活动");
    EXPECT_HAS(h.say("zhangsan", "back"), "第 1/10 项");
    EXPECT_HAS(h.say("zhangsan", "back"), "已经是第一项");
    EXPECT_HAS(h.last.replies[0].text, "当前内容:重大活动");
    EXPECT_HAS(h.say("zhangsan", "问题建议"), "第 2/11 项 · 标题")
        << "an answer after back moves on; the conditional field now counts";
    // Preview in the middle shows what is missing; submit lists it and goes there
    const std::string preview = h.say("zhangsan", "预览");
    EXPECT_HAS(preview, "2. 标题:(未填)");
    EXPECT_HAS(preview, "8. 问题与建议:(未填)");
    const std::string submit = h.say("zhangsan", "提交");
    EXPECT_HAS(submit, "以下必填项尚未填写:标题、地点、主要做法、成效与数据、问题与建议");
    EXPECT_HAS(submit, "第 2/11 项 · 标题");
    EXPECT_TRUE(h.submitted.empty());
    // Help keeps the step
    EXPECT_HAS(h.say("zhangsan", "help"), "第 2/11 项 · 标题");
    // Edit from the preview returns to the preview
    h.say("zhangsan", "preview");
    EXPECT_HAS(h.say("zhangsan", "修改 1"), "第 1/11 项 · 信息类型");
    EXPECT_HAS(h.say("zhangsan", "创新做法"), "预览");
    EXPECT_HAS(h.last.replies[0].text, "1. 信息类型:创新做法");
    EXPECT_FALSE(contains(h.last.replies[0].text, "问题与建议")) << "the conditional field is hidden again";
    EXPECT_HAS(h.say("zhangsan", "修改 99"), "N 为预览中的序号 1–10");
    EXPECT_HAS(h.say("zhangsan", "修改"), "修改 N");
    // Skip in the preview keeps the preview; back from the preview goes to the last item
    EXPECT_HAS(h.say("zhangsan", "skip"), "预览");
    EXPECT_HAS(h.say("zhangsan", "上一步"), "第 10/10 项 · 照片或附件");
    // Start while filling, continue, cancel
    EXPECT_HAS(h.say("zhangsan", "填报"), "您正在填写《党建联络信息》(第 10/10 项)");
    EXPECT_HAS(h.say("zhangsan", "继续"), "第 10/10 项");
    EXPECT_HAS(h.say("zhangsan", "CANCEL"), "已取消");
    EXPECT_HAS(h.say("zhangsan", "继续"), "没有可以继续的填报");
}

TEST(ReportFlow, EveryCommandAtEveryStageAnswersAndKeepsAConsistentSession) {
    const std::vector<std::string> commands{
        "填报",   "report",           "上一步", "back",    "跳过",  "skip",   "修改 1", "edit 3",
        "修改 0", "修改 R-2026-0001", "预览",   "preview", "提交",  "submit", "帮助",   "help",
        "继续",   "continue",         "取消",   "cancel",  "下一页"};
    // Each stage is reached by a prefix of messages; every command is tried there on a fresh copy.
    const std::vector<std::pair<std::string, std::vector<std::string>>> stages{
        {"none", {}},
        {"choosing", {"填报"}},
        {"first item", {"填报", "1"}},
        {"middle item", {"填报", "1", "创新做法", "社区“红色物业”让老旧小区焕新颜"}},
        {"optional item",
         {"填报",
          "1",
          "信息类型:创新做法\n标题:社区“红色物业”让老旧小区焕新颜\n地点:幸福里社区\n"
          "主要做法:" +
              kCase + "\n成效与数据:三个月解决居民诉求 126 件。"}},
        {"preview", {"填报", "1", "创新做法", "预览"}},
    };
    for (const auto& [stage, prefix] : stages) {
        for (const auto& command : commands) {
            FlowHarness h;
            for (const auto& m : prefix) {
                h.say("zhangsan", m);
            }
            std::string reply;
            ASSERT_NO_THROW(reply = h.say("zhangsan", command)) << stage << " / " << command;
            EXPECT_FALSE(reply.empty()) << stage << " / " << command << ": no answer";
            // A submission's number is the store's, filled in by the router: nothing is left unfilled.
            EXPECT_EQ(reply.find('{'), std::string::npos)
                << stage << " / " << command << ": unfilled placeholder\n"
                << reply;
            if (const Session* s = h.session("zhangsan")) {
                const auto* t = h.templates.find(s->template_id);
                if (s->stage != Stage::choosing) {
                    ASSERT_NE(t, nullptr) << stage << " / " << command;
                    EXPECT_LT(s->field_index, t->fields.size()) << stage << " / " << command;
                }
            }
            EXPECT_TRUE(h.submitted.empty() || command == "提交" || command == "submit")
                << stage << " / " << command;
        }
    }
}

// The harness runs the real router over an in-memory store: what the pure step only asks for
// (a stored report, a board, a leave) is read and written here as in the service.
TEST(ReportFlow, RevisionsBoardsAndLeaveGoThroughTheRealApply) {
    FlowHarness h;
    const auto weekly = [&h](const std::string& user, const std::string& task) {
        h.say(user, "填报 工作进度周报");
        h.say(user, task);
        h.say(user, "50");
        h.say(user, "推进中");
        h.say(user, "继续推进。");
        h.say(user, "跳过");
        return h.say(user, "提交");
    };
    EXPECT_HAS(weekly("lisi", "任务一项目推进"), "编号 R-2026-0001");
    EXPECT_HAS(h.say("lisi", "修改 R-2026-0001"), "正在修改编号 R-2026-0001(第 2 版)");
    EXPECT_EQ(report_needed(h.needed), "R-2026-0001");
    h.say("lisi", "修改 2");
    h.say("lisi", "80");
    EXPECT_HAS(h.say("lisi", "提交"), "已更新《任务一项目推进》,编号 R-2026-0001 第 2 版");
    ASSERT_EQ(h.submitted.size(), 2u);
    EXPECT_EQ(h.submitted[1].fields.at("progress"), "80");

    EXPECT_HAS(h.say("zhangsan", "请假 11-25 11-27"), "已登记请假:2026-11-25 至 2026-11-27");
    const std::string board = h.say("sunhong", "进度 工作进度周报");
    EXPECT_HAS(board, "已报 1/5");
    EXPECT_HAS(board, "按时:和平街道");
    EXPECT_HAS(board, "请假:幸福里社区");
    EXPECT_EQ(boards_needed(h.needed), (std::vector<std::string>{"weekly_progress"}));
    EXPECT_HAS(h.say("zhangsan", "销假"), "已销假");
    EXPECT_HAS(h.say("sunhong", "进度 工作进度周报"), "未报:幸福里社区");
    EXPECT_HAS(h.say("zhangsan", "销假"), "你目前没有登记的请假");
}

TEST(ReportFlow, OptionalFieldsAndDefaults) {
    FlowHarness h;
    fill_info(h);
    // The unit was skipped: its default (the officer's own unit) is used; skipping optional ones leaves them
    // empty.
    h.say("zhangsan", "修改 9");
    EXPECT_HAS(h.last.replies[0].text, "当前内容:幸福里社区");
    // An officer files for their own unit only (identity_test.cpp has the rule in full).
    EXPECT_HAS(h.say("zhangsan", "和平街道"), "只能为本人所在单位报送");
    EXPECT_HAS(h.say("zhangsan", "1"), "9. 报送单位:幸福里社区");
    h.say("zhangsan", "提交");
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_EQ(h.submitted[0].unit_id, "xingfuli");
}

TEST(ReportFlow, OneShotFillsManyFieldsAndAsksOnlyForWhatIsMissing) {
    FlowHarness h;
    start_info(h);
    const std::string r = h.say("zhangsan",
                                "信息类型:创新做法\n"
                                "标题:社区“红色物业”让老旧小区焕新颜\n"
                                "发生日期：11月24日\n"  // full-width colon
                                "地点:幸福里社区党群服务中心\n"
                                "主要做法:" +
                                    kCase +
                                    "\n第二段也是主要做法的一部分。\n"
                                    "颜色:红色\n"
                                    "成效与数据:好");
    EXPECT_HAS(r, "已填写 5 项");
    EXPECT_HAS(r, "「成效与数据」需要 10 字以上,您输入了 1 字。");
    EXPECT_HAS(r, "第 6/10 项 · 成效与数据") << "the first missing field is asked next";
    const Session* s = h.session("zhangsan");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->answers.at("event_date"), "2026-11-24");
    EXPECT_EQ(s->answers.at("case"), kCase + "\n第二段也是主要做法的一部分。");
    EXPECT_EQ(s->answers.count("results"), 0u);

    // Unknown labels only: reported, nothing applied.
    FlowHarness h2;
    start_info(h2);
    const std::string unknown = h2.say("zhangsan", "信息类型:创新做法\n颜色:红色\n心情:好");
    EXPECT_HAS(unknown, "没有识别的项目:颜色、心情");

    // All fields at once go straight to the preview, then submit.
    FlowHarness h3;
    start_info(h3);
    const std::string full =
        h3.say("zhangsan",
               "kind: practice\ntitle: 社区“红色物业”让老旧小区焕新颜\nevent_date: 2026-11-24\n"
               "place: 幸福里社区党群服务中心\ncase: " +
                   kCase + "\nresults: 三个月解决居民诉求 126 件,满意率 97%。");
    EXPECT_HAS(full, "已填写 6 项");
    EXPECT_HAS(full, "第 7/10 项 · 分析与观点") << "optional fields are still offered";
    h3.say("zhangsan", "预览");
    h3.say("zhangsan", "提交");
    ASSERT_EQ(h3.submitted.size(), 1u);
    EXPECT_EQ(h3.submitted[0].fields.at("unit"), "xingfuli");
}

/// A whole 党建联络信息 as 标签:值 lines, as officers paste it from Word.
std::string pasted_info() {
    return "信息类型:创新做法\n标题:社区“红色物业”让老旧小区焕新颜\n发生日期:2026-11-24\n"
           "地点:幸福里社区党群服务中心\n主要做法:" +
           kCase + "\n成效与数据:三个月解决居民诉求 126 件,满意率 97%。";
}

TEST(ReportFlow, AnExactCopyIsRefusedOnEveryPathThatEndsInAStoredReport) {
    FlowHarness h;
    // 张三 pastes the report and submits without ever asking for a preview.
    start_info(h, "zhangsan");
    h.say("zhangsan", pasted_info());
    EXPECT_HAS(h.say("zhangsan", "提交"), "R-2026-0001");
    ASSERT_EQ(h.submitted.size(), 1u);
    // 李四 does exactly the same: refused with the earlier report's number, the draft kept.
    start_info(h, "lisi");
    h.say("lisi", pasted_info());
    EXPECT_HAS(h.say("lisi", "提交"), "与已报送的 R-2026-0001《社区“红色物业”让老旧小区焕新颜》内容相同");
    EXPECT_EQ(h.submitted.size(), 1u) << "no second report";
    EXPECT_NE(h.session("lisi"), nullptr) << "the draft stays";
    // The preview asked mid-form says so too.
    h.say("lisi", "取消");
    start_info(h, "lisi");
    h.say("lisi", pasted_info());
    EXPECT_HAS(h.say("lisi", "预览"), "内容相同,不能重复报送");
    h.say("lisi", "取消");
    // 填报 with the type and the pasted lines in one message, then 提交.
    const std::string one = h.say("wangwu", "填报 党建联络信息\n" + pasted_info());
    EXPECT_HAS(one, "已填写 6 项");
    EXPECT_HAS(h.say("wangwu", "提交"), "内容相同");
    EXPECT_EQ(h.submitted.size(), 1u);
    // A revision that becomes a copy of another report is refused as well.
    start_info(h, "zhaoliu");
    std::string other = pasted_info();
    other.replace(other.find("焕新颜"), std::string("焕新颜").size(), "换了模样");
    h.say("zhaoliu", other);
    ASSERT_NE(h.say("zhaoliu", "提交").find("R-2026-0002"), std::string::npos);
    h.say("zhaoliu", "修改 R-2026-0002");
    h.say("zhaoliu", "修改 2");
    h.say("zhaoliu", "社区“红色物业”让老旧小区焕新颜");
    EXPECT_HAS(h.say("zhaoliu", "提交"), "与已报送的 R-2026-0001");
    EXPECT_EQ(h.submitted.size(), 2u);
}

TEST(ReportFlow, SkipIsOfferedOnlyWhereItWorksAndNoStepIsCountedAtThePreview) {
    FlowHarness h;
    start_info(h);
    const std::string required = h.say("zhangsan", "创新做法");  // now at 标题, required, no default
    EXPECT_HAS(required, "可回复「上一步」「预览」「取消」「帮助」");
    EXPECT_FALSE(contains(required, "「跳过」")) << required;
    EXPECT_HAS(h.say("zhangsan", pasted_info()), "「跳过」") << "an optional item offers it";
    // At the preview (after a refused copy too) 填报 says where one is without a step count.
    h.say("zhangsan", "预览");
    const std::string again = h.say("zhangsan", "填报");
    EXPECT_HAS(again, "已到预览");
    EXPECT_FALSE(contains(again, "-/-")) << again;
}

TEST(ReportFlow, MarksAreGivenOnlyWhereTheTemplateAsksForThem) {
    FlowHarness h;
    h.say("zhangsan", "填报 党建联络信息\n" + pasted_info());
    h.say("zhangsan", "提交");
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_NE(h.submitted[0].quality, "") << "党建联络信息 has a quality section";
    h.say("lisi", "填报 工作进度周报");
    for (const char* m : {"老旧小区加装电梯", "60%", "推进中", "完成土建,启动安装", "跳过"}) {
        h.say("lisi", m);
    }
    h.say("lisi", "提交");
    ASSERT_EQ(h.submitted.size(), 2u);
    EXPECT_EQ(h.submitted[1].quality, "") << "a weekly progress report is not marked (nor averaged)";
    EXPECT_FALSE(h.submitted[1].signature.empty()) << "its copies are refused all the same";
}

TEST(ReportFlow, TheTypeMayBeFollowedByAPreparedReportInTheSameMessage) {
    FlowHarness h;
    const std::string r = h.say("zhangsan", "填报 党建联络信息\n" + pasted_info());
    EXPECT_HAS(r, "已填写 6 项");
    EXPECT_HAS(r, "第 7/10 项 · 分析与观点") << "what is missing is asked next";
    const Session* s = h.session("zhangsan");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->answers.at("event_date"), "2026-11-24");
    EXPECT_EQ(s->answers.at("case"), kCase);
    // A full-width space and a full-width digit name the type.
    FlowHarness h2;
    EXPECT_HAS(h2.say("zhangsan", "填报\u3000１\n标题:社区“红色物业”让老旧小区焕新颜\n信息类型:创新做法"),
               "已填写 2 项");
}

TEST(ReportFlow, MineListsTheOfficersOwnReportsOfThisMonthAndTheOpenOnes) {
    FlowHarness h;
    EXPECT_HAS(h.say("zhangsan", "我的"), "您本月还没有报送");
    ASSERT_NE(h.needed.find<read::Mine>(), nullptr);
    EXPECT_EQ(h.needed.find<read::Mine>()->since, ranking::window_of("Asia/Shanghai", h.now, "month").from);
    h.say("zhangsan", "填报 党建联络信息\n" + pasted_info());
    ASSERT_NE(h.say("zhangsan", "提交").find("R-2026-0001"), std::string::npos);
    h.say("lisi", "填报 党建联络信息\n" + pasted_info() + "\n分析与观点:另一篇。");
    ASSERT_NE(h.say("lisi", "提交").find("R-2026-0002"), std::string::npos);
    h.now += 3min;
    const std::string mine = h.say("zhangsan", "@联络员助手 我的");
    EXPECT_HAS(mine, "您的报告(1 篇,新的在前):");
    EXPECT_HAS(mine,
               "R-2026-0001《社区“红色物业”让老旧小区焕新颜》党建联络信息 · 待审核 · 3 分钟前 · 可「修改 "
               "R-2026-0001」");
    EXPECT_FALSE(contains(mine, "R-2026-0002")) << "李四's is not 张三's";
    EXPECT_HAS(h.say("zhangsan", "MINE"), "R-2026-0001") << "in English, any case";
    // Next month: this month's list is empty, but an open report stays listed.
    h.now += std::chrono::hours(24 * 40);
    EXPECT_HAS(h.say("zhangsan", "我的"), "R-2026-0001《");
    EXPECT_HAS(h.say("stranger", "我的"), "不在联络员名单中");
}

TEST(ReportFlow, TwoOfficersInterleaveInOneGroup) {
    FlowHarness h;
    start_info(h, "zhangsan");
    h.say("lisi", "填报");
    EXPECT_HAS(h.say("lisi", "工作进度周报"), "【工作进度周报】第 1/5 项 · 重点任务");
    EXPECT_HAS(h.say("zhangsan", "2"), "第 2/10 项 · 标题");
    EXPECT_HAS(h.say("lisi", "老旧小区加装电梯"), "第 2/5 项 · 完成进度");
    EXPECT_HAS(h.say("zhangsan", "社区“红色物业”让老旧小区焕新颜"), "第 3/10 项");
    EXPECT_HAS(h.say("lisi", "60%"), "第 3/5 项 · 状态");
    EXPECT_HAS(h.say("lisi", "滞后"), "第 4/6 项 · 存在问题");
    EXPECT_EQ(h.session("zhangsan")->answers.at("kind"), "event");
    EXPECT_EQ(h.session("lisi")->answers.at("progress"), "60");
    EXPECT_EQ(h.session("zhangsan")->answers.count("progress"), 0u);
    // The same officer in another chat has a separate session.
    EXPECT_HAS(h.say("zhangsan", "填报", "other-group"), "请选择");
    EXPECT_EQ(h.session("zhangsan")->template_id, "liaison_info");
}

TEST(ReportFlow, WeeklyReportIsLateAfterFriday1700) {
    FlowHarness h;
    h.now = test::shanghai(2026, 11, 27, 17, 30);
    h.say("lisi", "填报 工作进度周报");
    h.say("lisi", "老旧小区加装电梯");
    h.say("lisi", "100");
    h.say("lisi", "完成");
    h.say("lisi", "整理台账,准备验收。");
    EXPECT_HAS(h.say("lisi", "跳过"), "预览");
    EXPECT_HAS(h.say("lisi", "提交"), "2026 年第 48 周,逾期");
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_EQ(h.submitted[0].period_key, "2026-W48");
    EXPECT_FALSE(h.submitted[0].on_time);
}

TEST(ReportFlow, AHolidayMovesTheWeeklyDeadlineEarlier) {
    FlowHarness h;
    // Thursday 2026-10-01 is National Day; the week's Friday deadline moved to Wednesday 09-30 17:00.
    h.now = test::shanghai(2026, 10, 1, 10, 0);
    h.say("lisi", "填报 工作进度周报");
    h.say("lisi", "老旧小区加装电梯");
    h.say("lisi", "100");
    h.say("lisi", "完成");
    h.say("lisi", "整理台账,准备验收。");
    h.say("lisi", "跳过");
    EXPECT_HAS(h.say("lisi", "提交"), "2026 年第 40 周,逾期");
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_FALSE(h.submitted[0].on_time);
}

TEST(ReportFlow, IdleSessionsBecomeDraftsAndExpire) {
    FlowHarness h;
    start_info(h);
    h.say("zhangsan", "创新做法");
    h.now += 31min;
    const std::string draft = h.say("zhangsan", "社区“红色物业”让老旧小区焕新颜");
    EXPECT_HAS(draft, "您有一份未完成的《党建联络信息》草稿(已填 1 项)");
    EXPECT_EQ(h.session("zhangsan")->answers.count("title"), 0u) << "a message to a draft is not an answer";
    EXPECT_HAS(h.say("zhangsan", "继续"), "第 2/10 项 · 标题");
    EXPECT_HAS(h.say("zhangsan", "社区“红色物业”让老旧小区焕新颜"), "第 3/10 项") << "resumed";
    h.now += 24h * 8;
    EXPECT_HAS(h.say("zhangsan", "继续"), "没有可以继续的填报") << "an expired draft is gone";
    EXPECT_EQ(h.session("zhangsan"), nullptr);
}

TEST(ReportFlow, EnglishOfficerGetsEnglishPrompts) {
    FlowHarness h;
    h.say("qianqi", "report");
    EXPECT_HAS(h.last.replies[0].text, "Which report?");
    EXPECT_HAS(h.say("qianqi", "Liaison information"), "[Liaison information] item 1/10 · Kind (required)");
    EXPECT_HAS(h.say("qianqi", "7"), "Reply with a number or a name");
}

TEST(ReportFlow, ALongRosterIsNotListedInFullInTheUnitPrompt) {
    FlowHarness h;
    std::vector<Unit> units;
    for (int i = 0; i < 5000; ++i) {
        units.push_back({"u" + std::to_string(i), "第" + std::to_string(i) + "网格", false});
    }
    Person p;
    p.id = "lisi";
    p.name = "李四";
    p.unit = "u4321";
    p.role = Role::coordinator;  // files for any unit (an officer is offered only their own)
    p.accounts = {{"demo", "", "u-lisi"}};
    h.roster = Roster(units, {p}, {});
    h.say("lisi", "填报 工作进度周报");
    h.say("lisi", "老旧小区加装电梯");
    h.say("lisi", "60");
    h.say("lisi", "推进中");
    const std::string prompt = h.say("lisi", "完成土建,启动安装。");
    EXPECT_HAS(prompt, "30 第29网格");
    EXPECT_HAS(prompt, "共 5000 个单位");
    EXPECT_EQ(prompt.find("31 第30网格"), std::string::npos);
    EXPECT_LT(prompt.size(), 2000u) << "a 5000-unit roster must not make a 5000-line prompt";
    const std::string refused = h.say("lisi", "不存在的单位");
    EXPECT_LT(refused.size(), 2000u);
    EXPECT_HAS(h.say("lisi", "第4999网格"), "预览") << "any unit by name";
}

TEST(ReportFlow, RevisionOpensAtThePreviewOnlyForTheAuthorWhileEditable) {
    FlowHarness h;
    const Incoming in{
        "demo-group", "zhangsan", "张三", "修改 R-2026-0001", true, {}, false, "console", "console"};
    const FlowContext ctx{h.now, h.templates, h.roster};
    EXPECT_EQ(report_needed(plan(in, std::nullopt, ctx).needs), "R-2026-0001")
        << "the row declares what to read";
    StoredReport r;
    r.number = "R-2026-0001";
    r.template_id = "weekly_progress";
    r.author_id = "zhangsan";
    r.status = "submitted";
    r.fields = {{"task", "老旧小区加装电梯"},
                {"progress", "60"},
                {"status", "on_track"},
                {"next_week", "完成验收准备。"},
                {"unit", "xingfuli"}};
    // 修改 <number> with what the router read for it.
    const auto open_revision = [](Incoming i,
                                  const std::optional<StoredReport>& report,
                                  const std::string& number,
                                  const FlowContext& c) {
        i.text = "修改 " + number;
        Reads reads;
        reads.report = report;
        return decide(plan(i, std::nullopt, c), std::nullopt, reads, c);
    };
    const auto opened = open_revision(in, r, r.number, ctx);
    ASSERT_EQ(opened.op, SessionOp::save);
    EXPECT_EQ(opened.session.revising, "R-2026-0001");
    EXPECT_EQ(opened.session.stage, Stage::previewing);
    EXPECT_HAS(opened.replies[0].text, "正在修改编号 R-2026-0001(第 2 版)");
    EXPECT_HAS(opened.replies[1].text, "2. 完成进度(%):60%");
    EXPECT_HAS(open_revision(in, std::nullopt, "R-2026-0009", ctx).replies[0].text,
               "没有找到编号 R-2026-0009");
    StoredReport theirs = r;
    theirs.author_id = "lisi";
    EXPECT_HAS(open_revision(in, theirs, r.number, ctx).replies[0].text, "不是您提交的报告");
    StoredReport approved = r;
    approved.status = "approved";
    EXPECT_HAS(open_revision(in, approved, r.number, ctx).replies[0].text, "已审核通过,不能再修改");
}

TEST(Status, BoardCountsUnitsByStateAndQuota) {
    FlowHarness h;
    Roster roster(
        {{"a", "甲社区", false}, {"b", "乙街道", false}, {"c", "丙中学", false}, {"d", "丁医院", true}},
        {},
        {});
    const auto* weekly = h.templates.find("weekly_progress");
    const auto board =
        status_board(*weekly, roster, {{"R-1", "a", true}, {"R-2", "b", false}, {"R-3", "b", true}});
    ASSERT_EQ(board.units.size(), 4u);
    EXPECT_EQ(board.units[0].state, UnitState::on_time);
    EXPECT_EQ(board.units[1].state, UnitState::on_time) << "a late report revised on time counts as on time";
    EXPECT_EQ(board.units[2].state, UnitState::missing);
    EXPECT_EQ(board.units[3].state, UnitState::exempt);
    EXPECT_EQ(board.done, 2);
    EXPECT_EQ(board.expected, 3);
    const auto late = status_board(*weekly, roster, {{"R-4", "c", false}});
    EXPECT_EQ(late.units[2].state, UnitState::late);
    const auto period = templates::period_for(*weekly, test::shanghai(2026, 11, 27, 18, 0));
    const std::string text = render_status(late, *weekly, period, "zh-CN");
    EXPECT_HAS(text, "【工作进度周报】2026 年第 48 周:已报 1/3");
    EXPECT_HAS(text, "逾期:丙中学");
    EXPECT_HAS(text, "未报:甲社区、乙街道");
    EXPECT_HAS(text, "免报:丁医院");
    const auto* info = h.templates.find("liaison_info");
    const auto quota =
        status_board(*info, roster, {{"R-5", "a", true}, {"R-6", "a", true}, {"R-7", "b", true}});
    EXPECT_EQ(quota.done, 1) << "two per month: only 甲社区 has met the quota";
    EXPECT_HAS(render_status(quota, *info, templates::period_for(*info, h.now), "zh-CN"),
               "(每单位至少 2 篇):达标 1/3\n甲社区 2 · 乙街道 1 · 丙中学 0 · 丁医院 0");
    // Without a quota (先进典型推荐) a unit owes nothing: never missing, never expected.
    const auto* nomination = h.templates.find("exemplar");
    ASSERT_EQ(nomination->cadence.quota, 0);
    const auto open = status_board(*nomination, roster, {{"R-8", "a", true}});
    EXPECT_EQ(open.units[0].state, UnitState::not_owed);
    EXPECT_EQ(open.units[1].state, UnitState::not_owed);
    EXPECT_EQ(open.units[3].state, UnitState::exempt);
    EXPECT_EQ(open.expected, 0);
    EXPECT_HAS(render_status(open, *nomination, templates::period_for(*nomination, h.now), "zh-CN"),
               ":共 1 篇(不设数量要求)\n甲社区 1 · 乙街道 0");
}

TEST(Status, OfficersAreFoundByUnitInFileOrderAndEachKnowsWhetherTheyReported) {
    FlowHarness h;
    auto person = [](std::string id, std::string unit, Role role = Role::officer) {
        Person p;
        p.id = std::move(id);
        p.name = p.id;
        p.unit = std::move(unit);
        p.role = role;
        return p;
    };
    Roster roster({{"a", "甲社区", false}, {"b", "乙街道", false}, {"a", "甲社区(重复)", false}},
                  {person("a1", "a"),
                   person("b1", "b"),
                   person("coord", "a", Role::coordinator),
                   person("a2", "a"),
                   person("nowhere", "z"),
                   person("b2", "b")},
                  {});
    const auto ids = [&](std::size_t unit) {
        std::vector<std::string> out;
        for (const auto i : roster.officers_of(unit)) {
            out.push_back(roster.people()[i].id);
        }
        return out;
    };
    EXPECT_EQ(ids(0), (std::vector<std::string>{"a1", "a2"})) << "officers only, in file order";
    EXPECT_EQ(ids(1), (std::vector<std::string>{"b1", "b2"}));
    EXPECT_EQ(ids(2), ids(0)) << "a repeated unit id shares the first one's officers";
    EXPECT_TRUE(roster.officers_of(3).empty());
    EXPECT_EQ(roster.unit_position("b"), 1u);
    EXPECT_EQ(roster.unit_position("z"), 3u) << "unknown: units().size()";
    const auto* weekly = h.templates.find("weekly_progress");
    const auto board = status_board(*weekly,
                                    roster,
                                    {{"R-1", "b", true, "", "b2"},
                                     {"R-2", "z", true, "", "nowhere"},
                                     {"R-3", "b", false, "", "b2"},
                                     {"R-4", "a", false, "", "a2"}});
    ASSERT_EQ(board.units.size(), 3u);
    EXPECT_EQ(board.units[0].state, UnitState::late);
    EXPECT_EQ(board.units[0].count, 1);
    ASSERT_EQ(board.units[0].officers.size(), 2u);
    EXPECT_EQ(board.units[0].officers[0].state, OfficerState::covered);
    EXPECT_EQ(board.units[0].officers[1].state, OfficerState::reported);
    EXPECT_EQ(board.units[1].state, UnitState::on_time);
    EXPECT_EQ(board.units[1].count, 2);
    EXPECT_EQ(board.units[1].officers[0].state, OfficerState::covered);
    EXPECT_EQ(board.units[1].officers[1].state, OfficerState::reported);
    EXPECT_EQ(board.units[2].count, 1) << "a repeated unit id counts the first one's reports";
    EXPECT_EQ(board.done, 3) << "the report of a unit not in the roster counts nowhere";
}

TEST(Status, OnlyCoordinatorsMayAskAndTheTemplateCanBeNamed) {
    FlowHarness h;
    EXPECT_HAS(h.say("zhangsan", "进度"), "仅限组织部门使用");
    EXPECT_TRUE(boards_needed(h.needed).empty());
    const std::string all = h.say("sunhong", "@联络员助手 进度");
    EXPECT_HAS(all, "【党建联络信息】2026 年 11 月(每单位至少 2 篇):达标 0/5");
    EXPECT_HAS(all, "【工作进度周报】2026 年第 48 周:已报 0/5");
    EXPECT_HAS(all, "【先进典型推荐】2026 年 11 月:共 0 篇(不设数量要求)") << "no quota: nothing owed";
    EXPECT_FALSE(contains(all, "每单位至少 1 篇")) << all;
    EXPECT_EQ(boards_needed(h.needed),
              (std::vector<std::string>{"liaison_info", "weekly_progress", "exemplar"}));
    h.say("sunhong", "status weekly progress");
    EXPECT_EQ(boards_needed(h.needed), (std::vector<std::string>{"weekly_progress"}));
    EXPECT_HAS(h.say("sunhong", "进度 不存在的模板"), "没有找到该类型");
    EXPECT_EQ(h.last.op, SessionOp::keep) << "asking for the board does not touch a session";
}

TEST(CommandTable, EveryRowIsItsOwnCommandWithHelpInBothLanguagesAndWordsNoOtherRowHas) {
    std::set<Cmd> ids;
    std::map<std::string, const CommandSpec*> words;
    for (const auto& row : command_table()) {
        EXPECT_TRUE(ids.insert(row.id).second) << row.name << ": two rows with one id";
        if (!row.help_key.empty()) {
            EXPECT_FALSE(catalog_raw("zh-CN", row.help_key).empty()) << row.name;
            EXPECT_FALSE(catalog_raw("en", row.help_key).empty()) << row.name;
        }
        ASSERT_FALSE(row.words.empty()) << row.name;
        for (const auto word : row.words) {
            const auto [at, fresh] = words.emplace(templates::text::normalize(word), &row);
            // 修改 / edit: a form's item (修改 3) or a stored report (修改 R-…), told apart by the
            // glued argument; no other word is shared.
            const bool glued_pair = at->second->arg == Arg::glued && row.arg == Arg::glued;
            EXPECT_TRUE(fresh || glued_pair) << word << ": rows " << at->second->name << " and " << row.name;
        }
    }
    // The ids run from the first enumerator without a gap: no command is without its row.
    EXPECT_EQ(static_cast<std::size_t>(*ids.rbegin()) + 1, ids.size()) << "a Cmd value without a row";
    for (const auto& row : command_table()) {
        const auto parsed = parse_command(std::string(row.words.front()));
        ASSERT_TRUE(parsed) << row.name;
        EXPECT_TRUE(parsed->first->id == row.id || row.arg == Arg::glued) << row.name;
    }
}

TEST(Catalog, EveryKeyIsDefinedOnce) {
    std::set<std::string_view> seen;
    for (const auto key : catalog_keys()) {
        EXPECT_TRUE(seen.insert(key).second) << "defined twice: " << key;
    }
}

TEST(Catalog, EveryMessageHasBothLanguagesWithTheSamePlaceholders) {
    const std::regex ph(R"(\{[a-z_]+\})");
    for (const auto key : catalog_keys()) {
        const std::string zh(catalog_raw("zh-CN", key));
        const std::string en(catalog_raw("en", key));
        if (key != "review_none") {
            EXPECT_FALSE(zh.empty()) << key;
            EXPECT_FALSE(en.empty()) << key;
        }
        std::set<std::string> a;
        std::set<std::string> b;
        for (auto it = std::sregex_iterator(zh.begin(), zh.end(), ph); it != std::sregex_iterator(); ++it) {
            a.insert(it->str());
        }
        for (auto it = std::sregex_iterator(en.begin(), en.end(), ph); it != std::sregex_iterator(); ++it) {
            b.insert(it->str());
        }
        EXPECT_EQ(a, b) << key;
    }
    EXPECT_EQ(msg("zh-CN", "err.too_short", {{"min", "5"}, {"count", "4"}}), "需要 5 字以上,您输入了 4 字。");
    EXPECT_EQ(msg("fr", "yes"), "是") << "unknown locales fall back to zh-CN";
}

}  // namespace
}  // namespace bot::handlers
