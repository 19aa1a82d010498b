// The built binary with Slack and Telegram bots whose API base URL points at a fake platform on
// loopback: the contract every adapter passes, complete reports through each platform, rate-limit
// answers, and restarts with messages pending in the outbox.
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "bot/core/http.hpp"
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <signal.h>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kSlackSecret = "slack-signing-secret-for-tests";
const std::string kTgSecret = "tg_secret-TOKEN_1";
const std::string kWebhookSecret = "webhook-secret-for-tests";
const std::string kDtSecret = "dingtalk-app-secret-for-tests";
const std::string kFsEncryptKey = "feishu-encrypt-key";
const std::string kFsToken = "feishu-verification-token";
const std::string kWxToken = "wxtoken";
const std::string kWxKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/// One answer every fake API accepts as success; the Feishu token endpoint gets a token.
test::FakeReply universal_ok(const test::RecordedRequest& r) {
    if (r.target.find("tenant_access_token") != std::string::npos) {
        return {200, R"({"code":0,"msg":"ok","tenant_access_token":"t-fake-1","expire":7200})", {}, {}};
    }
    if (r.target.find("/v1.0/oauth2/accessToken") != std::string::npos) {  // DingTalk OpenAPI
        return {200, R"({"accessToken":"dt-token-1","expireIn":7200})", {}, {}};
    }
    if (r.target.find("/cgi-bin/gettoken") != std::string::npos) {
        return {200, R"({"errcode":0,"errmsg":"ok","access_token":"wx-token-1","expires_in":7200})", {}, {}};
    }
    return {200, R"({"ok":true,"errcode":0,"code":0,"msg":"ok"})", {}, {}};
}

using test::unix_now;

