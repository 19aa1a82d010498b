// The domain on its own: templates, the conversation, the rules and 快 · 实 · 新, driven with text
// and structs only. This executable links bot_handlers, bot_templates and bot_core and nothing that
// reads files or clocks (no store, no log, no loaders): the seeds are compiled in
// (tests/domain/embed.cmake) and time is a value the test sets.
#include "handlers/commands.hpp"
#include "handlers/quality.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"
#include "tests/domain/embedded.hpp"

#include <gtest/gtest.h>

#include <date/date.h>
#include <optional>
#include <string>
#include <vector>

namespace bot {
namespace {

const std::string& seed(std::string_view path) {
    return test::embedded_files().find(path)->second;
}

templates::TemplateSet shipped_templates() {
    std::vector<std::pair<std::string, std::string>> texts;
    for (const auto& [path, text] : test::embedded_files()) {
        if (path.starts_with("templates/data/")) {
            texts.emplace_back(path, text);
        }
    }
    auto loaded = templates::load_texts(texts);
    EXPECT_TRUE(loaded.errors.empty());
    return std::move(loaded.set);
}

TimePoint shanghai(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                     std::chrono::hours(h - 8) + std::chrono::minutes(min)};
}

/// The conversation without a router: plan, then decide with what a store would have read (here:
/// nothing earlier), the session kept in memory.
class PureChat {
public:
    PureChat()
        : templates_(shipped_templates()),
          roster_(handlers::load_roster_text(seed("seeds/roster.jsonc"), "roster.jsonc").roster),
          calendar_(
              templates::load_calendar_text(seed("seeds/calendar-cn.jsonc"), "calendar.jsonc").calendar) {
        settings_.push_bots = {"demo"};
    }

    handlers::Effects say(const std::string& user_id, const std::string& text) {
        const handlers::Incoming in{"demo-group", user_id, user_id, text, true, {}, false, "demo", "webhook"};
        const handlers::FlowContext ctx{now, templates_, roster_, "zh-CN", &calendar_, settings_};
        const handlers::Plan plan = handlers::plan(in, session_, ctx);
        handlers::Reads reads;
        handlers::Effects fx = handlers::decide(plan, session_, reads, ctx);
        if (!fx.similar_wanted.empty()) {  // 新: nothing earlier to compare with; decide again
            reads.similar_keys = fx.similar_wanted;
            std::sort(reads.similar_keys.begin(), reads.similar_keys.end());
            reads.exemplars_of = fx.similar_template;
            fx = handlers::decide(plan, session_, reads, ctx);
        }
        if (fx.op == handlers::SessionOp::save) {
            session_ = fx.session;
        } else if (fx.op == handlers::SessionOp::erase) {
            session_.reset();
        }
        return fx;
    }

