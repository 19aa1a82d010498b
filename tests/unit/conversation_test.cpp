// The conversation router against a real SQLite file: sessions survive a restart, retries change
// nothing, submissions and revisions are stored with every field.
#include "bot/router/router.hpp"
#include "bot/store/sqlite/store.hpp"
#include "tests/support/flow_harness.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <future>

namespace bot::router {
namespace {

using namespace std::chrono_literals;

class ConversationTest : public ::testing::Test {
protected:
    ConversationTest() : deps{harness.templates, harness.roster, {}} { open(); }

    void open() {
        store::SqliteOptions o;
        o.path = dir.file("liaison.db");
        store = std::make_unique<store::SqliteStore>(o);
    }
    void restart() {
        store->close();
        store.reset();
        open();
    }

    /// One message through the router and the store; returns the committed replies joined.
    std::string say(const std::string& user, const std::string& text, const std::string& event_id = "") {
        InboundEvent e;
        e.bot_id = "demo";
        e.platform = "webhook";
        e.chat_id = "demo-group";
        e.user_id = harness.user_id_of(user);
        const auto* person = harness.roster.person_by_id(user);
        e.user_name = person != nullptr ? person->name : user;
        e.text = text;
        e.dedupe_key = event_id.empty() ? "evt-" + std::to_string(++seq) : event_id;
        e.received_at = harness.now;
        last = std::make_shared<core::EventResult>();
        std::promise<result<void>> p;
        store->submit(process(deps, e, harness.now, 24h, core::ReplyRoute::inline_reply, last),
                      [&p](result<void> r) { p.set_value(r); });
        const auto r = p.get_future().get();
        EXPECT_TRUE(r) << r.error().message();
        std::string out;
        for (const auto& m : last->replies) {
            out += m.text + "\n";
        }
        return out;
    }

    std::string query(const std::string& sql) const { return test::query(dir.file("liaison.db"), sql); }