class PlatformsTest : public ::testing::Test {
protected:
    PlatformsTest() {
        fake.set_handler(universal_ok);
        dir.write("roster.jsonc", R"({
            "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "heping", "name": "和平街道" } ],
            "people": [
              { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [
                  { "platform": "slack", "user": "U123" }, { "platform": "telegram", "user": "111111111" },
                  { "platform": "dingtalk", "user": "0326150155" }, { "platform": "feishu", "user": "ou_zhang" },
                  { "platform": "wecom_app", "user": "zhangsan_wx" }, { "bot": "ai", "user": "zhangsan_wx" } ] },
              { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [{ "bot": "sl", "user": "U456" }] } ],
            "chats": [ { "id": "C9", "units": ["*"], "templates": ["*"] }, { "id": "C8", "units": ["*"], "templates": ["*"] } ]
        })");
        config = dir.write("liaison.jsonc",
                           R"({
            "server": { "listen": "127.0.0.1:0", "max_body_bytes": 65536 },
            "store": { "path": ")" +
                               dir.file("data/liaison.db") + R"(" },
            "templates_dir": ")" +
                               std::string(LIAISON_SOURCE_DIR) + R"(/templates/data",
            "roster": "roster.jsonc",
            "calendar": ")" + std::string(LIAISON_SOURCE_DIR) +
                               R"(/seeds/calendar-cn.jsonc",
            "bots": [
              { "id": "sl", "platform": "slack", "signing_secret": "${T_SLACK_SIGNING}", "bot_token": "${T_SLACK_TOKEN}",
                "bot_user_id": "U0BOT", "api_base_url": ")" +
                               fake.base_url() + R"(/api", "rate_per_minute": 6000 },
              { "id": "tg", "platform": "telegram", "secret_token": "${T_TG_SECRET}", "bot_token": "${T_TG_TOKEN}",
                "bot_username": "LiaisonBot", "api_base_url": ")" +
                               fake.base_url() + R"(", "rate_per_minute": 6000 },
              { "id": "dt", "platform": "dingtalk", "app_secret": "${T_DT_SECRET}", "app_key": "dingkey",
                "api_base_url": ")" +
                               fake.base_url() + R"(", "openapi_base_url": ")" + fake.base_url() +
                               R"(", "rate_per_minute": 6000 },
              { "id": "fs", "platform": "feishu", "app_id": "cli_test", "app_secret": "${T_FS_SECRET}",
                "verification_token": "${T_FS_TOKEN}", "encrypt_key": "${T_FS_KEY}", "bot_open_id": "ou_bot",
                "api_base_url": ")" +
                               fake.base_url() + R"(", "rate_per_minute": 6000 },
              { "id": "wx", "platform": "wecom_app", "token": "${T_WX_TOKEN}", "encoding_aes_key": "${T_WX_KEY}",
                "corp_secret": "${T_WX_SECRET}", "corp_id": "wwcorp", "agent_id": "1000002",
                "api_base_url": ")" +
                               fake.base_url() + R"(", "rate_per_minute": 6000 },
              { "id": "ai", "platform": "wecom_aibot", "token": "${T_WX_TOKEN}", "encoding_aes_key": "${T_WX_KEY}",
                "rate_per_minute": 6000 },
              { "id": "wh", "platform": "webhook", "secret": "${T_WEBHOOK}" } ]
        })");
    }

    void start() {
        child = std::make_unique<test::Child>(kExe,
                                              std::vector<std::string>{"serve", "--config", config},
                                              std::vector<std::string>{"T_SLACK_SIGNING=" + kSlackSecret,
                                                                       "T_SLACK_TOKEN=xoxb-test-token",
                                                                       "T_TG_SECRET=" + kTgSecret,
                                                                       "T_TG_TOKEN=123:TGTOKEN",
                                                                       "T_WEBHOOK=" + kWebhookSecret,
                                                                       "T_DT_SECRET=" + kDtSecret,
                                                                       "T_FS_SECRET=fs-app-secret",
                                                                       "T_FS_TOKEN=" + kFsToken,
                                                                       "T_FS_KEY=" + kFsEncryptKey,
                                                                       "T_WX_TOKEN=" + kWxToken,
                                                                       "T_WX_KEY=" + kWxKey,
                                                                       "T_WX_SECRET=wx-corp-secret"},
                                              dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        ASSERT_TRUE(line) << "server did not start";
        port = test::port_from_banner(*line);
    }

    void stop() {
        child->signal(SIGTERM);
        EXPECT_EQ(child->wait(10s).value_or(-1), 0);
    }

    std::optional<test::Response> slack(const json& body,
                                        std::int64_t ts = unix_now(),
                                        const std::string& secret = kSlackSecret) {
        return slack_raw(body.dump(), "application/json", ts, secret);
    }

    /// `raw` signed as Slack signs it, with `secret` at `ts`.
    std::optional<test::Response> slack_raw(const std::string& raw,
                                            const std::string& content_type,
                                            std::int64_t ts = unix_now(),
                                            const std::string& secret = kSlackSecret) {
        const std::string t = std::to_string(ts);
        return test::request(port,
                             "POST",
                             "/hooks/sl",
                             raw,
                             {{"X-Slack-Request-Timestamp", t},
                              {"X-Slack-Signature", adapters::slack::SlackAdapter::sign(secret, t, raw)},
                              {"Content-Type", content_type}});
    }

    std::optional<test::Response> slack_says(const std::string& user,
                                             const std::string& text,
                                             const std::string& event_id,
                                             const std::string& channel = "C9") {
        return slack({{"type", "event_callback"},
                      {"event_id", event_id},
                      {"event",
                       {{"type", "app_mention"},
                        {"user", user},
                        {"channel", channel},
                        {"text", "<@U0BOT> " + text}}}});
    }

    std::optional<test::Response> telegram(const json& update, const std::string& token = kTgSecret) {
        return test::request(
            port, "POST", "/hooks/tg", update.dump(), {{"X-Telegram-Bot-Api-Secret-Token", token}});
    }

    std::optional<test::Response> telegram_says(std::int64_t update_id, const std::string& text) {
        return telegram({{"update_id", update_id},
                         {"message",
                          {{"message_id", update_id},
                           {"date", unix_now()},
                           {"from", {{"id", 111111111}, {"is_bot", false}, {"first_name", "张三"}}},
                           {"chat", {{"id", -100123}, {"type", "supergroup"}}},
                           {"text", "@LiaisonBot " + text}}}});
    }

    std::optional<test::Response> dingtalk(const json& body,
                                           std::int64_t ts_ms,
                                           const std::string& secret = kDtSecret) {
        const std::string ts = std::to_string(ts_ms);
        return test::request(
            port,
            "POST",
            "/hooks/dt",
            body.dump(),
            {{"timestamp", ts}, {"sign", adapters::dingtalk::DingTalkAdapter::sign(secret, ts)}});
    }

    std::optional<test::Response> dingtalk_says(const std::string& msg_id, const std::string& text) {
        return dingtalk({{"conversationId", "cidGROUP="},
                         {"conversationType", "2"},
                         {"msgId", msg_id},
                         {"msgtype", "text"},
                         {"text", {{"content", text}}},
                         {"senderId", "$:LWCP_v1:$u1"},
                         {"senderNick", "张三"},
                         {"senderStaffId", "0326150155"},
                         {"isInAtList", true},
                         {"sessionWebhook", fake.base_url() + "/robot/sendBySession?session=abc"}},
                        unix_now() * 1000);
    }

    std::optional<test::Response> feishu_raw(const std::string& plaintext, bool sign = true) {
        const auto signed_body = test::feishu_signed(kFsEncryptKey, plaintext, sign);
        return test::request(port, "POST", "/hooks/fs", signed_body.body, signed_body.headers);
    }

    std::optional<test::Response> feishu_says(const std::string& event_id, const std::string& text) {
        return feishu_raw(test::feishu_message(kFsToken, event_id, "ou_zhang", "oc_group", text));
    }

    const adapters::wecom::MsgCrypt wx_app{kWxToken, kWxKey, "wwcorp"};
    const adapters::wecom::MsgCrypt wx_ai{kWxToken, kWxKey, ""};

    std::optional<test::Response> wecom_app_says(const std::string& msg_id, const std::string& text) {
        const std::string inner =
            "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[zhangsan_wx]]>"
            "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            "<Content><![CDATA[" +
            text + "]]></Content><MsgId>" + msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
        return wecom_app_raw(inner);
    }

    /// The WeCom app's callback carrying `inner` encrypted, signed (or with a wrong signature).
    std::optional<test::Response> wecom_app_raw(const std::string& inner, bool good = true) {
        const std::string enc = wx_app.encrypt(inner);
        const std::string ts = std::to_string(unix_now());
        const std::string sig = good ? wx_app.signature(ts, "n0", enc) : std::string(40, 'a');
        return test::request(port,
                             "POST",
                             "/hooks/wx?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=n0",
                             "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><Encrypt><![CDATA[" + enc +
                                 "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>");
    }

    std::optional<test::Response> wecom_ai_says(const std::string& msg_id, const std::string& text) {
        const json msg{{"msgid", msg_id},
                       {"aibotid", "AIBOT"},
                       {"chatid", "wxgroup"},
                       {"chattype", "group"},
                       {"from", {{"userid", "zhangsan_wx"}}},
                       {"response_url", fake.base_url() + "/cgi-bin/aibot/response?id=" + msg_id},
                       {"msgtype", "text"},
                       {"text", {{"content", "@联络员助手 " + text}}}};
        const std::string enc = wx_ai.encrypt(msg.dump());
        const std::string ts = std::to_string(unix_now());
        return test::request(
            port,
            "POST",
            "/hooks/ai?msg_signature=" + wx_ai.signature(ts, "n1", enc) + "&timestamp=" + ts + "&nonce=n1",
            json{{"encrypt", enc}}.dump());
    }

    /// A Feishu post as the reader sees it: the mention as "@open_id", the text runs, the lines.
    static std::string feishu_post_text(const json& post) {
        std::string text;
        for (const auto& paragraph : post["zh_cn"]["content"]) {
            text += text.empty() ? "" : "\n";
            for (const auto& run : paragraph) {
                text += run["tag"] == "at" ? "@" + run["user_id"].get<std::string>()
                                           : run["text"].get<std::string>();
            }
        }
        return text;
    }

    /// A Feishu message's text: a post's runs, or a card's texts (its mention as "@open_id").
    static std::string feishu_text(const json& body) {
        const auto content = json::parse(body["content"].get<std::string>());
        if (body.value("msg_type", "") != "interactive") {
            return feishu_post_text(content);
        }
        std::string text;
        for (const auto& e : content["elements"]) {
            if (e["tag"] == "div") {
                const std::string t = e["text"]["content"].get<std::string>();
                text += t.starts_with("<at id=") ? "@" + t.substr(7, t.find('>') - 7) + " " : t;
            }
        }
        return text;
    }

    /// Texts the fake received on paths containing `path_suffix`, in order.
    std::vector<std::string> sent_texts(const std::string& path_suffix) const {
        std::vector<std::string> out;
        for (const auto& r : fake.requests()) {
            if (r.target.find(path_suffix) != std::string::npos) {
                const auto body = json::parse(r.body);
                if (body.contains("markdown")) {  // WeCom AI bot
                    out.push_back(body["markdown"]["content"].get<std::string>());
                } else if (body.contains("actionCard")) {  // DingTalk with buttons
                    out.push_back(body["actionCard"]["text"].get<std::string>());
                } else if (body.contains("template_card")) {  // a WeCom app's card with buttons
                    out.push_back(body["template_card"]["sub_title_text"].get<std::string>());
                } else if (body.contains("content")) {  // Feishu: a post or a card, as a JSON string
                    out.push_back(feishu_text(body));
                } else {
                    out.push_back(body["text"].is_object() ? body["text"]["content"].get<std::string>()
                                                           : body["text"].get<std::string>());
                }
            }
        }
        return out;
    }

    /// Waits until `n` outbox rows are sent (the fake records a request before the worker commits).
    bool wait_sent(int n) const {
        const std::string want = std::to_string(n) + "\n";
        for (int i = 0; i < 300; ++i) {
            if (test::query(dir.file("data/liaison.db"),
                            "SELECT count(*) FROM outbox WHERE state = 'sent'") == want) {
                return true;
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    std::string log() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }

    test::FakePlatform fake;
    test::TempDir dir;
    std::string config;
    std::unique_ptr<test::Child> child;
    std::uint16_t port = 0;
};

TEST_F(PlatformsTest, ContractEveryAdapterPasses) {
    start();
    // Valid requests are accepted.
    EXPECT_EQ(slack_says("U123", "帮助", "Ev-valid")->status, 200u);
    EXPECT_EQ(telegram_says(1, "帮助")->status, 200u);
    EXPECT_EQ(dingtalk_says("msg-valid", "帮助")->status, 200u);
    EXPECT_EQ(feishu_says("ev-valid", "帮助")->status, 200u);
    const std::string wh_body = test::webhook_body("wh-1", "帮助");
    EXPECT_EQ(
        test::request(port, "POST", "/hooks/wh", wh_body, test::webhook_headers(kWebhookSecret, wh_body))
            ->status,
        200u);
    // Bad signature / token → 401.
    EXPECT_EQ(slack({{"type", "event_callback"}}, unix_now(), "wrong-secret")->status, 401u);
    EXPECT_EQ(telegram(json{{"update_id", 2}}, "wrong-token")->status, 401u);
    EXPECT_EQ(dingtalk(json{{"msgId", "m"}}, unix_now() * 1000, "wrong-secret")->status, 401u);
    EXPECT_EQ(feishu_raw(R"({"header":{"event_id":"e"}})", false)->status, 401u)
        << "encrypted but unsigned event";
    EXPECT_EQ(dingtalk(json{{"msgId", "m"}}, (unix_now() - 7200) * 1000)->status, 401u) << "over an hour old";
    EXPECT_EQ(
        test::request(port, "POST", "/hooks/wh", wh_body, test::webhook_headers("wrong", wh_body))->status,
        401u);
    // One byte changed after signing → 401, and the server keeps serving.
    {
        const std::string raw =
            R"({"type":"event_callback","event_id":"Ev-x","event":{"type":"app_mention"}})";
        const std::string t = std::to_string(unix_now());
        std::string tampered = raw;
        tampered[10] = 'E';
        EXPECT_EQ(
            test::request(port,
                          "POST",
                          "/hooks/sl",
                          tampered,
                          {{"X-Slack-Request-Timestamp", t},
                           {"X-Slack-Signature", adapters::slack::SlackAdapter::sign(kSlackSecret, t, raw)}})
                ->status,
            401u);
    }
    // Stale timestamps where the platform has a window.
    EXPECT_EQ(slack({{"type", "event_callback"}}, unix_now() - 600)->status, 401u);
    EXPECT_EQ(
        test::request(port,
                      "POST",
                      "/hooks/wh",
                      wh_body,
                      test::webhook_headers(kWebhookSecret, wh_body, std::chrono::system_clock::now() - 1h))
            ->status,
        401u);
    // Challenge answered.
    const auto challenge = slack({{"type", "url_verification"}, {"token", "x"}, {"challenge", "ch-4711"}});
    EXPECT_EQ(challenge->status, 200u);
    EXPECT_EQ(challenge->body, "ch-4711");
    const auto fs_challenge = feishu_raw(
        json{{"challenge", "fs-0815"}, {"token", kFsToken}, {"type", "url_verification"}}.dump(), false);
    EXPECT_EQ(fs_challenge->status, 200u);
    EXPECT_EQ(fs_challenge->body, R"({"challenge":"fs-0815"})");
    // Retries deduplicated: the same event again is 200 and causes no second reply.
    ASSERT_TRUE(fake.wait_for(5, 10s));  // four replies and one Feishu token
    EXPECT_EQ(feishu_says("ev-valid", "帮助")->status, 200u);
    EXPECT_EQ(slack_says("U123", "帮助", "Ev-valid")->status, 200u);
    EXPECT_EQ(telegram_says(1, "帮助")->status, 200u);
    EXPECT_EQ(dingtalk_says("msg-valid", "帮助")->status, 200u);
    // Oversized → 413; malformed → 400, without a crash.
    const std::string big(70000, 'x');
    EXPECT_EQ(test::request(port, "POST", "/hooks/sl", big)->status, 413u);
    EXPECT_EQ(test::request(port, "POST", "/hooks/tg", big)->status, 413u);
    EXPECT_EQ(test::request(port, "POST", "/hooks/dt", big)->status, 413u);
    EXPECT_EQ(dingtalk(json::array({1, 2}), unix_now() * 1000)->status, 400u);
    EXPECT_EQ(test::request(port, "POST", "/hooks/fs", big)->status, 413u);
    EXPECT_EQ(feishu_raw("not json inside")->status, 400u);
    {
        const std::string garbage = "{\"type\": ";
        const std::string t = std::to_string(unix_now());
        EXPECT_EQ(test::request(
                      port,
                      "POST",
                      "/hooks/sl",
                      garbage,
                      {{"X-Slack-Request-Timestamp", t},
                       {"X-Slack-Signature", adapters::slack::SlackAdapter::sign(kSlackSecret, t, garbage)}})
                      ->status,
                  400u);
    }
    EXPECT_EQ(
        test::request(port, "POST", "/hooks/tg", "[1,2", {{"X-Telegram-Bot-Api-Secret-Token", kTgSecret}})
            ->status,
        400u);
    EXPECT_EQ(test::request(port, "GET", "/healthz")->status, 200u);
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(sent_texts("/chat.postMessage").size(), 1u) << "the Slack retry was not answered twice";
    EXPECT_EQ(sent_texts("/sendMessage").size(), 1u) << "the Telegram retry was not answered twice";
    EXPECT_EQ(sent_texts("/robot/sendBySession").size(), 1u) << "the DingTalk retry was not answered twice";
    EXPECT_EQ(sent_texts("/open-apis/im/v1/messages").size(), 1u)
        << "the Feishu retry was not answered twice";
    stop();
    EXPECT_EQ(log().find(kSlackSecret), std::string::npos);
    EXPECT_EQ(log().find("123:TGTOKEN"), std::string::npos)
        << "the Telegram token (in the API path) is never logged";
}

TEST_F(PlatformsTest, ACompleteReportThroughSlackRepliesArriveInOrder) {
    start();
    const std::vector<std::pair<std::string, std::string>> steps{
        {"填报 工作进度周报", "第 1/5 项 · 重点任务"},
        {"老旧小区加装电梯", "第 2/5 项 · 完成进度"},
        {"60%", "第 3/5 项 · 状态"},
        {"推进中", "第 4/5 项 · 下周计划"},
        {"完成土建,启动安装。", "第 5/5 项 · 报送单位"},
        {"跳过", "预览"},
        {"提交", "已提交《老旧小区加装电梯》"},
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto r = slack_says("U123", steps[i].first, "Ev-" + std::to_string(i));
        ASSERT_TRUE(r && r->status == 200u) << steps[i].first;
        ASSERT_TRUE(fake.wait_for(i + 1, 10s)) << "no reply to «" << steps[i].first << "»\n" << log();
    }
    const auto texts = sent_texts("/api/chat.postMessage");
    ASSERT_EQ(texts.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(texts[i].rfind("<@U123> ", 0), 0u) << "every reply @-mentions the officer: " << texts[i];
        EXPECT_NE(texts[i].find(steps[i].second), std::string::npos) << texts[i];
    }
    const auto last = fake.requests().back();
    EXPECT_EQ(last.headers.at("authorization"), "Bearer xoxb-test-token");
    EXPECT_EQ(json::parse(last.body)["channel"], "C9");
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT template_id, unit_id, author_id FROM reports"),
              "weekly_progress|xingfuli|zhangsan\n");
    EXPECT_TRUE(wait_sent(7));
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT state, count(*) FROM outbox GROUP BY state"),
              "sent|7\n");
    stop();
}

TEST_F(PlatformsTest, ACompleteReportThroughTelegram) {
    start();
    const std::vector<std::string> steps{"填报 先进典型推荐",
                                         "个人",
                                         "王小红",
                                         std::string("扎根社区十年,组织志愿服务队 30 支,") +
                                             "累计服务居民 5000 余人次,带动 120 名党员常态化参与。",
                                         "跳过",
                                         "社区党委",
                                         "跳过",
                                         "提交"};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        ASSERT_EQ(telegram_says(static_cast<std::int64_t>(100 + i), steps[i])->status, 200u) << steps[i];
        ASSERT_TRUE(fake.wait_for(i + 1, 10s)) << "no reply to «" << steps[i] << "»\n" << log();
    }
    const auto texts = sent_texts("/bot123:TGTOKEN/sendMessage");
    ASSERT_EQ(texts.size(), steps.size());
    EXPECT_EQ(texts.front().rfind("<a href=\"tg://user?id=111111111\">张三</a> ", 0), 0u) << texts.front();
    EXPECT_NE(texts.back().find("已提交《王小红》"), std::string::npos) << texts.back();
    EXPECT_EQ(json::parse(fake.requests().back().body)["chat_id"], -100123);
    stop();
}

TEST_F(PlatformsTest, ACompleteReportThroughDingTalk) {
    start();
    const std::vector<std::string> steps{
        "填报 工作进度周报", "社区议事厅改造", "100", "完成", "组织验收并总结经验。", "跳过", "提交"};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        ASSERT_EQ(dingtalk_says("msg-" + std::to_string(i), steps[i])->status, 200u) << steps[i];
        // Counted on the session webhook: the bot also fetches an OpenAPI token (it has an AppKey).
        for (int k = 0; k < 200 && sent_texts("/robot/sendBySession").size() < i + 1; ++k) {
            std::this_thread::sleep_for(50ms);
        }
        ASSERT_EQ(sent_texts("/robot/sendBySession").size(), i + 1) << "no reply to «" << steps[i] << "»\n"
                                                                    << log();
    }
    const auto texts = sent_texts("/robot/sendBySession");
    ASSERT_EQ(texts.size(), steps.size());
    for (const auto& t : texts) {
        EXPECT_EQ(t.rfind("@0326150155 ", 0), 0u) << t;
    }
    EXPECT_NE(texts.back().find("已提交《社区议事厅改造》"), std::string::npos) << texts.back();
    EXPECT_EQ(json::parse(fake.requests().back().body)["at"]["atUserIds"][0], "0326150155");
    stop();
}

