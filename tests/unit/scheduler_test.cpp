// The scheduler against a real SQLite file with an injected clock: a simulated fortnight across
// the Labour Day holiday and its make-up Saturday, restarts, downtime, two schedulers on one
// store, quiet hours, DST, leave, exempt units, manual reminders and the digest.
#include "bot/scheduler/scheduler.hpp"

#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/loaders.hpp"
#include "bot/outbox/plan.hpp"
#include "bot/store/sqlite/store.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/remind.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"
#include "tests/support/flow_harness.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <future>
#include <sstream>

namespace bot::scheduler {
namespace {

using namespace std::chrono_literals;
using test::shanghai;

// Five units: one exempt; 赵六 is on leave (roster) from 05-06 to 05-12.
constexpr std::string_view kRoster = R"({
  "units": [
    { "id": "xingfuli", "name": "幸福里社区" },
    { "id": "heping", "name": "和平街道" },
    { "id": "school", "name": "城东中学党支部" },
    { "id": "hospital", "name": "区人民医院党委" },
    { "id": "organs", "name": "区直机关工委", "exempt": true }
  ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [{ "bot": "demo", "user": "u-zhangsan" }] },
    { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [{ "bot": "demo", "user": "u-lisi" }] },
    { "id": "wangwu", "name": "王五", "unit": "school" },
    { "id": "zhaoliu", "name": "赵六", "unit": "hospital", "leave": [{ "from": "2026-05-06", "to": "2026-05-12" }] },
    { "id": "qianqi", "name": "钱七", "unit": "organs", "locale": "en" },
    { "id": "sunhong", "name": "孙红", "role": "coordinator" }
  ],
  "chats": [
    { "id": "demo-group", "bot": "demo", "units": ["*"], "templates": ["*"] },
    { "id": "coordinators", "bot": "demo", "units": [], "templates": [] }
  ]
})";

/// "05-07 10:00" in Shanghai.
std::string local(TimePoint t) {
    const auto d = templates::local_date(t, "Asia/Shanghai");
    const auto m = templates::local_time_of_day(t, "Asia/Shanghai").count();
    char buf[32];
    std::snprintf(buf,
                  sizeof buf,
                  "%02d-%02d %02d:%02d",
                  d.month,
                  d.day,
                  static_cast<int>(m / 60),
                  static_cast<int>(m % 60));
    return buf;
}

struct Row {
    std::string at;  ///< local time of the tick that queued it
    std::string chat;
    std::string mention;
    bool direct = false;
    std::string text;
    std::string line() const { return at + " " + chat + " " + (direct ? "dm:" : "@") + mention; }
};

class SchedulerTest : public ::testing::Test {
protected:
    SchedulerTest() {
        auto t = loaders::templates_in(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
        auto r = handlers::load_roster_text(kRoster, "roster.jsonc");
        auto c = loaders::calendar_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc");
        if (!t.errors.empty() || !r.errors.empty() || !c.errors.empty()) {
            throw std::runtime_error("test data does not load");
        }
        templates = std::move(t.set);
        roster = std::move(r.roster);
        calendar = std::move(c.calendar);
        deps = std::make_unique<Deps>(templates, roster, &calendar);
        deps->coordinator_chats = {{"demo", "coordinators"}};
        deps->digest = handlers::DigestRule{1, 9h, "Asia/Shanghai"};
        deps->digest_chats = {{"demo", "coordinators"}};
        deps->push_bots = {"demo"};
        open();
    }

    void open() {
        store::SqliteOptions o;
        o.path = path();
        store = std::make_unique<store::SqliteStore>(o);
    }
    void restart() {
        store->close();
        store.reset();
        open();
    }
    std::string path() const { return dir.file("liaison.db"); }

    template <typename F>
    void in_tx(F f, store::SqliteStore* on = nullptr) {
        std::promise<result<void>> p;
        (on != nullptr ? on : store.get())
            ->submit([&f](store::Tx& tx) { return f(tx); }, [&p](result<void> r) { p.set_value(r); });
        const auto r = p.get_future().get();
        ASSERT_TRUE(r) << r.error().message();
    }

    TickReport tick(TimePoint now, const std::string& holder = "A", store::SqliteStore* on = nullptr) {
        auto out = std::make_shared<TickReport>();
        std::promise<result<void>> p;
        (on != nullptr ? on : store.get())
            ->submit(scheduler::tick(*deps, holder, now, out), [&p](result<void> r) { p.set_value(r); });
        const auto r = p.get_future().get();
        EXPECT_TRUE(r) << r.error().message();
        return *out;
    }

    void report(const std::string& unit,
                const std::string& author,
                TimePoint at,
                const std::string& title,
                const std::string& tmpl = "weekly_progress",
                const std::string& status = "submitted") {
        const auto* t = templates.find(tmpl);
        if (t == nullptr) {
            return;  // a test with its own templates
        }
        const auto period = templates::period_for(*t, at, &calendar);
        in_tx([&](store::Tx& tx) -> result<void> {
            store::ReportRecord rec;
            rec.template_id = tmpl;
            rec.template_version = 1;
            rec.period_key = period.key;
            rec.unit_id = unit;
            rec.author_id = author;
            rec.author_name = author;
            rec.bot_id = "demo";
            rec.chat_id = "demo-group";
            rec.title = title;
            rec.fields = "{}";
            rec.on_time = templates::on_time(period, at);
            rec.submitted_at = at;
            rec.status = status;
            auto r = tx.reports().insert(rec, 2026);
            if (!r) {
                return r.error();
            }
            return {};
        });
    }

    std::vector<Row> outbox() const {
        std::vector<Row> rows;
        const std::string text = test::query(path(),
                                             "SELECT created_at, chat_id, mention_name, direct, "
                                             "replace(text, char(10), '\\n') FROM outbox ORDER BY id");
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            std::vector<std::string> cols;
            std::size_t start = 0;
            for (int i = 0; i < 4; ++i) {
                const auto bar = line.find('|', start);
                cols.push_back(line.substr(start, bar - start));
                start = bar + 1;
            }
            cols.push_back(line.substr(start));
            const TimePoint at{std::chrono::milliseconds(std::stoll(cols[0]))};
            rows.push_back({local(at), cols[1], cols[2], cols[3] == "1", cols[4]});
        }
        return rows;
    }

