// Native rendering per dialect: the digest, a status board, a coordinators' follow-up and a review
// notice, rendered by every adapter into the request it sends, compared with golden files in
// tests/golden/<message>/<bot>.json. The messages carry hostile text (markup, mentions, links of
// each dialect) in every place a person's words reach: titles, unit and person names, comments.
//
// After an intended change of a renderer: LIAISON_UPDATE_GOLDEN=1 build/asan/tests/unit_tests
// --gtest_filter='Render*' rewrites the files; review the diff before committing it.
#include "adapters/common/dialect.hpp"
#include "adapters/registry.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/dingtalk/dingtalk_robot.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/feishu/feishu_robot.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "adapters/wecom/wecom_robot.hpp"
#include "bot/core/doc.hpp"
#include "bot/loaders.hpp"
#include "bot/outbox/plan.hpp"
#include "handlers/review.hpp"
#include "handlers/schedule.hpp"
#include "templates/loader.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace bot {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const TimePoint kNow{std::chrono::seconds(1'796'000'000)};  // fixed: signatures and timestamps
const std::string kGolden = std::string(LIAISON_SOURCE_DIR) + "/tests/golden";

// What people typed, in every dialect's markup.
const std::string kHostileTitle =
    "<b>加粗</b> *星号* _下划_ ~删除~ `代码` [链接](http://evil.example) <@all> <!channel> "
    "<at user_id=\"all\">所有人</at> # 标题 > 引用 & 符号";
const std::string kHostileUnit = "城东<i>社区</i>*";
const std::string kHostilePerson = "张三<@U0ALL>";

/// Every adapter that sends, by the bot id its golden file is named after, with the reply context
/// its send needs (DingTalk's session webhook, the AI bot's response_url).
struct Sender {
    std::string name;
    std::unique_ptr<Adapter> adapter;
    std::string context = {};
};

std::vector<Sender> senders() {
    std::vector<Sender> all;
    all.push_back({"slack",
                   std::make_unique<adapters::slack::SlackAdapter>(adapters::slack::SlackConfig{
                       "sl", "signing", "xoxb-test", "U0BOT", "https://slack.com/api", 300s, 86400s})});
    all.push_back({"telegram",
                   std::make_unique<adapters::telegram::TelegramAdapter>(adapters::telegram::TelegramConfig{
                       "tg", "secret", "123:ABC", "LiaisonBot", "https://api.telegram.org", 86400s})});
    adapters::dingtalk::DingTalkConfig dt{"dt",
                                          "app-secret",
                                          "https://oapi.dingtalk.com",
                                          3600s,
                                          86400s,
                                          "dingappkey",
                                          "https://api.dingtalk.com"};
    all.push_back({"dingtalk",
                   std::make_unique<adapters::dingtalk::DingTalkAdapter>(dt),
                   json{{"session_webhook", "https://oapi.dingtalk.com/robot/sendBySession?session=abc"},
                        {"expires_ms", 0}}
                       .dump()});
    all.push_back({"dingtalk_openapi", std::make_unique<adapters::dingtalk::DingTalkAdapter>(dt)});
    all.push_back({"dingtalk_robot",
                   std::make_unique<adapters::dingtalk::DingTalkRobotAdapter>(
                       "tok123", "SEC-test", "https://oapi.dingtalk.com")});
    all.push_back(
        {"feishu",
         std::make_unique<adapters::feishu::FeishuAdapter>(adapters::feishu::FeishuConfig{
             "fs", "cli_a1", "app-secret", "verif", "", "ou_bot", "https://open.feishu.cn", 86400s})});
    all.push_back({"feishu_robot",
                   std::make_unique<adapters::feishu::FeishuRobotAdapter>(
                       "hook-uuid", "feishu-secret", "https://open.feishu.cn")});
    const std::string key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    all.push_back(
        {"wecom_aibot",
         std::make_unique<adapters::wecom::WeComAiBotAdapter>(
             adapters::wecom::WeComAiBotConfig{"ai", "tok", key, 86400s}),
         json{{"response_url", "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC"}}
             .dump()});
    all.push_back({"wecom_robot",
                   std::make_unique<adapters::wecom::WeComRobotAdapter>(
                       "robot", "ROBOT-KEY", "https://qyapi.weixin.qq.com")});
    all.push_back(
        {"wecom_app",
         std::make_unique<adapters::wecom::WeComAppAdapter>(adapters::wecom::WeComAppConfig{
             "wx", "tok", key, "corp", "secret", "1000002", "https://qyapi.weixin.qq.com", 86400s})});
    all.push_back({"webhook",
                   std::make_unique<adapters::webhook::WebhookAdapter>(
                       "w", "webhook-secret", 300s, 3600s, "https://example.org/liaison")});
    return all;
}