TEST_F(PlatformsTest, ACompleteReportThroughFeishuWithTokenRefresh) {
    std::atomic<int> sends{0};
    std::atomic<int> tokens{0};
    fake.set_handler([&](const test::RecordedRequest& r) {
        if (r.target.find("tenant_access_token") != std::string::npos) {
            const int n = ++tokens;
            return test::FakeReply{200,
                                   R"({"code":0,"msg":"ok","tenant_access_token":"t-)" + std::to_string(n) +
                                       R"(","expire":7200})",
                                   {},
                                   {}};
        }
        // The third send finds the first token expired, as after a platform-side revocation.
        if (++sends == 3 && r.headers.at("authorization") == "Bearer t-1") {
            return test::FakeReply{200, R"({"code":99991663,"msg":"Invalid access token"})", {}, {}};
        }
        return test::FakeReply{200, R"({"code":0,"msg":"success","data":{}})", {}, {}};
    });
    start();
    const std::vector<std::string> steps{
        "填报 工作进度周报", "街巷长制试点", "40", "推进中", "完成两条街巷试点。", "跳过", "提交"};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        ASSERT_EQ(feishu_says("ev-" + std::to_string(i), steps[i])->status, 200u) << steps[i];
        for (int k = 0; k < 100 && sent_texts("/open-apis/im/v1/messages").size() < i + 1 + (i >= 2 ? 1 : 0);
             ++k) {
            std::this_thread::sleep_for(50ms);
        }
    }
    ASSERT_TRUE(wait_sent(static_cast<int>(steps.size()))) << log();
    EXPECT_EQ(tokens.load(), 2) << "fetched once, then once more after the expiry answer";
    std::vector<std::string> delivered;
    std::vector<std::string> uuids;
    std::vector<std::string> names;
    for (const auto& r : fake.requests()) {
        if (r.target.find("/open-apis/im/v1/messages") == std::string::npos) {
            continue;
        }
        const auto body = json::parse(r.body);
        EXPECT_EQ(r.target, "/open-apis/im/v1/messages?receive_id_type=chat_id");
        EXPECT_EQ(body["receive_id"], "oc_group");
        uuids.push_back(body["uuid"].get<std::string>());
        if (body["msg_type"] == "post") {
            const auto post = json::parse(body["content"].get<std::string>());
            names.push_back(post["zh_cn"]["content"][0][0].value("user_name", ""));
        }
        delivered.push_back(feishu_text(body));
    }
    ASSERT_GE(uuids.size(), 4u);
    EXPECT_EQ(uuids[2], uuids[3]) << "the resend after the refresh is the same message: same idempotency key";
    EXPECT_EQ(std::set<std::string>(uuids.begin(), uuids.end()).size(), steps.size())
        << "one key per message";
    EXPECT_EQ(delivered.size(), steps.size() + 1) << "one send repeated after the refresh";
    EXPECT_EQ(delivered.front().rfind("@ou_zhang ", 0), 0u) << delivered.front();
    EXPECT_EQ(names.front(), "张三") << "roster name in the mention";
    EXPECT_NE(delivered.back().find("已提交《街巷长制试点》"), std::string::npos) << delivered.back();
    stop();
}

