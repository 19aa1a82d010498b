#include "bot/loaders.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"
#include "templates/periods.hpp"
#include "templates/statutory.hpp"
#include "templates/text.hpp"
#include "templates/validate.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <date/tz.h>

namespace bot::templates {
namespace {

using namespace std::chrono_literals;

const std::string kDataDir = std::string(LIAISON_SOURCE_DIR) + "/templates/data";

// ---------------------------------------------------------------- text

TEST(Text, CharactersAreCodePoints) {
    EXPECT_EQ(text::char_count("abc"), 3u);
    EXPECT_EQ(text::char_count("一个汉字"), 4u);
    EXPECT_EQ(text::char_count("红色物业🚩"), 5u);
    EXPECT_EQ(text::char_count(""), 0u);
    EXPECT_FALSE(text::char_count("\xff\xfe"));
    EXPECT_FALSE(text::char_count("\xe4\xb8"));      // truncated 汉
    EXPECT_FALSE(text::char_count("\xc0\xaf"));      // overlong '/'
    EXPECT_FALSE(text::char_count("\xed\xa0\x80"));  // surrogate
}

TEST(Text, FullWidthIsFoldedAndIdeographicSpaceTrimmed) {
    EXPECT_EQ(text::fold_width("１２３ＡＢｃ％："), "123ABc%:");
    EXPECT_EQ(text::trim("\xe3\x80\x80 标题 \xe3\x80\x80\n"), "标题");
    EXPECT_EQ(text::normalize("  ＹＥＳ "), "yes");
    EXPECT_EQ(text::truncate("一二三四五", 3), "一二三…");
    EXPECT_EQ(text::truncate("一二三", 3), "一二三");
}

// ---------------------------------------------------------------- validators

FieldContext ctx() {
    FieldContext c;
    c.today = {2026, 11, 27};
    c.own_unit = "xingfuli";
    static const std::vector<UnitRef> kUnits{{"xingfuli", "幸福里社区"}, {"heping", "和平街道"}};
    c.units = kUnits;
    return c;
}

Field text_field(std::size_t min, std::size_t max) {
    Field f;
    f.id = "title";
    f.type = FieldType::text;
    f.label = {"标题", "Title"};
    f.min_length = min;
    f.max_length = max;
    return f;
}

std::string ok(const Validation& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    ADD_FAILURE() << "refused with " << std::get<Invalid>(v).key;
    return {};
}

std::string refused(const Validation& v) {
    if (const auto* i = std::get_if<Invalid>(&v)) {
        return i->key;
    }
    ADD_FAILURE() << "accepted as " << std::get<std::string>(v);
    return {};
}

TEST(Validate, TextLengthsCountCharactersAtTheBoundaries) {
    const Field f = text_field(5, 10);
    EXPECT_EQ(refused(validate(f, "红色物业", ctx())), "err.too_short");  // 4 characters, 12 bytes
    EXPECT_EQ(ok(validate(f, "红色物业好", ctx())), "红色物业好");        // 5
    EXPECT_EQ(ok(validate(f, "一二三四五六七八九十", ctx())), "一二三四五六七八九十");  // 10
    EXPECT_EQ(refused(validate(f, "一二三四五六七八九十一", ctx())), "err.too_long");   // 11
    EXPECT_EQ(ok(validate(f, "🚩🚩🚩🚩🚩", ctx())), "🚩🚩🚩🚩🚩");
    EXPECT_EQ(ok(validate(f, "Red 物业 ok", ctx())), "Red 物业 ok") << "mixed scripts";
    EXPECT_EQ(ok(validate(f, "\xe3\x80\x80 （试点）红色物业 ", ctx())), "（试点）红色物业")
        << "full-width kept in free text";
    EXPECT_EQ(refused(validate(f, "", ctx())), "err.empty");
    EXPECT_EQ(refused(validate(f, " \t\xe3\x80\x80 ", ctx())), "err.empty");
    EXPECT_EQ(refused(validate(f,
                               "abc\xff\xfe"
                               "def",
                               ctx())),
              "err.invalid_utf8");
    EXPECT_EQ(refused(validate(f, "第一行\n第二行", ctx())), "err.single_line");
    EXPECT_EQ(refused(validate(f, std::string(100000, 'x'), ctx())), "err.too_long");
    const auto inv = std::get<Invalid>(validate(f, "红色物业", ctx()));
    EXPECT_EQ(inv.args[2], (std::pair<std::string, std::string>{"count", "4"}));
    Field lt = text_field(3, 100);
    lt.type = FieldType::longtext;
    EXPECT_EQ(ok(validate(lt, "第一行\n第二行", ctx())), "第一行\n第二行");
}

TEST(Validate, ChoiceByNumberNameOrFullWidth) {
    Field f;
    f.type = FieldType::choice;
    f.choices = {{"activity", {"重大活动", "Major activity"}},
                 {"practice", {"创新做法", "Innovative practice"}}};
    EXPECT_EQ(ok(validate(f, "2", ctx())), "practice");
    EXPECT_EQ(ok(validate(f, "２", ctx())), "practice");
    EXPECT_EQ(ok(validate(f, " 创新做法 ", ctx())), "practice");
    EXPECT_EQ(ok(validate(f, "MAJOR ACTIVITY", ctx())), "activity");
    EXPECT_EQ(refused(validate(f, "3", ctx())), "err.choice");
    EXPECT_EQ(refused(validate(f, "0", ctx())), "err.choice");
    EXPECT_EQ(refused(validate(f, "-1", ctx())), "err.choice");
    EXPECT_EQ(refused(validate(f, "创新", ctx())), "err.choice");
    EXPECT_EQ(refused(validate(f, "99999999999999999999", ctx())), "err.choice");
    EXPECT_EQ(ok(validate(f, "二", ctx())), "practice") << "a Chinese numeral";
    EXPECT_EQ(ok(validate(f, "①", ctx())), "activity") << "a circled number";
    EXPECT_EQ(refused(validate(f, "三", ctx())), "err.choice");
    EXPECT_EQ(refused(validate(f, "③", ctx())), "err.choice");
}

TEST(Validate, MultipleChoice) {
    Field f;
    f.type = FieldType::multichoice;
    f.choices = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}, {"c", {"丙", "C"}}};
    f.max_choices = 2;
    EXPECT_EQ(ok(validate(f, "1、3", ctx())), "a,c");
    EXPECT_EQ(ok(validate(f, "乙，甲", ctx())), "b,a");
    EXPECT_EQ(ok(validate(f, "1,1", ctx())), "a") << "repeats count once";
    EXPECT_EQ(refused(validate(f, "1 2 3", ctx())), "err.choice_count");
    EXPECT_EQ(refused(validate(f, "1、丁", ctx())), "err.choice_item");
}