/// A request as its golden file shows it: the JSON strings inside JSON (Feishu's content,
/// DingTalk's msgParam) opened, so that a reader sees the markup.
json readable(const OutboundRequest& r) {
    json body = json::parse(r.body);
    for (const char* nested : {"content", "msgParam"}) {
        if (body.is_object() && body.contains(nested) && body[nested].is_string()) {
            body[nested] = json::parse(body[nested].get<std::string>());
        }
    }
    json headers = json::object();
    for (const auto& [name, value] : r.headers) {
        headers[name] = value;
    }
    return {{"method", r.method}, {"url", r.url}, {"headers", headers}, {"body", body}};
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Render : public ::testing::Test {
protected:
    Render() {
        auto t = loaders::templates_in(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
        auto r = handlers::load_roster_text(
            R"({ "units": [ { "id": "east", "name": "城东<i>社区</i>*" }, { "id": "west", "name": "西城街道" } ],
                 "people": [ { "id": "zhang", "name": "张三<@U0ALL>", "unit": "east",
                               "accounts": [ { "bot": "demo", "user": "U123" } ] } ] })",
            "roster.jsonc");
        if (!t.errors.empty() || !r.errors.empty()) {
            throw std::runtime_error("test data does not load");
        }
        templates = std::move(t.set);
        roster = std::move(r.roster);
    }

    const templates::Template& weekly() const { return *templates.find("weekly_progress"); }

    handlers::StatusBoard board() const {
        handlers::StatusBoard b;
        b.units = {{"east", kHostileUnit, handlers::UnitState::late, 1, {}},
                   {"west", "西城街道", handlers::UnitState::missing, 0, {}}};
        b.done = 1;
        b.expected = 2;
        return b;
    }

    Doc digest() const {
        handlers::DigestSection s;
        s.tmpl = &weekly();
        s.period = templates::period_for(weekly(), kNow);
        s.board = board();
        s.reports = {{"R-2026-0031", "east", false, kHostileTitle, "zhang", "approved"},
                     {"R-2026-0032", "east", true, "社区议事会 3 个月解决 12 件难题", "zhang", "adopted"},
                     {"R-2026-0033", "west", true, "待审的一篇", "li", "submitted"}};
        s.previous = board();
        handlers::DigestReview review;
        review.adopted = {
            {"R-2026-0032", "社区议事会 3 个月解决 12 件难题", kHostileUnit, "区委办", 5, "《每日要情》"}};
        review.top = {{kHostileUnit, 1, 2, 12, 3, 4}, {"西城街道", 2, 1, 5, 1, 2}};
        review.bottom = {{"北关街道", 58, 0, 0, 0, 0}};
        return handlers::digest_doc({s}, "2026 年第 49 周", "zh-CN", review);
    }

    Message notice() const {
        handlers::FlowContext ctx{kNow, templates, roster, "zh-CN"};
        handlers::StoredReport r;
        r.number = "R-2026-0031";
        r.title = kHostileTitle;
        r.author_id = "zhang";
        r.author_name = kHostilePerson;
        r.unit_id = "east";
        r.bot_id = "demo";
        r.chat_id = "G1";
        handlers::ReviewChange change{.number = r.number,
                                      .action = "returned",
                                      .from = "submitted",
                                      .to = "returned",
                                      .comment = "请补充数据 <at user_id=\"all\"></at> **急**"};
        return handlers::review::author_notice(ctx, r, change);
    }

    /// The messages of the golden files, by name: what the outbox holds for them.
    std::vector<std::pair<std::string, Message>> messages() const {
        std::vector<std::pair<std::string, Message>> out;
        out.emplace_back("digest", with_doc({.chat_id = "G1"}, digest()));
        const auto period = templates::period_for(weekly(), kNow);
        out.emplace_back(
            "board",
            with_doc({.chat_id = "G1", .mention_user_id = "U123", .mention_name = kHostilePerson},
                     handlers::status_doc(board(), weekly(), period, "zh-CN")));
        Doc follow_up = handlers::status_doc(board(), weekly(), period, "zh-CN");
        follow_up.title = "【催报汇总】《工作进度周报》截止 12月4日(周五)17:00,以下单位需要跟进:";
        out.emplace_back("follow_up", with_doc({.chat_id = "G1"}, follow_up));
        out.emplace_back("notice", notice());
        return out;
    }

    templates::TemplateSet templates;
    handlers::Roster roster;
};