TEST_F(PlatformsTest, WeComAppAndAiBotVerifyTheirUrlsAndCompleteReports) {
    start();
    // URL verification (GET) for both products: the decrypted echostr, exactly.
    for (const auto& [bot, crypt] :
         {std::pair{std::string("wx"), &wx_app}, std::pair{std::string("ai"), &wx_ai}}) {
        const std::string echo = crypt->encrypt("5927410359208746");
        const std::string ts = std::to_string(unix_now());
        std::string escaped;
        for (const char c : echo) {
            escaped += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
        }
        const auto ok = test::request(port,
                                      "GET",
                                      "/hooks/" + bot + "?msg_signature=" + crypt->signature(ts, "n", echo) +
                                          "&timestamp=" + ts + "&nonce=n&echostr=" + escaped);
        ASSERT_TRUE(ok);
        EXPECT_EQ(ok->status, 200u);
        EXPECT_EQ(ok->body, "5927410359208746");
        const auto bad = test::request(port,
                                       "GET",
                                       "/hooks/" + bot + "?msg_signature=" + std::string(40, 'a') +
                                           "&timestamp=" + ts + "&nonce=n&echostr=" + escaped);
        EXPECT_EQ(bad->status, 401u);
    }
    // The self-built app: 1:1, replies through message/send with an access token.
    const std::vector<std::string> steps{
        "填报 工作进度周报", "网格员队伍建设", "80", "推进中", "完成培训。", "跳过", "提交"};
    std::size_t expected = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        ASSERT_EQ(wecom_app_says("71000" + std::to_string(i), steps[i])->status, 200u);
        expected = i + 2;  // one token fetch plus one reply per message
        ASSERT_TRUE(fake.wait_for(expected, 10s)) << "no reply to «" << steps[i] << "»\n" << log();
    }
    EXPECT_EQ(wecom_app_says("710001", steps[1])->status, 200u) << "a retry";
    const auto app_texts = sent_texts("/cgi-bin/message/send?access_token=wx-token-1");
    ASSERT_EQ(app_texts.size(), steps.size()) << "the retry caused no second reply";
    EXPECT_NE(app_texts.back().find("已提交《网格员队伍建设》"), std::string::npos) << app_texts.back();
    const auto last = json::parse(fake.requests().back().body);
    EXPECT_EQ(last["touser"], "zhangsan_wx");
    EXPECT_EQ(last["agentid"], 1000002);
    // The AI bot: group @-mentions, replies pushed to each message's response_url.
    const std::vector<std::string> ai_steps{
        "填报 先进典型推荐",
        "集体",
        "幸福里社区志愿服务队",
        "常年开展助老助残服务,结对帮扶困难家庭 86 户,组织志愿活动 300 余场,"
        "覆盖居民一万余人次,被评为区级优秀志愿服务组织。",
        "跳过",
        "社区党委",
        "跳过",
        "提交"};
    for (std::size_t i = 0; i < ai_steps.size(); ++i) {
        ASSERT_EQ(wecom_ai_says("aimsg-" + std::to_string(i), ai_steps[i])->status, 200u);
        ASSERT_TRUE(fake.wait_for(expected + i + 1, 10s)) << "no reply to «" << ai_steps[i] << "»\n" << log();
    }
    const auto first = sent_texts("/cgi-bin/aibot/response?id=aimsg-0");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].rfind("@张三 【先进典型推荐】第 1/6 项", 0), 0u) << first[0];
    const auto done = sent_texts("/cgi-bin/aibot/response?id=aimsg-7");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_NE(done[0].find("已提交《幸福里社区志愿服务队》"), std::string::npos) << done[0];
    // Contract: a retry is not answered twice; oversized and malformed bodies are refused cleanly.
    EXPECT_EQ(wecom_ai_says("aimsg-7", "提交")->status, 200u);
    const std::string big(70000, 'x');
    EXPECT_EQ(test::request(port, "POST", "/hooks/ai?msg_signature=a&timestamp=1&nonce=n", big)->status,
              413u);
    EXPECT_EQ(test::request(port, "POST", "/hooks/wx?msg_signature=a&timestamp=1&nonce=n", big)->status,
              413u);
    EXPECT_EQ(
        test::request(port, "POST", "/hooks/ai?msg_signature=a&timestamp=1&nonce=n", "{\"encrypt\":")->status,
        400u);
    EXPECT_EQ(test::request(port, "POST", "/hooks/wx?msg_signature=a&timestamp=1&nonce=n", "<xml><Encrypt>")
                  ->status,
              400u);
    {
        // Signed, but the ciphertext is not WeCom's: refused as a bad signature.
        const std::string enc = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        const std::string ts = std::to_string(unix_now());
        EXPECT_EQ(test::request(port,
                                "POST",
                                "/hooks/ai?msg_signature=" + wx_ai.signature(ts, "n", enc) +
                                    "&timestamp=" + ts + "&nonce=n",
                                json{{"encrypt", enc}}.dump())
                      ->status,
                  401u);
    }
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(sent_texts("/cgi-bin/aibot/response?id=aimsg-7").size(), 1u)
        << "the retry was not answered twice";
    EXPECT_EQ(test::request(port, "GET", "/healthz")->status, 200u);
    stop();
}

TEST_F(PlatformsTest, ADeadReplyUrlHoldsNoOtherMessageOfTheGroup) {
    // The first message's response_url does not answer (WeCom keeps it for an hour, usable once;
    // here it is dead). Replies to later messages of the same group go to their own URLs and must
    // not wait behind its retries.
    fake.set_handler([](const test::RecordedRequest& r) {
        if (r.target.find("id=dead-0") != std::string::npos) {
            return test::FakeReply{503, "unavailable", {}, {}};
        }
        return universal_ok(r);
    });
    start();
    ASSERT_EQ(wecom_ai_says("dead-0", "帮助")->status, 200u);
    ASSERT_TRUE(fake.wait_for(1, 10s)) << log();
    const auto asked = std::chrono::steady_clock::now();
    for (int i = 1; i <= 3; ++i) {
        ASSERT_EQ(wecom_ai_says("live-" + std::to_string(i), "帮助")->status, 200u);
    }
    for (int i = 1; i <= 3; ++i) {
        const std::string path = "/cgi-bin/aibot/response?id=live-" + std::to_string(i);
        for (int k = 0; k < 100 && sent_texts(path).empty(); ++k) {
            std::this_thread::sleep_for(50ms);
        }
        EXPECT_EQ(sent_texts(path).size(), 1u) << path << "\n" << log();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s) << "the group's later replies waited";
    EXPECT_EQ(test::query(dir.file("data/liaison.db"),
                          "SELECT count(*) FROM outbox WHERE queue = 'wxgroup#dead-0' AND state = 'pending'"),
              "1\n")
        << "the dead one retries on its own";
    stop();
}