TEST(Validate, Numbers) {
    Field i;
    i.type = FieldType::integer;
    i.min = 0;
    i.max = 1000;
    EXPECT_EQ(ok(validate(i, "126", ctx())), "126");
    EXPECT_EQ(ok(validate(i, "１２６", ctx())), "126");
    EXPECT_EQ(ok(validate(i, "1,000", ctx())), "1000");
    EXPECT_EQ(refused(validate(i, "1001", ctx())), "err.range");
    EXPECT_EQ(refused(validate(i, "-1", ctx())), "err.range");
    EXPECT_EQ(refused(validate(i, "12.5", ctx())), "err.integer");
    EXPECT_EQ(refused(validate(i, "十二", ctx())), "err.integer");
    EXPECT_EQ(refused(validate(i, "1e3", ctx())), "err.integer");
    Field d;
    d.type = FieldType::decimal;
    EXPECT_EQ(ok(validate(d, "3.5", ctx())), "3.5");
    EXPECT_EQ(ok(validate(d, "-0.25", ctx())), "-0.25");
    EXPECT_EQ(refused(validate(d, "3.5.1", ctx())), "err.number");
    EXPECT_EQ(refused(validate(d, "nan", ctx())), "err.number");
    EXPECT_EQ(refused(validate(d, "inf", ctx())), "err.number");
    Field p;
    p.type = FieldType::percent;
    p.min = 0;
    p.max = 100;
    EXPECT_EQ(ok(validate(p, "60%", ctx())), "60");
    EXPECT_EQ(ok(validate(p, "６０％", ctx())), "60");
    EXPECT_EQ(ok(validate(p, "99.5", ctx())), "99.5");
    EXPECT_EQ(refused(validate(p, "120%", ctx())), "err.range");
}

