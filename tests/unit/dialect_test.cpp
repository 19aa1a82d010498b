// What people type is repeated in previews, confirmations, boards and digests. Every platform's
// outgoing request is built here from a hostile corpus, and each is checked to be inert in that
// platform's dialect: no mention, link or formatting can come from the text, and nothing invisible
// or direction-changing survives. The adapter's own mention is the only markup.
#include "adapters/common/dialect.hpp"

#include "adapters/common/checks.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/core/unicode.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bot::adapters {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

/// Hostile texts, each with a name for the failure message.
const std::vector<std::pair<std::string, std::string>>& corpus() {
    static const std::vector<std::pair<std::string, std::string>> all{
        {"feishu at-all", R"(<at user_id="all">所有人</at> 开会)"},
        {"feishu at-id", R"(<at id=all></at><at user_id="ou_boss">老板</at>)"},
        {"slack mentions", "<@U024BE7LH> <!channel> <!here> <!subteam^S123>"},
        {"slack link", "<http://evil.example|点这里> <mailto:a@b.c>"},
        {"markdown link", "[点我领奖](http://evil.example) ![img](http://evil.example/x.png)"},
        {"html", R"(<a href="http://evil.example">链接</a><b>粗</b><i>斜</i><script>x</script>)"},
        {"wecom font and mention", R"(<font color="warning">红色</font><@zhangsan> <@all>)"},
        {"emphasis", "**粗体** *b* _i_ ~s~ ~~del~~ `code` ```block```"},
        {"headings and quotes", "# 标题\n## 二级\n> 引用\n>> 二层"},
        {"tables and rules", "| a | b |\n|---|---|\n---\n***"},
        {"entities", "&amp; &lt;b&gt; &#60;at&#62; &quot;"},
        {"at words", "@all @所有人 @everyone @here"},
        {"placeholders", "{number} {revision} {title} {{x}}"},
        {"zero width", "孙\u200B红 a\u200Cb c\u200Dd \uFEFFe \u00ADf \u2060g"},
        {"bidi", "\u202Eabc\u202C \u2066x\u2069 \u200F\u200E \u061C"},
        {"controls",
         std::string("a\x01"
                     "b\x07"
                     "c\x1b[31mred\x7f"
                     "d") +
             std::string(1, '\0') + "e"},
        {"c1 controls", "x\xC2\x85y\xC2\x9Bz"},
        {"emoji", "😀 👨‍👩‍👧 🇨🇳 ✅"},
        {"not utf-8", "\xFF\xFE\xC3(\xE2\x82"},
        {"long line", std::string(10'000, 'x') + std::string(3'000, '*')},
        {"long chinese",
         [] {
             std::string s;
             for (int i = 0; i < 10'000; ++i) {
                 s += "测";
             }
             return s;
         }()},
    };
    return all;
}

/// Nothing invisible, direction-changing or control survives (newline and tab aside).
void expect_clean(const std::string& out, const std::string& name) {
    for (const std::string bad : {"\u200B",
                                  "\u200C",
                                  "\uFEFF",
                                  "\u00AD",
                                  "\u2060",
                                  "\u202E",
                                  "\u2066",
                                  "\u200F",
                                  "\u061C",
                                  "\xC2\x85",
                                  "\xC2\x9B"}) {
        EXPECT_EQ(out.find(bad), std::string::npos) << name << ": an invisible character survived";
    }
    for (const char c : out) {
        const auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 || c == '\n' || c == '\t') << name << ": control 0x" << std::hex << unsigned{u};
        EXPECT_NE(u, 0x7F) << name;
    }
}

Message to(const std::string& text) {
    return {.chat_id = "chat1", .mention_user_id = "U1", .mention_name = "张三", .text = text};
}

TEST(Dialect, SlackTextHasNoControlSequenceButTheMention) {
    const slack::SlackAdapter a(
        {"sl", "secret", "xoxb-test", "U0BOT", "http://127.0.0.1:1/api", 300s, 86400s});
    for (const auto& [name, text] : corpus()) {
        const auto body = json::parse(a.send_request(to(text), "", "", TimePoint{})->body);
        EXPECT_EQ(body["mrkdwn"], false) << name;
        const std::string out = body["text"];
        ASSERT_EQ(out.rfind("<@U1> ", 0), 0u) << name;
        const std::string rest = out.substr(6);
        EXPECT_EQ(rest.find('<'), std::string::npos) << name;
        EXPECT_EQ(rest.find('>'), std::string::npos) << name;
        for (auto amp = rest.find('&'); amp != std::string::npos; amp = rest.find('&', amp + 1)) {
            const auto entity = rest.substr(amp, 5);
            EXPECT_TRUE(entity.rfind("&amp;", 0) == 0 || entity.rfind("&lt;", 0) == 0 ||
                        entity.rfind("&gt;", 0) == 0)
                << name << ": a bare &";
        }
        expect_clean(out, name);
    }
}