TEST_F(Render, EveryDialectMatchesItsGoldenFile) {
    const bool update = std::getenv("LIAISON_UPDATE_GOLDEN") != nullptr;
    for (const auto& [name, message] : messages()) {
        ASSERT_TRUE(message.doc) << name;
        for (const auto& s : senders()) {
            Message m = message;
            m.idempotency_key = "liaison-42-p0";
            auto request = s.adapter->send_request(m, s.context, "ACCESS-TOKEN", kNow);
            ASSERT_TRUE(request) << name << " " << s.name;
            const std::string rendered = readable(*request).dump(2) + "\n";
            const std::string path = kGolden + "/" + name + "/" + s.name + ".json";
            if (update) {
                std::filesystem::create_directories(kGolden + "/" + name);
                std::ofstream(path) << rendered;
                continue;
            }
            ASSERT_TRUE(std::filesystem::exists(path))
                << path << " is missing: run with LIAISON_UPDATE_GOLDEN=1 and review it";
            EXPECT_EQ(rendered, read_file(path)) << name << " in " << s.name << "'s dialect changed";
        }
    }
}

// The goldens show the markup; these say what must hold of it whatever the files contain.
TEST_F(Render, WhatPeopleTypedNeverBecomesMarkupInAnyDialect) {
    Message m = with_doc({.chat_id = "G1"}, digest());
    // Each dialect's own markup: what the hostile text would form if it went through unescaped.
    const std::vector<std::pair<std::string, std::vector<std::string>>> forbidden{
        {"slack", {"<@all>", "<!channel>", "*星号*", "_下划_", "`代码`", "<b>"}},
        {"telegram", {"<b>加粗", "<i>社区", "<@all>", "& 符号"}},
        {"dingtalk", {"[链接](", "*星号*", "<b>", "# 标题"}},
        {"dingtalk_robot", {"[链接](", "*星号*", "<b>", "# 标题"}},
        {"wecom_aibot", {"[链接](", "*星号*", "<b>", "<@all>", "# 标题"}},
        {"wecom_robot", {"[链接](", "*星号*", "<b>", "<@all>", "# 标题"}},
    };
    for (const auto& s : senders()) {
        auto request = s.adapter->send_request(m, s.context, "ACCESS-TOKEN", kNow);
        ASSERT_TRUE(request) << s.name;
        const json body = json::parse(request->body);
        std::string text;
        if (s.name == "slack") {
            for (const auto& b : body["blocks"]) {
                text += b["text"]["text"].get<std::string>() + "\n";
            }
        } else if (s.name == "telegram") {
            text = body["text"];
        } else if (s.name.starts_with("dingtalk") && body.contains("markdown")) {
            text = body["markdown"]["text"];
        } else if (s.name.starts_with("wecom_") && body.contains("markdown")) {
            text = body["markdown"]["content"];
        }
        for (const auto& [who, needles] : forbidden) {
            if (who != s.name) {
                continue;
            }
            ASSERT_FALSE(text.empty()) << s.name << " sent no markup to check";
            for (const auto& needle : needles) {
                EXPECT_EQ(text.find(needle), std::string::npos) << s.name << " let through " << needle;
            }
        }
    }
}

TEST_F(Render, TheDialectsCarryTheStructure) {
    const Message m = with_doc({.chat_id = "G1"}, digest());
    const Doc& d = *m.doc;
    for (const auto& s : senders()) {
        const json body = json::parse(s.adapter->send_request(m, s.context, "T", kNow)->body);
        if (s.name == "slack") {
            EXPECT_EQ(body["blocks"][0]["type"], "header");
            EXPECT_EQ(body["blocks"][0]["text"]["text"], d.title);
            EXPECT_EQ(body["text"].get<std::string>().find("【联络工作周报】"), 0u)
                << "the fallback is plain";
        } else if (s.name == "telegram") {
            EXPECT_EQ(body["parse_mode"], "HTML");
            EXPECT_EQ(body["text"].get<std::string>().find("<b>【联络工作周报】"), 0u);
        } else if (s.name == "dingtalk" || s.name == "dingtalk_robot") {
            EXPECT_EQ(body["msgtype"], "markdown");
            EXPECT_EQ(body["markdown"]["title"], d.title);
            EXPECT_EQ(body["markdown"]["text"].get<std::string>().find("#### 【联络工作周报】"), 0u);
        } else if (s.name == "dingtalk_openapi") {
            EXPECT_EQ(body["msgKey"], "sampleMarkdown");
        } else if (s.name == "feishu") {
            const json post = json::parse(body["content"].get<std::string>());
            EXPECT_EQ(post["zh_cn"]["title"], d.title);
            EXPECT_EQ(post["zh_cn"]["content"][0][0]["style"], json::array({"bold"}));
        } else if (s.name == "wecom_robot" || s.name == "wecom_aibot") {
            EXPECT_EQ(body["msgtype"], "markdown");
            EXPECT_EQ(body["markdown"]["content"].get<std::string>().find("**【联络工作周报】"), 0u);
        } else if (s.name == "wecom_app") {
            EXPECT_EQ(body["msgtype"], "text") << "markdown is not shown in WeChat: the app sends text";
        } else if (s.name == "webhook") {
            EXPECT_EQ(body["doc"]["title"], d.title);
            EXPECT_EQ(body["text"], m.text);
        }
    }
}