TEST(Validate, DatesInTheTemplatesZone) {
    Field f;
    f.type = FieldType::date;
    EXPECT_EQ(ok(validate(f, "2026-11-27", ctx())), "2026-11-27");
    EXPECT_EQ(ok(validate(f, "2026/1/5", ctx())), "2026-01-05");
    EXPECT_EQ(ok(validate(f, "11-27", ctx())), "2026-11-27");
    EXPECT_EQ(ok(validate(f, "11月27日", ctx())), "2026-11-27");
    EXPECT_EQ(ok(validate(f, "2026年3月8号", ctx())), "2026-03-08");
    EXPECT_EQ(ok(validate(f, "１１－２７", ctx())), "2026-11-27") << "full-width digits and hyphen";
    EXPECT_EQ(ok(validate(f, "今天", ctx())), "2026-11-27");
    EXPECT_EQ(ok(validate(f, "昨天", ctx())), "2026-11-26");
    EXPECT_EQ(ok(validate(f, "Yesterday", ctx())), "2026-11-26");
    auto jan1 = ctx();
    jan1.today = {2026, 1, 1};
    EXPECT_EQ(ok(validate(f, "昨天", jan1)), "2025-12-31");
    EXPECT_EQ(refused(validate(f, "2026-02-30", ctx())), "err.date");
    EXPECT_EQ(refused(validate(f, "13-01", ctx())), "err.date");
    EXPECT_EQ(refused(validate(f, "明年", ctx())), "err.date");
    EXPECT_EQ(refused(validate(f, "2026-11-27-1", ctx())), "err.date");
    EXPECT_EQ(refused(validate(f, "1999-01-01", ctx())), "err.date_range");
    EXPECT_EQ(refused(validate(f, "99999-01-01", ctx())), "err.date");
    // Understood, but a report is of what happened: the answer says why it is refused.
    EXPECT_EQ(refused(validate(f, "明天", ctx())), "err.date_future");
    EXPECT_EQ(refused(validate(f, "tomorrow", ctx())), "err.date_future");
    EXPECT_EQ(refused(validate(f, "后天", ctx())), "err.date_future");
    EXPECT_EQ(refused(validate(f, "2026-11-28", ctx())), "err.date_future");
}

TEST(Validate, UrlAttachmentUnitYesNo) {
    Field u;
    u.type = FieldType::url;
    EXPECT_EQ(ok(validate(u, "https://example.org/a?b=1", ctx())), "https://example.org/a?b=1");
    EXPECT_EQ(refused(validate(u, "ftp://x", ctx())), "err.url");
    EXPECT_EQ(refused(validate(u, "https://", ctx())), "err.url");
    EXPECT_EQ(refused(validate(u, "https://a b", ctx())), "err.url");
    EXPECT_EQ(refused(validate(u, "javascript:alert(1)", ctx())), "err.url");

    Field a;
    a.type = FieldType::attachment;
    auto with_file = ctx();
    with_file.attachments = {"image:abc", "file:def"};
    EXPECT_EQ(ok(validate(a, "", with_file)), "image:abc\nfile:def");
    EXPECT_EQ(ok(validate(a, "https://pan.example.com/x", ctx())), "https://pan.example.com/x");
    EXPECT_EQ(refused(validate(a, "照片", ctx())), "err.attachment");

    Field unit;
    unit.type = FieldType::unit;
    EXPECT_EQ(ok(validate(unit, "2", ctx())), "heping");
    EXPECT_EQ(ok(validate(unit, "和平街道", ctx())), "heping");
    EXPECT_EQ(refused(validate(unit, "不存在的单位", ctx())), "err.unit");
    unit.default_kind = DefaultKind::own_unit;
    EXPECT_EQ(default_value(unit, ctx()), "xingfuli");

    Field yn;
    yn.type = FieldType::yesno;
    EXPECT_EQ(ok(validate(yn, "是", ctx())), "true");
    EXPECT_EQ(ok(validate(yn, "ＮＯ", ctx())), "false");
    EXPECT_EQ(ok(validate(yn, "2", ctx())), "false");
    EXPECT_EQ(refused(validate(yn, "也许", ctx())), "err.yesno");
}

TEST(Validate, EveryFieldTypeRefusesEmptyWhitespaceAndHostileAnswersCleanly) {
    const std::vector<std::string> hostile{
        std::string(200000, 'x'),      // very long
        std::string(50000, '\xe4'),    // invalid UTF-8, long
        "🚩🚩🚩",                         // emoji only
        "ＡＢＣ１２３",                // full-width
        "abc 中文 ру́сский العربية",    // mixed scripts
        std::string("\0\x01\x02", 3),  // control bytes
        "%s%n{}{{}}$(rm -rf /)'; DROP TABLE reports;--",
    };
    for (int t = 0; t <= static_cast<int>(FieldType::yesno); ++t) {
        Field f;
        f.id = "f";
        f.type = static_cast<FieldType>(t);
        f.choices = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}};
        f.max_length = 100;
        const std::string empty_key = f.type == FieldType::attachment ? "err.attachment" : "err.empty";
        EXPECT_EQ(refused(validate(f, "", ctx())), empty_key) << to_string(f.type);
        EXPECT_EQ(refused(validate(f, " \t\n\xe3\x80\x80 ", ctx())), empty_key) << to_string(f.type);
        for (const auto& h : hostile) {
            Validation v = std::string();
            ASSERT_NO_THROW(v = validate(f, h, ctx())) << to_string(f.type);
            if (const auto* s = std::get_if<std::string>(&v)) {
                // Whatever is accepted is valid UTF-8 and within the field's limits.
                EXPECT_TRUE(text::char_count(*s).has_value()) << to_string(f.type);
                EXPECT_LE(s->size(), 100u * 4) << to_string(f.type);
            }
        }
    }
}