TEST(Dialect, TelegramHtmlHasNoTagButTheMention) {
    const telegram::TelegramAdapter a(
        {"tg", "s3cr3t", "123:ABC", "LiaisonBot", "http://127.0.0.1:1", 86400s});
    for (const auto& [name, text] : corpus()) {
        auto m = to(text);
        m.mention_name = text;  // a hostile display name too
        const auto body = json::parse(a.send_request(m, "", "", TimePoint{})->body);
        EXPECT_EQ(body["parse_mode"], "HTML");
        const std::string out = body["text"];
        const std::string open = "<a href=\"tg://user?id=U1\">";
        ASSERT_EQ(out.rfind(open, 0), 0u) << name;
        const auto close = out.find("</a>");
        ASSERT_NE(close, std::string::npos) << name;
        const std::string inside = out.substr(open.size(), close - open.size());
        const std::string rest = out.substr(close + 4);
        for (const auto* part : {&inside, &rest}) {
            EXPECT_EQ(part->find('<'), std::string::npos) << name;
            EXPECT_EQ(part->find('>'), std::string::npos) << name;
        }
        expect_clean(out, name);
    }
}

TEST(Dialect, FeishuPostHoldsTextOnlyInTextRuns) {
    const feishu::FeishuAdapter a(
        {"fs", "cli_a1b2c3", "app-secret", "verif-token", "", "ou_bot", "http://127.0.0.1:1", 86400s});
    for (const auto& [name, text] : corpus()) {
        auto m = to(text);
        m.mention_user_id = "ou_zhang";
        const auto body = json::parse(a.send_request(m, "", "t", TimePoint{})->body);
        EXPECT_EQ(body["msg_type"], "post") << name;
        const auto content = json::parse(body["content"].get<std::string>());
        int ats = 0;
        std::string joined;
        for (const auto& paragraph : content["zh_cn"]["content"]) {
            for (const auto& run : paragraph) {
                if (run["tag"] == "at") {
                    ++ats;
                    EXPECT_EQ(run["user_id"], "ou_zhang") << name;
                } else {
                    EXPECT_EQ(run["tag"], "text") << name;
                    EXPECT_FALSE(run.contains("un_escape")) << name;
                    joined += run["text"].get<std::string>();
                }
            }
            joined += "\n";
        }
        EXPECT_EQ(ats, 1) << name << ": only the adapter's own mention";
        expect_clean(joined, name);
        // The text itself arrives whole (cleaned), as the words people typed.
        std::string want = " " + unicode::clean(text) + "\n";
        EXPECT_EQ(joined, want) << name;
    }
}

TEST(Dialect, WeComMarkdownHasNoMarkupCharacterButTheMention) {
    const wecom::WeComAiBotAdapter a({"ai", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", 86400s});
    const std::string context =
        R"({"response_url":"https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1"})";
    for (const auto& [name, text] : corpus()) {
        auto m = to(text);
        m.mention_name = "张*三_[x](y)";
        const auto body = json::parse(a.send_request(m, context, "", TimePoint{})->body);
        const std::string out = body["markdown"]["content"];
        ASSERT_EQ(out.rfind("@", 0), 0u) << name;
        EXPECT_EQ(out.find_first_of("*_`~[]<>#|\\"), std::string::npos) << name << ": " << out.substr(0, 200);
        expect_clean(out, name);
    }
}

TEST(Dialect, WeComAppTextHasNoTag) {
    const wecom::WeComAppAdapter a({"wx",
                                    "QDG6eK",
                                    "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                                    "wx5823bf96d3bd56c7",
                                    "secret",
                                    "218",
                                    "http://127.0.0.1:1",
                                    86400s});
    for (const auto& [name, text] : corpus()) {
        const auto body = json::parse(a.send_request(to(text), "", "token", TimePoint{})->body);
        const std::string out = body["text"]["content"];
        EXPECT_EQ(out.find_first_of("<>"), std::string::npos) << name;
        expect_clean(out, name);
    }
}

TEST(Dialect, DingTalkAndWebhookSendTextMessagesThatMentionOnlyTheOfficer) {
    const dingtalk::DingTalkAdapter dt(
        {"dt", "app-secret", "https://oapi.dingtalk.com", 3600s, 86400s, "", "https://api.dingtalk.com"});
    const webhook::WebhookAdapter wh("wh", "secret", 300s, 86400s, "http://127.0.0.1:1/callback");
    for (const auto& [name, text] : corpus()) {
        const auto body = json::parse(
            dt.send_request(
                  to(text),
                  R"({"session_webhook":"https://oapi.dingtalk.com/robot/sendBySession?session=abc"})",
                  "",
                  TimePoint{})
                ->body);
        EXPECT_EQ(body["msgtype"], "text") << name;
        EXPECT_EQ(body["at"]["atUserIds"], json::array({"U1"})) << name;
        EXPECT_NE(body["at"].value("isAtAll", false), true) << name;
        expect_clean(body["text"]["content"], name);
        const auto hook = json::parse(wh.send_request(to(text), "", "", TimePoint{})->body);
        EXPECT_EQ(hook["text"], unicode::clean(text)) << name;
    }
}

TEST(Unicode, CleanKeepsWordsAndEmojiAndIsIdempotent) {
    EXPECT_EQ(unicode::clean("孙\u200B红"), "孙红");
    EXPECT_EQ(unicode::clean("a\r\nb\rc"), "a\nb\nc");
    EXPECT_EQ(unicode::clean("e\u0301"), "\u00E9") << "NFC";
    EXPECT_EQ(unicode::clean("👨‍👩‍👧"), "👨‍👩‍👧")
        << "the joiner inside an emoji sequence stays";
    EXPECT_EQ(unicode::clean("a\u200Db"), "ab");
    EXPECT_EQ(unicode::clean("\xFF"
                             "a"),
              "\uFFFD"
              "a");
    EXPECT_EQ(unicode::clean("x\uFDD0number\uFDD1"), "xnumber")
        << "noncharacters: the placeholders' delimiters";
    EXPECT_EQ(unicode::clean("plain ascii\twith tab\n"), "plain ascii\twith tab\n");
    for (const auto& [name, text] : corpus()) {
        const std::string once = unicode::clean(text);
        EXPECT_EQ(unicode::clean(once), once) << name;
        EXPECT_TRUE(unicode::is_clean(once)) << name;
    }
}

}  // namespace
}  // namespace bot::adapters