    static std::vector<std::string> lines(const std::vector<Row>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) {
            out.push_back(r.line());
        }
        return out;
    }

    /// Ticks every 15 minutes from `from` to `to`, adding the fortnight's reports as their time
    /// comes; `restart_at` closes and reopens the store (a new process, a new holder) there.
    /// With `second`, every tick also runs concurrently on that store (another process), both
    /// under one holder name so that only the unique keys stand between them.
    void simulate(TimePoint from,
                  TimePoint to,
                  const std::vector<TimePoint>& restart_at = {},
                  const std::vector<std::pair<TimePoint, TimePoint>>& down = {},
                  store::SqliteStore* second = nullptr) {
        struct Planned {
            TimePoint at;
            std::string unit, author, title, status;
        };
        std::vector<Planned> plan{
            {shanghai(2026, 4, 28, 16, 0), "xingfuli", "zhangsan", "加装电梯入户调查", "approved"},
            {shanghai(2026, 5, 2, 10, 0), "heping", "lisi", "节日值班安排", "approved"},  // W18, late
            {shanghai(2026, 5, 7, 9, 0), "xingfuli", "zhangsan", "老旧小区加装电梯", "approved"},
            {shanghai(2026, 5, 8, 16, 0), "school", "wangwu", "课后服务党员先锋岗", "submitted"},
        };
        std::size_t next = 0;
        while (next < plan.size() && plan[next].at < from) {
            ++next;  // before this simulation
        }
        std::size_t restarts = 0;
        int generation = 0;
        for (TimePoint t = from; t <= to; t += 15min) {
            while (next < plan.size() && plan[next].at <= t) {
                report(plan[next].unit,
                       plan[next].author,
                       plan[next].at,
                       plan[next].title,
                       "weekly_progress",
                       plan[next].status);
                ++next;
            }
            if (restarts < restart_at.size() && restart_at[restarts] <= t) {
                restart();
                ++restarts;
                ++generation;
            }
            const bool is_down = std::any_of(
                down.begin(), down.end(), [&](const auto& d) { return t >= d.first && t < d.second; });
            if (is_down) {
                continue;
            }
            if (second == nullptr) {
                tick(t, "process-" + std::to_string(generation));
                continue;
            }
            auto a = std::async(std::launch::async, [&] { return tick(t, "same"); });
            auto b = std::async(std::launch::async, [&] { return tick(t, "same", second); });
            a.get();
            b.get();
        }
    }

    test::TempDir dir;
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    std::unique_ptr<Deps> deps;
    std::unique_ptr<store::SqliteStore> store;
};

const std::vector<std::string> kFortnight{
    // W17's escalation (the next working morning after Friday 04-24), then Monday's digest.
    "04-27 09:00 coordinators @",
    "04-27 09:00 coordinators @",
    // W18: Friday 05-01 is Labour Day, so the deadline moves to Thursday 04-30 17:00; the day
    // before at 10:00 is Wednesday 04-29. 张三 reported on Tuesday; 区直机关工委 is exempt.
    "04-29 10:00 demo-group @李四",
    "04-29 10:00 demo-group @王五",
    "04-29 10:00 demo-group @赵六",
    "04-29 10:00 demo-group @",
    "04-30 15:00 demo-group @李四",
    "04-30 15:00 demo-group @王五",
    "04-30 15:00 demo-group @赵六",
    "04-30 15:00 demo-group @",
    // The monthly quota of 党建联络信息 (the month's last working day, 17:00) to coordinators.
    "04-30 17:00 coordinators @",
    "04-30 17:00 demo-group @李四",
    "04-30 17:00 demo-group @王五",
    "04-30 17:00 demo-group @赵六",
    "04-30 17:00 demo-group @",
    "05-04 09:00 coordinators @",
    // The next working morning after Thursday 04-30 is Wednesday 05-06 (05-01 to 05-05 off).
    "05-06 09:00 coordinators @",
    // W19: due Friday 05-08. 赵六 is on leave from 05-06, so 区人民医院党委 is not chased.
    "05-07 10:00 demo-group @李四",
    "05-07 10:00 demo-group @王五",
    "05-07 10:00 demo-group @",
    "05-08 15:00 demo-group @李四",
    "05-08 15:00 demo-group @王五",
    "05-08 15:00 demo-group @",
    "05-08 17:00 demo-group @李四",  // 王五 reported at 16:00
    "05-08 17:00 demo-group @",
    // The next working morning is the make-up workday, Saturday 05-09.
    "05-09 09:00 coordinators @",
    "05-11 09:00 coordinators @",
};

