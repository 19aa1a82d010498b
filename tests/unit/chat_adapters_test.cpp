// Slack and Telegram adapters, pure halves: verification on raw bytes, parsing, and the outbound
// request/response dialect. Vendor vectors from ../shared/protocols.md §7.
#include "adapters/common/dialect.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/dingtalk/dingtalk_robot.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/feishu/feishu_robot.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "adapters/wecom/wecom_robot.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace bot::adapters {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

HttpRequest post(std::string body, std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// ------------------------------------------------------------------ Slack

const slack::SlackConfig kSlackConfig{
    "sl", "8f742231b10e8888abcd99yyyzzz85a5", "xoxb-test", "U0BOT", "http://127.0.0.1:1/api", 300s, 86400s};

HttpRequest slack_request(const std::string& body, std::int64_t ts) {
    const std::string t = std::to_string(ts);
    return post(body,
                {{"x-slack-request-timestamp", t},
                 {"x-slack-signature", slack::SlackAdapter::sign(kSlackConfig.signing_secret, t, body)}});
}

TEST(Slack, VendorSignatureVector) {
    const std::string body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
        "channel_name="
        "foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%"
        "3A%2F%2F"
        "hooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
        "398738663015."
        "47445629121.803a0bc887a14d10d2c447fce8b6703c";
    EXPECT_EQ(slack::SlackAdapter::sign(kSlackConfig.signing_secret, "1531420618", body),
              "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    const slack::SlackAdapter a(kSlackConfig);
    const auto signed_req =
        post(body,
             {{"content-type", "application/x-www-form-urlencoded"},
              {"x-slack-request-timestamp", "1531420618"},
              {"x-slack-signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"}});
    const TimePoint at(std::chrono::seconds(1531420618 + 60));
    // Verified (then not an Events API envelope: acknowledged without an event).
    const auto ok = a.on_webhook(signed_req, at);
    ASSERT_TRUE(ok) << ok.error().message();
    EXPECT_FALSE(ok->event);
    // One byte changed: refused.
    auto tampered = signed_req;
    tampered.body.back() = 'd';
    EXPECT_EQ(a.on_webhook(tampered, at).error(), make_error_code(errc::bad_signature));
    // Outside the window: refused as stale.
    EXPECT_EQ(a.on_webhook(signed_req, at + 10min).error(), make_error_code(errc::stale_request));
}

TEST(Slack, UrlVerificationIsAnswered) {
    const slack::SlackAdapter a(kSlackConfig);
    const auto now = TimePoint(std::chrono::seconds(1'800'000'000));
    const auto r = a.on_webhook(
        slack_request(
            R"({"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})",
            1'800'000'000),
        now);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->event);
    EXPECT_EQ(r->response.status, 200u);
    EXPECT_EQ(r->response.body, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST(Slack, EventsBecomeInboundEventsAndTheBotsOwnAreIgnored) {
    const slack::SlackAdapter a(kSlackConfig);
    const auto now = TimePoint(std::chrono::seconds(1'800'000'000));
    auto envelope = [](const json& event) {
        return json{{"type", "event_callback"},
                    {"event_id", "Ev1"},
                    {"team_id", "T1"},
                    {"event", event},
                    {"authorizations", json::array({{{"user_id", "U0BOT"}, {"is_bot", true}}})}}
            .dump();
    };
    const auto mention = a.on_webhook(slack_request(envelope({{"type", "app_mention"},
                                                              {"user", "U123"},
                                                              {"channel", "C9"},
                                                              {"text", "<@U0BOT> 填报 &amp; &lt;b&gt;"},
                                                              {"ts", "1.2"},
                                                              {"thread_ts", "1.0"}}),
                                                    1'800'000'000),
                                      now);
    ASSERT_TRUE(mention && mention->event);
    EXPECT_EQ(mention->event->text, "填报 & <b>");
    EXPECT_EQ(mention->event->chat_id, "C9");
    EXPECT_EQ(mention->event->user_id, "U123");
    EXPECT_TRUE(mention->event->addressed);
    EXPECT_EQ(mention->event->dedupe_key, "slack:sl:Ev1");
    EXPECT_EQ(json::parse(mention->event->reply_context)["thread_ts"], "1.0");

    const auto plain = a.on_webhook(slack_request(envelope({{"type", "message"},
                                                            {"user", "U123"},
                                                            {"channel", "C9"},
                                                            {"text", "创新做法"},
                                                            {"channel_type", "channel"}}),
                                                  1'800'000'000),
                                    now);
    ASSERT_TRUE(plain && plain->event);
    EXPECT_FALSE(plain->event->addressed) << "no mention: an answer only if a session exists";

    for (const json& ignored :
         {json{{"type", "message"}, {"user", "U0BOT"}, {"channel", "C9"}, {"text", "mine"}},
          json{{"type", "message"}, {"bot_id", "B1"}, {"channel", "C9"}, {"text", "a bot"}},
          json{{"type", "message"}, {"subtype", "message_changed"}, {"channel", "C9"}},
          json{{"type", "message"},
               {"user", "U123"},
               {"channel", "C9"},
               {"text", "<@U0BOT> x"},
               {"channel_type", "channel"}},
          json{{"type", "reaction_added"}, {"user", "U123"}}}) {
        const auto r = a.on_webhook(slack_request(envelope(ignored), 1'800'000'000), now);
        ASSERT_TRUE(r) << ignored.dump();
        EXPECT_FALSE(r->event) << ignored.dump();
        EXPECT_EQ(r->response.status, 200u);
    }
    for (const std::string& bad : {std::string("not json"),
                                   std::string(R"({"type":"event_callback"})"),
                                   std::string(R"({"type":"event_callback","event_id":"E","event":"x"})"),
                                   std::string(R"({"type":"url_verification","challenge":7})")}) {
        EXPECT_EQ(a.on_webhook(slack_request(bad, 1'800'000'000), now).error(),
                  make_error_code(errc::malformed))
            << bad;
    }
}

TEST(Slack, OutboundDialect) {
    const slack::SlackAdapter a(kSlackConfig);
    const auto req = a.send_request(
        {"C9", "U123", "张三", "请回复 <1> & 确认"}, R"({"thread_ts":"1.0"})", "", TimePoint{});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->url, "http://127.0.0.1:1/api/chat.postMessage");
    EXPECT_EQ(req->headers[0], (std::pair<std::string, std::string>{"Authorization", "Bearer xoxb-test"}));
    const auto body = json::parse(req->body);
    EXPECT_EQ(body["channel"], "C9");
    EXPECT_EQ(body["text"], "<@U123> 请回复 &lt;1&gt; &amp; 确认");
    EXPECT_EQ(body["thread_ts"], "1.0");

    using Kind = SendOutcome::Kind;
    EXPECT_EQ(a.parse_send(200, {}, R"({"ok":true,"ts":"1.1"})").kind, Kind::sent);
    const auto limited = a.parse_send(429, {{"retry-after", "7"}}, "");
    EXPECT_EQ(limited.kind, Kind::retry);
    EXPECT_EQ(limited.retry_after, 7s);
    EXPECT_EQ(a.parse_send(200, {}, R"({"ok":false,"error":"ratelimited"})").kind, Kind::retry);
    EXPECT_EQ(a.parse_send(503, {}, "").kind, Kind::retry);
    const auto revoked = a.parse_send(200, {}, R"({"ok":false,"error":"token_revoked"})");
    EXPECT_EQ(revoked.kind, Kind::failed);
    EXPECT_EQ(revoked.error, "token_revoked");
    EXPECT_EQ(a.parse_send(200, {}, "<html>").kind, Kind::retry);
}

// ------------------------------------------------------------------ Telegram

const telegram::TelegramConfig kTgConfig{
    "tg", "s3cr3t_TOKEN-1", "123:ABC", "LiaisonBot", "http://127.0.0.1:1", 86400s};

HttpRequest tg_request(const json& update, const std::string& token = "s3cr3t_TOKEN-1") {
    return post(update.dump(), {{"x-telegram-bot-api-secret-token", token}});
}

json tg_update(const std::string& text, const std::string& chat_type = "supergroup") {
    return {{"update_id", 123456789},
            {"message",
             {{"message_id", 42},
              {"date", 1700000000},
              {"from", {{"id", 111111111}, {"is_bot", false}, {"first_name", "Zhang"}, {"last_name", "San"}}},
              {"chat", {{"id", -1001234567890}, {"type", chat_type}, {"title", "Ops"}}},
              {"text", text},
              {"message_thread_id", 7}}}};
}

TEST(Telegram, SecretTokenIsCheckedAndUpdatesParsed) {
    const telegram::TelegramAdapter a(kTgConfig);
    const TimePoint now(std::chrono::seconds(1'700'000'100));
    const auto r = a.on_webhook(tg_request(tg_update("@LiaisonBot 填报")), now);
    ASSERT_TRUE(r && r->event);
    EXPECT_EQ(r->event->chat_id, "-1001234567890");
    EXPECT_EQ(r->event->user_id, "111111111");
    EXPECT_EQ(r->event->user_name, "Zhang San");
    EXPECT_EQ(r->event->text, "填报");
    EXPECT_TRUE(r->event->addressed);
    EXPECT_EQ(r->event->dedupe_key, "telegram:tg:123456789");
    EXPECT_EQ(json::parse(r->event->reply_context)["message_thread_id"], 7);

    EXPECT_EQ(a.on_webhook(tg_request(tg_update("x"), "s3cr3t_TOKEN-2"), now).error(),
              make_error_code(errc::bad_signature));
    auto missing = tg_request(tg_update("x"));
    missing.headers.clear();
    EXPECT_EQ(a.on_webhook(missing, now).error(), make_error_code(errc::bad_signature));

    EXPECT_FALSE(a.on_webhook(tg_request(tg_update("hello everyone")), now)->event->addressed);
    EXPECT_TRUE(a.on_webhook(tg_request(tg_update("hello", "private")), now)->event->addressed);
    auto from_bot = tg_update("loop");
    from_bot["message"]["from"]["is_bot"] = true;
    EXPECT_FALSE(a.on_webhook(tg_request(from_bot), now)->event);
    auto photo = tg_update("");
    photo["message"].erase("text");
    photo["message"]["caption"] = "现场照片";
    photo["message"]["photo"] = json::array({{{"file_id", "small"}}, {{"file_id", "large"}}});
    const auto p = a.on_webhook(tg_request(photo), now);
    ASSERT_TRUE(p && p->event);
    EXPECT_EQ(p->event->attachments, std::vector<std::string>{"image:large"});
    EXPECT_EQ(p->event->text, "现场照片");
    EXPECT_FALSE(
        a.on_webhook(tg_request(json{{"update_id", 5}, {"edited_message", json::object()}}), now)->event);
    for (const std::string& bad : {std::string("{"),
                                   std::string(R"({"update_id":"x"})"),
                                   std::string(R"({"update_id":1,"message":{"chat":{"id":1}}})")}) {
        EXPECT_EQ(
            a.on_webhook(post(bad, {{"x-telegram-bot-api-secret-token", "s3cr3t_TOKEN-1"}}), now).error(),
            make_error_code(errc::malformed))
            << bad;
    }
}

TEST(Telegram, OutboundDialect) {
    const telegram::TelegramAdapter a(kTgConfig);
    const auto req = a.send_request({"-1001234567890", "111111111", "张<三>", "a < b & c"},
                                    R"({"message_thread_id":7})",
                                    "",
                                    TimePoint{});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->url, "http://127.0.0.1:1/bot123:ABC/sendMessage");
    const auto body = json::parse(req->body);
    EXPECT_EQ(body["chat_id"], -1001234567890LL);
    EXPECT_EQ(body["parse_mode"], "HTML");
    EXPECT_EQ(body["text"], "<a href=\"tg://user?id=111111111\">张&lt;三&gt;</a> a &lt; b &amp; c");
    EXPECT_EQ(body["message_thread_id"], 7);
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(a.parse_send(200, {}, R"({"ok":true,"result":{}})").kind, Kind::sent);
    const auto limited = a.parse_send(
        429,
        {},
        R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}})");
    EXPECT_EQ(limited.kind, Kind::retry);
    EXPECT_EQ(limited.retry_after, 5s);
    const auto gone =
        a.parse_send(400, {}, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
    EXPECT_EQ(gone.kind, Kind::failed);
    EXPECT_EQ(gone.error, "Bad Request: chat not found");
    EXPECT_EQ(a.parse_send(502, {}, "Bad Gateway").kind, Kind::retry);
}

// ------------------------------------------------------------------ DingTalk

const dingtalk::DingTalkConfig kDtConfig{"dt",
                                         "this-is-a-test-app-secret",
                                         "https://oapi.dingtalk.com",
                                         3600s,
                                         86400s,
                                         "",
                                         "https://api.dingtalk.com"};

json dt_message(const std::string& text, bool at = true) {
    return {{"conversationId", "cidXXXX="},
            {"conversationType", "2"},
            {"msgId", "msgAbC=="},
            {"msgtype", "text"},
            {"text", {{"content", text}}},
            {"senderId", "$:LWCP_v1:$u1"},
            {"senderNick", "张三"},
            {"senderStaffId", "0326150155"},
            {"isInAtList", at},
            {"sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=abc"},
            {"sessionWebhookExpiredTime", 1700005400000LL}};
}

TEST(DingTalk, SignatureMatchesAnIndependentImplementation) {
    // Computed with Python's hmac + base64 for the same inputs.
    EXPECT_EQ(dingtalk::DingTalkAdapter::sign("this-is-a-test-app-secret", "1700000000000"),
              "pMLwTgx7Mtbr7a2K4h6rvtIzeipp2QM/w6gl4icO4P8=");
}

TEST(DingTalk, InboundIsVerifiedAndParsed) {
    const dingtalk::DingTalkAdapter a(kDtConfig);
    const TimePoint now(std::chrono::milliseconds(1700000000000LL + 60'000));
    auto req = [](const json& body, const std::string& ts) {
        return post(
            body.dump(),
            {{"timestamp", ts}, {"sign", dingtalk::DingTalkAdapter::sign("this-is-a-test-app-secret", ts)}});
    };
    const auto r = a.on_webhook(req(dt_message(" 填报 "), "1700000000000"), now);
    ASSERT_TRUE(r && r->event) << (r ? "" : r.error().message());
    EXPECT_EQ(r->event->text, "填报");
    EXPECT_EQ(r->event->chat_id, "cidXXXX=");
    EXPECT_EQ(r->event->user_id, "0326150155");
    EXPECT_EQ(r->event->user_name, "张三");
    EXPECT_TRUE(r->event->addressed);
    EXPECT_EQ(r->event->dedupe_key, "dingtalk:dt:msgAbC==");
    EXPECT_EQ(json::parse(r->event->reply_context)["session_webhook"],
              "https://oapi.dingtalk.com/robot/sendBySession?session=abc");
    EXPECT_FALSE(a.on_webhook(req(dt_message("x", false), "1700000000000"), now)->event->addressed);
    // A wrong sign, a sign for another timestamp, or a timestamp over an hour away.
    auto bad = req(dt_message("x"), "1700000000000");
    bad.headers[1].second = dingtalk::DingTalkAdapter::sign("other-secret", "1700000000000");
    EXPECT_EQ(a.on_webhook(bad, now).error(), make_error_code(errc::bad_signature));
    bad.headers[1].second = dingtalk::DingTalkAdapter::sign("this-is-a-test-app-secret", "1700000000001");
    EXPECT_EQ(a.on_webhook(bad, now).error(), make_error_code(errc::bad_signature));
    EXPECT_EQ(a.on_webhook(req(dt_message("x"), "1699996300000"), now).error(),
              make_error_code(errc::stale_request));
    EXPECT_EQ(a.on_webhook(req(json{{"msgId", "m"}}, "1700000000000"), now).error(),
              make_error_code(errc::malformed));
}

TEST(DingTalk, RepliesGoOnlyToDingTalksSessionWebhook) {
    const dingtalk::DingTalkAdapter a(kDtConfig);
    const auto req =
        a.send_request({"cidXXXX=", "0326150155", "张三", "已提交"},
                       R"({"session_webhook":"https://oapi.dingtalk.com/robot/sendBySession?session=abc"})",
                       "",
                       TimePoint{});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->url, "https://oapi.dingtalk.com/robot/sendBySession?session=abc");
    const auto body = json::parse(req->body);
    EXPECT_EQ(body["text"]["content"], "@0326150155 已提交");
    EXPECT_EQ(body["at"]["atUserIds"][0], "0326150155");
    EXPECT_FALSE(a.send_request(
        {"c", "u", "n", "t"}, R"({"session_webhook":"https://evil.example/robot"})", "", TimePoint{}));
    EXPECT_FALSE(a.send_request({"c", "u", "n", "t"},
                                R"({"session_webhook":"https://oapi.dingtalk.com.evil.example/x"})",
                                "",
                                TimePoint{}));
    EXPECT_FALSE(a.send_request({"c", "u", "n", "t"}, "", "", TimePoint{}));
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(a.parse_send(200, {}, R"({"errcode":0,"errmsg":"ok"})").kind, Kind::sent);
    const auto fast = a.parse_send(200, {}, R"({"errcode":130101,"errmsg":"send too fast"})");
    EXPECT_EQ(fast.kind, Kind::retry);
    EXPECT_EQ(fast.retry_after, 60s);
    EXPECT_EQ(a.parse_send(200, {}, R"({"errcode":310000,"errmsg":"sign not match"})").kind, Kind::failed);
    EXPECT_EQ(a.parse_send(502, {}, "").kind, Kind::retry);
}

TEST(DingTalk, AfterTheSessionWebhookExpiresRepliesUseTheOpenApiWithAToken) {
    auto cfg = kDtConfig;
    EXPECT_FALSE(dingtalk::DingTalkAdapter(cfg).token_request()) << "no AppKey: session webhooks only";
    cfg.app_key = "dingappkey";
    cfg.openapi_base = "https://api.dingtalk.com";
    const dingtalk::DingTalkAdapter a(cfg);
    const auto t = a.token_request();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->url, "https://api.dingtalk.com/v1.0/oauth2/accessToken");
    EXPECT_EQ(json::parse(t->body)["appKey"], "dingappkey");
    EXPECT_EQ(a.parse_token(200, R"({"accessToken":"at-1","expireIn":7200})")->value, "at-1");
    const std::string ctx =
        R"({"conversation_type":"2","session_webhook":"https://oapi.dingtalk.com/robot/sendBySession?session=abc","expires_ms":1700005400000})";
    const TimePoint before(std::chrono::milliseconds(1700005400000LL - 120'000));
    const TimePoint after(std::chrono::milliseconds(1700005400000LL - 30'000));
    EXPECT_EQ(a.send_request({"cidG", "0326150155", "张三", "hi"}, ctx, "at-1", before)->url,
              "https://oapi.dingtalk.com/robot/sendBySession?session=abc");
    const auto group = a.send_request({"cidG", "0326150155", "张三", "hi"}, ctx, "at-1", after);
    ASSERT_TRUE(group);
    EXPECT_EQ(group->url, "https://api.dingtalk.com/v1.0/robot/groupMessages/send");
    EXPECT_EQ(group->headers[1],
              (std::pair<std::string, std::string>{"x-acs-dingtalk-access-token", "at-1"}));
    const auto gb = json::parse(group->body);
    EXPECT_EQ(gb["openConversationId"], "cidG");
    EXPECT_EQ(gb["robotCode"], "dingappkey");
    EXPECT_EQ(json::parse(gb["msgParam"].get<std::string>())["content"], "@0326150155 hi");
    const auto single =
        a.send_request({"cid1", "0326150155", "张三", "hi"}, R"({"conversation_type":"1"})", "at-1", after);
    ASSERT_TRUE(single);
    EXPECT_EQ(single->url, "https://api.dingtalk.com/v1.0/robot/oToMessages/batchSend");
    EXPECT_EQ(json::parse(single->body)["userIds"][0], "0326150155");
    EXPECT_EQ(a.parse_send(200, {}, R"({"processQueryKey":"q1"})").kind, SendOutcome::Kind::sent);
    EXPECT_EQ(a.parse_send(401, {}, R"({"code":"InvalidAuthentication"})").kind,
              SendOutcome::Kind::refresh_token);
}

// ------------------------------------------------------------------ Feishu

feishu::FeishuConfig fs_config(const std::string& encrypt_key) {
    return {
        "fs", "cli_a1b2c3", "app-secret", "verif-token", encrypt_key, "ou_bot", "http://127.0.0.1:1", 86400s};
}

json fs_event(const std::string& text, const std::string& token = "verif-token") {
    return {{"schema", "2.0"},
            {"header",
             {{"event_id", "5e3702a84e847582be8db7fb73283c02"},
              {"event_type", "im.message.receive_v1"},
              {"create_time", "1700000000000"},
              {"token", token},
              {"app_id", "cli_a1b2c3"}}},
            {"event",
             {{"sender",
               {{"sender_id", {{"open_id", "ou_zhang"}, {"user_id", "e33ggbyz"}}}, {"sender_type", "user"}}},
              {"message",
               {{"message_id", "om_1"},
                {"chat_id", "oc_group"},
                {"chat_type", "group"},
                {"message_type", "text"},
                {"content", json{{"text", text}}.dump()},
                {"mentions",
                 json::array({{{"key", "@_user_1"}, {"id", {{"open_id", "ou_bot"}}}, {"name", "联络员助手"}},
                              {{"key", "@_user_2"}, {"id", {{"open_id", "ou_li"}}}, {"name", "李四"}}})}}}}}};
}

TEST(Feishu, PlainEventsAreCheckedByTheVerificationToken) {
    const feishu::FeishuAdapter a(fs_config(""));
    const TimePoint now(std::chrono::seconds(1'700'000'100));
    const auto r = a.on_webhook(post(fs_event("@_user_1 填报 请 @_user_2 也看看").dump(), {}), now);
    ASSERT_TRUE(r && r->event) << (r ? "" : r.error().message());
    EXPECT_EQ(r->event->text, "填报 请 @李四 也看看");
    EXPECT_EQ(r->event->user_id, "ou_zhang");
    EXPECT_EQ(r->event->chat_id, "oc_group");
    EXPECT_TRUE(r->event->addressed);
    EXPECT_EQ(r->event->dedupe_key, "feishu:fs:5e3702a84e847582be8db7fb73283c02");
    EXPECT_EQ(a.on_webhook(post(fs_event("x", "forged").dump(), {}), now).error(),
              make_error_code(errc::bad_signature));
    const auto challenge = a.on_webhook(
        post(R"({"challenge":"ajls384kdjx98XX","token":"verif-token","type":"url_verification"})", {}), now);
    ASSERT_TRUE(challenge);
    EXPECT_EQ(challenge->response.body, R"({"challenge":"ajls384kdjx98XX"})");
    EXPECT_EQ(
        a.on_webhook(post(R"({"challenge":"x","token":"nope","type":"url_verification"})", {}), now).error(),
        make_error_code(errc::bad_signature));
    auto from_app = fs_event("x");
    from_app["event"]["sender"]["sender_type"] = "app";
    EXPECT_FALSE(a.on_webhook(post(from_app.dump(), {}), now)->event);
    auto other = fs_event("x");
    other["header"]["event_type"] = "im.chat.member.user.added_v1";
    EXPECT_FALSE(a.on_webhook(post(other.dump(), {}), now)->event);
    EXPECT_EQ(a.on_webhook(post("{", {}), now).error(), make_error_code(errc::malformed));
}

TEST(Feishu, EncryptedEventsAreSignedAndDecrypted) {
    const feishu::FeishuAdapter a(fs_config("enc-key-123"));
    const TimePoint now(std::chrono::seconds(1'700'000'100));
    const std::string body = feishu::FeishuAdapter::encrypt("enc-key-123", fs_event("@_user_1 提交").dump());
    const std::vector<std::pair<std::string, std::string>> headers{
        {"x-lark-request-timestamp", "1700000000"},
        {"x-lark-request-nonce", "n0nce"},
        {"x-lark-signature", feishu::FeishuAdapter::sign("1700000000", "n0nce", "enc-key-123", body)}};
    const auto r = a.on_webhook(post(body, headers), now);
    ASSERT_TRUE(r && r->event) << (r ? "" : r.error().message());
    EXPECT_EQ(r->event->text, "提交");
    // One byte changed, a missing signature, a plain body, a wrong key: all refused.
    auto tampered = post(body, headers);
    tampered.body[tampered.body.size() - 3] ^= 1;
    EXPECT_EQ(a.on_webhook(tampered, now).error(), make_error_code(errc::bad_signature));
    EXPECT_EQ(a.on_webhook(post(body, {}), now).error(), make_error_code(errc::bad_signature));
    EXPECT_EQ(a.on_webhook(post(fs_event("x").dump(), {}), now).error(),
              make_error_code(errc::bad_signature));
    // Encrypted with another key but signed with ours: refused — almost always by the padding
    // check (bad signature); once in ~256 random IVs the padding passes and the garbage is
    // refused as malformed. Either way nothing is processed.
    for (int i = 0; i < 64; ++i) {
        const std::string other_key = feishu::FeishuAdapter::encrypt("another-key", fs_event("x").dump());
        const auto refused = a.on_webhook(
            post(other_key,
                 {{"x-lark-request-timestamp", "1"},
                  {"x-lark-request-nonce", "n"},
                  {"x-lark-signature", feishu::FeishuAdapter::sign("1", "n", "enc-key-123", other_key)}}),
            now);
        ASSERT_FALSE(refused);
        EXPECT_TRUE(refused.error() == make_error_code(errc::bad_signature) ||
                    refused.error() == make_error_code(errc::malformed))
            << refused.error().message();
    }
    // Unsigned and encrypted with another key: never anything but a bad signature.
    for (int i = 0; i < 64; ++i) {
        const std::string unsigned_other =
            feishu::FeishuAdapter::encrypt("another-key", R"({"type":"url_verification"})");
        EXPECT_EQ(a.on_webhook(post(unsigned_other, {}), now).error(), make_error_code(errc::bad_signature));
    }
    // The URL check arrives encrypted but unsigned, and is answered in plain JSON.
    const std::string check = feishu::FeishuAdapter::encrypt(
        "enc-key-123", R"({"challenge":"ajls384kdjx98XX","token":"verif-token","type":"url_verification"})");
    const auto c = a.on_webhook(post(check, {}), now);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->response.body, R"({"challenge":"ajls384kdjx98XX"})");
}

TEST(Feishu, TokenAndOutboundDialect) {
    const feishu::FeishuAdapter a(fs_config(""));
    const auto t = a.token_request();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->url, "http://127.0.0.1:1/open-apis/auth/v3/tenant_access_token/internal");
    EXPECT_EQ(json::parse(t->body)["app_id"], "cli_a1b2c3");
    const auto token =
        a.parse_token(200, R"({"code":0,"msg":"ok","tenant_access_token":"t-abc","expire":7200})");
    ASSERT_TRUE(token);
    EXPECT_EQ(token->value, "t-abc");
    EXPECT_EQ(token->lifetime, 7200s);
    EXPECT_FALSE(a.parse_token(200, R"({"code":10003,"msg":"invalid app_secret"})"));
    const auto req =
        a.send_request({"oc_group", "ou_zhang", "张三", "已提交", "liaison-7-p0"}, "", "t-abc", TimePoint{});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->url, "http://127.0.0.1:1/open-apis/im/v1/messages?receive_id_type=chat_id");
    EXPECT_EQ(req->headers[0].second, "Bearer t-abc");
    const auto body = json::parse(req->body);
    EXPECT_EQ(body["receive_id"], "oc_group");
    EXPECT_EQ(body["uuid"], "liaison-7-p0");
    EXPECT_EQ(body["msg_type"], "post");
    EXPECT_EQ(json::parse(body["content"].get<std::string>()),
              json::parse(
                  R"({"zh_cn":{"title":"","content":[[{"tag":"at","user_id":"ou_zhang","user_name":"张三"},)"
                  R"({"tag":"text","text":" 已提交"}]]}})"));
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(a.parse_send(200, {}, R"({"code":0,"msg":"success","data":{}})").kind, Kind::sent);
    EXPECT_EQ(a.parse_send(200, {}, R"({"code":99991663,"msg":"token invalid"})").kind, Kind::refresh_token);
    EXPECT_EQ(a.parse_send(429, {}, "").kind, Kind::retry);
    EXPECT_EQ(a.parse_send(200, {}, R"({"code":230002,"msg":"bot not in chat"})").kind, Kind::failed);
}

// ------------------------------------------------------------------ WeCom

const std::string kWxKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

TEST(WeCom, GroupRobotPostsTextWithMentionsAndReadsItsErrorCodes) {
    const wecom::WeComRobotAdapter robot("robot", "KEY-1", "https://qyapi.weixin.qq.com");
    EXPECT_TRUE(robot.pushes());
    EXPECT_FALSE(robot.direct_messages());
    EXPECT_EQ(robot.max_text_bytes(), 2048u);
    EXPECT_FALSE(robot.on_webhook(HttpRequest{}, TimePoint{})) << "outbound only";
    Message m{.chat_id = "group-1",
              .mention_user_id = "zhangsan",
              .mention_name = "张三",
              .text = "<a href=x>请报送</a>"};
    auto r = robot.send_request(m, "", "", TimePoint{});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1");
    const auto body = nlohmann::json::parse(r->body);
    EXPECT_EQ(body["msgtype"], "text");
    EXPECT_EQ(body["text"]["mentioned_list"], nlohmann::json::array({"zhangsan"}));
    EXPECT_EQ(body["text"]["content"], dialect::wecom_text("<a href=x>请报送</a>"));
    m.mention_user_id.clear();
    EXPECT_EQ(nlohmann::json::parse(robot.send_request(m, "", "", TimePoint{})->body)["text"]["content"]
                  .get<std::string>()
                  .rfind("@张三 ", 0),
              0u)
        << "no account there: named, not mentioned";
    m.direct = true;
    EXPECT_FALSE(robot.send_request(m, "", "", TimePoint{})) << "a robot cannot message a person";
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(robot.parse_send(200, {}, R"({"errcode":0,"errmsg":"ok"})").kind, Kind::sent);
    const auto throttled = robot.parse_send(200, {}, R"({"errcode":45009,"errmsg":"api freq out of limit"})");
    EXPECT_EQ(throttled.kind, Kind::retry);
    EXPECT_EQ(throttled.retry_after, std::chrono::seconds(60));
    EXPECT_EQ(robot.parse_send(200, {}, R"({"errcode":93000,"errmsg":"invalid webhook url"})").kind,
              Kind::failed);
    EXPECT_EQ(robot.parse_send(502, {}, "").kind, Kind::retry);
    EXPECT_EQ(robot.parse_send(200, {}, "not json").kind, Kind::retry);
}

/// HMAC-SHA256 then Base64 with OpenSSL directly: an implementation independent of crypto::.
std::string openssl_hmac_b64(const std::string& key, const std::string& msg) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(),
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(msg.data()),
         msg.size(),
         mac,
         &len);
    unsigned char out[128];
    const int n = EVP_EncodeBlock(out, mac, static_cast<int>(len));
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

TEST(CustomRobots, DingTalkSignsTheUrlAndMentionsByUserId) {
    const std::string secret = "SEC1a2b3c4d5e6f";
    const dingtalk::DingTalkRobotAdapter robot("tok123", secret, "https://oapi.dingtalk.com");
    EXPECT_TRUE(robot.pushes());
    EXPECT_FALSE(robot.on_webhook(HttpRequest{}, TimePoint{}));
    const TimePoint now{std::chrono::milliseconds(1577262236757)};
    const Message m{
        .chat_id = "g", .mention_user_id = "0326150155", .mention_name = "张三", .text = "请报送"};
    const auto r = robot.send_request(m, "", "", now);
    ASSERT_TRUE(r);
    std::string expected_sign;
    for (const char c : openssl_hmac_b64(secret, "1577262236757\n" + secret)) {
        expected_sign += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    }
    EXPECT_EQ(r->url,
              "https://oapi.dingtalk.com/robot/send?access_token=tok123&timestamp=1577262236757&sign=" +
                  expected_sign);
    const auto body = json::parse(r->body);
    EXPECT_EQ(body["msgtype"], "text");
    EXPECT_EQ(body["text"]["content"], "@0326150155 请报送");
    EXPECT_EQ(body["at"]["atUserIds"], json::array({"0326150155"}));
    const dingtalk::DingTalkRobotAdapter unsigned_robot("tok123", "", "https://oapi.dingtalk.com");
    EXPECT_EQ(unsigned_robot.send_request(m, "", "", now)->url,
              "https://oapi.dingtalk.com/robot/send?access_token=tok123");
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(robot.parse_send(200, {}, R"({"errcode":0,"errmsg":"ok"})").kind, Kind::sent);
    EXPECT_EQ(robot.parse_send(200, {}, R"({"errcode":130101,"errmsg":"send too fast"})").retry_after,
              std::chrono::seconds(600));
    EXPECT_EQ(robot.parse_send(200, {}, R"({"errcode":310000,"errmsg":"sign not match"})").kind,
              Kind::failed);
}

TEST(CustomRobots, FeishuSignsTheBodyWithTheTimestampAsKey) {
    const std::string secret = "fs-robot-secret";
    const feishu::FeishuRobotAdapter robot("6b5c-uuid", secret, "https://open.feishu.cn");
    const TimePoint now{std::chrono::seconds(1599360473)};
    const Message m{.chat_id = "g",
                    .mention_user_id = "ou_zhang",
                    .mention_name = "张三",
                    .text = "<at user_id=\"all\">x</at>"};
    const auto r = robot.send_request(m, "", "", now);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, "https://open.feishu.cn/open-apis/bot/v2/hook/6b5c-uuid");
    const auto body = json::parse(r->body);
    EXPECT_EQ(body["timestamp"], "1599360473");
    EXPECT_EQ(body["sign"], openssl_hmac_b64("1599360473\n" + secret, "")) << "the key is timestamp + secret";
    EXPECT_EQ(body["msg_type"], "post");
    ASSERT_TRUE(body["content"].is_object()) << "an object for custom bots, not a string";
    const auto& runs = body["content"]["post"]["zh_cn"]["content"][0];
    EXPECT_EQ(runs[0]["tag"], "at");
    EXPECT_EQ(runs[0]["user_id"], "ou_zhang");
    EXPECT_EQ(runs[1]["tag"], "text") << "what was typed stays text, never a tag";
    using Kind = SendOutcome::Kind;
    EXPECT_EQ(robot.parse_send(200, {}, R"({"code":0,"msg":"success","data":{}})").kind, Kind::sent);
    EXPECT_EQ(robot.parse_send(200, {}, R"({"StatusCode":0,"StatusMessage":"success"})").kind, Kind::sent);
    EXPECT_EQ(robot.parse_send(200, {}, R"({"code":19021,"msg":"sign match fail"})").kind, Kind::failed);
    EXPECT_EQ(robot.parse_send(200, {}, R"({"code":9499,"msg":"too many request"})").kind, Kind::retry);
}

TEST(WeCom, VendorUrlVerificationVector) {
    const wecom::WeComAppAdapter a(
        {"wx", "QDG6eK", kWxKey, "wx5823bf96d3bd56c7", "secret", "218", "http://127.0.0.1:1", 86400s});
    HttpRequest r;
    r.method = "GET";
    r.query =
        "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr="
        "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    const auto ok = a.on_webhook(r, TimePoint{});
    ASSERT_TRUE(ok) << ok.error().message();
    EXPECT_EQ(ok->response.body, "1616140317555161061");
    EXPECT_EQ(ok->response.content_type, "text/plain");
    auto bad = r;
    bad.query.replace(bad.query.find("5c45ff"), 6, "5c45fe");
    EXPECT_EQ(a.on_webhook(bad, TimePoint{}).error(), make_error_code(errc::bad_signature));
    // Another corp id: the signature is right but the message is not for us.
    const wecom::WeComAppAdapter other(
        {"wx", "QDG6eK", kWxKey, "wwOTHERCORP", "secret", "218", "http://127.0.0.1:1", 86400s});
    EXPECT_EQ(other.on_webhook(r, TimePoint{}).error(), make_error_code(errc::bad_signature));
}

TEST(WeCom, VendorPostDecryptVectorWithPadByte30) {
    const wecom::WeComAppAdapter a(
        {"wx", "QDG6eK", kWxKey, "wx5823bf96d3bd56c7", "secret", "218", "http://127.0.0.1:1", 86400s});
    const std::string encrypt =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/"
        "0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUk"
        "SUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+"
        "LtwGc2hgf5gsijff0ek"
        "UNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+"
        "BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0"
        "+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/"
        "T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R"
        "07+qN+E7Q==";
    EXPECT_EQ(a.crypt().signature("1409659813", "1372623149", encrypt),
              "477715d11cdb4164915debcba66cb864d751f3e6");
    HttpRequest r;
    r.method = "POST";
    r.query = "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";
    r.body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + encrypt +
             "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
    const auto ok = a.on_webhook(r, TimePoint{});
    ASSERT_TRUE(ok && ok->event) << (ok ? "no event" : ok.error().message());
    EXPECT_EQ(ok->event->user_id, "mycreate");
    EXPECT_EQ(ok->event->chat_id, "mycreate");
    EXPECT_EQ(ok->event->reply_context, "member") << "its replies go to the member";
    EXPECT_EQ(ok->event->text, "hello");
    EXPECT_EQ(ok->event->dedupe_key, "wecom_app:wx:4561255354251345929");
    auto tampered = r;
    tampered.body[tampered.body.find("RypE") + 10] ^= 1;
    EXPECT_EQ(a.on_webhook(tampered, TimePoint{}).error(), make_error_code(errc::bad_signature));
    auto no_encrypt = r;
    no_encrypt.body = "<xml><Nothing/></xml>";
    EXPECT_EQ(a.on_webhook(no_encrypt, TimePoint{}).error(), make_error_code(errc::malformed));
}

TEST(WeCom, TheAppRepliesToItsMemberAndPostsToTheGroupChatsItCreated) {
    const wecom::WeComAppAdapter a(
        {"wx", "QDG6eK", kWxKey, "wwcorp", "secret", "1000002", "https://qy.example", 86400s});
    // A reply in a member's own conversation, and a private reminder: message/send to the member.
    const Message reply{
        .chat_id = "zhangsan", .mention_user_id = "zhangsan", .mention_name = "张三", .text = "好"};
    auto r = a.send_request(reply, "", "TOKEN", TimePoint{});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, "https://qy.example/cgi-bin/message/send?access_token=TOKEN");
    EXPECT_EQ(json::parse(r->body)["touser"], "zhangsan");
    Message dm = reply;
    dm.chat_id = "@zhangsan";
    dm.direct = true;
    EXPECT_EQ(json::parse(a.send_request(dm, "", "TOKEN", TimePoint{})->body)["touser"], "zhangsan");
    // A reply that mentions nobody (a coordinator's 周报) in the member's conversation: still to
    // the member, never appchat/send with their user id as a chat id.
    const Message digest{.chat_id = "sunhong", .text = "【联络工作周报】"};
    r = a.send_request(digest, "member", "TOKEN", TimePoint{});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, "https://qy.example/cgi-bin/message/send?access_token=TOKEN");
    EXPECT_EQ(json::parse(r->body)["touser"], "sunhong");
    // A reminder to a roster chat the app created: appchat/send, the officer named in the text.
    const Message group{
        .chat_id = "wxgroup1", .mention_user_id = "zhangsan", .mention_name = "张三", .text = "请报送"};
    r = a.send_request(group, "", "TOKEN", TimePoint{});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, "https://qy.example/cgi-bin/appchat/send?access_token=TOKEN");
    const auto body = json::parse(r->body);
    EXPECT_EQ(body["chatid"], "wxgroup1");
    EXPECT_EQ(body["msgtype"], "text");
    EXPECT_EQ(body["text"]["content"], "@张三 请报送");
    EXPECT_EQ(body["safe"], 0);
    EXPECT_FALSE(body.contains("touser"));
}

TEST(WeCom, EncryptRoundTripAndHostileCiphertexts) {
    const wecom::MsgCrypt c("tok", kWxKey, "corp");
    for (const std::string& msg : {std::string(""),
                                   std::string("x"),
                                   std::string(27, 'a'),
                                   std::string(28, 'b'),
                                   std::string("党建联络信息 <xml/>")}) {
        const auto enc = c.encrypt(msg);
        EXPECT_EQ(c.decrypt(enc).value(), msg);
    }
    EXPECT_FALSE(wecom::MsgCrypt("tok", kWxKey, "another").decrypt(c.encrypt("hi")));
    EXPECT_FALSE(c.decrypt("not base64!"));
    EXPECT_FALSE(c.decrypt(""));
    EXPECT_FALSE(c.decrypt("AAAA"));
    EXPECT_THROW(wecom::MsgCrypt("tok", "short", "corp"), std::invalid_argument);
    EXPECT_EQ(wecom::xml_field("<a><b>1 &lt; 2 &amp; &xxe;</b></a>", "b"), "1 < 2 & &xxe;");
    EXPECT_EQ(wecom::xml_field("<Content><![CDATA[<b>hi</b>]]></Content>", "Content"), "<b>hi</b>");
    EXPECT_FALSE(wecom::xml_field("<Content><![CDATA[open", "Content"));
}

TEST(WeCom, AiBotJsonMessagesAndResponseUrl) {
    const wecom::WeComAiBotAdapter a({"ai", "QDG6eK", kWxKey, 86400s});
    const json msg{{"msgid", "CAIQ16HMjQYY"},
                   {"aibotid", "AIBOTID"},
                   {"chatid", "CHAT1"},
                   {"chattype", "group"},
                   {"from", {{"userid", "zhangsan"}}},
                   {"response_url", "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1"},
                   {"msgtype", "text"},
                   {"text", {{"content", "@联络员助手 填报"}}}};
    const std::string enc = a.crypt().encrypt(msg.dump());
    HttpRequest r;
    r.method = "POST";
    r.query =
        "msg_signature=" + a.crypt().signature("1700000000", "n1", enc) + "&timestamp=1700000000&nonce=n1";
    r.body = json{{"encrypt", enc}}.dump();
    const auto ok = a.on_webhook(r, TimePoint{});
    ASSERT_TRUE(ok && ok->event) << (ok ? "no event" : ok.error().message());
    EXPECT_EQ(ok->event->chat_id, "CHAT1");
    EXPECT_EQ(ok->event->user_id, "zhangsan");
    EXPECT_EQ(ok->event->text, "@联络员助手 填报");
    EXPECT_EQ(json::parse(ok->event->reply_context)["response_url"],
              "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1");
    const auto req =
        a.send_request({"CHAT1", "zhangsan", "张三", "已提交"}, ok->event->reply_context, "", TimePoint{});
    ASSERT_TRUE(req);
    EXPECT_EQ(req->url, "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1");
    EXPECT_EQ(json::parse(req->body)["markdown"]["content"], "@张三 已提交");
    EXPECT_FALSE(a.send_request({"c", "u", "n", "t"}, R"({"response_url":"ftp://x"})", "", TimePoint{}));
    auto wrong = r;
    wrong.query = "msg_signature=" + std::string(40, '0') + "&timestamp=1700000000&nonce=n1";
    EXPECT_EQ(a.on_webhook(wrong, TimePoint{}).error(), make_error_code(errc::bad_signature));
    EXPECT_EQ(a.parse_send(200, {}, R"({"errcode":0,"errmsg":"ok"})").kind, SendOutcome::Kind::sent);
}

}  // namespace
}  // namespace bot::adapters
