// CSV cells for spreadsheets: nothing a spreadsheet would run as a formula, in any locale's
// separator, whatever spaces or full-width forms come first.
#include "bot/export/csv.hpp"
#include "bot/runtime.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

namespace bot::exporting {
namespace {

TEST(ExportCell, FormulasAreNeutralisedBehindSpacesAndInFullWidth) {
    EXPECT_EQ(cell("=1+1"), "'=1+1");
    EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(cell("\xC2\xA0=HYPERLINK(\"x\")"), "\"'\xC2\xA0=HYPERLINK(\"\"x\"\")\"") << "a no-break space first";
    EXPECT_EQ(cell("  +A1"), "'  +A1");
    EXPECT_EQ(cell("\xE3\x80\x80-A1"), "'\xE3\x80\x80-A1") << "an ideographic space first";
    EXPECT_EQ(cell("\xEF\xBC\x9D" "1+1"), "'\xEF\xBC\x9D" "1+1") << "full-width ＝";
    EXPECT_EQ(cell("\xEF\xBC\x8B" "1"), "'\xEF\xBC\x8B" "1") << "full-width ＋";
    EXPECT_EQ(cell("\xEF\xBC\xA0" "x"), "'\xEF\xBC\xA0" "x") << "full-width ＠";
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