TEST_F(SchedulerTest, AFortnightAcrossLabourDayGivesExactlyTheseRemindersAndDigests) {
    simulate(shanghai(2026, 4, 27, 0, 0), shanghai(2026, 5, 11, 12, 0));
    const auto rows = outbox();
    EXPECT_EQ(lines(rows), kFortnight);
    ASSERT_EQ(rows.size(), kFortnight.size());
    // The words: a private-looking @-mention in the group (the platform cannot message privately).
    EXPECT_EQ(rows[2].text,
              "提醒:《工作进度周报》(2026 年第 18 周)还未收到和平街道的报送,截止时间 4月30日(周四)17:00。"
              "回复「填报」开始填写。");
    EXPECT_EQ(
        rows[5].text,
        "《工作进度周报》(2026 年第 18 周):已报 1/4 个单位,还有 3 个单位未报,截止时间 4月30日(周四)17:00。")
        << "a neutral count: no names in the group";
    // The escalation on 05-06 lists the late and missing units; 赵六 went on leave that day.
    EXPECT_EQ(
        rows[16].text,
        "【催报汇总】《工作进度周报》截止 4月30日(周四)17:00,以下单位需要跟进:\\n\\n"
        "【工作进度周报】2026 年第 18 周:已报 2/4\\n按时:幸福里社区\\n逾期:和平街道\\n未报:城东中学党支部\\n"
        "请假:区人民医院党委\\n免报:区直机关工委");
    EXPECT_EQ(rows[24].text,
              "《工作进度周报》(2026 年第 19 周)截止时间 5月8日(周五)17:00 已到:已报 2/4 个单位,还有 2 "
              "个单位未报。")
        << "at the deadline itself: due now";
    EXPECT_NE(rows[25].text.find("未报:和平街道"), std::string::npos) << rows[25].text;
    // Every round and send is recorded once, as sent.
    EXPECT_EQ(test::query(path(), "SELECT count(*) FROM scheduled_sends WHERE state != 'sent'"), "0\n");
    EXPECT_EQ(
        test::query(
            path(),
            "SELECT count(*) FROM scheduled_sends WHERE send_key LIKE 'remind/weekly_progress/2026-W19/2%'"),
        "4\n")
        << "the round and its three targets";
}

TEST_F(SchedulerTest, TheDigestSummarizesTheWeekAgainstThePreviousOne) {
    simulate(shanghai(2026, 4, 27, 0, 0), shanghai(2026, 5, 11, 12, 0));
    const auto rows = outbox();
    ASSERT_EQ(rows.size(), kFortnight.size());
    const std::string& digest = rows.back().text;
    EXPECT_EQ(digest.rfind("【联络工作周报】2026 年第 19 周\\n\\n", 0), 0u)
        << "sent on Monday of week 20, it covers week 19 and says so\n"
        << digest;
    const std::string weekly =
        "■ 工作进度周报 · 2026 年第 19 周\\n"
        "已报 2/4 个单位,按时率 50%(2/4)\\n"
        "较上期:已报 0,按时率 +25 个百分点\\n"
        "未报:和平街道\\n"
        "请假:区人民医院党委\\n"
        "要点:\\n"
        "· 老旧小区加装电梯(幸福里社区,R-2026-0003)\\n"
        "另有 1 篇待审核,审核通过后列入要点。";
    EXPECT_NE(digest.find(weekly), std::string::npos) << "highlights are approved reports only\n" << digest;
    EXPECT_EQ(digest.find("课后服务党员先锋岗"), std::string::npos) << "not reviewed yet";
    EXPECT_NE(digest.find("■ 党建联络信息 · 2026 年 5 月\\n本期 0 篇,达到每单位 2 篇的单位 "
                          "0/4\\n较上月同期(前 11 天):0 篇"),
              std::string::npos)
        << digest;
}

TEST_F(SchedulerTest, EventTemplatesInTheDigestCountAndNameTheirUnits) {
    report("heping", "lisi", shanghai(2026, 5, 6, 10, 0), "社区志愿服务队", "exemplar", "approved");
    report("heping", "lisi", shanghai(2026, 4, 20, 10, 0), "四月的推荐", "exemplar");
    report("school", "wangwu", shanghai(2026, 4, 21, 10, 0), "四月的信息", "liaison_info");
    report("school", "wangwu", shanghai(2026, 4, 3, 10, 0), "四月初的信息", "liaison_info");
    std::string digest;
    in_tx([&](store::Tx& tx) -> result<void> {
        auto d = usecase::digest_doc(*deps, tx, shanghai(2026, 5, 11, 9, 0), "zh-CN");
        if (!d) {
            return d.error();
        }
        digest = plain_text(*d);
        return {};
    });
    // May 1–11 against April 1–11: like with like, and said so.
    EXPECT_NE(digest.find("■ 先进典型推荐 · 2026 年 5 月\n本期 1 篇\n较上月同期(前 11 天):+1 篇\n要点:\n· "
                          "社区志愿服务队(和平街道,R-2026-0001)"),
              std::string::npos)
        << digest;
    EXPECT_NE(
        digest.find(
            "■ 党建联络信息 · 2026 年 5 月\n本期 0 篇,达到每单位 2 篇的单位 0/4\n较上月同期(前 11 天):-1 篇"),
        std::string::npos)
        << digest;
}

