// CSV cells for spreadsheets: nothing a spreadsheet would run as a formula, in any locale's
// separator, whatever spaces or full-width forms come first.
#include "bot/export/csv.hpp"
#include "bot/export/docx.hpp"
#include "bot/export/xlsx.hpp"
#include "bot/runtime.hpp"
#include "tests/support/flow_harness.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

/// What Debian's Python prints running `script` on `path` (its errors too).
std::string python_says(const std::string& script, const std::string& path) {
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
    return python_says(script, path);
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

/// What python-docx (Debian's python3-docx) reads in the document at `path`: page setup in
/// millimetres, each paragraph's style and text, the styles' fonts and sizes, the footer.
std::string read_document(const std::string& path) {
    const std::string script =
        "import docx, sys\n"
        "from docx.oxml.ns import qn\n"
        "d = docx.Document(sys.argv[1])\n"
        "s = d.sections[0]\n"
        "print('page', round(s.page_width.mm), round(s.page_height.mm), 'margins', round(s.top_margin.mm),"
        " round(s.right_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm))\n"
        "for p in d.paragraphs:\n"
        "    print('p', p.style.name, '|', p.text)\n"
        "for name in ['Normal', 'Brief Title', 'heading 1', 'Brief Byline', 'Brief Distribution']:\n"
        "    st = d.styles[name]\n"
        "    rf = st.element.rPr.find(qn('w:rFonts'))\n"
        "    print('style', name, rf.get(qn('w:eastAsia')), st.font.size.pt, st.font.color.rgb)\n"
        "print('footer', ''.join(p._p.xml for p in s.footer.paragraphs).count('PAGE'), "
        "s.footer.paragraphs[0].text)\n";
    return python_says(script, path);
}

// The brief's document (issue 33), read back as Word would: A4 with GB/T 9704's margins, the
// masthead, each item in order with its fonts, the distribution lines, the page number "— N —".
TEST(ExportDocx, ABriefIsLaidOutAsGbt9704AsksAndReadsBackInOrder) {
    BriefLayout b{
        .series = "组工信息",
        .number = "第 12 期",
        .compiler = "中共幸福区委组织部编",
        .date = "2026 年 12 月 8 日",
        .items = {{.heading = "幸福里社区“红色物业”破解加装电梯难题",
                   .byline = "幸福里社区",
                   .paragraphs = {"今年以来,社区党委……", "<w:p>=1+1 & 其他</w:p>"}},
                  {.heading = "城东中学党支部开展课后服务", .byline = "", .paragraphs = {"课后服务……"}}},
        .distribution = {"报:市委组织部", "发:各街道党工委"}};
    const auto bytes = docx(b);
    ASSERT_TRUE(bytes);
    test::TempDir dir;
    const std::string path = dir.file("brief.docx");
    std::ofstream(path, std::ios::binary) << *bytes;
    const std::string seen = read_document(path);
    EXPECT_NE(seen.find("page 210 297 margins 37 26 35 28\n"), std::string::npos) << seen;
    EXPECT_NE(seen.find("p Brief Title | 组工信息\n"
                        "p Brief Number | 第 12 期\n"
                        "p Brief Masthead | 中共幸福区委组织部编\t2026 年 12 月 8 日\n"
                        "p Heading 1 | 幸福里社区“红色物业”破解加装电梯难题\n"
                        "p Brief Byline | 幸福里社区\n"
                        "p Normal | 今年以来,社区党委……\n"
                        "p Normal | <w:p>=1+1 & 其他</w:p>\n"
                        "p Heading 1 | 城东中学党支部开展课后服务\n"
                        "p Normal | 课后服务……\n"
                        "p Brief Distribution | 报:市委组织部\n"
                        "p Brief Distribution | 发:各街道党工委\n"),
              std::string::npos)
        << "the order and text of every part, markup-like text kept as text: " << seen;
    EXPECT_NE(seen.find("style Normal 仿宋_GB2312 16.0 None"), std::string::npos) << seen;
    EXPECT_NE(seen.find("style Brief Title 方正小标宋简体 44.0 FF0000"), std::string::npos) << seen;
    EXPECT_NE(seen.find("style heading 1 黑体 16.0"), std::string::npos) << seen;
    EXPECT_NE(seen.find("style Brief Byline 楷体_GB2312 16.0"), std::string::npos) << seen;
    EXPECT_NE(seen.find("style Brief Distribution 仿宋_GB2312 14.0"), std::string::npos) << seen;
    // One PAGE field between the dashes (python-docx's text leaves a field's shown number out).
    EXPECT_NE(seen.find("footer 1 —  —"), std::string::npos) << seen;
    // Kept for people to look at; where LibreOffice is installed, its first page as an image too.
    const std::string kept = std::string(LIAISON_ARTIFACTS_DIR) + "/brief";
    std::filesystem::create_directories(kept);
    std::ofstream(kept + "/brief.docx", std::ios::binary) << *bytes;
    if (std::filesystem::exists("/usr/bin/soffice") && std::filesystem::exists("/usr/bin/pdftoppm")) {
        const std::string convert =
            "cd " + kept + " && HOME=" + dir.file("") +
            " /usr/bin/soffice --headless --convert-to pdf brief.docx >/dev/null 2>&1 && "
            "/usr/bin/pdftoppm -png -r 60 -f 1 -l 1 -singlefile brief.pdf brief-page1";
        EXPECT_EQ(std::system(convert.c_str()), 0) << convert;
        EXPECT_TRUE(std::filesystem::exists(kept + "/brief-page1.png"));
    }
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
