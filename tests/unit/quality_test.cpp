// 快 · 实 · 新 (handlers/quality.hpp): realistic reports — substantive, hollow, lightly reworded
// copies, exact copies, unrelated ones on the same theme — assessed, compared and found through the
// store's LSH bands; the hints' wording; the conversation at preview and submission.
#include "handlers/quality.hpp"

#include "bot/loaders.hpp"
#include "handlers/catalog.hpp"
#include "handlers/schedule.hpp"
#include "templates/loader.hpp"
#include "templates/periods.hpp"
#include "tests/support/flow_harness.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace bot::handlers::quality {
namespace {

using namespace std::chrono_literals;

using Fields = std::map<std::string, std::string>;

// A substantive report: a concrete case, figures, places, analysis.
const Fields kElevator{
    {"kind", "practice"},
    {"title", "幸福里社区红色议事厅化解加装电梯难题"},
    {"event_date", "2026-11-18"},
    {"place", "幸福里社区3号楼"},
    {"case",
     "11月18日,幸福里社区党委在3号楼召开红色议事厅会议,邀请12名居民代表、2名律师和物业负责人参加,"
     "会前由党员楼栋长逐户走访38户居民,梳理出资分摊、低层补偿、施工噪音等5类分歧,会上逐条协商形成分摊方案。"},
    {"results",
     "两周内38户中有35户签字同意,同意率92%;筹集资金46万元,电梯预计明年3月投入使用,惠及70岁以上老人67名。"},
    {"analysis",
     "老旧小区加装电梯难在利益平衡。把协商平台建在楼栋,让党员带头、专业人士讲清规则、用数据说话,"
     "比单纯动员更能赢得低层住户的理解。"},
    {"unit", "xingfuli"}};

// The same report lightly reworded: some words swapped, the order of a clause changed.
Fields reworded() {
    Fields f = kElevator;
    f["title"] = "幸福里社区红色议事厅破解加装电梯难题";
    f["case"] =
        "11月18日,幸福里社区党组织在3号楼举行红色议事厅会议,请来12名居民代表、2名律师和物业负责人参加,"
        "会前由党员楼栋长挨家挨户走访38户居民,梳理出资分摊、低层补偿、施工噪音等5类分歧,"
        "会上逐条协商形成分摊方案。";
    f["results"] =
        "两周内38户里35户签字同意,同意率92%;共筹集资金46万元,电梯预计明年3月投入使用,惠及70岁以上老人67名。";
    return f;
}

// The same words in other clothes: full-width letters and digits, other punctuation and spaces.
Fields exact_copy() {
    Fields f = kElevator;
    f["title"] = "幸福里社区 红色议事厅 化解加装电梯难题!";
    f["results"] =
        "两周内３８户中有３５户签字同意,同意率９２％。筹集资金４６万元;电梯预计明年３月投入使用,"
        "惠及７０岁以上老人６７名";
    return f;
}

// A hollow report: no case, no figures, officialese.
const Fields kHollow{{"kind", "activity"},
                     {"title", "我社区积极开展加装电梯工作"},
                     {"event_date", "2026-11-18"},
                     {"place", "社区"},
                     {"case", "社区党委高度重视,积极开展加装电梯工作,精心组织,周密部署,扎实推进各项工作。"},
                     {"results", "取得了良好成效,群众反响良好。"},
                     {"analysis", "要进一步加强。"},
                     {"unit", "xingfuli"}};

// Unrelated, same theme (a community, its party committee, residents), figures of its own.
const Fields kSorting{
    {"kind", "practice"},
    {"title", "和平街道推行垃圾分类积分兑换"},
    {"event_date", "2026-11-20"},
    {"place", "和平街道东风小区"},
    {"case",
     "和平街道在东风小区设立8个智能回收点,居民投放可回收物按重量积分,积分可在党群服务中心兑换生活用品,"
     "街道组织42名党员志愿者在早晚高峰值守指导,并把分类情况纳入文明楼栋评比。"},
    {"results", "一个月内参与家庭从310户增加到1260户,可回收物日均回收量由0.8吨升至2.3吨,混投率下降到15%。"},
    {"analysis", "积分让分类有了看得见的回报,志愿者值守解决了不会分的问题,两者结合才让习惯真正养成。"},
    {"unit", "heping"}};

class Quality : public ::testing::Test {
protected:
    Quality() {
        auto t = loaders::templates_in(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
        auto p = loaders::phrases_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/phrases-cn.jsonc");
        if (!t.errors.empty() || !p.errors.empty()) {
            throw std::runtime_error("test data does not load");
        }
        templates = std::move(t.set);
        settings.empty_phrases = std::move(p.phrases);
        info = templates.find("liaison_info");
    }

    Signature sig(const Fields& f) const { return sign(comparable_text(*info, f)); }

    Assessment assess_at(const Fields& f, TimePoint now, const std::vector<Candidate>& earlier = {}) const {
        return assess(*info, f, now, earlier, settings, "zh-CN");
    }

    std::vector<std::string> hint_lines(const Assessment& a) const {
        std::vector<std::string> out;
        for (const auto& h : a.hints) {
            out.push_back(msg("zh-CN", h.key, Args(h.args.begin(), h.args.end())));
        }
        return out;
    }

    templates::TemplateSet templates;
    const templates::Template* info = nullptr;
    Settings settings;
    // 2026-11-20 10:00 in Shanghai: two days after the elevator meeting.
    const TimePoint kNow = TimePoint(date::sys_days(date::year{2026} / 11 / 20)) + 2h;
};

TEST_F(Quality, NormalisingFoldsWidthCasePunctuationAndSpace) {
    EXPECT_EQ(normalize("ＡＢＣ１２３，abc 123!"), U"abc123abc123");
    EXPECT_EQ(normalize("党建 · 联络「信息」。"), U"党建联络信息");
    EXPECT_EQ(normalize(std::string("\xff\xfe 党建")), U"党建") << "invalid bytes are skipped, not fatal";
    EXPECT_TRUE(sign("。").empty()) << "nothing to compare";
}

TEST_F(Quality, RewordedCopiesAreAboveTheThresholdAndUnrelatedReportsBelow) {
    const Signature a = sig(kElevator);
    const double reworded_sim = similarity(a, sig(reworded()));
    const double unrelated = similarity(a, sig(kSorting));
    const double hollow = similarity(a, sig(kHollow));
    EXPECT_GE(reworded_sim, settings.near_threshold) << reworded_sim;
    EXPECT_LT(unrelated, 0.3) << unrelated;
    EXPECT_LT(hollow, 0.3) << hollow;
    EXPECT_EQ(sig(exact_copy()).exact, a.exact) << "the same words after normalisation";
    EXPECT_NE(sig(reworded()).exact, a.exact);
    // The LSH bands find the reworded copy: at least one band key in common.
    const auto ka = band_keys(a);
    const auto kr = band_keys(sig(reworded()));
    const std::set<std::int64_t> sa(ka.begin(), ka.end());
    EXPECT_TRUE(std::any_of(kr.begin(), kr.end(), [&](std::int64_t k) { return sa.count(k) > 0; }));
    EXPECT_EQ(ka.size(), kBands);
    // Stored and read back: the same signature.
    const auto back = from_blob(a.exact, to_blob(a));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->mins, a.mins);
    EXPECT_FALSE(from_blob(a.exact, "short"));
    EXPECT_FALSE(from_blob(0, to_blob(a)));
}

TEST_F(Quality, ASubstantiveReportGetsHighMarksAndNoHints) {
    const Assessment a = assess_at(kElevator, kNow);
    EXPECT_EQ(a.marks.days, 2);
    EXPECT_EQ(a.marks.fast, 100);
    EXPECT_TRUE(a.marks.figures);
    EXPECT_EQ(a.marks.empty_phrases, 0);
    EXPECT_EQ(a.marks.thin_fields, 0);
    EXPECT_EQ(a.marks.solid, 100);
    EXPECT_EQ(a.marks.fresh, 100);
    EXPECT_TRUE(a.hints.empty()) << hint_lines(a).front();
}

TEST_F(Quality, AHollowReportGetsTheShiHintsInWords) {
    const Assessment a = assess_at(kHollow, kNow);
    EXPECT_FALSE(a.marks.figures);
    EXPECT_GE(a.marks.empty_phrases, 6);
    EXPECT_EQ(a.marks.thin_fields, 2) << "成效与数据 and 分析与观点 are short";
    EXPECT_LT(a.marks.solid, 40) << a.marks.solid;
    EXPECT_EQ(hint_lines(a),
              (std::vector<std::string>{"· 成效与数据里还没有具体数字",
                                        "· 「积极开展」等套话 " + std::to_string(a.marks.empty_phrases) +
                                            " 处,可换成具体做法和数据",
                                        "· 「成效与数据」只有 13 个字,可以写得更具体"}));
}

TEST_F(Quality, WithoutAFiguresFieldAnyLongAnswerMayHoldTheFigures) {
    templates::Template t = *info;
    t.quality.figures_field.clear();
    const Assessment hollow = assess(t, kHollow, kNow, {}, settings, "zh-CN");
    EXPECT_EQ(
        msg("zh-CN", hollow.hints.at(0).key, Args(hollow.hints[0].args.begin(), hollow.hints[0].args.end())),
        "· 还没有具体数字(人数、次数、金额、比例等)");
    Fields in_case = kHollow;
    in_case["case"] += "走访居民 38 户。";
    EXPECT_TRUE(assess(t, in_case, kNow, {}, settings, "zh-CN").marks.figures)
        << "a figure in 主要做法 counts";
    EXPECT_FALSE(assess(*info, in_case, kNow, {}, settings, "zh-CN").marks.figures)
        << "with figures_field, only 成效与数据 counts";
}

TEST_F(Quality, ALateReportIsAcceptedAndSaysSo) {
    const Assessment a = assess_at(kElevator, kNow + 24h * 7);  // nine days after the meeting
    EXPECT_EQ(a.marks.days, 9);
    EXPECT_EQ(a.marks.fast, 0) << "three times the expected three days";
    EXPECT_EQ(hint_lines(a), (std::vector<std::string>{"· 发生于 9 天前,建议尽快报送"}));
    EXPECT_EQ(assess_at(kElevator, kNow + 24h * 2).marks.fast, 83) << "four days: a sixth over";
}

TEST_F(Quality, ANearCopyNamesTheEarlierReportAndAnExactCopyIsRefused) {
    const std::vector<Candidate> earlier{{"R-2026-0031", kElevator.at("title"), "xingfuli", sig(kElevator)},
                                         {"R-2026-0040", kSorting.at("title"), "heping", sig(kSorting)}};
    const Assessment near = assess_at(reworded(), kNow, earlier);
    ASSERT_TRUE(near.nearest);
    EXPECT_FALSE(near.exact_copy);
    EXPECT_EQ(near.marks.nearest, "R-2026-0031");
    EXPECT_EQ(near.marks.fresh, 100 - near.marks.nearest_percent);
    EXPECT_EQ(hint_lines(near).front(),
              "· 与 R-2026-0031《幸福里社区红色议事厅化解加装电梯难题》相似度 " +
                  std::to_string(near.marks.nearest_percent) + "%,请突出新情况、新做法");
    const Assessment copy = assess_at(exact_copy(), kNow, earlier);
    ASSERT_TRUE(copy.exact_copy);
    EXPECT_EQ(copy.exact_copy->number, "R-2026-0031");
    EXPECT_EQ(copy.marks.fresh, 0);
    const Assessment other = assess_at(kSorting, kNow, {earlier[0]});
    EXPECT_FALSE(other.nearest) << "an unrelated report on the same theme is not shown";
}

TEST_F(Quality, MarksRoundTripAndHostileJsonGivesDefaults) {
    const Marks m = assess_at(kHollow, kNow).marks;
    EXPECT_EQ(marks_from_json(to_json(m)), m);
    EXPECT_EQ(marks_from_json("not json"), Marks{});
    EXPECT_EQ(marks_from_json(R"({"solid":"x","fast":[1],"nearest":5})"), Marks{});
}

TEST_F(Quality, FiguresAreCountsAndAmountsNotDates) {
    EXPECT_TRUE(has_figure("解决诉求 126 件"));
    EXPECT_TRUE(has_figure("满意率97%"));
    EXPECT_TRUE(has_figure("筹集资金四十六万元"));
    EXPECT_TRUE(has_figure("回收量2.3吨"));
    EXPECT_FALSE(has_figure("11月18日召开会议"));
    EXPECT_FALSE(has_figure("2026年工作要点"));
    EXPECT_FALSE(has_figure("一个社区的做法"));
    EXPECT_FALSE(has_figure("高度重视,取得良好成效"));
}

TEST_F(Quality, ThePhraseFileIsCheckedLikeEveryOtherFile) {
    test::TempDir dir;
    EXPECT_EQ(
        loaders::phrases_file(dir.write("p.jsonc", R"({"phrases": ["高度重视", ""]})")).errors,
        (std::vector<std::string>{dir.file("p.jsonc") + ": $.phrases[1]: expected a non-empty string"}));
    EXPECT_FALSE(loaders::phrases_file(dir.write("q.jsonc", R"({"phrase": []})")).errors.empty());
    EXPECT_FALSE(loaders::phrases_file(dir.file("missing.jsonc")).errors.empty());
}

/// 张三 fills 党建联络信息 with `f` up to the preview, which is returned.
std::string fill(test::FlowHarness& h, const Fields& f) {
    h.say("zhangsan", "@联络员助手 填报");
    h.say("zhangsan", "1");
    h.say("zhangsan", f.at("kind") == "practice" ? "创新做法" : "重大活动");
    h.say("zhangsan", f.at("title"));
    h.say("zhangsan", f.at("event_date"));
    h.say("zhangsan", f.at("place"));
    h.say("zhangsan", f.at("case"));
    h.say("zhangsan", f.at("results"));
    h.say("zhangsan", f.at("analysis"));
    h.say("zhangsan", "跳过");
    h.say("zhangsan", "跳过");
    return h.say("zhangsan", "", "demo-group", true, {"image:abc123"});
}

TEST_F(Quality, InTheConversationHintsShowAtPreviewAndCopiesAreCaught) {
    test::FlowHarness h;
    h.settings().quality = settings;
    h.now = kNow;
    // A hollow report: the 实 hints, before the preview's footer (the title's 积极开展 is the first
    // empty phrase); it can still be sent.
    const std::string hollow = fill(h, kHollow);
    EXPECT_NE(hollow.find("写作提示:\n· 成效与数据里还没有具体数字\n· 「积极开展」等套话 9 处"),
              std::string::npos)
        << hollow;
    EXPECT_LT(hollow.find("写作提示"), hollow.find("回复「提交」确认")) << hollow;
    EXPECT_NE(h.say("zhangsan", "提交").find("已提交"), std::string::npos);
    ASSERT_EQ(h.submitted.size(), 1u);
    const Marks stored = marks_from_json(h.submitted[0].quality);
    EXPECT_FALSE(stored.figures);
    EXPECT_FALSE(h.submitted[0].signature.empty());

    // A substantive report: no hints; submitted as R-2026-0002.
    const std::string good = fill(h, kElevator);
    EXPECT_EQ(good.find("写作提示"), std::string::npos) << good;
    EXPECT_NE(h.say("zhangsan", "提交").find("R-2026-0002"), std::string::npos);

    // Lightly reworded: the earlier report's number and title at preview, found through the bands
    // stored with it; it may still be sent.
    const std::string near = fill(h, reworded());
    EXPECT_NE(near.find("· 与 R-2026-0002《幸福里社区红色议事厅化解加装电梯难题》相似度 "), std::string::npos)
        << near;
    EXPECT_NE(h.needed.find<read::Similar>(), nullptr)
        << "the last answer asked for the reports like the draft";
    EXPECT_NE(h.say("zhangsan", "提交").find("R-2026-0003"), std::string::npos);

    // An exact copy (other punctuation, full-width digits): refused with the number, nothing stored.
    const std::string copy = fill(h, exact_copy());
    EXPECT_NE(copy.find("与已报送的 R-2026-0002《幸福里社区红色议事厅化解加装电梯难题》内容相同"),
              std::string::npos)
        << copy;
    EXPECT_EQ(copy.find("回复「提交」确认"), std::string::npos) << "the footer does not invite 提交\n"
                                                                << copy;
    EXPECT_NE(copy.find("回复「修改 N」更改第 N 项,或「取消」放弃这份草稿。"), std::string::npos) << copy;
    const std::string refused = h.say("zhangsan", "提交");
    EXPECT_NE(refused.find("不能重复报送"), std::string::npos) << refused;
    EXPECT_EQ(h.submitted.size(), 3u) << "not stored";
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::previewing) << "the draft waits to be edited";

