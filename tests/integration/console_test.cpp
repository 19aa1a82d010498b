// The built binary's console, driven by a script as a person would type, and killed mid-report.
#include "tests/support/process.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <date/date.h>
#include <signal.h>

namespace bot {
namespace {

using namespace std::chrono_literals;

const std::string kExe = LIAISON_BOT_EXE;

class ConsoleTest : public ::testing::Test {
protected:
    ConsoleTest() {
        config = dir.write("liaison.jsonc",
                           R"({
            "store": { "path": ")" +
                               dir.file("data/liaison.db") + R"(" },
            "templates_dir": ")" +
                               std::string(LIAISON_SOURCE_DIR) + R"(/templates/data",
            "roster": ")" + std::string(LIAISON_SOURCE_DIR) +
                               R"(/seeds/roster.jsonc",
            "calendar": ")" + std::string(LIAISON_SOURCE_DIR) +
                               R"(/seeds/calendar-cn.jsonc"
        })");
    }

    std::string query(const std::string& sql) const { return test::query(dir.file("data/liaison.db"), sql); }

    test::TempDir dir;
    std::string config;
};

TEST_F(ConsoleTest, ACompleteLiaisonReportInChineseIsStoredFieldByField) {
    const std::string script =
        "@联络员助手 填报\n"
        "1\n"         // 党建联络信息
        "6\n"         // not a kind: refused, asked again
        "３\n"        // full-width 3: 创新做法
        "红色物业\n"  // too short
        "社区“红色物业”让老旧小区焕新颜\n"
        "上一步\n"  // back to the title
        "社区“红色物业”让老旧小区旧貌换新颜\n"
        "11月24日\n"
        "幸福里社区党群服务中心\n"
        "社区党委牵头成立业委会党支部,组织党员楼栋长每周走访居民,收集诉求,建立问题清单和销号机制。\\n第二段:"
        "每月评议。\n"
        "三个月解决居民诉求 126 件,满意率 97%。\n"
        "跳过\n"  // analysis (optional)
        "跳过\n"  // next steps (optional)
        "跳过\n"  // unit: the default, 幸福里社区
        "/attach photo-1.jpg\n"
        "预览\n"
        "修改 8\n"  // 下一步打算
        "推广到全街道 12 个小区。\n"
        "提交\n";
    const auto r = test::run(kExe, {"console", "--as", "张三", "--config", config}, {}, script);
    ASSERT_EQ(r.code, 0) << r.output;
    for (const char* expected : {"身份:张三(幸福里社区)",
                                 "请选择要填报的类型",
                                 "请回复序号或名称",
                                 "需要 5 字以上,您输入了 4 字。",
                                 "当前内容:社区“红色物业”让老旧小区焕新颜",
                                 "8. 下一步打算:(未填)",
                                 "8. 下一步打算:推广到全街道 12 个小区。",
                                 "已提交《社区“红色物业”让老旧小区旧貌换新颜》,编号 R-"}) {
        EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n--- output ---\n" << r.output;
    }
    EXPECT_EQ(r.output.find("{number}"), std::string::npos);
    const std::string row = query(
        "SELECT number, template_id, template_version, unit_id, author_id, author_name, bot_id, chat_id, "
        "title, status, "
        "revision FROM reports");
    // The number carries the year of the (real) clock: R-<year>-0001.
    EXPECT_EQ(row.substr(0, 2) + row.substr(6),
              "R--0001|liaison_info|1|xingfuli|zhangsan|张三|console|demo-group|"
              "社区“红色物业”让老旧小区旧貌换新颜|submitted|1\n");
    EXPECT_EQ(query("SELECT period_key = strftime('%Y-%m', 'now', '+8 hours') FROM reports"), "1\n");
    const auto fields = nlohmann::json::parse(query("SELECT fields FROM reports"));
    EXPECT_EQ(fields.size(), 9u) << fields.dump();
    EXPECT_EQ(fields["kind"], "practice");
    EXPECT_EQ(fields["title"], "社区“红色物业”让老旧小区旧貌换新颜");
    EXPECT_EQ(fields["event_date"].get<std::string>().substr(4), "-11-24");
    EXPECT_EQ(fields["place"], "幸福里社区党群服务中心");
    EXPECT_EQ(fields["case"],
              "社区党委牵头成立业委会党支部,组织党员楼栋长每周走访居民,收集诉求,"
              "建立问题清单和销号机制。\n第二段:每月评议。");
    EXPECT_EQ(fields["results"], "三个月解决居民诉求 126 件,满意率 97%。");
    EXPECT_EQ(fields["next_steps"], "推广到全街道 12 个小区。");
    EXPECT_EQ(fields["unit"], "xingfuli");
    EXPECT_EQ(fields["photos"], "file:photo-1.jpg");
    EXPECT_EQ(query("SELECT count(*) FROM sessions"), "0\n");
}

TEST_F(ConsoleTest, KilledMidReportItResumesAtTheSameStepWithEarlierAnswers) {
    {
        test::Child child(
            kExe, {"console", "--as", "李四", "--config", config}, {}, dir.file("err1.log"), true);
        ASSERT_TRUE(child.wait_for_line("李四", 20s));
        child.write_stdin("填报 工作进度周报\n");
        ASSERT_TRUE(child.wait_for_line("第 1/5 项", 10s));
        child.write_stdin("老旧小区加装电梯\n");
        ASSERT_TRUE(child.wait_for_line("第 2/5 项", 10s));
        child.write_stdin("60%\n");
        ASSERT_TRUE(child.wait_for_line("第 3/5 项 · 状态", 10s)) << child.output();
        child.signal(SIGKILL);
        EXPECT_EQ(child.wait(5s).value_or(0), 128 + SIGKILL);
    }
    const auto r = test::run(kExe,
                             {"console", "--as", "李四", "--config", config},
                             {},
                             "继续\n推进中\n完成土建,启动安装。\n跳过\n提交\n");
    ASSERT_EQ(r.code, 0) << r.output;
    const auto resumed = r.output.find("第 3/5 项 · 状态");
    EXPECT_NE(resumed, std::string::npos) << r.output;
    EXPECT_NE(r.output.find("2. 完成进度(%):60%"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("已提交《老旧小区加装电梯》"), std::string::npos) << r.output;
    EXPECT_EQ(query("SELECT json_extract(fields, '$.task'), json_extract(fields, '$.progress'), unit_id FROM "
                    "reports"),
              "老旧小区加装电梯|60|heping\n");
}

TEST_F(ConsoleTest, TwoOfficersInterleaveWithAs) {
    const auto r = test::run(kExe,
                             {"console", "--as", "张三", "--config", config},
                             {},
                             "填报 工作进度周报\n/as 李四\n填报 工作进度周报\n李四的重点任务\n/as "
                             "张三\n张三的重点任务\n/as 无名氏\n");
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_NE(r.output.find("(现在以 李四 的身份发言)"), std::string::npos);
    EXPECT_NE(r.output.find("@李四 【工作进度周报】第 2/5 项"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("@张三 【工作进度周报】第 2/5 项"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("名单中没有「无名氏」"), std::string::npos) << r.output;
    EXPECT_EQ(query("SELECT user_id FROM sessions ORDER BY user_id"), "lisi\nzhangsan\n");
}

TEST_F(ConsoleTest, StartupErrorsAreClear) {
    const auto unknown = test::run(kExe, {"console", "--as", "无名氏", "--config", config}, {});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.output.find("张三"), std::string::npos) << "lists who is on the roster:\n"
                                                              << unknown.output;
    EXPECT_EQ(test::run(kExe, {"console"}, {}).code, 2);
    const std::string bad_templates =
        dir.write("bad.jsonc",
                  R"({"templates_dir": "nowhere", "roster": ")" + std::string(LIAISON_SOURCE_DIR) +
                      R"(/seeds/roster.jsonc"})");
    const auto bad = test::run(kExe, {"console", "--as", "张三", "--config", bad_templates}, {});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.output.find("nowhere"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace bot

namespace bot {
namespace {

/// The review cycle's parts, each checking what it did: the chat, the exports, the signatures.
class ConsoleCycle : public ConsoleTest {
protected:
    /// This year in Shanghai: the console runs on the real clock, numbers carry this year.
    static std::string this_year() {
        return std::to_string(static_cast<int>(
            date::year_month_day{date::floor<date::days>(std::chrono::system_clock::now() + 8h)}.year()));
    }

    /// The console session of the cycle (its script), and what it said and stored.
    void review_cycle(const std::string& n) {
        // The issue's cycle: submitted → returned with a comment (the author sees it) → resubmitted →
        // approved → adopted 市级; 排名 shows it; every step is audited. The title is hostile to
        // spreadsheets on purpose. The console runs on the real clock: numbers carry this year.
        const std::string script =
            "填报 工作进度周报\n"
            "=HYPERLINK(\"http://evil\",\"点我\"),加装电梯\n"
            "60%\n"
            "推进中\n"
            "完成土建,启动安装\n"
            "跳过\n"
            "提交\n"
            "/as 孙红\n"
            "审核\n"
            "退回 " +
            n +
            " 请补充具体数据和PPT,参考R-2026-0001 Part B\n"
            "/as 张三\n"
            "修改 " +
            n +
            "\n"
            "修改 4\n"
            "完成土建,11月底启动安装 3 台\n"
            "提交\n"
            "/as 孙红\n"
            "审核\n"
            "通过 " +
            n +
            "\n"
            "采用 " +
            n +
            " 市级 《组工信息》第12期\n"
            "采用 " +
            n +
            " 市级 《组工信息》第12期\n"
            "排名 年\n"
            "周报\n";
        const auto r = test::run(kExe, {"console", "--as", "张三", "--config", config}, {}, script);
        ASSERT_EQ(r.code, 0) << r.output;
        EXPECT_NE(r.output.find("@张三 您的报告 " + n), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("意见:请补充具体数据和PPT,参考R-2026-0001 Part B"), std::string::npos)
            << "the author sees the comment exactly as typed, capitals included\n"
            << r.output;
        EXPECT_NE(r.output.find("已按市级登记过采用(+3 分),载体:《组工信息》第12期,未重复计分"),
                  std::string::npos)
            << "采用 twice: answered with the existing adoption\n"
            << r.output;
        EXPECT_EQ(query("SELECT count(*), sum(points) FROM adoptions"), "1|3\n")
            << "one adoption, counted once";
        EXPECT_NE(r.output.find("第 2 版"), std::string::npos) << r.output;
        EXPECT_EQ(r.output.find(" · 快 — · 实 "), std::string::npos)
            << "工作进度周报 asks for no 快 · 实 · 新: 审核 shows no marks for it\n"
            << r.output;
        EXPECT_NE(r.output.find("1. 幸福里社区 3 分 · 报送 1(按时 1)· 通过 1 · 采用 1(市级 1)"),
                  std::string::npos)
            << r.output;
        // The digest announces the adoption and ranks the unit (the console is 孙红, every unit).
        EXPECT_NE(r.output.find("■ 本周采用 1 篇"), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("被市级采用 +3 分,载体:《组工信息》第12期"), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("1. 幸福里社区 3 分 · 通过 1 · 报送 1"), std::string::npos) << r.output;
        EXPECT_EQ(query("SELECT action FROM audit WHERE target = '" + n + "' ORDER BY id"),
                  "report.submitted\nreport.returned\nreport.resubmitted\nreport.approved\nreport.adopted\n");
        (void)query("UPDATE audit SET action = 'x'");  // refused by the table's trigger
        EXPECT_EQ(query("SELECT count(*) FROM audit WHERE action = 'x'"), "0\n")
            << "the audit log cannot be changed";
    }

    /// The exports, read back by a real CSV reader: Chinese intact, no cell a spreadsheet would run.
    void exports_open_in_a_spreadsheet(const std::string& year, const std::string& n) {
        for (const std::string what : {"reports", "stats"}) {
            const auto made = test::run(kExe,
                                        {"export",
                                         what,
                                         "--config",
                                         config,
                                         "--from",
                                         year + "-01-01",
                                         "--to",
                                         year + "-12-31",
                                         "--out",
                                         dir.file(what + ".csv")},
                                        {});
            ASSERT_EQ(made.code, 0) << made.output;
        }
        const auto read =
            test::run("/usr/bin/python3",
                      {"-c",
                       "import csv, json, sys\n"
                       "out = {}\n"
                       "for name in sys.argv[1:]:\n"
                       "    raw = open(name, 'rb').read()\n"
                       "    assert raw.startswith(b'\\xef\\xbb\\xbf'), 'no BOM'\n"
                       "    out[name] = list(csv.reader(open(name, encoding='utf-8-sig', newline='')))\n"
                       "print(json.dumps(out, ensure_ascii=False))\n",
                       dir.file("reports.csv"),
                       dir.file("stats.csv")},
                      {});
        ASSERT_EQ(read.code, 0) << read.output;
        const auto parsed = nlohmann::json::parse(read.output);
        const auto& reports = parsed[dir.file("reports.csv")];
        ASSERT_EQ(reports.size(), 2u);
        EXPECT_EQ(reports[0][0], "编号");
        EXPECT_EQ(std::count(reports[0].begin(), reports[0].end(), "标题"), 1)
            << "one 标题 column: " << reports[0];
        EXPECT_EQ(reports[1][0], n);
        EXPECT_EQ(reports[1][3], "幸福里社区");
        EXPECT_EQ(reports[1][5], "'=HYPERLINK(\"http://evil\",\"点我\"),加装电梯")
            << "neutralised, quoted, intact";
        EXPECT_EQ(reports[1][6], "已采用");
        for (const auto& row : reports) {
            for (const auto& cell : row) {
                const std::string c = cell.get<std::string>();
                EXPECT_TRUE(c.empty() || std::string("=+-@\t\r").find(c[0]) == std::string::npos) << c;
            }
        }
        // 快 · 实 · 新 as columns (empty for 工作进度周报, a template without a quality section).
        EXPECT_EQ(reports[0][11], "快");
        EXPECT_EQ(reports[0][12], "实");
        EXPECT_EQ(reports[0][13], "新");
        EXPECT_EQ(reports[0][14], "有数据");
        EXPECT_EQ(reports[0][15], "相似报告");
        for (std::size_t column = 11; column <= 15; ++column) {
            EXPECT_EQ(reports[1][column], "") << "工作进度周报 is not marked: column " << column;
        }
        // The same as an Excel workbook, read back as a spreadsheet would: typed cells, no formula.
        const auto book = test::run(kExe,
                                    {"export",
                                     "reports",
                                     "--config",
                                     config,
                                     "--from",
                                     year + "-01-01",
                                     "--to",
                                     year + "-12-31",
                                     "--out",
                                     dir.file("reports.xlsx")},
                                    {});
        ASSERT_EQ(book.code, 0) << book.output;
        const auto cells = test::run("/usr/bin/python3",
                                     {"-c",
                                      "import openpyxl, sys\n"
                                      "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
                                      "print(ws.title, ws.freeze_panes)\n"
                                      "for c in list(ws.iter_rows())[1][:10]:\n"
                                      "    print(type(c.value).__name__, c.data_type, c.value)\n",
                                      dir.file("reports.xlsx")},
                                     {});
        ASSERT_EQ(cells.code, 0) << cells.output;
        EXPECT_EQ(cells.output.rfind("报告 A2\nstr s " + n + "\n", 0), 0u) << cells.output;
        EXPECT_NE(cells.output.find("str s =HYPERLINK(\"http://evil\",\"点我\"),加装电梯\n"),
                  std::string::npos)
            << "a string, never a formula: " << cells.output;
        EXPECT_NE(cells.output.find("\nint n 1\n"), std::string::npos)
            << "the revision, a number: " << cells.output;
        EXPECT_NE(cells.output.find("\ndatetime d " + year + "-"), std::string::npos)
            << "submitted, a date: " << cells.output;
        const auto& stats = parsed[dir.file("stats.csv")];
        ASSERT_EQ(stats.size(), 6u) << "a header and every unit of the demo roster";
        EXPECT_EQ(stats[1][0], "幸福里社区");
        EXPECT_EQ(stats[1][6], "3") << "points";
        EXPECT_EQ(query("SELECT action, after FROM audit WHERE action LIKE 'export.%' ORDER BY id"),
                  "export.reports|1 reports\nexport.stats|1 units with figures\n");
        // Usage errors are clear.
        EXPECT_EQ(test::run(kExe, {"export", "everything"}, {}).code, 2);
        EXPECT_NE(test::run(kExe, {"export", "reports", "--config", config, "--unit", "nowhere"}, {})
                      .output.find("no unit \"nowhere\""),
                  std::string::npos);
    }

    /// A store from before signatures is signed again by the next command that opens it.
    void signatures_are_built_again(const std::string& year) {
        // The report's signature is gone, and no start has checked it; the next command that opens
        // the store (here a tick) builds it again.
        const auto cleared =
            test::run("/usr/bin/python3",
                      {"-c",
                       "import sqlite3, sys\n"
                       "c = sqlite3.connect(sys.argv[1])\n"
                       "c.execute('DELETE FROM report_bands')\n"
                       "c.execute('DELETE FROM report_signatures')\n"
                       "c.execute(\"DELETE FROM scheduler_state WHERE name = 'quality:signed_through'\")\n"
                       "c.commit()\n",
                       dir.file("data/liaison.db")},
                      {});
        ASSERT_EQ(cleared.code, 0) << cleared.output;
        ASSERT_EQ(query("SELECT count(*) FROM report_signatures"), "0\n");
        const auto ticked =
            test::run(kExe, {"tick", "--config", config, "--at", year + "-06-01T10:00:00+08:00"}, {});
        ASSERT_EQ(ticked.code, 0) << ticked.output;
        EXPECT_EQ(query("SELECT count(*) FROM report_signatures"), "1\n");
        EXPECT_EQ(query("SELECT count(*) FROM report_bands"), "12\n");
        // That start remembered the newest report it found signed: the next reads only newer ones.
        EXPECT_EQ(query("SELECT value FROM scheduler_state WHERE name = 'quality:signed_through'"), "1\n");
    }
};

TEST_F(ConsoleCycle, TheFullReviewCycleInTheConsoleThenExportsThatOpenInASpreadsheet) {
    const std::string year = this_year();
    const std::string n = "R-" + year + "-0001";
    review_cycle(n);
    ASSERT_FALSE(HasFatalFailure());
    exports_open_in_a_spreadsheet(year, n);
    ASSERT_FALSE(HasFatalFailure());
    signatures_are_built_again(year);
}

}  // namespace
}  // namespace bot