TEST_F(PlatformsTest, AGroupsRepliesThroughTheirOwnUrlsKeepTheOrderOfTheMessages) {
    // 预览 then 提交 a moment apart, each answered through its own response_url: the receipt must
    // not arrive before the preview. Each push takes the platform 300 ms to answer.
    std::mutex m;
    std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> arrived;
    fake.set_handler([&](const test::RecordedRequest& r) {
        {
            const std::lock_guard lock(m);
            arrived.emplace_back(r.target, std::chrono::steady_clock::now());
        }
        auto reply = universal_ok(r);
        reply.delay = 300ms;
        return reply;
    });
    start();
    for (int i = 0; i < 4; ++i) {
        ASSERT_EQ(wecom_ai_says("order-" + std::to_string(i), "帮助")->status, 200u);
    }
    ASSERT_TRUE(fake.wait_for(4, 15s)) << log();
    const std::lock_guard lock(m);
    ASSERT_EQ(arrived.size(), 4u);
    for (std::size_t i = 0; i < arrived.size(); ++i) {
        EXPECT_NE(arrived[i].first.find("id=order-" + std::to_string(i)), std::string::npos)
            << "reply " << i << " arrived as " << arrived[i].first;
        if (i > 0) {
            EXPECT_GE(arrived[i].second - arrived[i - 1].second, 250ms)
                << "reply " << i << " was pushed before the previous one was answered";
        }
    }
    stop();
}

TEST_F(PlatformsTest, ADeadSessionWebhookIsGivenUpForTheOpenApi) {
    // DingTalk's sessionWebhook belongs to the conversation; here it no longer answers. The bot
    // has an AppKey, so the retry goes through the robot OpenAPI instead of waiting on the hook.
    fake.set_handler([](const test::RecordedRequest& r) {
        if (r.target.find("sendBySession") != std::string::npos) {
            return test::FakeReply{503, "unavailable", {}, {}};
        }
        return universal_ok(r);
    });
    start();
    ASSERT_EQ(dingtalk_says("msg-dead-hook", "帮助")->status, 200u);
    std::optional<test::RecordedRequest> api;
    for (int i = 0; i < 200 && !api; ++i) {
        for (const auto& r : fake.requests()) {
            if (r.target == "/v1.0/robot/groupMessages/send") {
                api = r;
            }
        }
        std::this_thread::sleep_for(50ms);
    }
    ASSERT_TRUE(api) << log();
    EXPECT_EQ(api->headers.at("x-acs-dingtalk-access-token"), "dt-token-1");
    const auto body = json::parse(api->body);
    EXPECT_EQ(body["robotCode"], "dingkey");
    EXPECT_EQ(body["openConversationId"], "cidGROUP=");
    EXPECT_NE(json::parse(body["msgParam"].get<std::string>())["content"].get<std::string>().find("填报命令"),
              std::string::npos);
    EXPECT_TRUE(wait_sent(1)) << log();
    stop();
}

TEST_F(PlatformsTest, AfterAnOutageNewRepliesGoOutWithinSecondsOfRecovery) {
    // Slack answers 503 for 17 s. The two channels' replies back off (2, 4, 8, 16 s with ±20 %
    // jitter: the third retry falls within the outage, the fourth at least 7 s after it). A new
    // reply after the recovery must not wait for those timers: a probe every 3 s finds the
    // platform back (6 s leaves room for a loaded machine; without the probe it is 7 s or more).
    std::atomic<bool> down{true};
    fake.set_handler([&](const test::RecordedRequest& r) {
        return down ? test::FakeReply{503, "unavailable", {}, {}} : universal_ok(r);
    });
    start();
    ASSERT_EQ(slack_says("U123", "帮助", "Ev-out-1", "C9")->status, 200u);
    ASSERT_EQ(slack_says("U456", "帮助", "Ev-out-2", "C8")->status, 200u);
    std::this_thread::sleep_for(17s);
    down = false;
    const auto back = std::chrono::steady_clock::now();
    ASSERT_EQ(slack_says("U123", "填报", "Ev-out-3", "C9")->status, 200u);
    EXPECT_TRUE(wait_sent(3)) << log();
    EXPECT_LT(std::chrono::steady_clock::now() - back, 6s) << "the new reply waited for old backoffs\n"
                                                           << log();
    const std::string l = log();
    EXPECT_NE(l.find("event=platform_down"), std::string::npos) << l;
    EXPECT_NE(l.find("event=platform_back"), std::string::npos) << l;
    // Probes are not counted: the first message was tried as often as its backoff allows.
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT max(attempts) <= 5 FROM outbox"), "1\n");
    stop();
}

TEST_F(PlatformsTest, RateLimitAnswersAreHonoured) {
    std::atomic<int> calls{0};
    fake.set_handler([&](const test::RecordedRequest&) {
        if (++calls == 1) {
            return test::FakeReply{429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "1"}}, {}};
        }
        return test::FakeReply{};
    });
    start();
    const auto sent_at = std::chrono::steady_clock::now();
    ASSERT_EQ(slack_says("U123", "帮助", "Ev-429")->status, 200u);
    ASSERT_TRUE(fake.wait_for(2, 15s)) << log();
    EXPECT_GE(std::chrono::steady_clock::now() - sent_at, 900ms) << "Retry-After was not honoured";
    EXPECT_TRUE(wait_sent(1));
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT state, attempts FROM outbox"), "sent|2\n");
    const auto metrics = test::request(port, "GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(R"(liaison_outbox_messages_total{platform="slack",outcome="retry"} 1)"),
              std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find(R"(liaison_outbox_messages_total{platform="slack",outcome="sent"} 1)"),
              std::string::npos);
    stop();
}

TEST_F(PlatformsTest, StoppedDuringADeliveryRecordsItSentAndNeverSendsItAgain) {
    // SIGTERM while the platform is still answering: the worker finishes that delivery and records
    // it before it stops (accepted messages are otherwise marked with the next claim).
    std::atomic<bool> slow{true};
    fake.set_handler([&](const test::RecordedRequest&) {
        test::FakeReply reply;
        reply.delay = slow ? 600ms : 0ms;  // recorded at once, answered later
        return reply;
    });
    start();
    ASSERT_EQ(slack_says("U123", "帮助", "Ev-stop-1")->status, 200u);
    ASSERT_TRUE(fake.wait_for(1, 10s)) << log();
    stop();
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT state, count(*) FROM outbox GROUP BY state"),
              "sent|1\n");
    slow = false;
    start();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(fake.requests().size(), 1u) << "sent again after the restart";
    stop();
}

TEST_F(PlatformsTest, KilledWithMessagesPendingDeliversEachExactlyOnceAfterRestart) {
    fake.set_handler([](const test::RecordedRequest&) {
        return test::FakeReply{503, "unavailable", {}, {}};
    });
    start();
    for (int i = 0; i < 4; ++i) {
        ASSERT_EQ(
            slack_says(
                i % 2 == 0 ? "U123" : "U456", "帮助 " + std::to_string(i), "Ev-pending-" + std::to_string(i))
                ->status,
            200u);
    }
    ASSERT_TRUE(fake.wait_for(1, 10s)) << "the worker tried at least once";
    child->signal(SIGKILL);
    child->wait(5s);
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT count(*) FROM outbox WHERE state != 'sent'"),
              "4\n");
    const std::size_t before = fake.requests().size();
    std::mutex m;
    std::multiset<std::string> delivered;
    fake.set_handler([&](const test::RecordedRequest& r) {
        const std::lock_guard lock(m);
        delivered.insert(r.body);
        return test::FakeReply{};
    });
    start();
    // The killed process's rows come back once its lease (10 s) has run out; backoff from the
    // failed attempts may delay the first retry by a few seconds more.
    ASSERT_TRUE(fake.wait_for(before + 1, 30s)) << log();
    EXPECT_TRUE(wait_sent(4));
    std::this_thread::sleep_for(500ms);
    const std::lock_guard lock(m);
    // The two people's replies alternate, so none can be merged: exactly four requests, none repeated.
    EXPECT_EQ(delivered.size(), 4u);
    std::string all;
    for (const auto& body : delivered) {
        all += json::parse(body)["text"].get<std::string>() + "\n";
    }
    EXPECT_NE(all.find("<@U123>"), std::string::npos);
    EXPECT_NE(all.find("<@U456>"), std::string::npos);
    std::size_t help = 0;
    for (auto pos = all.find("没有听懂"); pos != std::string::npos; pos = all.find("没有听懂", pos + 1)) {
        ++help;
    }
    EXPECT_EQ(help, 4u) << "each of the four replies exactly once:\n" << all;
    stop();
}

