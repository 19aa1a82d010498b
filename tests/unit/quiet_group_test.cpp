// A quiet group (docs/conversation.md): only messages for the bot are answered; a chat's forms go
// on in the group, privately or on the pages; buttons say what a person would type.

#include "handlers/commands.hpp"
#include "handlers/roster.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

namespace bot::handlers {
namespace {

using test::FlowHarness;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

#define EXPECT_HAS(text, needle) EXPECT_PRED2(contains, (text), (needle))

/// The tree roster's people, with a chat of each mode.
constexpr const char* kModesRoster = R"({
  "units": [
    { "id": "dongcheng", "name": "东城区委" },
    { "id": "xingfuli", "name": "幸福里社区", "parent": "dongcheng" },
    { "id": "heping", "name": "和平街道", "parent": "dongcheng" } ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [ { "bot": "demo", "user": "u-zhangsan" } ] },
    { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [ { "bot": "demo", "user": "u-lisi" } ] },
    { "id": "sunhong", "name": "孙红", "role": "coordinator", "scope": ["dongcheng"],
      "accounts": [ { "bot": "demo", "user": "u-sunhong" } ] } ],
  "chats": [
    { "id": "demo-group", "bot": "demo" },
    { "id": "loud", "bot": "demo", "listen": "all" },
    { "id": "quiet", "bot": "demo", "mode": "private", "adoption_news": true },
    { "id": "pages", "bot": "demo", "mode": "page" } ] })";

class QuietGroup : public ::testing::Test {
protected:
    QuietGroup() {
        auto loaded = load_roster_text(kModesRoster, "roster.jsonc");
        EXPECT_TRUE(loaded.errors.empty());
        h.roster = std::move(loaded.roster);
        h.settings().direct_bots = {"demo"};
        h.settings().web_url = "https://liaison.example";
    }
    /// 张三's messages in `chat` that reach the group: replies to the group's events, and notices
    /// queued for the group itself (not privately).
    static std::size_t group_messages(const FlowHarness& h, const std::string& chat) {
        std::size_t n = 0;
        for (const auto& m : h.committed.replies) {
            n += m.chat_id == chat ? 1U : 0U;
        }
        return n;
    }
    FlowHarness h;
};

TEST_F(QuietGroup, ChatterGetsNoReplyAndChangesNothing) {
    for (const std::string chatter : {"好的", "收到", "大家辛苦了", "帮助一下", "1"}) {
        EXPECT_EQ(h.say("zhangsan", chatter, "demo-group", false), "") << chatter;
        EXPECT_EQ(h.last.op, SessionOp::keep) << chatter;
        EXPECT_TRUE(h.last.changes.empty()) << chatter;
    }
    // A command word without a form, not addressed, is chatter too; addressed, it works.
    EXPECT_EQ(h.say("zhangsan", "填报", "demo-group", false), "");
    EXPECT_EQ(h.session("zhangsan"), nullptr);
    EXPECT_HAS(h.say("zhangsan", "填报 党建联络信息", "demo-group", true), "第 1/10 项");
}

TEST_F(QuietGroup, AnOpenFormTakesOnlyWhatLooksLikeAnAnswer) {
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 填报 党建联络信息"), "第 1/10 项 · 信息类型");
    // A choice: "3" looks like one; "收到,我马上填" does not.
    EXPECT_EQ(h.say("zhangsan", "收到,我马上填", "demo-group", false), "");
    EXPECT_EQ(h.session("zhangsan")->answers.size(), 0u);
    EXPECT_HAS(h.say("zhangsan", "3", "demo-group", false), "第 2/10 项 · 标题");
    // A free text is never guessed: chatter stays chatter, the answer addresses the bot.
    EXPECT_EQ(h.say("zhangsan", "收到,我马上填", "demo-group", false), "");
    EXPECT_EQ(h.session("zhangsan")->field_index, 1u);
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 社区“红色物业”让老旧小区焕新颜"), "第 3/10 项 · 发生日期");
    // A date looks like one; a command word acts.
    EXPECT_HAS(h.say("zhangsan", "2026-11-24", "demo-group", false), "第 4/10 项 · 地点");
    EXPECT_HAS(h.say("zhangsan", "上一步", "demo-group", false), "第 3/10 项");
    // Someone else's chatter does not touch 张三's form.
    EXPECT_EQ(h.say("lisi", "2026-11-24", "demo-group", false), "");
}