TEST(Validate, ConditionsFollowEarlierAnswers) {
    Field f;
    f.when = Condition{"kind", {"issue"}};
    EXPECT_FALSE(condition_met(f, {}));
    EXPECT_FALSE(condition_met(f, {{"kind", "practice"}}));
    EXPECT_TRUE(condition_met(f, {{"kind", "issue"}}));
    EXPECT_TRUE(condition_met(f, {{"kind", "practice,issue"}})) << "multichoice";
}

// ---------------------------------------------------------------- loader

TEST(Loader, ShippedTemplatesLoad) {
    const auto r = loaders::templates_in(kDataDir);
    for (const auto& e : r.errors) {
        ADD_FAILURE() << e.to_string();
    }
    ASSERT_EQ(r.set.all().size(), 3u);
    const Template* info = r.set.find("liaison_info");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->name.zh, "党建联络信息");
    EXPECT_EQ(info->cadence.kind, CadenceKind::event);
    EXPECT_EQ(info->cadence.quota, 2);
    EXPECT_EQ(info->field("kind")->choices.size(), 5u);
    EXPECT_EQ(info->field("title")->min_length, 5u);
    EXPECT_EQ(info->field("title")->max_length, 40u);
    const Template* weekly = r.set.find("weekly_progress");
    ASSERT_NE(weekly, nullptr);
    EXPECT_EQ(weekly->cadence.kind, CadenceKind::weekly);
    EXPECT_EQ(weekly->cadence.due_weekday, 5);
    EXPECT_EQ(weekly->cadence.due_time, std::chrono::minutes(17 * 60));
    EXPECT_EQ(weekly->time_zone, "Asia/Shanghai");
    ASSERT_NE(r.set.find("exemplar"), nullptr);
}

bool has(const LoadResult& r, const std::string& path, const std::string& fragment) {
    return std::any_of(r.errors.begin(), r.errors.end(), [&](const LoadError& e) {
        return e.path == path && e.message.find(fragment) != std::string::npos;
    });
}

std::string all(const LoadResult& r) {
    std::string out;
    for (const auto& e : r.errors) {
        out += e.to_string() + "\n";
    }
    return out;
}

TEST(Loader, BadTemplatesAreRejectedWithFilePathAndReason) {
    const auto r = load_text(R"({
        "id": "Bad Id", "version": 0, "name": "", "colour": "red",
        "cadence": { "kind": "weekly", "due": { "weekday": "friyay", "time": "25:00" } },
        "time_zone": "Mars/Olympus",
        "reminders": [ { "offset_minutes": "soon", "audience": "everyone" } ],
        "fields": [
          { "id": "a", "type": "text", "label": "A", "min_length": 10, "max_length": 5 },
          { "id": "a", "type": "choice", "label": "Dup", "choices": [ { "id": "x", "label": "X" } ] },
          { "id": "c", "type": "telepathy", "label": "C" },
          { "id": "d", "type": "text", "label": "D", "when": { "field": "later", "equals": ["x"] } },
          { "id": "e", "type": "integer", "label": "E", "choices": [] , "default": "today" },
          { "id": "later", "type": "choice", "label": "L", "choices": [ { "id": "p", "label": "P" }, { "id": "q", "label": "P" } ] }
        ]
    })",
                             "bad.jsonc");
    EXPECT_TRUE(r.set.all().empty());
    EXPECT_TRUE(has(r, "$.id", "must be 1-64")) << all(r);
    EXPECT_TRUE(has(r, "$.version", "between 1")) << all(r);
    EXPECT_TRUE(has(r, "$.name", "must not be empty")) << all(r);
    EXPECT_TRUE(has(r, "$.colour", "unknown key")) << all(r);
    EXPECT_TRUE(has(r, "$.cadence.due.weekday", "weekday")) << all(r);
    EXPECT_TRUE(has(r, "$.cadence.due.time", "HH:MM")) << all(r);
    EXPECT_TRUE(has(r, "$.time_zone", "unknown IANA time zone")) << all(r);
    EXPECT_TRUE(has(r, "$.reminders[0].offset_minutes", "expected an integer")) << all(r);
    EXPECT_TRUE(has(r, "$.reminders[0].audience", "officers")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[0].min_length", "greater than max_length")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[1].id", "duplicate field id")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[1].choices", "at least two")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[2].type", "unknown field type")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[3].when.field", "earlier field")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[4].choices", "only choice and multichoice")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[4].default", "supported defaults")) << all(r);
    EXPECT_TRUE(has(r, "$.fields[5].choices[1].label", "duplicate choice label")) << all(r);
    for (const auto& e : r.errors) {
        EXPECT_EQ(e.file, "bad.jsonc");
    }
}

