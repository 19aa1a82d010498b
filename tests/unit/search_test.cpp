// Search words for Chinese (bot/core/search.hpp): what the index keeps and what a typed phrase
// becomes; the store's use of them is in store_concerns_test.cpp.
#include "bot/core/search.hpp"

#include <gtest/gtest.h>

namespace bot::search {
namespace {

TEST(SearchWords, ChineseRunsArePairsAndTheirLastCharacter) {
    EXPECT_EQ(index_text("红色物业"), "红色 色物 物业 业");
    EXPECT_EQ(index_text("党"), "党");
    // Punctuation ends a run; other letters and digits are words, folded for case and width.
    EXPECT_EQ(index_text("覆盖１２个小区，Slack群"), "覆盖 盖 12 个小 小区 区 slack 群");
}

TEST(SearchWords, APhraseIsItsPairsAsOneFts5Phrase) {
    EXPECT_EQ(match_expression("物业"), "\"物业\"");
    EXPECT_EQ(match_expression("红色物业"), "\"红色 色物 物业\"");
    // One character: a prefix (the pair it begins, or the end of a run).
    EXPECT_EQ(match_expression("党"), "\"党\"*");
    // Terms are all required; case and width folded as in the index.
    EXPECT_EQ(match_expression("  红色物业　ＳＬＡＣＫ "), "\"红色 色物 物业\" AND \"slack\"");
    // A run ending before a word keeps its last character, as the index does.
    EXPECT_EQ(match_expression("物业A栋"), "\"物业 业 a 栋\"*");
}

TEST(SearchWords, NothingTypedIsFts5Syntax) {
    EXPECT_EQ(match_expression(""), "");
    EXPECT_EQ(match_expression("\" OR * NEAR( ) ^"), "\"or\" AND \"near\"");
    EXPECT_EQ(match_expression("物业\" OR \"x"), "\"物业\" AND \"or\" AND \"x\"");
    EXPECT_EQ(match_expression("，。！"), "");
    EXPECT_EQ(match_expression(std::string("\xff\xfe", 2)), "");
}

TEST(SearchWords, AReportIsFoundByTitleAuthorAndAnswersNotPhotos) {
    const auto words =
        report_text("社区议事会",
                    "张三",
                    R"({"body":"红色物业","tags":["党建","upload:abc"],"photo":"image:xyz","n":3})");
    EXPECT_EQ(words, "社区 区议 议事 事会 会 张三 三 红色 色物 物业 业 党建 建");
    EXPECT_EQ(report_text("", "", "not json"), "");
}

}  // namespace
}  // namespace bot::search