TEST_F(SchedulerTest, TheDigestAnnouncesAdoptionsAndRanksUnitsWithTheirMovement) {
    // Before the last 30 days: the school leads. In them: 幸福里 has an adoption, 和平 reports.
    report("school", "wangwu", shanghai(2026, 3, 20, 10, 0), "三月的做法", "liaison_info", "adopted");
    report("xingfuli", "zhangsan", shanghai(2026, 4, 20, 10, 0), "红色物业", "liaison_info", "adopted");
    report("heping", "lisi", shanghai(2026, 4, 22, 10, 0), "夜间巡逻", "liaison_info", "approved");
    const auto adopt = [&](const std::string& number, const std::string& level, int points, TimePoint at) {
        in_tx([&](store::Tx& tx) -> result<void> {
            return tx.reports().adopt(number, {level, points, "《组工信息》第12期", "sunhong", at});
        });
    };
    adopt("R-2026-0001", "区级", 1, shanghai(2026, 3, 25, 10, 0));
    adopt("R-2026-0002", "市级", 3, shanghai(2026, 5, 8, 10, 0));
    const auto digest_at = [&](const handlers::Person* scope) {
        std::string digest;
        in_tx([&](store::Tx& tx) -> result<void> {
            auto d = usecase::digest_doc(*deps, tx, shanghai(2026, 5, 11, 9, 0), "zh-CN", scope);
            if (!d) {
                return d.error();
            }
            digest = plain_text(*d);
            return {};
        });
        return digest;
    };
    const std::string digest = digest_at(nullptr);
    EXPECT_NE(
        digest.find(
            "■ 本周采用 1 篇\n· 红色物业(幸福里社区,R-2026-0002)被市级采用 +3 分,载体:《组工信息》第12期"),
        std::string::npos)
        << digest;
    EXPECT_NE(digest.find("■ 比学赶超 · 近 30 天积分(较前 30 天名次)\n前列:\n"
                          "1. 幸福里社区 3 分 · 通过 1 · 报送 1 新上榜\n"
                          "2. 和平街道 0 分 · 通过 1 · 报送 1 新上榜\n"
                          "末位:\n"
                          "3. 城东中学党支部 0 分 · 通过 0 · 报送 0 ↓2"),
              std::string::npos)
        << "the school led the 30 days before and fell two places; with nothing, it leads nothing\n"
        << digest;
    // A coordinator of the street sees the street only (周报 in chat narrows the same way).
    handlers::Person street{.id = "street",
                            .name = "街道",
                            .unit = "",
                            .units = {},
                            .role = handlers::Role::coordinator,
                            .locale = "",
                            .accounts = {},
                            .leave = {},
                            .scope = {"heping"}};
    const std::string scoped = digest_at(&street);
    EXPECT_EQ(scoped.find("幸福里社区"), std::string::npos) << scoped;
    EXPECT_NE(scoped.find("1. 和平街道 0 分"), std::string::npos) << scoped;
    EXPECT_NE(scoped.find("已报 0/1 个单位"), std::string::npos) << scoped;
}

TEST_F(SchedulerTest, ReviewersAreToldOncePerWorkingDayWhatWaitedLongerThanTheLimit) {
    deps->review_waiting = Deps::ReviewWaiting{24h, 9h, "Asia/Shanghai"};
    report("heping", "lisi", shanghai(2026, 5, 7, 10, 0), "夜间巡逻", "liaison_info");
    int restarts = 0;
    for (TimePoint t = shanghai(2026, 5, 7, 10, 15); t <= shanghai(2026, 5, 12, 12, 0); t += 15min) {
        if (t == shanghai(2026, 5, 11, 9, 0) || t == shanghai(2026, 5, 9, 12, 0)) {
            restart();  // a new process right at a round: decided once all the same
            ++restarts;
        }
        if (t == shanghai(2026, 5, 11, 12, 0)) {
            in_tx([](store::Tx& tx) -> result<void> {
                auto moved = tx.reports().set_status(
                    "R-2026-0001", "submitted", "approved", shanghai(2026, 5, 11, 12, 0));
                return moved ? result<void>{} : result<void>{moved.error()};
            });
        }
        tick(t, "p" + std::to_string(restarts));
    }
    std::vector<std::string> said;
    for (const auto& r : outbox()) {
        if (r.text.find("待审核提醒") != std::string::npos) {
            said.push_back(r.line());
            if (r.at.substr(0, 5) == "05-09") {
                EXPECT_EQ(r.text,
                          "待审核提醒:您负责的单位有 1 篇报告等待审核,最早的 R-2026-0001《夜间巡逻》提交于 1 "
                          "天前。回复「审核」查看。");
            }
        }
    }
    // 05-08 09:00: not yet 24 hours. 05-09 is a Saturday worked in lieu of the May holiday (调休);
    // 05-10 a Sunday; 05-11 a Monday; on 05-12 nothing waits any more.
    EXPECT_EQ(said,
              (std::vector<std::string>{"05-09 09:00 coordinators @孙红", "05-11 09:00 coordinators @孙红"}));
}

// Roster "notices": "hourly" (docs/desk.md): at each full hour, one private message with what was
// filed or revised since the last one; none in quiet hours (21:00–08:00): the 21:00 batch's
// reports (from 20:00) and the night's wait for the morning's; each batch once, across a restart; the author
// never told of their own.
TEST_F(SchedulerTest, HourlyNoticesBringTheHoursReportsOnceAndWaitOutQuietHours) {
    std::string text(kRoster);
    const std::string plain = R"({ "id": "sunhong", "name": "孙红", "role": "coordinator" })";
    text.replace(text.find(plain),
                 plain.size(),
                 R"({ "id": "sunhong", "name": "孙红", "role": "coordinator", "notices": "hourly",
                      "accounts": [{ "bot": "demo", "user": "u-sunhong" }] })");
    auto loaded = handlers::load_roster_text(text, "roster.jsonc");
    ASSERT_TRUE(loaded.errors.empty()) << loaded.errors.front().to_string();
    roster = std::move(loaded.roster);
    deps->direct_bots = {"demo"};
    deps->digest.reset();  // this test's outbox: the notices only
    deps->coordinator_chats.clear();
    std::vector<std::pair<TimePoint, std::string>> plan{
        {shanghai(2026, 5, 7, 10, 5), "夜间巡逻"},
        {shanghai(2026, 5, 7, 10, 40), "老旧小区改造"},
        {shanghai(2026, 5, 7, 22, 30), "防汛值守"},
        {shanghai(2026, 5, 8, 6, 10), "早市秩序"},
    };
    std::size_t next = 0;
    for (TimePoint t = shanghai(2026, 5, 7, 10, 0); t <= shanghai(2026, 5, 8, 10, 0); t += 15min) {
        while (next < plan.size() && plan[next].first <= t) {
            report("xingfuli", "zhangsan", plan[next].first, plan[next].second);
            ++next;
        }
        if (t == shanghai(2026, 5, 8, 8, 0)) {
            restart();  // a new process right at the batch: decided once all the same
        }
        tick(t, "p");
        if (t == shanghai(2026, 5, 8, 8, 0)) {
            tick(t, "p");
        }
    }
    std::vector<std::string> told;
    for (const auto& r : outbox()) {
        if (r.text.find("新报告汇总") != std::string::npos) {
            told.push_back(r.line() + " " + r.text);
        }
    }
    EXPECT_EQ(
        told,
        (std::vector<std::string>{
            "05-07 11:00 @u-sunhong dm:孙红 【新报告汇总】10:00 以来您的范围内有 2 份新报告或修改后报送:"
            "R-2026-0002《老旧小区改造》(幸福里社区);R-2026-0001《夜间巡逻》(幸福里社区)"
            "。回复「审核」或在审核台查看。",
            "05-08 08:00 @u-sunhong dm:孙红 【新报告汇总】20:00 以来您的范围内有 2 份新报告或修改后报送:"
            "R-2026-0004《早市秩序》(幸福里社区);R-2026-0003《防汛值守》(幸福里社区)"
            "。回复「审核」或在审核台查看。"}));
}