TEST(Loader, SyntaxErrorsAndMissingKeys) {
    const auto broken = load_text("{ \"id\": \"x\",\n  \"fields\": [ }", "broken.jsonc");
    ASSERT_EQ(broken.errors.size(), 1u);
    EXPECT_NE(broken.errors[0].message.find("line 2"), std::string::npos) << broken.errors[0].message;
    const auto empty = load_text("{}", "empty.jsonc");
    EXPECT_TRUE(has(empty, "$.id", "required")) << all(empty);
    EXPECT_TRUE(has(empty, "$.cadence", "required")) << all(empty);
    EXPECT_TRUE(has(empty, "$.fields", "required")) << all(empty);
    const auto no_fields =
        load_text(R"({"id":"x","version":1,"name":"X","cadence":{"kind":"event"},"fields":[]})", "f");
    EXPECT_TRUE(has(no_fields, "$.fields", "needs 1 to 50")) << all(no_fields);
}

TEST(Loader, DirectoryChecksIdsAcrossFilesAndReportsEmptyDirs) {
    test::TempDir dir;
    const std::string one = R"({"id":"same","version":1,"name":"X","cadence":{"kind":"event"},
                                "fields":[{"id":"a","type":"text","label":"A"}]})";
    dir.write("a.jsonc", one);
    dir.write("b.json", one);
    dir.write("notes.txt", "ignored");
    const auto r = loaders::templates_in(dir.path().string());
    EXPECT_EQ(r.set.all().size(), 1u);
    ASSERT_EQ(r.errors.size(), 1u) << all(r);
    EXPECT_NE(r.errors[0].file.find("b.json"), std::string::npos);
    EXPECT_NE(r.errors[0].message.find("used by another file"), std::string::npos);

    test::TempDir empty;
    EXPECT_FALSE(loaders::templates_in(empty.path().string()).errors.empty());
    EXPECT_FALSE(loaders::templates_in(empty.file("missing")).errors.empty());
}

// ---------------------------------------------------------------- periods

TimePoint utc(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours(h) +
                     std::chrono::minutes(min)};
}

TEST(Periods, WeeklyDueFriday1700Shanghai) {
    const auto r = loaders::templates_in(kDataDir);
    const Template& weekly = *r.set.find("weekly_progress");
    // Friday 2026-11-27 16:59 in Shanghai is 08:59 UTC.
    const auto p = period_for(weekly, utc(2026, 11, 27, 8, 59));
    EXPECT_EQ(p.key, "2026-W48");
    ASSERT_TRUE(p.due);
    EXPECT_EQ(*p.due, utc(2026, 11, 27, 9, 0));
    EXPECT_TRUE(on_time(p, utc(2026, 11, 27, 9, 0)));
    EXPECT_FALSE(on_time(p, utc(2026, 11, 27, 9, 1)));
    // Sunday 23:30 Shanghai still belongs to week 48; Monday 00:10 to week 49.
    EXPECT_EQ(period_for(weekly, utc(2026, 11, 29, 15, 30)).key, "2026-W48");
    EXPECT_EQ(period_for(weekly, utc(2026, 11, 29, 16, 10)).key, "2026-W49");
    // ISO week-year: 2026-12-31 (Thursday) is week 53 of 2026.
    EXPECT_EQ(period_for(weekly, utc(2026, 12, 31, 4, 0)).key, "2026-W53");
}

TEST(Periods, DeadlineAcrossDaylightSavingTime) {
    Template t;
    t.cadence.kind = CadenceKind::weekly;
    t.cadence.due_weekday = 1;  // Monday 09:00
    t.cadence.due_time = std::chrono::minutes(9 * 60);
    t.time_zone = "America/New_York";
    // DST ends on Sunday 2026-11-01: Monday 2026-10-26 09:00 EDT = 13:00 UTC, 2026-11-02 09:00 EST = 14:00
    // UTC.
    EXPECT_EQ(*period_for(t, utc(2026, 10, 27, 12, 0)).due, utc(2026, 10, 26, 13, 0));
    EXPECT_EQ(*period_for(t, utc(2026, 11, 3, 12, 0)).due, utc(2026, 11, 2, 14, 0));
}