TEST_F(QuietGroup, AnIdleDraftAnswersOnly继续) {
    h.say("zhangsan", "@联络员助手 填报 党建联络信息");
    h.now += std::chrono::hours(2);
    EXPECT_EQ(h.say("zhangsan", "3", "demo-group", false), "") << "an abandoned draft does not take chatter";
    EXPECT_HAS(h.say("zhangsan", "继续", "demo-group", false), "第 1/10 项");
}

TEST_F(QuietGroup, AChatThatListensToEverythingKeepsTheOldBehaviour) {
    h.say("zhangsan", "@联络员助手 填报 党建联络信息", "loud");
    h.say("zhangsan", "3", "loud", false);
    EXPECT_HAS(h.say("zhangsan", "收到,我马上填", "loud", false), "第 3/10 项") << "any text is the 标题";
}

TEST_F(QuietGroup, TheBotNamedInTheTextAddressesItWhateverTheAdapterSaid) {
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 帮助", "demo-group", false), "填报");
}

TEST_F(QuietGroup, PrivateModeKeepsTheFormOutOfTheGroup) {
    // 填报 in the group: one line there, the form in 张三's private chat.
    const std::string line = h.say("zhangsan", "@联络员助手 填报 党建联络信息", "quiet");
    EXPECT_HAS(line, "已私信您继续填写");
    EXPECT_EQ(group_messages(h, "quiet"), 1u);
    auto sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].message.direct);
    EXPECT_EQ(sent[0].message.mention_user_id, "u-zhangsan");
    EXPECT_HAS(sent[0].message.text, "第 1/10 项 · 信息类型");
    EXPECT_EQ(h.session("zhangsan", "quiet"), nullptr) << "not kept in the group";
    ASSERT_NE(h.session("zhangsan", "@u-zhangsan"), nullptr);
    EXPECT_EQ(h.session("zhangsan", "@u-zhangsan")->home, "quiet");
    // Unaddressed messages in the group never answer a form kept privately.
    EXPECT_EQ(h.say("zhangsan", "3", "quiet", false), "");
    // The answers in the private chat: replies there, nothing to the group.
    EXPECT_HAS(h.say_privately("zhangsan", "3"), "第 2/10 项");
    for (const std::string answer : {"社区“红色物业”让老旧小区焕新颜",
                                     "2026-11-24",
                                     "幸福里社区党群服务中心",
                                     "社区党委牵头成立业委会党支部,组织党员楼栋长每周走访居民,收集诉求,"
                                     "建立问题清单和销号机制。",
                                     "三个月解决居民诉求 126 件,满意率 97%。",
                                     "跳过",
                                     "跳过",
                                     "跳过",
                                     "跳过"}) {
        h.say_privately("zhangsan", answer);
    }
    EXPECT_TRUE(h.take_outbox().empty()) << "nothing went to the group while filling";
    const std::string done = h.say_privately("zhangsan", "提交");
    EXPECT_HAS(done, "编号 R-2026-0001");
    // The group gets the receipt, with the number; the report belongs to the group.
    sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].message.chat_id, "quiet");
    EXPECT_FALSE(sent[0].message.direct);
    EXPECT_HAS(sent[0].message.text, "已提交《社区“红色物业”让老旧小区焕新颜》,编号 R-2026-0001。");
    std::string chat;
    ASSERT_TRUE(h.in_tx([&chat](store::Tx& tx) -> result<void> {
        auto r = tx.reports().find("R-2026-0001");
        if (!r) {
            return r.error();
        }
        chat = *r ? (*r)->chat_id : "";
        return {};
    }));
    EXPECT_EQ(chat, "quiet") << "filed in the group's name";
}