    // What the digest reads: per unit, the week's marks summed (all three are 幸福里社区's).
    std::vector<store::UnitQuality> week;
    ASSERT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto q = tx.reports().quality_between(h.now - std::chrono::hours(24 * 7), h.now + 1h);
        if (!q) {
            return q.error();
        }
        week = std::move(*q);
        return {};
    }));
    ASSERT_EQ(week.size(), 1u);
    EXPECT_EQ(week[0].unit_id, "xingfuli");
    EXPECT_EQ(week[0].reports, 3);
    EXPECT_EQ(week[0].fast_n, 3);
    EXPECT_EQ(week[0].fast_sum, 300);
    EXPECT_EQ(week[0].with_figures, 2);
    EXPECT_EQ(week[0].solid_sum, stored.solid + 100 + marks_from_json(h.submitted[2].quality).solid);
}

TEST_F(Quality, TheDigestShowsTheWeeksMarksAndTheUnitsLowestIn实) {
    DigestReview review;
    review.quality = {.reports = 12,
                      .fast = 88,
                      .solid = 71,
                      .fresh = 93,
                      .with_figures = 9,
                      .lowest = {{"和平街道", 35}, {"城东<i>中学</i>", 42}}};
    DigestSection section;
    section.tmpl = info;
    section.period = templates::period_for(*info, kNow);
    const std::string text = plain_text(digest_doc({section}, "2026 年第 49 周", "zh-CN", review));
    EXPECT_NE(text.find("■ 报送质量 · 本周 12 篇(快 · 实 · 新)\n"
                        "平均 快 88 · 实 71 · 新 93;含具体数字的占 75%(9/12)\n"
                        "实分偏低:和平街道 35、城东<i>中学</i> 42"),
              std::string::npos)
        << text;
    review.quality = {};
    EXPECT_EQ(plain_text(digest_doc({section}, "2026 年第 49 周", "zh-CN", review)).find("报送质量"),
              std::string::npos)
        << "no section in a week without assessed reports";
}