TEST(Periods, MonthlyAndEventDriven) {
    Template t;
    t.cadence.kind = CadenceKind::monthly;
    t.cadence.due_day = 31;
    const auto feb = period_for(t, utc(2026, 2, 10, 0, 0));
    EXPECT_EQ(feb.key, "2026-02");
    EXPECT_EQ(*feb.due, utc(2026, 2, 28, 9, 0)) << "day 31 is clamped to the month's last day";
    Template e;
    const auto ev = period_for(e, utc(2026, 11, 30, 17, 0));  // already 12-01 in Shanghai
    EXPECT_EQ(ev.key, "2026-12");
    EXPECT_FALSE(ev.due);
    EXPECT_TRUE(on_time(ev, utc(2030, 1, 1, 0, 0)));
}

}  // namespace
}  // namespace bot::templates

// ---------------------------------------------------------------- working days

namespace bot::templates {
namespace {

const std::string kCalendar = std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc";

TEST(Calendar, ShippedDataKnowsHolidaysAndMakeUpDays) {
    const auto c = loaders::calendar_file(kCalendar);
    for (const auto& e : c.errors) {
        ADD_FAILURE() << e.to_string();
    }
    const WorkCalendar& cal = c.calendar;
    EXPECT_TRUE(cal.covers(2025));
    EXPECT_TRUE(cal.covers(2026));
    EXPECT_FALSE(cal.covers(2027));
    EXPECT_TRUE(cal.is_working_day({2026, 11, 27}));   // an ordinary Friday
    EXPECT_FALSE(cal.is_working_day({2026, 11, 28}));  // an ordinary Saturday
    EXPECT_FALSE(cal.is_working_day({2026, 10, 5}));   // Monday of National Day
    EXPECT_EQ(cal.holiday({2026, 10, 5}), "国庆节");
    EXPECT_TRUE(cal.is_working_day({2026, 10, 10}));  // Saturday make-up workday
    EXPECT_TRUE(cal.is_working_day({2026, 2, 14}));   // Saturday before the Spring Festival
    EXPECT_FALSE(cal.is_working_day({2026, 2, 20}));  // Friday in the Spring Festival
    EXPECT_TRUE(cal.is_working_day({2025, 1, 26}));   // Sunday make-up workday
    EXPECT_EQ(cal.working_day_on_or_before({2026, 10, 2}), (LocalDate{2026, 9, 30}));
    EXPECT_EQ(cal.working_day_on_or_after({2026, 10, 2}), (LocalDate{2026, 10, 8}));
    EXPECT_EQ(cal.working_day_on_or_before({2026, 2, 20}), (LocalDate{2026, 2, 14}))
        << "the make-up Saturday";
}

TEST(Calendar, ComputedStatutoryDaysAreDaysOffInThePublishedYears) {
    // The computation is checked against the years the State Council published: every day it
    // gives for 2025 and 2026 is off there (the published holidays are longer: they add the
    // weekends and the make-up swaps, which cannot be computed).
    const auto published = loaders::calendar_file(kCalendar).calendar;
    for (const int year : {2025, 2026}) {
        const auto days = statutory::holidays(year);
        EXPECT_EQ(days.size(), 13u) << "1 + 4 + 1 + 2 + 1 + 1 + 3";
        for (const auto& d : days) {
            EXPECT_FALSE(published.is_working_day(d.date)) << d.date.iso() << " " << d.name;
            EXPECT_TRUE(published.holiday(d.date)) << d.date.iso() << " " << d.name;
        }
    }
    // Lunar new years, 端午 and 中秋 against the almanac, including 2033's leap eleventh month.
    const std::vector<std::pair<int, std::string>> new_years{{2020, "2020-01-25"},
                                                             {2023, "2023-01-22"},
                                                             {2027, "2027-02-06"},
                                                             {2028, "2028-01-26"},
                                                             {2031, "2031-01-23"},
                                                             {2033, "2033-01-31"},
                                                             {2034, "2034-02-19"},
                                                             {2038, "2038-02-04"}};
    for (const auto& [year, iso] : new_years) {
        EXPECT_EQ(statutory::lunar_new_year(year).iso(), iso) << year;
    }
    EXPECT_EQ(statutory::from_lunar(2027, 5, 5).iso(), "2027-06-09");
    EXPECT_EQ(statutory::from_lunar(2027, 8, 15).iso(), "2027-09-15");
    EXPECT_EQ(statutory::from_lunar(2028, 5, 5).iso(), "2028-05-28");
    EXPECT_EQ(statutory::from_lunar(2033, 8, 15).iso(), "2033-09-08");
    EXPECT_EQ(statutory::solar_term(2027, 15).iso(), "2027-04-05") << "清明";
    EXPECT_EQ(statutory::solar_term(2024, 15).iso(), "2024-04-04");
    EXPECT_EQ(statutory::solar_term(2026, 270).iso(), "2026-12-22") << "冬至";

    // After the data, the computed days are days off; weekends still are; no make-up days.
    EXPECT_EQ(published.data_until(), (LocalDate{2026, 12, 31}));
    EXPECT_FALSE(published.is_working_day({2027, 1, 1}));
    EXPECT_EQ(published.holiday({2027, 1, 1}), "元旦");
    EXPECT_TRUE(published.computed({2027, 1, 1}));
    EXPECT_FALSE(published.computed({2026, 1, 1})) << "published, not computed";
    EXPECT_FALSE(published.is_working_day({2027, 2, 5})) << "除夕";
    EXPECT_FALSE(published.is_working_day({2027, 2, 8})) << "初三, a Monday";
    EXPECT_TRUE(published.is_working_day({2027, 2, 9}));
    EXPECT_FALSE(published.is_working_day({2027, 10, 1}));
    EXPECT_TRUE(published.is_working_day({2027, 10, 4})) << "a Monday: 国庆 is 3 days by law";
    EXPECT_EQ(published.working_day_on_or_before({2027, 1, 1}), (LocalDate{2026, 12, 31}));
}

TEST(Calendar, BadDataIsRejectedWithPaths) {
    const auto c = load_calendar_text(R"({"years": [2026], "holidays": [
        {"name": "x", "off": ["2026-10-07", "2026-10-01"]},
        {"name": "y", "off": ["2027-01-01", "2027-01-01"]},
        {"name": "z", "off": ["2026-13-01", "2026-13-02"], "work": ["soon"]},
        {"name": "w", "off": "2026-01-01"}]})",
                                      "cal.jsonc");
    auto has = [&](const std::string& path, const std::string& fragment) {
        return std::any_of(c.errors.begin(), c.errors.end(), [&](const LoadError& e) {
            return e.path == path && e.message.find(fragment) != std::string::npos;
        });
    };
    EXPECT_TRUE(has("$.holidays[0].off", "must follow"));
    EXPECT_TRUE(has("$.holidays[1].off[0]", "not listed in $.years"));
    EXPECT_TRUE(has("$.holidays[2].off[0]", "YYYY-MM-DD"));
    EXPECT_TRUE(has("$.holidays[2].work[0]", "YYYY-MM-DD"));
    EXPECT_TRUE(has("$.holidays[3].off", "[first day, last day]"));
    EXPECT_FALSE(loaders::calendar_file("/nonexistent/calendar.jsonc").errors.empty());
}

