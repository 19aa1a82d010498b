// CSV cells for spreadsheets: nothing a spreadsheet would run as a formula, in any locale's
// separator, whatever spaces or full-width forms come first.
#include "bot/export/csv.hpp"
#include "bot/export/xlsx.hpp"
#include "bot/runtime.hpp"
#include "tests/support/flow_harness.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace bot::exporting {
namespace {

TEST(ExportCell, FormulasAreNeutralisedBehindSpacesAndInFullWidth) {
    EXPECT_EQ(cell("=1+1"), "'=1+1");
    EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(cell("\xC2\xA0=HYPERLINK(\"x\")"), "\"'\xC2\xA0=HYPERLINK(\"\"x\"\")\"")
        << "a no-break space first";
    EXPECT_EQ(cell("  +A1"), "'  +A1");
    EXPECT_EQ(cell("\xE3\x80\x80-A1"), "'\xE3\x80\x80-A1") << "an ideographic space first";
    EXPECT_EQ(cell("\xEF\xBC\x9D"
                   "1+1"),
              "'\xEF\xBC\x9D"
              "1+1")
        << "full-width ＝";
    EXPECT_EQ(cell("\xEF\xBC\x8B"
                   "1"),
              "'\xEF\xBC\x8B"
              "1")
        << "full-width ＋";
    EXPECT_EQ(cell("\xEF\xBC\xA0"
                   "x"),
              "'\xEF\xBC\xA0"
              "x")
        << "full-width ＠";
    EXPECT_EQ(cell("加装电梯"), "加装电梯");
    EXPECT_EQ(cell("  "), "  ");
    EXPECT_EQ(cell("1 = 1"), "1 = 1") << "only a leading sign matters";
}

TEST(ExportCell, EverySeparatorAQuoteOrALineBreakIsQuoted) {
    EXPECT_EQ(cell("a;b"), "\"a;b\"") << "locales that separate by ;";
    EXPECT_EQ(cell("a,b"), "\"a,b\"");
    EXPECT_EQ(cell("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(cell("a\nb"), "\"a\nb\"");
    EXPECT_EQ(cell("=a;b"), "\"'=a;b\"");
}

TEST(ExportReports, TheTitleHasOneColumn) {
    test::FlowHarness h;
    store::ReportRecord r;
    r.number = "R-2026-0001";
    r.template_id = "liaison_info";
    r.unit_id = "xingfuli";
    r.title = "社区“红色物业”";
    r.status = "submitted";
    r.fields = R"({"title": "社区“红色物业”", "place": "幸福里"})";
    const std::string csv = reports_csv({r}, h.templates, h.roster, "zh-CN", "Asia/Shanghai");
    const std::string header = csv.substr(0, csv.find("\r\n"));
    std::size_t titles = 0;
    for (auto at = header.find("标题"); at != std::string::npos; at = header.find("标题", at + 1)) {
        ++titles;
    }
    EXPECT_EQ(titles, 1u) << header;
    EXPECT_NE(header.find("地点"), std::string::npos) << "the other fields keep their columns: " << header;
}

/// What openpyxl (python3-openpyxl, as a spreadsheet reads it) finds in the workbook at `path`: the
/// frozen cell, each cell's type and value by row, the first column's width.
std::string read_back(const std::string& path) {
    const std::string script =
        "import openpyxl, sys\n"
        "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
        "print('title', ws.title, 'frozen', ws.freeze_panes, 'width', int(ws.column_dimensions['A'].width))\n"
        "for row in ws.iter_rows():\n"
        "    print(' | '.join(type(c.value).__name__ + ':' + str(c.value) + ':' + c.data_type for c in "
        "row))\n";
    const std::string command = "/usr/bin/python3 -c \"" + script + "\" " + path + " 2>&1";
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p) != nullptr) {
            out += buf;
        }
        ::pclose(p);
    }
    return out;
}

// The workbook (docs/review.md, "Export"): the header row frozen, Chinese columns wide enough,
// numbers as numbers, times as dates, and what a spreadsheet would run as a formula a string.
TEST(ExportXlsx, NumbersAreNumbersTimesAreDatesAndNoTextIsAFormula) {
    Table t;
    t.header = {"编号", "采用", "报送时间"};
    t.rows.push_back({Cell::of("=HYPERLINK(\"http://x\")"),
                      Cell::of(3LL),
                      Cell::at(TimePoint(std::chrono::seconds(1'765'000'000)), "Asia/Shanghai")});
    t.rows.push_back({Cell::of("@SUM(A1:A9) 社区“红色物业”联盟工作推进情况"), Cell::of(-2LL), Cell{}});
    const auto book = xlsx(t, "报告");
    ASSERT_TRUE(book);
    ASSERT_EQ(book->substr(0, 2), "PK") << "a zip archive";
    test::TempDir dir;
    const std::string path = dir.file("reports.xlsx");
    std::ofstream(path, std::ios::binary) << *book;
    const std::string seen = read_back(path);
    EXPECT_NE(seen.find("title 报告 frozen A2"), std::string::npos) << seen;
    EXPECT_NE(seen.find("str:编号:s | str:采用:s | str:报送时间:s"), std::string::npos) << seen;
    EXPECT_NE(seen.find("str:=HYPERLINK(\"http://x\"):s | int:3:n | datetime:2025-12-06 13:46:40:d"),
              std::string::npos)
        << seen;
    EXPECT_NE(seen.find("str:@SUM(A1:A9) 社区“红色物业”联盟工作推进情况:s | int:-2:n | NoneType:None:n"),
              std::string::npos)
        << seen;
    const auto width = seen.find("width ");
    ASSERT_NE(width, std::string::npos) << seen;
    EXPECT_GE(std::stoi(seen.substr(width + 6)), 40) << "the Chinese title counts two a character: " << seen;
}

// CSV and the workbook say the same: one table, two writers; the CSV's byte-order mark once.
TEST(ExportXlsx, TheCsvOfATableIsItsCellsTextsWithOneByteOrderMark) {
    Table t;
    t.header = {"a", "b"};
    t.rows.push_back(
        {Cell::of(7LL), Cell::at(TimePoint(std::chrono::seconds(1'765'000'000)), "Asia/Shanghai")});
    EXPECT_EQ(csv(t), std::string(kBom) + "a,b\r\n7,2025-12-06 13:46:40\r\n");
}

TEST(OfflineEnv, EachUnsetVariableGetsAPlaceholderOfItsOwn) {
    // Tools that never talk to a platform (console, export, backup) stand in for unset secrets; two
    // unset token variables must not look like one token given twice.
    const auto env = app::offline_env();
    const auto a = env("LIAISON_TEST_UNSET_TOKEN_A");
    const auto b = env("LIAISON_TEST_UNSET_TOKEN_B");
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
    EXPECT_GE(a->size(), 16u) << "long enough for a bearer token";
}

}  // namespace
}  // namespace bot::exporting