// ---- A quiet group (docs/conversation.md): the chat modes and the buttons on every platform ----

/// The same bots, with a chat of each mode per platform, no scheduler (nothing posts unasked) and
/// the pages' address set.
class QuietGroupTest : public PlatformsTest {
protected:
    QuietGroupTest() {
        dir.write("roster.jsonc", R"({
            "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "heping", "name": "和平街道" } ],
            "people": [
              { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [
                  { "platform": "slack", "user": "U123" }, { "platform": "telegram", "user": "111111111" },
                  { "platform": "dingtalk", "user": "0326150155" }, { "platform": "feishu", "user": "ou_zhang" },
                  { "platform": "wecom_app", "user": "zhangsan_wx" }, { "bot": "ai", "user": "zhangsan_wx" } ] },
              { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [{ "bot": "sl", "user": "U456" }] },
              { "id": "sunhong", "name": "孙红", "role": "coordinator", "accounts": [
                  { "platform": "slack", "user": "U789" }, { "platform": "telegram", "user": "333333333" },
                  { "platform": "feishu", "user": "ou_sun" }, { "platform": "wecom_app", "user": "sunhong_wx" } ] } ],
            "chats": [
              { "id": "C9", "bot": "sl" }, { "id": "CQ", "bot": "sl", "mode": "private" },
              { "id": "CP", "bot": "sl", "mode": "page" },
              { "id": "-100123", "bot": "tg" }, { "id": "-100777", "bot": "tg", "mode": "private" },
              { "id": "oc_group", "bot": "fs" }, { "id": "oc_quiet", "bot": "fs", "mode": "private" },
              { "id": "cidGROUP=", "bot": "dt" }, { "id": "cidQUIET=", "bot": "dt", "mode": "private" } ] })");
        std::ifstream in(config);
        std::string text{std::istreambuf_iterator<char>(in), {}};
        const std::string roster = R"("roster": "roster.jsonc",)";
        text.replace(
            text.find(roster),
            roster.size(),
            roster + R"( "scheduler": { "enabled": false }, "web": { "public_url": "http://127.0.0.1:9" },)");
        dir.write("liaison.jsonc", text);
    }

    /// One platform as a test drives it: a message in a group chat, one in the person's 1:1 chat,
    /// and whether a request the fake received is a message into that group.
    struct Platform {
        std::string name;
        std::function<void(const std::string& chat, const std::string& text, int n)> in_group;
        std::function<void(const std::string& text, int n)> in_private;
        std::function<bool(const test::RecordedRequest&, const std::string& chat)> to_group;
    };

    static json body_of(const test::RecordedRequest& r) {
        const auto j = json::parse(r.body, nullptr, false);
        return j.is_discarded() ? json::object() : j;
    }

    Platform slack_platform() {
        return {"slack",
                [this](const std::string& chat, const std::string& text, int n) {
                    ASSERT_EQ(slack_says("U123", text, "Ev-" + chat + std::to_string(n), chat)->status, 200u);
                },
                [this](const std::string& text, int n) {
                    ASSERT_EQ(slack({{"type", "event_callback"},
                                     {"event_id", "Ev-dm" + std::to_string(n)},
                                     {"event",
                                      {{"type", "message"},
                                       {"user", "U123"},
                                       {"channel", "D123"},
                                       {"channel_type", "im"},
                                       {"text", text}}}})
                                  ->status,
                              200u);
                },
                [](const test::RecordedRequest& r, const std::string& chat) {
                    return r.target.find("chat.postMessage") != std::string::npos &&
                           body_of(r).value("channel", "") == chat;
                }};
    }

    Platform telegram_platform() {
        return {"telegram",
                [this](const std::string& chat, const std::string& text, int n) {
                    ASSERT_EQ(
                        telegram({{"update_id", 5000 + n + (chat == "-100777" ? 100 : 0)},
                                  {"message",
                                   {{"message_id", n},
                                    {"date", unix_now()},
                                    {"from", {{"id", 111111111}, {"is_bot", false}, {"first_name", "张三"}}},
                                    {"chat", {{"id", std::stoll(chat)}, {"type", "supergroup"}}},
                                    {"text", "@LiaisonBot " + text}}}})
                            ->status,
                        200u);
                },
                [this](const std::string& text, int n) {
                    ASSERT_EQ(
                        telegram({{"update_id", 7000 + n},
                                  {"message",
                                   {{"message_id", n},
                                    {"date", unix_now()},
                                    {"from", {{"id", 111111111}, {"is_bot", false}, {"first_name", "张三"}}},
                                    {"chat", {{"id", 111111111}, {"type", "private"}}},
                                    {"text", text}}}})
                            ->status,
                        200u);
                },
                [](const test::RecordedRequest& r, const std::string& chat) {
                    const auto b = body_of(r);
                    return r.target.find("sendMessage") != std::string::npos && b.contains("chat_id") &&
                           b["chat_id"].dump() == chat;
                }};
    }

    Platform feishu_platform() {
        return {
            "feishu",
            [this](const std::string& chat, const std::string& text, int n) {
                ASSERT_EQ(feishu_raw(test::feishu_message(
                                         kFsToken, "ev-" + chat + std::to_string(n), "ou_zhang", chat, text))
                              ->status,
                          200u);
            },
            [this](const std::string& text, int n) {
                auto event = json::parse(
                    test::feishu_message(kFsToken, "ev-dm" + std::to_string(n), "ou_zhang", "oc_p2p", text));
                auto& m = event["event"]["message"];
                m["chat_type"] = "p2p";
                m["content"] = json{{"text", text}}.dump();
                m.erase("mentions");
                ASSERT_EQ(feishu_raw(event.dump())->status, 200u);
            },
            [](const test::RecordedRequest& r, const std::string& chat) {
                return r.target.find("/im/v1/messages") != std::string::npos &&
                       body_of(r).value("receive_id", "") == chat;
            }};
    }

    Platform dingtalk_platform() {
        return {
            "dingtalk",
            [this](const std::string& chat, const std::string& text, int n) {
                ASSERT_EQ(
                    dingtalk({{"conversationId", chat},
                              {"conversationType", "2"},
                              {"msgId", "dt-" + chat + std::to_string(n)},
                              {"msgtype", "text"},
                              {"text", {{"content", text}}},
                              {"senderStaffId", "0326150155"},
                              {"senderNick", "张三"},
                              {"isInAtList", true},
                              {"sessionWebhook", fake.base_url() + "/robot/sendBySession?session=" + chat}},
                             unix_now() * 1000)
                        ->status,
                    200u);
            },
            [this](const std::string& text, int n) {
                ASSERT_EQ(dingtalk({{"conversationId", "cidDM"},
                                    {"conversationType", "1"},
                                    {"msgId", "dt-dm" + std::to_string(n)},
                                    {"msgtype", "text"},
                                    {"text", {{"content", text}}},
                                    {"senderStaffId", "0326150155"},
                                    {"senderNick", "张三"},
                                    {"sessionWebhook", fake.base_url() + "/robot/sendBySession?session=dm"}},
                                   unix_now() * 1000)
                              ->status,
                          200u);
            },
            [](const test::RecordedRequest& r, const std::string& chat) {
                return r.target.find("session=" + chat) != std::string::npos ||
                       (r.target.find("groupMessages/send") != std::string::npos &&
                        body_of(r).value("openConversationId", "") == chat);
            }};
    }

    std::vector<Platform> platforms() {
        return {slack_platform(), telegram_platform(), feishu_platform(), dingtalk_platform()};
    }

    /// The README's report (党建联络信息), as typed after 填报; `run` makes each filing its own (an
    /// exact copy of an earlier report is refused).
    static std::vector<std::string> readme_answers(const std::string& run) {
        return {
            "3",
            "社区“红色物业”让老旧小区焕新颜(" + run + ")",
            "今天",
            "幸福里社区党群服务中心",
            "社区党委牵头成立业委会党支部,组织党员楼栋长每周走访居民,收集诉求,建立问题清单和销号机制。" + run,
            "三个月解决居民诉求 126 件,满意率 97%。",
            "跳过",
            "跳过",
            "跳过",
            "跳过",
            "提交"};
    }

    std::size_t count(const std::function<bool(const test::RecordedRequest&)>& which) const {
        std::size_t n = 0;
        for (const auto& r : fake.requests()) {
            n += which(r) ? 1U : 0U;
        }
        return n;
    }