    test::TempDir dir;
    test::FlowHarness harness;
    Deps deps;
    std::unique_ptr<store::SqliteStore> store;
    std::shared_ptr<core::EventResult> last;
    int seq = 0;
};

TEST_F(ConversationTest, RestartInTheMiddleLosesNothing) {
    say("lisi", "填报");
    say("lisi", "工作进度周报");
    say("lisi", "老旧小区加装电梯");
    EXPECT_NE(say("lisi", "60%").find("第 3/5 项 · 状态"), std::string::npos);
    restart();
    const std::string resumed = say("lisi", "继续");
    EXPECT_NE(resumed.find("第 3/5 项 · 状态"), std::string::npos) << resumed;
    say("lisi", "推进中");
    say("lisi", "完成土建,启动安装。");
    EXPECT_NE(say("lisi", "跳过").find("2. 完成进度(%):60%"), std::string::npos)
        << "the answer from before the restart";
    const std::string done = say("lisi", "提交");
    EXPECT_NE(done.find("编号 R-2026-0001"), std::string::npos) << done;
    EXPECT_EQ(query("SELECT count(*) FROM sessions"), "0\n");
    const auto row = query(
        "SELECT number, template_id, template_version, period_key, unit_id, author_id, author_name, "
        "bot_id, chat_id, title, status, on_time, revision FROM reports");
    EXPECT_EQ(row,
              "R-2026-0001|weekly_progress|1|2026-W48|heping|lisi|李四|demo|demo-group|老旧小区加装电梯|"
              "submitted|1|1\n");
    const auto fields = nlohmann::json::parse(query("SELECT fields FROM reports"));
    EXPECT_EQ(fields["task"], "老旧小区加装电梯");
    EXPECT_EQ(fields["progress"], "60");
    EXPECT_EQ(fields["status"], "on_track");
    EXPECT_EQ(fields["next_week"], "完成土建,启动安装。");
    EXPECT_EQ(fields["unit"], "heping");
    EXPECT_FALSE(fields.contains("problems"));
}

TEST_F(ConversationTest, ARetriedEventChangesNothing) {
    say("lisi", "填报", "e-1");
    say("lisi", "工作进度周报", "e-2");
    EXPECT_NE(say("lisi", "老旧小区加装电梯", "e-3").find("第 2/5 项"), std::string::npos);
    EXPECT_EQ(say("lisi", "老旧小区加装电梯", "e-3"), "")
        << "the platform's retry is answered without effects";
    EXPECT_TRUE(last->duplicate);
    EXPECT_NE(say("lisi", "60", "e-4").find("第 3/5 项"), std::string::npos)
        << "the retry did not advance the flow";
}

TEST_F(ConversationTest, NumbersCountPerYearAndRevisionsKeepEveryVersion) {
    auto submit_weekly = [this](const std::string& user, const std::string& task) {
        say(user, "填报 工作进度周报");
        say(user, task);
        say(user, "50");
        say(user, "推进中");
        say(user, "继续推进。");
        say(user, "跳过");
        return say(user, "提交");
    };
    EXPECT_NE(submit_weekly("lisi", "任务一项目推进").find("R-2026-0001"), std::string::npos);
    EXPECT_NE(submit_weekly("zhangsan", "任务二项目推进").find("R-2026-0002"), std::string::npos);

    EXPECT_NE(say("zhangsan", "修改 R-2026-0001").find("不是您提交的报告"), std::string::npos);
    EXPECT_NE(say("lisi", "修改 r-2026-0999").find("没有找到编号 R-2026-0999"), std::string::npos);
    const std::string opened = say("lisi", "修改 R-2026-0001");
    EXPECT_NE(opened.find("正在修改编号 R-2026-0001(第 2 版)"), std::string::npos) << opened;
    say("lisi", "修改 2");
    say("lisi", "80");
    const std::string revised = say("lisi", "提交");
    EXPECT_NE(revised.find("已更新《任务一项目推进》,编号 R-2026-0001 第 2 版"), std::string::npos)
        << revised;
    EXPECT_EQ(
        query(
            "SELECT revision, json_extract(fields, '$.progress') FROM reports WHERE number = 'R-2026-0001'"),
        "2|80\n");
    EXPECT_EQ(
        query(
            "SELECT r.revision, json_extract(r.fields, '$.progress') FROM report_revisions r JOIN reports p "
            "ON p.id = r.report_id WHERE p.number = 'R-2026-0001' ORDER BY r.revision"),
        "1|50\n2|80\n");
    EXPECT_EQ(query("SELECT count(*) FROM reports"), "2\n");
}

TEST_F(ConversationTest, LocaleIsPerBotAndPerPerson) {
    deps.settings.bot_locales["demo"] = "en";
    EXPECT_NE(say("lisi", "report").find("Which report?"), std::string::npos) << "the bot's locale";
    deps.settings.bot_locales.clear();
    EXPECT_NE(say("zhangsan", "填报").find("请选择"), std::string::npos);
    EXPECT_NE(say("qianqi", "填报").find("Which report?"), std::string::npos)
        << "the person's own locale wins";
}

TEST_F(ConversationTest, CoordinatorsSeeWhoHasReportedThisPeriod) {
    auto weekly = [this](const std::string& user, const std::string& task) {
        say(user, "填报 工作进度周报");
        say(user, task);
        say(user, "50");
        say(user, "推进中");
        say(user, "继续推进。");
        say(user, "跳过");
        return say(user, "提交");
    };
    weekly("lisi", "任务一项目推进");
    harness.now += std::chrono::hours(56);  // Friday 18:00: after the deadline
    weekly("zhangsan", "任务二项目推进");
    const std::string board = say("sunhong", "@联络员助手 进度 工作进度周报");
    EXPECT_NE(board.find("【工作进度周报】2026 年第 48 周:已报 2/5"), std::string::npos) << board;
    EXPECT_NE(board.find("按时:和平街道"), std::string::npos) << board;
    EXPECT_NE(board.find("逾期:幸福里社区"), std::string::npos) << board;
    EXPECT_NE(board.find("未报:城东中学党支部、区人民医院党委、区直机关工委"), std::string::npos) << board;
    EXPECT_EQ(last->replies.front().mention_name, "孙红");
    EXPECT_NE(say("zhangsan", "进度").find("仅限组织部门使用"), std::string::npos);
}

TEST_F(ConversationTest, AnUnreadableStoredSessionIsTreatedAsNone) {
    say("lisi", "填报");
    {
        sqlite3* db = nullptr;
        sqlite3_open(dir.file("liaison.db").c_str(), &db);
        sqlite3_exec(db,
                     "UPDATE sessions SET state = '{\"v\":1,\"stage\":42,\"answers\":[1,2]}'",
                     nullptr,
                     nullptr,
                     nullptr);
        sqlite3_close(db);
    }
    EXPECT_NE(say("lisi", "填报").find("请选择"), std::string::npos);
}

TEST_F(ConversationTest, CoordinatorsChaseAndAskForTheDigestInChat) {
    usecase::Deps sched(harness.templates, harness.roster, &harness.calendar);
    sched.push_bots = {"demo"};
    deps.usecases = &sched;
    const std::string first = say("sunhong", "@联络员助手 催报 工作进度周报");
    EXPECT_EQ(first, "已催报《工作进度周报》:提醒 5 名联络员(5 个单位未报)。\n");
    EXPECT_EQ(query("SELECT count(*) FROM outbox WHERE mention_user_id != ''"), "5\n");
    EXPECT_EQ(query("SELECT mention_user_id FROM outbox ORDER BY id LIMIT 2"), "u-zhangsan\nu-lisi\n")
        << "each officer by their platform account";
    EXPECT_EQ(say("sunhong", "催报"), "刚刚已催报过,请 5 分钟后再试。\n") << "once per few minutes per chat";
    harness.now += std::chrono::minutes(5);
    const std::string scoped = say("sunhong", "催报 1 和平街道、xingfuli");
    EXPECT_EQ(scoped, "已催报《党建联络信息》:提醒 2 名联络员(2 个单位未报)。\n")
        << "template by number, units by name or id; the missing ones counted among those named";
    harness.now += std::chrono::minutes(5);
    EXPECT_EQ(say("sunhong", "催报 工作进度周报 不存在的单位"), "没有找到单位「不存在的单位」。\n");
    EXPECT_NE(say("lisi", "催报").find("仅限组织部门使用"), std::string::npos);
    EXPECT_NE(say("lisi", "周报").find("仅限组织部门使用"), std::string::npos);
    const std::string digest = say("sunhong", "周报");
    EXPECT_EQ(digest.rfind("【联络工作周报】2026 年第 47 周\n\n■ 党建联络信息 · 2026 年 11 月", 0), 0u)
        << "titled by the week its weekly section covers\n"
        << digest;
    EXPECT_NE(digest.find("■ 工作进度周报 · 2026 年第 47 周\n已报 0/5 个单位,按时率 0%(0/5)"),
              std::string::npos)
        << "Wednesday: this week's deadline has not passed, so last week's period\n"
        << digest;
}

TEST_F(ConversationTest, LeaveIsRecordedAndEndedInChat) {
    EXPECT_EQ(say("lisi", "请假 11-26 11-30"),
              "已登记请假:2026-11-26 至 2026-11-30,期间不会提醒你。回来后可发送「销假」。\n");
    EXPECT_EQ(query("SELECT person_id, from_date, to_date FROM leaves"), "lisi|2026-11-26|2026-11-30\n");
    EXPECT_EQ(say("lisi", "销假"), "已销假,欢迎回来。\n");
    EXPECT_EQ(query("SELECT count(*) FROM leaves"), "0\n") << "leave that had not started is dropped";
    EXPECT_EQ(say("lisi", "销假"), "你目前没有登记的请假。\n");
    for (const char* bad : {"请假 明天见", "请假 1 2 3", "请假 2026-02-30"}) {
        EXPECT_NE(say("lisi", bad).find("请假格式"), std::string::npos) << bad;
    }
    // Each mistake is named: dates in the wrong order, a leave already over.
    EXPECT_EQ(say("lisi", "请假 11-30 11-26"),
              "结束日期 2026-11-26 早于开始日期 2026-11-30,请按「请假 开始 结束」的顺序填写。\n");
    EXPECT_EQ(say("lisi", "请假 2026-11-20"), "请假的结束日期 2026-11-20 已经过去,无需登记。\n");
    EXPECT_NE(say("lisi", "请假 １１-２７").find("已登记请假:2026-11-27"), std::string::npos)
        << "full-width digits";
    say("lisi", "销假");
    // Two planned leaves: 销假 with a date cancels only the one covering it.
    say("lisi", "请假 11-26 11-27");
    say("lisi", "请假 12-01 12-03");
    EXPECT_EQ(say("lisi", "销假 12-02"), "已取消包含 2026-12-02 的请假(如有;其他请假不变)。\n");
    EXPECT_EQ(query("SELECT from_date, to_date FROM leaves"), "2026-11-26|2026-11-27\n");
    EXPECT_NE(say("lisi", "销假 明天见").find("「销假 12-10」只取消"), std::string::npos);
    EXPECT_EQ(say("lisi", "销假"), "已销假,欢迎回来。\n");
    EXPECT_EQ(query("SELECT count(*) FROM leaves"), "0\n");
    EXPECT_NE(say("lisi", "请假 2026-11-26 2028-01-01").find("请假最长 366 天"), std::string::npos);
    EXPECT_EQ(query("SELECT count(*) FROM leaves"), "0\n");
    EXPECT_NE(say("qianqi", "leave 11-27").find("Leave recorded: 2026-11-27 to 2026-11-27"),
              std::string::npos);
    EXPECT_NE(say("nobody", "请假 11-27").find("不在联络员名单"), std::string::npos);
}

// The parsed sessions kept between messages: given back only for the very text they were saved as.
TEST(SessionMemo, GivesBackOnlyTheSessionSavedAsThatText) {
    handlers::Session s;
    s.stage = handlers::Stage::filling;
    s.template_id = "weekly";
    s.answers["task"] = "走访三户";
    s.started_at = TimePoint(std::chrono::nanoseconds(1'700'000'000'123'456'789));
    s.updated_at = s.started_at + std::chrono::microseconds(1500);
    const std::string text = handlers::to_json(s);
    const store::SessionKey key{"demo", "group", "u1"};
    SessionMemo memo;
    memo.keep(key, text, s);
    // What a parse of the text would give, times to the millisecond included.
    const auto parsed = handlers::session_from_json(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(memo.find(key, text), parsed);
    EXPECT_EQ(handlers::as_stored(s), *parsed);
    // Another text under the key (changed by another process, or the save rolled back): not kept.
    handlers::Session other = s;
    other.field_index = 1;
    EXPECT_FALSE(memo.find(key, handlers::to_json(other)));
    EXPECT_FALSE(memo.find(store::SessionKey{"demo", "group", "u2"}, text));
    memo.forget(key);
    EXPECT_FALSE(memo.find(key, text));
}

TEST(SessionMemo, KeepsAtMostItsCapacity) {
    SessionMemo memo;
    handlers::Session s;
    const std::string text = handlers::to_json(s);
    for (std::size_t i = 0; i < SessionMemo::kCapacity + 10; ++i) {
        memo.keep(store::SessionKey{"demo", "group", "u" + std::to_string(i)}, text, s);
    }
    std::size_t found = 0;
    for (std::size_t i = 0; i < SessionMemo::kCapacity + 10; ++i) {
        found += memo.find(store::SessionKey{"demo", "group", "u" + std::to_string(i)}, text) ? 1U : 0U;
    }
    EXPECT_EQ(found, SessionMemo::kCapacity);
    // The newest is always kept.
    EXPECT_TRUE(memo.find(
        store::SessionKey{"demo", "group", "u" + std::to_string(SessionMemo::kCapacity + 9)}, text));
}

// A session changed by another process between two messages is the one the next message sees,
// not the one kept parsed from the previous message.
TEST_F(ConversationTest, ASessionChangedElsewhereIsReadAgain) {
    EXPECT_NE(say("lisi", "填报").find("请选择"), std::string::npos);
    const std::string before = query("SELECT state FROM sessions");
    const std::string first = say("lisi", "1");
    const std::string filling = query("SELECT state FROM sessions");
    ASSERT_NE(filling, before);
    {
        sqlite3* db = nullptr;
        sqlite3_open(dir.file("liaison.db").c_str(), &db);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "UPDATE sessions SET state = ?", -1, &st, nullptr);
        sqlite3_bind_text(st, 1, before.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    // Back at the choice of template: "1" chooses again instead of answering the first field.
    EXPECT_EQ(say("lisi", "1"), first);
}

}  // namespace
}  // namespace bot::router

namespace bot::handlers {
namespace {

TEST(Pages, AReplyOverOnePushIsPagedAndContinuedWithoutLosingTheForm) {
    // A bot whose reply to a message must fit one push (the WeCom AI bot): a small page here.
    test::FlowHarness h;
    h.settings().page_bytes = {{"demo", 160}};
    h.say("zhangsan", "填报 工作进度周报");
    for (const std::string& m : {std::string("老旧小区加装电梯民生实事项目推进"),
                                 std::string("60%"),
                                 std::string("推进中"),
                                 std::string("完成土建施工,启动设备安装调试,组织居民代表验收"),
                                 std::string("跳过")}) {
        h.say("zhangsan", m);
    }
    const std::string first = h.say("zhangsan", "预览");
    ASSERT_EQ(h.committed.replies.size(), 1u) << "one push";
    EXPECT_LE(first.size(), 160u + 80u) << first;
    EXPECT_NE(first.find("(第 1/"), std::string::npos) << first;
    EXPECT_NE(first.find("回复「继续」看下一页"), std::string::npos) << first;
    std::string all = first;
    for (int i = 0; i < 10 && all.find("页,完)") == std::string::npos; ++i) {
        const std::string next = h.say("zhangsan", "@联络员助手 继续");
        ASSERT_FALSE(next.empty());
        all += next;
    }
    EXPECT_NE(all.find("页,完)"), std::string::npos) << all;
    EXPECT_NE(all.find("完成土建施工,启动设备安装调试,组织居民代表验收"), std::string::npos)
        << "nothing lost\n"
        << all;
    EXPECT_NE(all.find("回复「提交」确认"), std::string::npos) << all;
    // The form waited at its preview: 提交 submits it.
    EXPECT_NE(h.say("zhangsan", "提交").find("已提交"), std::string::npos);
    // With nothing waiting, 继续 is the form's own command again.
    EXPECT_EQ(h.say("zhangsan", "继续").find("页,完"), std::string::npos);
    // A board has structure (a doc); paged, its first page goes as that page's plain text only.
    const std::string board = h.say("sunhong", "进度");
    ASSERT_EQ(h.committed.replies.size(), 1u) << board;
    EXPECT_NE(board.find("(第 1/"), std::string::npos) << board;
    EXPECT_FALSE(h.committed.replies[0].doc) << "the doc would render every page in one push";
}

}  // namespace
}  // namespace bot::handlers