TEST_F(QuietGroup, PrivateModeSubmittedFromTheGroupPostsOnlyTheReceiptThere) {
    h.say("zhangsan",
          "@联络员助手 填报 党建联络信息\n信息类型:创新做法\n标题:楼道灯修好了\n发生日期:今天\n"
          "地点:幸福里社区\n主要做法:党员楼栋长逐户走访,收集诉求,建立问题清单和销号机制并公开进度。\n"
          "成效与数据:三个月解决居民诉求 126 件,满意率 97%。",
          "quiet");
    h.take_outbox();
    const std::string receipt = h.say("zhangsan", "@联络员助手 提交", "quiet");
    EXPECT_HAS(receipt, "已提交《楼道灯修好了》,编号 R-2026-0001。");
    EXPECT_EQ(group_messages(h, "quiet"), 1u);
    const auto sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u) << "the full receipt privately";
    EXPECT_TRUE(sent[0].message.direct);
}

TEST_F(QuietGroup, DecisionsGoPrivatelyAndTheGroupSeesOnlyTheAdoptionsGoodNewsIfItWantsIt) {
    h.say("zhangsan",
          "@联络员助手 填报 党建联络信息\n信息类型:创新做法\n标题:楼道灯修好了\n发生日期:今天\n"
          "地点:幸福里社区\n主要做法:党员楼栋长逐户走访,收集诉求,建立问题清单和销号机制并公开进度。\n"
          "成效与数据:三个月解决居民诉求 126 件,满意率 97%。",
          "quiet");
    h.say("zhangsan", "@联络员助手 提交", "quiet");
    h.take_outbox();
    h.say("sunhong", "退回 R-2026-0001 请补充具体数据", "coordinators");
    auto sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].message.direct) << "the comment is for the author";
    EXPECT_HAS(sent[0].message.text, "请补充具体数据");
    h.say("zhangsan", "修改 R-2026-0001", "quiet");
    h.say("zhangsan", "@联络员助手 提交", "quiet");
    h.take_outbox();
    h.say("sunhong", "通过 R-2026-0001", "coordinators");
    sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u) << "approval: privately, nothing to the group";
    EXPECT_TRUE(sent[0].message.direct);
    h.say("sunhong", "采用 R-2026-0001 市级", "coordinators");
    sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_TRUE(sent[0].message.direct);
    EXPECT_FALSE(sent[1].message.direct);
    EXPECT_EQ(sent[1].message.chat_id, "quiet");
    EXPECT_HAS(sent[1].message.text, "喜报:幸福里社区张三报送的《楼道灯修好了》(R-2026-0001)被市级采用。");
}

TEST_F(QuietGroup, PageModeSendsTheSignInLinkPrivately) {
    const std::string line = h.say("zhangsan", "@联络员助手 填报", "pages");
    EXPECT_HAS(line, "登录链接已私信发给您");
    EXPECT_EQ(group_messages(h, "pages"), 1u);
    const auto sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].message.direct);
    EXPECT_HAS(sent[0].message.text, "https://liaison.example/app/signin?t=");
    ASSERT_TRUE(sent[0].message.doc.has_value());
    ASSERT_EQ(sent[0].message.doc->actions.size(), 1u) << "the link as a button too";
    EXPECT_EQ(sent[0].message.doc->actions[0].url.rfind("https://liaison.example/app/signin?t=", 0), 0u);
    EXPECT_EQ(h.session("zhangsan", "pages"), nullptr) << "no form in the chat";
    // Filed on the page: the group's second and last message is the receipt.
    FormPost form{.template_id = "weekly_progress",
                  .fields = {{"task", "老旧小区加装电梯"},
                             {"progress", "60%"},
                             {"status", "on_track"},
                             {"next_week", "完成土建,启动安装。"}},
                  .submit = true};
    EXPECT_HAS(h.post_form("zhangsan", form, "pages"), "已提交《老旧小区加装电梯》");
    EXPECT_EQ(group_messages(h, "pages"), 1u);
    EXPECT_TRUE(h.take_outbox().empty());
}

TEST_F(QuietGroup, AModeTheBotCannotCarryOutFallsBackToGroup) {
    h.settings().direct_bots.clear();
    EXPECT_HAS(h.say("zhangsan", "@联络员助手 填报 党建联络信息", "quiet"), "第 1/10 项");
    EXPECT_NE(h.session("zhangsan", "quiet"), nullptr);
}