namespace bot::adapters {
namespace {

TEST(ReplyUrls, HostsAreComparedAfterParsingNotByPrefix) {
    EXPECT_TRUE(is_reply_url("https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1"));
    EXPECT_TRUE(is_reply_url("http://127.0.0.1:18181/cgi-bin/aibot/response?id=1"));
    EXPECT_TRUE(is_reply_url("http://[::1]:8080/x"));
    EXPECT_FALSE(is_reply_url("http://127.0.0.1.evil.example/x")) << "a host that starts like loopback";
    EXPECT_FALSE(is_reply_url("http://127.0.0.1:80.evil.example/x"));
    EXPECT_FALSE(is_reply_url("http://127.0.0.1x/"));
    EXPECT_FALSE(is_reply_url("http://evil.example/?127.0.0.1"));
    EXPECT_FALSE(is_reply_url("http://127.0.0.1@evil.example/x"));
    EXPECT_FALSE(is_reply_url("https://user:pw@qyapi.weixin.qq.com/x")) << "no credentials in reply URLs";
    EXPECT_FALSE(is_reply_url("ftp://127.0.0.1/x"));
    EXPECT_FALSE(is_reply_url("//127.0.0.1/x"));
    EXPECT_FALSE(is_reply_url(""));

    EXPECT_TRUE(
        same_origin("https://oapi.dingtalk.com/robot/sendBySession?session=a", "https://oapi.dingtalk.com"));
    EXPECT_FALSE(same_origin("https://oapi.dingtalk.com.evil.example/robot", "https://oapi.dingtalk.com"));
    EXPECT_FALSE(same_origin("https://oapi.dingtalk.com:444/robot", "https://oapi.dingtalk.com"));
    EXPECT_FALSE(same_origin("http://oapi.dingtalk.com/robot", "https://oapi.dingtalk.com"));
    EXPECT_FALSE(same_origin("https://x@oapi.dingtalk.com/robot", "https://oapi.dingtalk.com"));
}

TEST(ReplyUrls, TheAiBotAndDingTalkRefuseAReplyUrlOnAnotherHost) {
    const wecom::WeComAiBotAdapter ai(
        {"ai", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", 86400s});
    const Message m{.chat_id = "c", .text = "t"};
    EXPECT_FALSE(
        ai.send_request(m, R"({"response_url":"http://127.0.0.1.evil.example/x"})", "", TimePoint{}));
    EXPECT_TRUE(ai.send_request(m, R"({"response_url":"http://127.0.0.1:9/x"})", "", TimePoint{}));
    const dingtalk::DingTalkAdapter dt(
        {"dt", "app-secret", "https://oapi.dingtalk.com", 3600s, 86400s, "", "https://api.dingtalk.com"});
    const auto to_evil =
        dt.send_request(m,
                        R"({"session_webhook":"https://oapi.dingtalk.com.evil.example/robot/sendBySession"})",
                        "",
                        TimePoint{});
    EXPECT_FALSE(to_evil && to_evil->url.find("evil") != std::string::npos);
}

}  // namespace
}  // namespace bot::adapters