TEST_F(Quality, ExemplarsAreListedReadWholeAndOfferedByTheHints) {
    test::FlowHarness h;
    h.settings().quality = settings;
    h.now = kNow;
    fill(h, kElevator);
    h.say("zhangsan", "提交");  // R-2026-0001
    fill(h, kSorting);
    h.say("zhangsan", "提交");  // R-2026-0002, never reviewed
    EXPECT_NE(h.say("zhangsan", "范文").find("《党建联络信息》还没有已采用或已通过的报告"),
              std::string::npos);
    h.say("sunhong", "通过 R-2026-0001");
    h.say("sunhong", "采用 R-2026-0001 市级");

    const std::string list = h.say("zhangsan", "范文");
    EXPECT_NE(list.find("【范文】党建联络信息"), std::string::npos) << list;
    EXPECT_NE(list.find("1. R-2026-0001《幸福里社区红色议事厅化解加装电梯难题》幸福里社区 · 已采用"),
              std::string::npos)
        << list;
    EXPECT_NE(list.find("   11月18日,幸福里社区党委在3号楼召开红色议事厅会议,邀请12名居民代表、2名……"),
              std::string::npos)
        << "an excerpt short enough for chat\n"
        << list;
    EXPECT_EQ(list.find("R-2026-0002"), std::string::npos) << "not reviewed: not an exemplar";
    EXPECT_NE(list.find("回复「范文 R-2026-0001」阅读全文"), std::string::npos) << list;

    const std::string whole = h.say("zhangsan", "范文 R-2026-0001");
    EXPECT_NE(whole.find("【范文】R-2026-0001《幸福里社区红色议事厅化解加装电梯难题》"), std::string::npos)
        << whole;
    EXPECT_NE(whole.find("成效与数据:两周内38户中有35户签字同意"), std::string::npos) << whole;
    EXPECT_NE(h.say("zhangsan", "范文 R-2026-0002").find("不是已采用或已通过的报告"), std::string::npos);
    EXPECT_NE(h.say("zhangsan", "范文 没有这种").find("没有名为「没有这种」的报告类型"), std::string::npos);

    // A hollow draft: its 实 hints end with the nearest exemplar, still three lines at most.
    const std::string hollow = fill(h, kHollow);
    const auto hints_at = hollow.find("写作提示:");
    ASSERT_NE(hints_at, std::string::npos) << hollow;
    const std::string hints = hollow.substr(hints_at, hollow.find("回复「提交」确认") - hints_at);
    EXPECT_EQ(std::count(hints.begin(), hints.end(), '\n'), 4) << "the header and three lines\n" << hints;
    EXPECT_NE(hints.find("· 可参考范文 R-2026-0001《幸福里社区红色议事厅化解加装电梯难题》,回复「范文 "
                         "R-2026-0001」阅读全文"),
              std::string::npos)
        << hints;
    // 排名: each unit's marks over the window beside its figures.
    const std::string ranking = h.say("sunhong", "排名");
    EXPECT_NE(ranking.find("幸福里社区"), std::string::npos) << ranking;
    EXPECT_NE(ranking.find(" · 实 100 · 新 "), std::string::npos) << ranking;
    EXPECT_NE(ranking.find(" · 有数据 100%"), std::string::npos) << ranking;
    // While filling, 范文 acts as a command and the draft stays.
    EXPECT_NE(h.say("zhangsan", "范文").find("【范文】党建联络信息"), std::string::npos);
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::previewing);
    // The hint's own advice at the preview: 范文 R-… reads that report whole, not the list the
    // draft's hints read for themselves.
    const std::string advised = h.say("zhangsan", "范文 R-2026-0001");
    EXPECT_NE(advised.find("成效与数据:两周内38户中有35户签字同意"), std::string::npos) << advised;
    EXPECT_EQ(advised.find("阅读全文"), std::string::npos) << advised;
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::previewing);
}

}  // namespace
}  // namespace bot::handlers::quality