TEST_F(SchedulerTest, NewYear2027BeyondThePublishedDataMovesTheDeadlineOffTheHoliday) {
    // The shipped calendar ends with 2026; 2027-01-01 (a Friday) is computed as 元旦.
    for (TimePoint t = shanghai(2026, 12, 24, 0, 0); t <= shanghai(2027, 1, 6, 0, 0); t += 15min) {
        tick(t);
    }
    std::vector<std::string> week53;
    for (const auto& r : outbox()) {
        EXPECT_EQ(r.text.find("1月1日"), std::string::npos) << r.at << " " << r.text;
        if (r.text.find("《工作进度周报》(2026 年第 53 周)") != std::string::npos) {
            week53.push_back(r.at + " " + r.text.substr(0, r.text.find('\\')));
        }
    }
    ASSERT_FALSE(week53.empty());
    EXPECT_NE(week53.front().find("截止时间 12月31日(周四)17:00"), std::string::npos) << week53.front();
    EXPECT_EQ(week53.front().substr(0, 11), "12-30 10:00") << "the working day before Thursday's deadline";
}

TEST_F(SchedulerTest, RestartsAtAnyPointNeitherDuplicateNorLose) {
    simulate(shanghai(2026, 4, 27, 0, 0),
             shanghai(2026, 5, 11, 12, 0),
             {shanghai(2026, 4, 29, 10, 0),   // just before a round
              shanghai(2026, 4, 30, 17, 15),  // just after one
              shanghai(2026, 5, 7, 10, 0),
              shanghai(2026, 5, 8, 15, 15),
              shanghai(2026, 5, 9, 9, 0)});
    EXPECT_EQ(lines(outbox()), kFortnight);
}

TEST_F(SchedulerTest, DowntimeIsCaughtUpWithinTheWindowAndRecordedAsSkippedBeyondIt) {
    // Down 05-08 14:00–16:30: the 15:00 round goes out at 16:30 (1.5 h late, window 3 h).
    // Down 05-08 16:45 – 05-09 13:00: 17:00 is 20 h late and 09:00 4 h late: recorded, not sent.
    simulate(shanghai(2026, 5, 4, 0, 0),
             shanghai(2026, 5, 11, 12, 0),
             {},
             {{shanghai(2026, 5, 8, 14, 0), shanghai(2026, 5, 8, 16, 30)},
              {shanghai(2026, 5, 8, 16, 45), shanghai(2026, 5, 9, 13, 0)}});
    const auto rows = lines(outbox());
    const std::vector<std::string> expected{
        "05-04 09:00 coordinators @",
        "05-06 09:00 coordinators @",
        "05-07 10:00 demo-group @李四",
        "05-07 10:00 demo-group @王五",
        "05-07 10:00 demo-group @",
        "05-08 16:30 demo-group @李四",  // 王五 reported at 16:00, before the late round went out
        "05-08 16:30 demo-group @",
        "05-11 09:00 coordinators @",
    };
    EXPECT_EQ(rows, expected);
    EXPECT_EQ(
        test::query(
            path(),
            "SELECT send_key, state FROM scheduled_sends WHERE state = 'skipped' AND send_key NOT LIKE '%:%' "
            "ORDER BY send_key"),
        "remind/weekly_progress/2026-W19/3|skipped\nremind/weekly_progress/2026-W19/4|skipped\n");
}

TEST_F(SchedulerTest, TwoSchedulersOnOneStoreSendEachOnce) {
    // A second process: its own connection to the same file, ticking at the same moments.
    store::SqliteOptions o;
    o.path = path();
    store::SqliteStore second(o);
    simulate(shanghai(2026, 5, 4, 0, 0), shanghai(2026, 5, 11, 12, 0), {}, {}, &second);
    second.close();
    const std::vector<std::string> expected(kFortnight.begin() + 15, kFortnight.end());
    EXPECT_EQ(lines(outbox()), expected);
}

TEST_F(SchedulerTest, AClockThatJumpsBackOrForwardNeitherRepeatsNorFloods) {
    const TimePoint t = shanghai(2026, 5, 7, 10, 0);
    EXPECT_EQ(tick(t).queued, 4);  // 张三, 李四, 王五 and the count (赵六 on leave)
    // The clock jumps back an hour and runs forward again past the same moment.
    EXPECT_EQ(tick(t - 1h).queued, 0);
    EXPECT_EQ(tick(t - 30min).queued, 0);
    EXPECT_EQ(tick(t + 1min).queued, 0);
    EXPECT_EQ(test::query(path(), "SELECT count(*) FROM outbox"), "4\n");
    // A jump forward by four days: what fell in between is decided now, once, and what is older
    // than the catch-up window is recorded as skipped, not sent.
    const auto jumped = tick(shanghai(2026, 5, 11, 9, 30));
    EXPECT_EQ(jumped.queued, 1) << "only Monday's digest (09:00) is within the window";
    EXPECT_EQ(jumped.skipped, 4 + 4 + 1)
        << "Friday 15:00 and 17:00 (three officers and a count each) and Saturday's escalation";
    EXPECT_EQ(
        test::query(path(),
                    "SELECT count(*) FROM scheduled_sends WHERE state = 'skipped' AND send_key LIKE '%:%'"),
        "9\n");
    EXPECT_EQ(tick(shanghai(2026, 5, 11, 9, 45)).queued, 0);
}