TEST_F(QuietGroup, TheStartLineOffersTheDeepLinkWhereThePlatformHasOne) {
    h.settings().deep_links["demo"] = "https://t.me/liaison_bot?start=";
    h.say("zhangsan", "@联络员助手 填报 党建联络信息", "quiet");
    ASSERT_EQ(h.committed.replies.size(), 1u);
    const auto& m = h.committed.replies[0];
    ASSERT_TRUE(m.doc.has_value());
    ASSERT_EQ(m.doc->actions.size(), 1u);
    EXPECT_EQ(m.doc->actions[0].url, "https://t.me/liaison_bot?start=continue");
    // The deep link's payload, said in the private chat, shows the question again.
    EXPECT_HAS(h.say_privately("zhangsan", "continue"), "第 1/10 项 · 信息类型");
}

TEST_F(QuietGroup, ButtonsSayWhatAPersonWouldType) {
    h.say("zhangsan", "@联络员助手 填报");
    ASSERT_TRUE(h.committed.replies.at(0).doc.has_value());
    const auto types = h.committed.replies[0].doc->actions;
    ASSERT_GE(types.size(), 2u);
    EXPECT_EQ(types[0].label, "党建联络信息");
    EXPECT_EQ(types[0].command, "填报 党建联络信息");
    h.say("zhangsan", types[0].command);
    const auto kinds = h.committed.replies.at(0).doc->actions;
    ASSERT_EQ(kinds.size(), 5u);
    EXPECT_EQ(kinds[2].label, "创新做法");
    EXPECT_EQ(kinds[2].command, "信息类型:创新做法") << "it names its item";
    EXPECT_HAS(h.say("zhangsan", kinds[2].command), "第 2/10 项");
    EXPECT_EQ(h.session("zhangsan")->answers.at("kind"), "practice");
    // The text still says what to type, for platforms without buttons.
    EXPECT_HAS(h.committed.replies[0].text, "【党建联络信息】第 2/10 项");
    // A stale press (the form is at 标题 now) sets its own item, never the one asked.
    h.say("zhangsan", kinds[0].command);
    EXPECT_EQ(h.session("zhangsan")->answers.at("kind"), "activity");
    EXPECT_EQ(h.session("zhangsan")->answers.count("title"), 0u);
    EXPECT_EQ(h.session("zhangsan")->field_index, 1u) << "still asking 标题";
    // A report type's button while a form is open says so, and starts nothing.
    EXPECT_HAS(h.say("zhangsan", types[1].command), "您正在填写《党建联络信息》");
}

TEST_F(QuietGroup, APressIsThePressersMessage) {
    h.say("zhangsan", "@联络员助手 填报 党建联络信息");
    // 李四 presses 张三's "创新做法": it is 李四's message, and 李四 has no form.
    EXPECT_EQ(h.say("lisi", "信息类型:创新做法", "demo-group", true),
              "没有听懂。回复「帮助」查看可用命令,回复「填报」开始填报。");
    EXPECT_EQ(h.session("zhangsan")->answers.size(), 0u);
}

TEST_F(QuietGroup, ReviewButtonsOnlyForAReviewerInScopeAndAStalePressSaysTheState) {
    h.say("zhangsan",
          "@联络员助手 填报 党建联络信息\n信息类型:创新做法\n标题:楼道灯修好了\n发生日期:今天\n"
          "地点:幸福里社区\n主要做法:党员楼栋长逐户走访,收集诉求,建立问题清单和销号机制并公开进度。\n"
          "成效与数据:三个月解决居民诉求 126 件,满意率 97%。");
    h.say("zhangsan", "提交");
    h.say("sunhong", "查看 R-2026-0001");
    const auto buttons = h.committed.replies.at(0).doc->actions;
    ASSERT_EQ(buttons.size(), 3u);
    EXPECT_EQ(buttons[0].command, "通过 R-2026-0001");
    EXPECT_EQ(buttons[1].command, "退回 R-2026-0001");
    EXPECT_EQ(buttons[2].command, "采用 R-2026-0001");
    h.say("zhangsan", "查看 R-2026-0001");
    EXPECT_FALSE(h.committed.replies.at(0).doc.has_value()) << "the author has no decision buttons";
    EXPECT_HAS(h.say("sunhong", buttons[0].command), "R-2026-0001");
    const std::string again = h.say("sunhong", buttons[0].command);
    EXPECT_HAS(again, "已通过") << "a second press answers with the state";
}

}  // namespace
}  // namespace bot::handlers