    /// Waits until the outbox holds no pending row.
    bool settled() const {
        for (int i = 0; i < 300; ++i) {
            if (test::query(dir.file("data/liaison.db"),
                            "SELECT count(*) FROM outbox WHERE state NOT IN ('sent', 'failed')") == "0\n") {
                return true;
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }
    /// 张三 fills the weekly report up to its preview in `chat` of platform `p` (numbered from `base`).
    void fill_weekly(const Platform& p, const std::string& chat, int base) {
        const std::vector<std::string> weekly{
            "填报 工作进度周报", "老旧小区加装电梯" + p.name, "60%", "2", "完成土建,启动安装。", "跳过"};
        for (std::size_t i = 0; i < weekly.size(); ++i) {
            p.in_group(chat, weekly[i], base + static_cast<int>(i));
            ASSERT_TRUE(settled()) << log();
        }
    }

    /// The body of the latest request the fake received on a path containing `path`.
    json last_to(const std::string& path) const {
        const auto all = fake.requests();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            if (it->target.find(path) != std::string::npos) {
                return body_of(*it);
            }
        }
        return json::object();
    }

    std::string reports() const {
        return test::query(dir.file("data/liaison.db"), "SELECT count(*) FROM reports");
    }

    /// A Slack button pressed by `user` (an interactivity request), signed with `secret` at `ts`.
    std::optional<test::Response> slack_press(const std::string& user,
                                              const std::string& value,
                                              const std::string& at,
                                              const std::string& secret = kSlackSecret,
                                              std::int64_t ts = unix_now()) {
        const json payload{{"type", "block_actions"},
                           {"user", {{"id", user}}},
                           {"channel", {{"id", "C9"}}},
                           {"container", {{"type", "message"}, {"channel_id", "C9"}}},
                           {"trigger_id", "trig-" + at},
                           {"actions",
                            json::array({{{"action_id", "liaison_0"},
                                          {"block_id", "liaison"},
                                          {"type", "button"},
                                          {"value", value},
                                          {"action_ts", at}}})}};
        return slack_raw(
            "payload=" + percent_encode(payload.dump()), "application/x-www-form-urlencoded", ts, secret);
    }

    /// A Feishu card's 提交 pressed by `who` (card.action.trigger), signed or not.
    std::optional<test::Response> feishu_press(const std::string& event_id,
                                               const std::string& who,
                                               bool sign = true) {
        const json ev{
            {"schema", "2.0"},
            {"header", {{"event_id", event_id}, {"event_type", "card.action.trigger"}, {"token", kFsToken}}},
            {"event",
             {{"operator", {{"open_id", who}}},
              {"action", {{"tag", "button"}, {"value", {{"command", "提交"}, {"direct", false}}}}},
              {"context", {{"open_message_id", "om_1"}, {"open_chat_id", "oc_group"}}}}}};
        return feishu_raw(ev.dump(), sign);
    }

    /// A WeCom app card's button `key` pressed by `user` (template_card_event), well signed or not.
    std::optional<test::Response> wecom_press(const std::string& user,
                                              const std::string& key,
                                              const std::string& task,
                                              const std::string& created,
                                              bool good = true) {
        const std::string inner =
            "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[" + user +
            "]]></FromUserName><CreateTime>" + created +
            "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
            "<EventKey><![CDATA[" +
            key + "]]></EventKey><TaskId><![CDATA[" + task +
            "]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><AgentID>1000002</AgentID></xml>";
        return wecom_app_raw(inner, good);
    }
};

TEST_F(QuietGroupTest, ThePrivateModeLeavesTheGroupTwoMessagesOnEveryPlatformThatReachesAPerson) {
    start();
    // Chatter in a channel the bot reads (message.channels), in any mode: no reply.
    for (const std::string chat : {"C9", "CQ", "CP"}) {
        ASSERT_EQ(slack({{"type", "event_callback"},
                         {"event_id", "Ev-chatter-" + chat},
                         {"event",
                          {{"type", "message"}, {"user", "U123"}, {"channel", chat}, {"text", "好的,收到"}}}})
                      ->status,
                  200u);
    }
    ASSERT_TRUE(settled());
    EXPECT_EQ(fake.requests().size(), 0u) << "chatter answered";
    std::string table;
    for (const auto& p : platforms()) {
        const std::string group = p.name == "slack"      ? "C9"
                                  : p.name == "telegram" ? "-100123"
                                  : p.name == "feishu"   ? "oc_group"
                                                         : "cidGROUP=";
        const std::string quiet = p.name == "slack"      ? "CQ"
                                  : p.name == "telegram" ? "-100777"
                                  : p.name == "feishu"   ? "oc_quiet"
                                                         : "cidQUIET=";
        // group: every answer in the group, every prompt there.
        auto answers = readme_answers(p.name + " group");
        p.in_group(group, "填报 党建联络信息", 0);
        ASSERT_TRUE(settled()) << log();
        for (std::size_t i = 0; i < answers.size(); ++i) {
            p.in_group(group, answers[i], static_cast<int>(i + 1));
            ASSERT_TRUE(settled()) << log();
        }
        const std::size_t in_group = count([&](const auto& r) { return p.to_group(r, group); });
        // private: 填报 in the group, the answers in the 1:1 chat.
        answers = readme_answers(p.name + " private");
        p.in_group(quiet, "填报 党建联络信息", 0);
        ASSERT_TRUE(settled()) << log();
        for (std::size_t i = 0; i < answers.size(); ++i) {
            p.in_private(answers[i], static_cast<int>(i + 1));
            ASSERT_TRUE(settled()) << log();
        }
        const std::size_t in_quiet = count([&](const auto& r) { return p.to_group(r, quiet); });
        table +=
            p.name + ": group " + std::to_string(in_group) + ", private " + std::to_string(in_quiet) + "\n";
        EXPECT_EQ(in_group, answers.size() + 1) << p.name << ": every prompt and the receipt in the group";
        EXPECT_EQ(in_quiet, 2u) << p.name << ": the start line and the receipt only\n" << log();
    }
    EXPECT_EQ(
        test::query(dir.file("data/liaison.db"), "SELECT chat_id, count(*) FROM reports GROUP BY chat_id"),
        "-100123|1\n-100777|1\nC9|1\nCQ|1\ncidGROUP=|1\ncidQUIET=|1\noc_group|1\noc_quiet|1\n")
        << "each report filed in its group's name";
    std::cout << "messages posted into the group for the README's report:\n" << table;
    stop();
}

TEST_F(QuietGroupTest, SlackButtonsAreBlockKitActionsPressedAsThePresser) {
    start();
    fill_weekly(platforms()[0], "C9", 100);
    const json preview = last_to("chat.postMessage");
    ASSERT_TRUE(preview.contains("blocks")) << preview.dump();
    const json& actions = preview["blocks"].back();
    ASSERT_EQ(actions["type"], "actions") << preview.dump();
    EXPECT_EQ(actions["elements"][0]["value"], "提交");
    EXPECT_EQ(actions["elements"][0]["style"], "primary");
    EXPECT_EQ(slack_press("U123", "提交", "1.1", "wrong-secret")->status, 401u) << "a forged press";
    EXPECT_EQ(slack_press("U123", "提交", "1.1", kSlackSecret, unix_now() - 600)->status, 401u)
        << "an old one replayed";
    // 李四 presses 张三's 提交: it is 李四's 提交, and 李四 has nothing to submit.
    ASSERT_EQ(slack_press("U456", "提交", "1.2")->status, 200u);
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "0\n");
    EXPECT_NE(last_to("chat.postMessage")["text"].get<std::string>().find("<@U456> 没有可以继续的填报"),
              std::string::npos)
        << last_to("chat.postMessage").dump();
    ASSERT_EQ(slack_press("U123", "提交", "1.3")->status, 200u);
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    const std::size_t before = fake.requests().size();
    ASSERT_EQ(slack_press("U123", "提交", "1.3")->status, 200u) << "the same press again";
    ASSERT_TRUE(settled());
    EXPECT_EQ(fake.requests().size(), before) << "deduplicated: nothing said twice";
    ASSERT_EQ(slack_press("U123", "提交", "1.4")->status, 200u) << "a stale button";
    ASSERT_TRUE(settled());
    EXPECT_NE(last_to("chat.postMessage")["text"].get<std::string>().find("没有可以继续的填报"),
              std::string::npos);
    EXPECT_EQ(reports(), "1\n");
    stop();
}