TEST_F(SchedulerTest, TheLeaseLetsOneProcessTickUntilItLapses) {
    const TimePoint t = shanghai(2026, 5, 7, 9, 0);
    EXPECT_TRUE(tick(t, "A").leader);
    EXPECT_FALSE(tick(t + 30s, "B").leader) << "A's lease (90 s) is still valid";
    EXPECT_TRUE(tick(t + 60s, "A").leader) << "A renews";
    EXPECT_TRUE(tick(t + 60s + 91s, "B").leader) << "A stopped renewing: B takes over";
    EXPECT_FALSE(tick(t + 60s + 100s, "A").leader);
}

TEST_F(SchedulerTest, QuietHoursDeferToTheMorning) {
    // A ladder with steps at 22:30 and 06:00 local: both wait for 08:00.
    auto t = templates::load_text(R"({
      "id": "night", "version": 1, "name": "夜报", "cadence": { "kind": "weekly", "due": { "weekday": "friday", "time": "23:00" } },
      "reminders": [ { "offset_minutes": -30 }, { "offset_minutes": 420 } ],
      "fields": [ { "id": "x", "type": "text", "label": "内容" } ]
    })",
                                  "night.jsonc");
    ASSERT_TRUE(t.errors.empty()) << t.errors.front().to_string();
    templates = std::move(t.set);
    deps = std::make_unique<Deps>(templates, roster, &calendar);
    deps->push_bots = {"demo"};
    simulate(shanghai(2026, 5, 7, 0, 0), shanghai(2026, 5, 9, 12, 0));
    std::set<std::string> times;
    for (const auto& r : outbox()) {
        times.insert(r.at);
    }
    EXPECT_EQ(times, (std::set<std::string>{"05-09 08:00"}))
        << "Friday 22:30 and Saturday 06:00 both at 08:00";
    const auto steps = handlers::due_steps(
        templates, &calendar, {}, shanghai(2026, 5, 8, 0, 0), shanghai(2026, 5, 9, 12, 0));
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(local(steps[0].nominal), "05-08 22:30");
    EXPECT_EQ(local(steps[0].at), "05-09 08:00");
    EXPECT_EQ(local(steps[1].nominal), "05-09 06:00");
    EXPECT_EQ(local(steps[1].at), "05-09 08:00");
    // No quiet hours at all when from == to.
    const auto none = handlers::due_steps(
        templates, &calendar, {0min, 0min}, shanghai(2026, 5, 8, 0, 0), shanghai(2026, 5, 9, 12, 0));
    ASSERT_EQ(none.size(), 2u);
    EXPECT_EQ(local(none[0].at), "05-08 22:30");
}

TEST_F(SchedulerTest, LadderTimesFollowDaylightSavingTime) {
    auto t = templates::load_text(R"({
      "id": "ny", "version": 1, "name": "New York weekly", "time_zone": "America/New_York",
      "cadence": { "kind": "weekly", "due": { "weekday": "friday", "time": "17:00" } },
      "reminders": [ { "working_days": -1, "at": "10:00" }, { "offset_minutes": -120 } ],
      "fields": [ { "id": "x", "type": "text", "label": "Text" } ]
    })",
                                  "ny.jsonc");
    ASSERT_TRUE(t.errors.empty());
    const auto utc = [](int m, int d, int h) {
        return TimePoint{date::sys_days{date::year{2026} / date::month{static_cast<unsigned>(m)} /
                                        date::day{static_cast<unsigned>(d)}} +
                         std::chrono::hours(h)};
    };
    // Clocks go back on Sunday 2026-11-01: 10:00 local is 14:00 UTC before and 15:00 UTC after.
    const auto steps = handlers::due_steps(t.set, nullptr, {0min, 0min}, utc(10, 26, 0), utc(11, 7, 0));
    ASSERT_EQ(steps.size(), 4u);
    EXPECT_EQ(steps[0].at, utc(10, 29, 14)) << "Thursday 10:00 EDT";
    EXPECT_EQ(steps[1].at, utc(10, 30, 19)) << "Friday 15:00 EDT";
    EXPECT_EQ(steps[2].at, utc(11, 5, 15)) << "Thursday 10:00 EST";
    EXPECT_EQ(steps[3].at, utc(11, 6, 20)) << "Friday 15:00 EST";
    // Spring forward on 2026-03-08: Friday 03-13 15:00 EDT = 19:00 UTC; the week before, EST.
    const auto spring = handlers::due_steps(t.set, nullptr, {0min, 0min}, utc(3, 2, 0), utc(3, 14, 0));
    ASSERT_EQ(spring.size(), 4u);
    EXPECT_EQ(spring[1].at, utc(3, 6, 20));
    EXPECT_EQ(spring[3].at, utc(3, 13, 19));
}