TEST(Calendar, WeeklyDeadlinesMoveOffHolidaysAsTheTemplateSays) {
    const auto cal = loaders::calendar_file(kCalendar).calendar;
    const auto r = loaders::templates_in(kDataDir);
    Template weekly = *r.set.find("weekly_progress");  // Friday 17:00, on_day_off: earlier (default)
    // National Day week 2026: Friday 10-02 is a holiday → Wednesday 09-30 17:00 (09:00 UTC).
    EXPECT_EQ(*period_for(weekly, utc(2026, 9, 29, 2, 0), &cal).due, utc(2026, 9, 30, 9, 0));
    EXPECT_EQ(*period_for(weekly, utc(2026, 9, 29, 2, 0)).due, utc(2026, 10, 2, 9, 0))
        << "without a calendar";
    weekly.cadence.on_day_off = DayOffRule::later;
    EXPECT_EQ(*period_for(weekly, utc(2026, 9, 29, 2, 0), &cal).due, utc(2026, 10, 8, 9, 0));
    weekly.cadence.on_day_off = DayOffRule::keep;
    EXPECT_EQ(*period_for(weekly, utc(2026, 9, 29, 2, 0), &cal).due, utc(2026, 10, 2, 9, 0));
    // Spring Festival week: Friday 02-20 is off → the make-up Saturday 02-14, before the holiday.
    weekly.cadence.on_day_off = DayOffRule::earlier;
    EXPECT_EQ(*period_for(weekly, utc(2026, 2, 16, 2, 0), &cal).due, utc(2026, 2, 14, 9, 0));
    // An ordinary week is unchanged.
    EXPECT_EQ(*period_for(weekly, utc(2026, 11, 25, 2, 0), &cal).due, utc(2026, 11, 27, 9, 0));
    const auto bad = load_text(R"({"id":"x","version":1,"name":"X","cadence":{"kind":"weekly","due":
        {"weekday":"friday","time":"17:00","on_day_off":"never"}},"fields":[{"id":"a","type":"text","label":"A"}]})",
                               "x.jsonc");
    ASSERT_FALSE(bad.errors.empty());
    EXPECT_EQ(bad.errors[0].path, "$.cadence.due.on_day_off");
}