TEST_F(QuietGroupTest, TelegramButtonsAreAnInlineKeyboardAnsweredWithAnswerCallbackQuery) {
    start();
    fill_weekly(platforms()[1], "-100123", 200);
    const json tg = last_to("sendMessage");
    ASSERT_TRUE(tg.contains("reply_markup")) << tg.dump();
    EXPECT_EQ(tg["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "提交");
    const auto press = [](std::int64_t update, std::int64_t who) {
        return json{{"update_id", update},
                    {"callback_query",
                     {{"id", "cbq-" + std::to_string(update)},
                      {"from", {{"id", who}, {"is_bot", false}, {"first_name", "某人"}}},
                      {"message", {{"message_id", 77}, {"chat", {{"id", -100123}, {"type", "supergroup"}}}}},
                      {"data", "提交"}}}};
    };
    EXPECT_EQ(telegram(press(9001, 111111111), "wrong-token")->status, 401u);
    ASSERT_EQ(telegram(press(9000, 333333333))->status, 200u) << "孙红 presses 张三's button";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "0\n");
    const auto answered = telegram(press(9001, 111111111));
    ASSERT_EQ(answered->status, 200u);
    EXPECT_EQ(json::parse(answered->body)["method"], "answerCallbackQuery");
    EXPECT_EQ(json::parse(answered->body)["callback_query_id"], "cbq-9001");
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    EXPECT_EQ(telegram(press(9001, 111111111))->status, 200u) << "Telegram's retry of the same update";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    ASSERT_EQ(telegram(press(9002, 111111111))->status, 200u) << "a stale button";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    EXPECT_NE(last_to("sendMessage")["text"].get<std::string>().find("没有可以继续的填报"),
              std::string::npos);
    stop();
}

TEST_F(QuietGroupTest, FeishuButtonsAreCardActionsVerifiedLikeEvents) {
    start();
    fill_weekly(platforms()[2], "oc_group", 300);
    const json card_msg = last_to("/im/v1/messages");
    ASSERT_EQ(card_msg["msg_type"], "interactive") << card_msg.dump();
    const json card = json::parse(card_msg["content"].get<std::string>());
    EXPECT_EQ(card["elements"].back()["actions"][0]["value"]["command"], "提交");
    EXPECT_EQ(feishu_press("card-1", "ou_zhang", false)->status, 401u) << "unsigned";
    ASSERT_EQ(feishu_press("card-1", "ou_sun")->status, 200u) << "孙红 has no draft there";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "0\n");
    ASSERT_EQ(feishu_press("card-2", "ou_zhang")->status, 200u);
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    ASSERT_EQ(feishu_press("card-2", "ou_zhang")->status, 200u) << "a re-push";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    ASSERT_EQ(feishu_press("card-3", "ou_zhang")->status, 200u) << "a stale button";
    ASSERT_TRUE(settled());
    EXPECT_EQ(reports(), "1\n");
    EXPECT_NE(sent_texts("/im/v1/messages").back().find("没有可以继续的填报"), std::string::npos);
    stop();
}

TEST_F(QuietGroupTest, DingTalkAndWeComButtons) {
    start();
    // DingTalk: links that have the client send the command as the person (no callback of its own).
    fill_weekly(platforms()[3], "cidGROUP=", 400);
    const json dt = last_to("session=cidGROUP=");
    ASSERT_EQ(dt["msgtype"], "actionCard") << dt.dump();
    EXPECT_EQ(dt["actionCard"]["btns"][0]["actionURL"],
              "dtmd://dingtalkclient/sendMessage?content=" + percent_encode("提交"));
    // WeCom app: a button_interaction card when the text fits; the press is template_card_event.
    for (const auto& [id, text] : {std::pair{"81000", "填报 工作进度周报"},
                                   std::pair{"81001", "老旧小区加装电梯"},
                                   std::pair{"81002", "60%"}}) {
        ASSERT_EQ(wecom_app_says(id, text)->status, 200u);
        ASSERT_TRUE(settled());
    }
    const json wx = last_to("/cgi-bin/message/send");
    ASSERT_EQ(wx["msgtype"], "template_card") << wx.dump();
    EXPECT_EQ(wx["template_card"]["card_type"], "button_interaction");
    EXPECT_EQ(wx["template_card"]["button_list"][1]["key"], "状态:推进中");
    const std::string task = wx["template_card"]["task_id"].get<std::string>();
    EXPECT_EQ(wecom_press("zhangsan_wx", "状态:推进中", task, "1700000100", false)->status, 401u);
    // 孙红 presses it (the card forwarded to her): her own conversation, where no form waits.
    ASSERT_EQ(wecom_press("sunhong_wx", "状态:推进中", task, "1700000090")->status, 200u);
    ASSERT_TRUE(settled());
    EXPECT_EQ(last_to("/cgi-bin/message/send")["touser"], "sunhong_wx");
    EXPECT_EQ(reports(), "0\n");
    ASSERT_EQ(wecom_press("zhangsan_wx", "状态:推进中", task, "1700000100")->status, 200u);
    ASSERT_TRUE(settled());
    EXPECT_NE(sent_texts("/cgi-bin/message/send").back().find("第 4/5 项"), std::string::npos)
        << "the press answered 状态 as 推进中";
    const std::size_t before = fake.requests().size();
    ASSERT_EQ(wecom_press("zhangsan_wx", "状态:推进中", task, "1700000100")->status, 200u) << "WeCom's retry";
    ASSERT_TRUE(settled());
    EXPECT_EQ(fake.requests().size(), before);
    // Pressed again later, when the form asks 下周计划: it sets 状态 again, and 下周计划 is still asked.
    ASSERT_EQ(wecom_press("zhangsan_wx", "状态:滞后", task, "1700000160")->status, 200u) << "a stale button";
    ASSERT_TRUE(settled());
    EXPECT_NE(sent_texts("/cgi-bin/message/send").back().find("存在问题"), std::string::npos)
        << "滞后 opens its conditional item: " << sent_texts("/cgi-bin/message/send").back();
    stop();
}

TEST_F(QuietGroupTest, ThePageModeLeavesTheGroupTheLineAndTheReceipt) {
    start();
    const auto in_cp = [&](const test::RecordedRequest& r) {
        return r.target.find("chat.postMessage") != std::string::npos &&
               body_of(r).value("channel", "") == "CP";
    };
    ASSERT_EQ(slack_says("U123", "填报", "Ev-page-1", "CP")->status, 200u);
    ASSERT_TRUE(settled()) << log();
    EXPECT_EQ(count(in_cp), 1u);
    // The link went privately, as a text and a button.
    json dm;
    for (const auto& r : fake.requests()) {
        dm = body_of(r).value("channel", "") == "U123" ? body_of(r) : dm;
    }
    ASSERT_TRUE(dm.contains("blocks")) << "no private message with the link";
    const std::string link = dm["blocks"].back()["elements"][0]["url"].get<std::string>();
    ASSERT_EQ(link.rfind("http://127.0.0.1:9/app/signin?t=", 0), 0u) << link;
    const std::string origin = "http://127.0.0.1:9";
    const auto form_post = [&](const std::string& path, const std::string& body, const std::string& cookie) {
        std::vector<std::pair<std::string, std::string>> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", origin}};
        if (!cookie.empty()) {
            headers.emplace_back("Cookie", "liaison_session=" + cookie);
        }
        return test::request(port, "POST", path, body, headers);
    };
    const auto signed_in = form_post("/app/signin", "t=" + link.substr(link.find("t=") + 2), "");
    ASSERT_TRUE(signed_in && signed_in->status == 303u) << (signed_in ? signed_in->body : "");
    const std::string set = signed_in->header("set-cookie");
    const std::string cookie = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
    const auto blank = test::request(
        port, "GET", "/app/form?template=weekly_progress", {}, {{"Cookie", "liaison_session=" + cookie}});
    ASSERT_TRUE(blank && blank->status == 200u);
    const auto at = blank->body.find(R"(name="csrf" value=")");
    ASSERT_NE(at, std::string::npos);
    const std::string csrf = blank->body.substr(at + 19, blank->body.find('"', at + 19) - at - 19);
    const auto enc = test::form_encode;
    const auto done = form_post(
        "/app/form",
        "csrf=" + enc(csrf) + "&template=weekly_progress&action=submit&f.task=" + enc("加装电梯民生实事") +
            "&f.progress=60&f.status=on_track&f.next_week=" + enc("完成土建,启动安装") + "&f.unit=xingfuli",
        cookie);
    ASSERT_TRUE(done && done->status / 100 != 4) << (done ? done->body : "");
    ASSERT_TRUE(settled()) << log();
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT chat_id FROM reports"), "CP\n");
    EXPECT_EQ(count(in_cp), 2u) << "the line and the receipt";
    std::cout << "messages posted into the group for a report filed on the page: " << count(in_cp) << "\n";
    stop();
}

}  // namespace
}  // namespace bot