TEST_F(SchedulerTest, LeaveFromChatSkipsTheOfficerUntilItEnds) {
    in_tx([](store::Tx& tx) {
        return tx.leaves().add("lisi", "2026-05-06", "2026-05-15", shanghai(2026, 5, 5, 9, 0));
    });
    simulate(shanghai(2026, 5, 7, 9, 0), shanghai(2026, 5, 7, 11, 0));
    EXPECT_EQ(lines(outbox()),
              (std::vector<std::string>{"05-07 10:00 demo-group @王五", "05-07 10:00 demo-group @"}))
        << "张三 reported at 09:00; 李四 is on leave; 赵六 too (roster)";
    // 销假 on Friday morning: 李四 is chased again at 15:00.
    in_tx([](store::Tx& tx) -> result<void> {
        auto n = tx.leaves().end("lisi", "2026-05-08");
        if (!n) {
            return n.error();
        }
        EXPECT_EQ(*n, 1u);
        return {};
    });
    EXPECT_EQ(test::query(path(), "SELECT from_date, to_date FROM leaves"), "2026-05-06|2026-05-07\n");
    simulate(shanghai(2026, 5, 8, 14, 0), shanghai(2026, 5, 8, 15, 30));
    const auto rows = lines(outbox());
    EXPECT_NE(std::find(rows.begin(), rows.end(), "05-08 15:00 demo-group @李四"), rows.end());
}

TEST_F(SchedulerTest, AnOfficerAwayOnTheDueDayIsOnLeaveInMondaysFollowUpAndTheDeadlineIsDueNow) {
    // 李四 (和平街道's only officer) is away Thursday and Friday, the week's deadline; back Monday.
    in_tx([](store::Tx& tx) {
        return tx.leaves().add("lisi", "2026-05-07", "2026-05-08", shanghai(2026, 5, 6, 9, 0));
    });
    simulate(shanghai(2026, 5, 8, 16, 0), shanghai(2026, 5, 11, 9, 30));
    std::string monday;
    std::string at_deadline;
    for (const auto& r : outbox()) {
        if (r.text.find("【催报汇总】") == 0 || r.text.find("【联络工作周报】") == 0) {
            monday += r.text + "\n";
        }
        if (r.text.find("2026 年第 19 周") != std::string::npos &&
            r.text.find("5月8日(周五)17:00") != std::string::npos && r.chat == "demo-group" &&
            r.mention.empty()) {
            at_deadline = r.text;
        }
    }
    EXPECT_NE(monday.find("请假:和平街道"), std::string::npos) << monday;
    EXPECT_EQ(monday.find("未报:和平街道"), std::string::npos) << "away on the due day, not missing\n"
                                                               << monday;
    // At 17:00 itself the deadline has come: not "截止时间 17:00" as if it were still ahead.
    EXPECT_NE(at_deadline.find("截止时间 5月8日(周五)17:00 已到"), std::string::npos) << at_deadline;
}

TEST_F(SchedulerTest, PrivateMessagesWhereTheBotCanAndTheStepAsks) {
    deps->direct_bots = {"demo"};
    simulate(shanghai(2026, 5, 7, 9, 0), shanghai(2026, 5, 8, 15, 30));
    const auto rows = outbox();
    // Step 1 is "private": true; step 2 is not.
    EXPECT_EQ(lines(rows),
              (std::vector<std::string>{"05-07 10:00 @u-lisi dm:李四",
                                        // 王五 has no account there: named in the group, not messaged.
                                        "05-07 10:00 demo-group @王五",
                                        "05-07 10:00 demo-group @",
                                        "05-08 15:00 demo-group @李四",
                                        "05-08 15:00 demo-group @王五",
                                        "05-08 15:00 demo-group @"}));
}

TEST_F(SchedulerTest, AnAccountBoundInChatIsMentionedByReminders) {
    // 王五 has no account on the demo bot in the roster; one was bound in chat (绑定, approved).
    in_tx([](store::Tx& tx) -> result<void> {
        const store::BindingRecord b{.bot_id = "demo",
                                     .user_id = "u-wangwu-new",
                                     .user_name = "王五",
                                     .person_id = "wangwu",
                                     .chat_id = "demo-group"};
        auto id = tx.bindings().request(b, shanghai(2026, 5, 6, 9, 0));
        if (!id) {
            return id.error();
        }
        auto decided = tx.bindings().decide(*id, "approved", "sunhong", shanghai(2026, 5, 6, 9, 5));
        return decided ? result<void>{} : result<void>{decided.error()};
    });
    simulate(shanghai(2026, 5, 7, 9, 0), shanghai(2026, 5, 7, 11, 0));
    EXPECT_EQ(test::query(path(), "SELECT mention_user_id FROM outbox WHERE mention_name = '王五'"),
              "u-wangwu-new\n");
}

TEST_F(SchedulerTest, ManualRemindersAreLimitedPerChat) {
    const TimePoint t = shanghai(2026, 5, 7, 14, 0);
    const auto remind = [&](TimePoint at, std::string_view scope, std::vector<std::string> units = {}) {
        usecase::Reminded out;
        in_tx([&](store::Tx& tx) -> result<void> {
            const usecase::RemindAsk ask{.templates = {"weekly_progress"},
                                         .units = units,
                                         .limit_scope = std::string(scope),
                                         .audit_target = std::string(scope)};
            const usecase::Actor tester{
                .person = nullptr, .id = "test", .account = "test", .role = "admin", .request_id = ""};
            auto r = usecase::remind(*deps, tx, tester, ask, at, "zh-CN");
            if (!r) {
                return r.error();
            }
            out = *r;
            return {};
        });
        return out;
    };
    const auto first = remind(t, "chat/demo/coordinators");
    ASSERT_EQ(first.replies.size(), 1u);
    EXPECT_EQ(first.replies[0], "已催报《工作进度周报》:提醒 3 名联络员(4 个单位未报)。");
    EXPECT_EQ(first.queued, 4) << "three officers and the group count";
    const auto again = remind(t + 2min, "chat/demo/coordinators");
    ASSERT_TRUE(again.wait);
    EXPECT_EQ(again.replies[0], "刚刚已催报过,请 3 分钟后再试。");
    EXPECT_EQ(again.queued, 0);
    EXPECT_FALSE(remind(t + 2min, "api").wait) << "the limit is per chat";
    const auto later = remind(t + 5min, "chat/demo/coordinators", {"school"});
    EXPECT_FALSE(later.wait);
    EXPECT_EQ(later.people, 1) << "only 城东中学党支部";
    EXPECT_EQ(test::query(path(), "SELECT count(*) FROM outbox"), "10\n");
}