    TimePoint now = shanghai(2026, 11, 25, 10, 0);
    const templates::TemplateSet& templates() const { return templates_; }
    const handlers::Roster& roster() const { return roster_; }

private:
    templates::TemplateSet templates_;
    handlers::Roster roster_;
    templates::WorkCalendar calendar_;
    handlers::ConversationSettings settings_;
    std::optional<handlers::Session> session_;
};

std::string texts(const handlers::Effects& fx) {
    std::string out;
    for (const auto& r : fx.replies) {
        out += r.text + "\n";
    }
    return out;
}

TEST(Domain, TheShippedTemplatesAndSeedsParseFromText) {
    const auto set = shipped_templates();
    EXPECT_EQ(set.all().size(), 3u);
    EXPECT_NE(set.find("weekly_progress"), nullptr);
    EXPECT_TRUE(handlers::load_roster_text(seed("seeds/roster.jsonc"), "r").errors.empty());
    EXPECT_TRUE(templates::load_calendar_text(seed("seeds/calendar-cn.jsonc"), "c").errors.empty());
    const auto phrases = handlers::quality::load_phrases_text(seed("seeds/phrases-cn.jsonc"), "p");
    EXPECT_TRUE(phrases.errors.empty());
    EXPECT_FALSE(phrases.phrases.empty());
}

TEST(Domain, AWeeklyReportIsFilledPreviewedAndSubmittedWithoutAStoreOrAClock) {
    PureChat chat;
    EXPECT_NE(texts(chat.say("u-zhangsan", "填报 工作进度周报")).find("第 1/5 项"), std::string::npos);
    for (const std::string answer : {"老旧小区加装电梯", "60%", "推进中", "完成土建,启动安装"}) {
        const auto fx = chat.say("u-zhangsan", answer);
        ASSERT_FALSE(fx.replies.empty()) << answer;
    }
    chat.say("u-zhangsan", "跳过");
    const auto preview = chat.say("u-zhangsan", "预览");
    EXPECT_NE(texts(preview).find("老旧小区加装电梯"), std::string::npos) << texts(preview);
    const auto submitted = chat.say("u-zhangsan", "提交");
    const auto* sub = submitted.find<handlers::Submission>();
    ASSERT_NE(sub, nullptr) << texts(submitted);
    EXPECT_EQ(sub->template_id, "weekly_progress");
    EXPECT_EQ(sub->unit_id, "xingfuli");
    EXPECT_EQ(sub->title, "老旧小区加装电梯");
    EXPECT_EQ(sub->year, 2026) << "numbered by the time the test set, not the machine's";
    EXPECT_EQ(submitted.op, handlers::SessionOp::erase);
}

TEST(Domain, QualityIsAssessedFromTheTextAlone) {
    const auto set = shipped_templates();
    const templates::Template* t = set.find("liaison_info");
    ASSERT_NE(t, nullptr);
    handlers::quality::Settings settings;
    settings.empty_phrases =
        handlers::quality::load_phrases_text(seed("seeds/phrases-cn.jsonc"), "p").phrases;
    std::map<std::string, std::string> solid;
    std::map<std::string, std::string> empty;
    for (const auto& f : t->fields) {
        if (f.type == templates::FieldType::longtext) {
            solid[f.id] = "幸福里社区11月5日组织志愿者32人,为120户老人上门体检,发现隐患9处、整改7处。";
            empty[f.id] = "高度重视,积极行动,取得了明显成效,进一步提高了认识。";
        }
    }
    const TimePoint now = shanghai(2026, 11, 25, 10, 0);
    const auto a = handlers::quality::assess(*t, solid, now, {}, settings, "zh-CN");
    const auto b = handlers::quality::assess(*t, empty, now, {}, settings, "zh-CN");
    EXPECT_TRUE(a.marks.figures);
    EXPECT_FALSE(b.marks.figures);
    EXPECT_GT(a.marks.solid, b.marks.solid);
    EXPECT_GT(b.marks.empty_phrases, 0);
    EXPECT_EQ(a.marks.fresh, 100) << "nothing earlier to resemble";
}

TEST(Domain, WhoSeesWhichUnitsIsOneRuleOnTheRoster) {
    const auto r = handlers::load_roster_text(R"({
      "units": [ { "id": "east", "name": "东城" }, { "id": "a", "name": "甲", "parent": "east" },
                 { "id": "west", "name": "西城" } ],
      "people": [ { "id": "o", "name": "officer", "unit": "a" },
                  { "id": "c", "name": "coordinator", "role": "coordinator", "scope": ["east"] },
                  { "id": "all", "name": "everyone's", "role": "coordinator" },
                  { "id": "boss", "name": "admin", "role": "admin" } ] })",
                                              "r.jsonc");
    ASSERT_TRUE(r.errors.empty()) << r.errors.front().path << ": " << r.errors.front().message;
    const auto& roster = r.roster;
    using Units = std::set<std::string, std::less<>>;
    EXPECT_EQ(roster.visible_units(roster.person_by_id("c")), (Units{"east", "a"}));
    EXPECT_EQ(roster.visible_units(roster.person_by_id("all")), std::nullopt);
    EXPECT_EQ(roster.visible_units(roster.person_by_id("boss")), std::nullopt) << "an admin sees everything";
    EXPECT_EQ(roster.visible_units(nullptr), std::nullopt) << "a token without a person";
    EXPECT_EQ(roster.visible_units(roster.person_by_id("o")), Units{}) << "an officer coordinates nothing";
    EXPECT_EQ(roster.compared_units(roster.person_by_id("o")), std::nullopt) << "比学赶超 is public";
    EXPECT_EQ(roster.compared_units(roster.person_by_id("c")), (Units{"east", "a"}));
}

}  // namespace
}  // namespace bot