TEST_F(Render, RankLinesStayNumberedAsTheyAreInMarkdown) {
    const Doc d = digest();
    const std::string wecom = adapters::dialect::wecom_markdown(d);
    EXPECT_NE(wecom.find("\n58． 北关街道"), std::string::npos) << "not an ordered list renumbered from 1";
    EXPECT_EQ(wecom.find("\n58. "), std::string::npos);
}

// ---- Splitting a long doc within each platform's limits.

Doc long_digest(std::size_t units) {
    Doc d{.title = "【联络工作周报】2026 年第 49 周"};
    for (int s = 0; s < 3; ++s) {
        DocSection section{.heading = "■ 工作进度周报 · 第 " + std::to_string(s) + " 部分"};
        for (std::size_t i = 0; i < units; ++i) {
            section.lines.push_back("· 第" + std::to_string(i) + "网格党支部《" + kHostileTitle +
                                    "》(R-2026-" + std::to_string(1000 + i) + ")");
        }
        d.sections.push_back(std::move(section));
    }
    // One line longer than any platform's message.
    std::string line;
    for (int i = 0; i < 3000; ++i) {
        line += "长<*>";
    }
    d.sections.push_back({.heading = "■ 长行", .lines = {line}});
    return d;
}

/// The size a platform limits, read from the request as sent.
std::size_t limited_size(const std::string& name, const json& body) {
    if (name == "slack") {
        std::size_t worst = 0;
        EXPECT_LE(body["blocks"].size(), 50u);
        for (const auto& b : body["blocks"]) {
            worst = std::max(worst, b["text"]["text"].get<std::string>().size());
        }
        EXPECT_LE(worst, 3000u) << "a section block's text";
        return body.dump().size();
    }
    if (name == "telegram") {
        return *templates::text::char_count(body["text"].get<std::string>());
    }
    if (name.starts_with("dingtalk") && body.contains("markdown")) {
        return body["markdown"]["text"].get<std::string>().size();
    }
    if (name.starts_with("dingtalk") && body.contains("msgParam")) {
        return json::parse(body["msgParam"].get<std::string>())["text"].get<std::string>().size();
    }
    if (name.starts_with("wecom_") && body.contains("markdown")) {
        return body["markdown"]["content"].get<std::string>().size();
    }
    if (name.starts_with("wecom_") && body.contains("text")) {
        return body["text"]["content"].get<std::string>().size();
    }
    return body.dump().size();
}

std::size_t platform_limit(const std::string& name) {
    if (name == "slack") {
        return 40'000;  // characters of a whole message; blocks checked above
    }
    if (name == "telegram") {
        return 4096;  // characters
    }
    if (name.starts_with("dingtalk")) {
        return 5000;
    }
    if (name == "wecom_robot" || name == "wecom_aibot") {
        return 4096;  // markdown bytes
    }
    if (name == "wecom_app") {
        return 2048;  // text bytes
    }
    if (name.starts_with("feishu")) {
        return 30'000;  // request bytes
    }
    return 1'000'000;
}