TEST_F(SchedulerTest, TheDigestFitsEveryPlatformWhenSplit) {
    // Many units with long names make a long digest.
    std::string units;
    for (int i = 0; i < 800; ++i) {
        units += std::string(i == 0 ? "" : ",") + R"({ "id": "u)" + std::to_string(i) + R"(", "name": "第)" +
                 std::to_string(i) + R"(网格党支部联络工作组（社区党群服务中心）" })";
    }
    auto r = handlers::load_roster_text(R"({ "units": [)" + units + "] }", "big.jsonc");
    ASSERT_TRUE(r.errors.empty());
    roster = std::move(r.roster);
    deps = std::make_unique<Deps>(templates, roster, &calendar);
    std::string digest;
    in_tx([&](store::Tx& tx) -> result<void> {
        auto d = usecase::digest_doc(*deps, tx, shanghai(2026, 5, 11, 9, 0), "zh-CN");
        if (!d) {
            return d.error();
        }
        digest = plain_text(*d);
        return {};
    });
    ASSERT_GT(digest.size(), 30'000u);
    const std::string key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    std::vector<std::unique_ptr<Adapter>> all;
    all.push_back(
        std::make_unique<adapters::webhook::WebhookAdapter>("w", "s", 300s, 3600s, "http://127.0.0.1:1/cb"));
    adapters::slack::SlackConfig slack;
    slack.bot_id = "s";
    all.push_back(std::make_unique<adapters::slack::SlackAdapter>(slack));
    adapters::telegram::TelegramConfig telegram;
    telegram.bot_id = "t";
    all.push_back(std::make_unique<adapters::telegram::TelegramAdapter>(telegram));
    adapters::dingtalk::DingTalkConfig dingtalk;
    dingtalk.bot_id = "d";
    all.push_back(std::make_unique<adapters::dingtalk::DingTalkAdapter>(dingtalk));
    adapters::feishu::FeishuConfig feishu;
    feishu.bot_id = "f";
    all.push_back(std::make_unique<adapters::feishu::FeishuAdapter>(feishu));
    adapters::wecom::WeComAppConfig wecom;
    wecom.bot_id = "wx";
    wecom.encoding_aes_key = key;
    wecom.agent_id = "1000002";
    all.push_back(std::make_unique<adapters::wecom::WeComAppAdapter>(wecom));
    for (const auto& a : all) {
        store::OutboxMessage m;
        m.id = 7;
        m.message.bot_id = "b";
        m.message.chat_id = "c";
        m.message.text = digest;
        const auto parts = outbox::plan({m}, a->max_text_bytes());
        ASSERT_GT(parts.size(), 1u) << a->platform();
        std::string joined;
        for (const auto& p : parts) {
            EXPECT_LE(p.message.text.size(), a->max_text_bytes()) << a->platform();
            EXPECT_TRUE(templates::text::char_count(p.message.text))
                << a->platform() << ": a part is not UTF-8";
            joined += p.message.text;
        }
        EXPECT_EQ(joined, digest) << a->platform() << ": nothing lost or repeated";
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            // Cut at a line break when one is in the part's second half; else the line was too long.
            const auto& text = parts[i].message.text;
            if (text.back() != '\n') {
                EXPECT_EQ(text.find('\n', text.size() / 2), std::string::npos)
                    << a->platform() << ": part " << i << " is cut mid-line although a line break was near";
            }
        }
        EXPECT_EQ(parts.back().ids, (std::vector<std::int64_t>{7})) << "the row is done with its last part";
    }
}

TEST_F(SchedulerTest, ABotThatCannotPostIsRecordedNotQueued) {
    deps->push_bots.clear();
    const auto r = tick(shanghai(2026, 5, 7, 10, 0));
    EXPECT_EQ(r.unroutable, 4);
    EXPECT_EQ(r.queued, 0);
    EXPECT_EQ(test::query(path(), "SELECT count(*) FROM outbox"), "0\n");
    EXPECT_EQ(test::query(path(), "SELECT count(*) FROM scheduled_sends WHERE state = 'unroutable'"), "4\n");
}

TEST(Roster, LeaveAndChatBotsAreRead) {
    const auto bad = handlers::load_roster_text(R"({ "units": [ { "id": "a", "name": "A" } ],
      "people": [ { "id": "p", "name": "P", "unit": "a",
                    "leave": [ { "from": "2026-05-10", "to": "2026-05-01" }, { "from": "May 1", "to": "2026-05-02" },
                               { "from": "2026-05-01" }, { "from": "2026-05-01", "to": "2026-05-02", "why": "x" } ] } ],
      "chats": [ { "id": "g", "bot": 7 } ] })",
                                                "r.jsonc");
    std::string all;
    for (const auto& e : bad.errors) {
        all += e.to_string() + "\n";
    }
    EXPECT_NE(all.find("$.people[0].leave[0].to: is before"), std::string::npos) << all;
    EXPECT_NE(all.find("$.people[0].leave[1].from: expected a date"), std::string::npos) << all;
    EXPECT_NE(all.find("$.people[0].leave[2].to"), std::string::npos) << all;
    EXPECT_NE(all.find("$.people[0].leave[3].why"), std::string::npos) << all;
    EXPECT_NE(all.find("$.chats[0].bot"), std::string::npos) << all;
}

}  // namespace
}  // namespace bot::scheduler