TEST(Loader, ReminderStepsByOffsetOrByWorkingDay) {
    const auto good = load_text(
        R"({"id":"x","version":1,"name":"X","cadence":{"kind":"weekly","due":{"weekday":"friday","time":"17:00"}},
        "reminders":[{"working_days":-1,"at":"10:00","private":true},{"offset_minutes":-120,"names_in_group":true},
                     {"working_days":1,"at":"09:00","audience":"coordinators"}],
        "fields":[{"id":"a","type":"text","label":"A"}]})",
        "x.jsonc");
    ASSERT_TRUE(good.errors.empty()) << all(good);
    const auto& steps = good.set.all().front().reminders;
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0].working_days, -1);
    EXPECT_EQ(steps[0].at, std::chrono::minutes(600));
    EXPECT_TRUE(steps[0].private_first);
    EXPECT_FALSE(steps[0].working_days == std::nullopt);
    EXPECT_EQ(steps[1].offset, std::chrono::minutes(-120));
    EXPECT_TRUE(steps[1].names_in_group);
    EXPECT_EQ(steps[2].audience, "coordinators");
    const auto bad = load_text(
        R"({"id":"x","version":1,"name":"X","cadence":{"kind":"weekly","due":{"weekday":"friday","time":"17:00"}},
        "reminders":[{"working_days":-1,"offset_minutes":5},{"audience":"officers"},{"working_days":2,"at":"9am"},
                     {"offset_minutes":0,"at":"10:00"},{"working_days":99,"at":"10:00"},{"offset_minutes":0,"private":"yes"}],
        "fields":[{"id":"a","type":"text","label":"A"}]})",
        "x.jsonc");
    EXPECT_TRUE(has(bad, "$.reminders[0]", "exactly one of")) << all(bad);
    EXPECT_TRUE(has(bad, "$.reminders[1]", "exactly one of")) << all(bad);
    EXPECT_TRUE(has(bad, "$.reminders[2].at", "HH:MM")) << all(bad);
    EXPECT_TRUE(has(bad, "$.reminders[3].at", "only with")) << all(bad);
    EXPECT_TRUE(has(bad, "$.reminders[4].working_days", "")) << all(bad);
    EXPECT_TRUE(has(bad, "$.reminders[5].private", "")) << all(bad);
}

TEST(Periods, WorkingDayStepsSkipHolidaysAndUseMakeUpDays) {
    auto cal = loaders::calendar_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc").calendar;
    Template t;
    t.cadence.kind = CadenceKind::weekly;
    ReminderStep next_morning;
    next_morning.working_days = 1;
    next_morning.at = std::chrono::minutes(9 * 60);
    ReminderStep day_before;
    day_before.working_days = -1;
    day_before.at = std::chrono::minutes(10 * 60);
    const auto utc = [](int m, int d, int h) {
        return TimePoint{date::sys_days{date::year{2026} / date::month{static_cast<unsigned>(m)} /
                                        date::day{static_cast<unsigned>(d)}} +
                         std::chrono::hours(h)};
    };
    // Thursday 2026-04-30 17:00 (Labour Day moved it): the next working morning is Wednesday 05-06.
    EXPECT_EQ(reminder_time(t, next_morning, utc(4, 30, 9), &cal), utc(5, 6, 1));
    // Friday 05-08: the next working day is the make-up Saturday 05-09.
    EXPECT_EQ(reminder_time(t, next_morning, utc(5, 8, 9), &cal), utc(5, 9, 1));
    // Wednesday 05-06: the working day before is Thursday 04-30 (05-01 to 05-05 off).
    EXPECT_EQ(reminder_time(t, day_before, utc(5, 6, 9), &cal), utc(4, 30, 2));
    // Without a calendar only weekends are days off.
    EXPECT_EQ(reminder_time(t, next_morning, utc(4, 30, 9), nullptr), utc(5, 1, 1));
    // An event template with a quota counts from the month's last working day at 17:00.
    Template e;
    e.cadence.kind = CadenceKind::event;
    e.cadence.quota = 2;
    EXPECT_EQ(*reminder_anchor(e, period_for(e, utc(5, 10, 0), &cal), &cal), utc(5, 29, 9));
    e.cadence.quota = 0;
    EXPECT_FALSE(reminder_anchor(e, period_for(e, utc(5, 10, 0), &cal), &cal)) << "nothing expected";
    // The previous period of the first ISO week of a year is the last week of the one before.
    t.cadence.due_weekday = 5;
    EXPECT_EQ(period_for(t, utc(1, 2, 4)).key, "2026-W01");
    EXPECT_EQ(previous_period(t, period_for(t, utc(1, 2, 4)), nullptr).key, "2025-W52");
    EXPECT_EQ(previous_period(t, period_for(t, utc(1, 6, 4)), nullptr).key, "2026-W01");
}

}  // namespace
}  // namespace bot::templates