TEST_F(Render, ALongDocIsSplitWithinEachPlatformsLimitsAndNothingIsLost) {
    const Doc d = long_digest(400);
    const Message whole = with_doc({.chat_id = "G1", .bot_id = "b"}, d);
    for (const auto& s : senders()) {
        store::OutboxMessage row;
        row.id = 9;
        row.message = whole;
        const auto parts = outbox::plan({row}, s.adapter->max_text_bytes(), s.adapter.get());
        ASSERT_GT(parts.size(), 1u) << s.name;
        std::vector<std::string> lines;
        std::vector<std::string> headings;
        for (const auto& p : parts) {
            ASSERT_TRUE(p.message.doc) << s.name << ": a part lost its structure";
            EXPECT_EQ(p.message.text, plain_text(*p.message.doc));
            auto request = s.adapter->send_request(p.message, s.context, "T", kNow);
            ASSERT_TRUE(request) << s.name;
            const json body = json::parse(request->body, nullptr, false);
            ASSERT_FALSE(body.is_discarded()) << s.name << ": a part is not JSON";
            EXPECT_LE(limited_size(s.name, body), platform_limit(s.name)) << s.name;
            EXPECT_TRUE(templates::text::char_count(request->body)) << s.name << ": a part is not UTF-8";
            for (const auto& section : p.message.doc->sections) {
                if (headings.empty() || headings.back() != section.heading) {
                    headings.push_back(section.heading);
                }
                lines.insert(lines.end(), section.lines.begin(), section.lines.end());
            }
        }
        // Every heading once, in order (a section continued in the next part repeats its heading),
        // and every line, in order; the one line too long for any part is cut, never lost.
        std::vector<std::string> want_headings;
        std::vector<std::string> want_lines;
        for (const auto& section : d.sections) {
            want_headings.push_back(section.heading);
            want_lines.insert(want_lines.end(), section.lines.begin(), section.lines.end());
        }
        EXPECT_EQ(headings, want_headings) << s.name;
        std::string joined_tail;
        while (lines.size() > want_lines.size() - 1) {
            joined_tail = lines.back() + joined_tail;
            lines.pop_back();
        }
        ASSERT_EQ(lines.size() + 1, want_lines.size()) << s.name;
        EXPECT_TRUE(std::equal(lines.begin(), lines.end(), want_lines.begin())) << s.name;
        EXPECT_EQ(joined_tail, want_lines.back()) << s.name << ": the long line's pieces, joined";
        EXPECT_EQ(parts.back().ids, (std::vector<std::int64_t>{9}));
        EXPECT_EQ(parts[0].message.doc->title, d.title) << "the title opens the first part only";
        EXPECT_TRUE(parts[1].message.doc->title.empty());
    }
}

TEST(RenderCoverage, EveryPlatformOfTheRegistryIsRenderedAndGolden) {
    // A platform added to adapters/registry.cpp without its sender here would skip the golden files
    // and the split checks above: the list must cover the registry.
    std::set<std::string, std::less<>> covered;
    for (const auto& s : senders()) {
        covered.insert(std::string(s.adapter->platform()));
    }
    for (const auto& p : adapters::platforms()) {
        EXPECT_EQ(covered.count(p.name), 1u) << p.name << " has no sender in render_test.cpp";
    }
}

TEST(DocModel, PlainTextJsonAndHostileJson) {
    const Doc d{.title = "T", .sections = {{"H", {"a", "b"}}, {"", {"c"}}, {"", {}}}};
    EXPECT_EQ(plain_text(d), "T\n\nH\na\nb\n\nc");
    EXPECT_EQ(doc_from_json(to_json(d)), d);
    for (const char* bad : {"",
                            "[]",
                            "{\"title\":1,\"sections\":[]}",
                            "{\"title\":\"t\"}",
                            "{\"title\":\"t\",\"sections\":[{\"heading\":\"h\",\"lines\":[1]}]}",
                            "{\"title\":\"t\",\"sections\":[7]}"}) {
        EXPECT_FALSE(doc_from_json(bad)) << bad;
    }
}

TEST(DocModel, SplittingNeverLoopsOnALimitSmallerThanTheMarkup) {
    const Doc d{.title = "标题", .sections = {{"小标题", {"一行字", "二行字"}}}};
    // A measure that always exceeds the limit: every piece still goes, one character each.
    const auto parts = split(
        d, [](const Doc& x) { return plain_text(x).size() + 100; }, 10);
    std::string all;
    for (const auto& p : parts) {
        for (const auto& s : p.sections) {
            for (const auto& l : s.lines) {
                all += l;
            }
        }
    }
    EXPECT_EQ(all, "标题一行字二行字") << "the title that cannot go alone becomes a line";
    const auto whole = split(
        d, [](const Doc& x) { return plain_text(x).size(); }, 1000);
    ASSERT_EQ(whole.size(), 1u);
    EXPECT_EQ(whole[0], d);
}

}  // namespace
}  // namespace bot
