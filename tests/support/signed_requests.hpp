#pragma once

// Every platform of the registry (adapters/registry.cpp) with an adapter under test values, a
// correctly signed (and, where the platform encrypts, encrypted) request around any body, and a
// valid message body: what the hostile-input test mutates and the adapter fuzz target drives.
// `RegistryCoverage.EveryPlatformHasASignedRequest` fails when a platform of the registry is
// missing here, so a new platform cannot skip them.
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/dingtalk/dingtalk_robot.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/feishu/feishu_robot.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "adapters/wecom/wecom_robot.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot::test {

struct SignedPlatform {
    std::string_view platform;
    /// The adapter under test values.
    std::function<std::unique_ptr<Adapter>()> make;
    /// A request `adapter` (made by `make`) accepts as authentic, carrying `body`; empty for an
    /// outbound-only platform (a group robot), which refuses every request.
    std::function<HttpRequest(const Adapter& adapter, const std::string& body)> request;
    /// A message body the platform sends when a person writes to the bot (empty: outbound only).
    std::string sample;
};

namespace signed_detail {

using namespace std::chrono_literals;

inline const std::string kTs = "1800000000";
inline const std::string kTsMs = "1800000000000";
inline const std::string kKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

inline HttpRequest post(std::string body,
                        std::vector<std::pair<std::string, std::string>> headers,
                        std::string query = {}) {
    HttpRequest r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.query = std::move(query);
    return r;
}

/// WeCom's envelope: the body encrypted with the bot's key, signed in the query.
template <class A>
HttpRequest wecom(const Adapter& adapter, const std::string& body, bool xml) {
    const auto& crypt = dynamic_cast<const A&>(adapter).crypt();
    const std::string enc = crypt.encrypt(body, "0123456789abcdef");
    std::string query =
        "msg_signature=" + crypt.signature(kTs, "n1", enc) + "&timestamp=" + kTs + "&nonce=n1";
    std::string envelope = xml ? "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><Encrypt><![CDATA[" + enc +
                                     "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
                               : R"({"encrypt":")" + enc + R"("})";
    return post(std::move(envelope), {}, std::move(query));
}

}  // namespace signed_detail

/// In the order the adapter fuzz corpus was made with (its first byte picks the platform).
inline const std::vector<SignedPlatform>& signed_platforms() {
    using namespace signed_detail;
    using namespace adapters;
    static const std::vector<SignedPlatform> all{
        {"webhook",
         [] {
             return std::make_unique<webhook::WebhookAdapter>(
                 "wh", "secret", 300s, 86400s, "http://127.0.0.1:9/cb");
         },
         [](const Adapter&, const std::string& body) {
             return post(body,
                         {{"x-liaison-timestamp", kTs},
                          {"x-liaison-signature", webhook::WebhookAdapter::sign("secret", kTs, body)}});
         },
         R"({"event_id":"e-1","chat":"c","user":"u","user_name":"张三","text":"填报\n第二行"})"},
        {"slack",
         [] {
             return std::make_unique<slack::SlackAdapter>(slack::SlackConfig{
                 "sl", "signing", "xoxb", "U0BOT", "http://127.0.0.1:9/api", 300s, 86400s});
         },
         [](const Adapter&, const std::string& body) {
             return post(body,
                         {{"x-slack-request-timestamp", kTs},
                          {"x-slack-signature", slack::SlackAdapter::sign("signing", kTs, body)}});
         },
         R"({"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{"type":"app_mention",)"
         R"("user":"U123","channel":"C9","text":"<@U0BOT> 填报 &amp; &lt;b&gt;","ts":"1.2"},)"
         R"("authorizations":[{"user_id":"U0BOT","is_bot":true}]})"},
        {"telegram",
         [] {
             return std::make_unique<telegram::TelegramAdapter>(telegram::TelegramConfig{
                 "tg", "s3cr3t", "123:ABC", "LiaisonBot", "http://127.0.0.1:9", 86400s});
         },
         [](const Adapter&, const std::string& body) {
             return post(body, {{"x-telegram-bot-api-secret-token", "s3cr3t"}});
         },
         R"({"update_id":123456789,"message":{"message_id":42,"date":1800000000,"from":{"id":111,)"
         R"("is_bot":false,"first_name":"Zhang"},"chat":{"id":-100123,"type":"supergroup","title":"Ops"},)"
         R"("text":"@LiaisonBot 填报"}})"},
        {"dingtalk",
         [] {
             return std::make_unique<dingtalk::DingTalkAdapter>(
                 dingtalk::DingTalkConfig{"dt",
                                          "app-secret",
                                          "https://oapi.dingtalk.com",
                                          3600s,
                                          86400s,
                                          "",
                                          "https://api.dingtalk.com"});
         },
         [](const Adapter&, const std::string& body) {
             return post(
                 body,
                 {{"timestamp", kTsMs}, {"sign", dingtalk::DingTalkAdapter::sign("app-secret", kTsMs)}});
         },
         R"({"conversationId":"cid1","conversationType":"2","msgId":"m1","msgtype":"text",)"
         R"("text":{"content":"填报"},"senderId":"s1","senderNick":"张三","senderStaffId":"0326150155",)"
         R"("isInAtList":true,"sessionWebhook":"https://oapi.dingtalk.com/robot/sendBySession?session=abc",)"
         R"("sessionWebhookExpiredTime":1800005400000})"},
        {"feishu",
         [] {
             return std::make_unique<feishu::FeishuAdapter>(feishu::FeishuConfig{
                 "fs", "cli", "secret", "verif-token", "", "ou_bot", "http://127.0.0.1:9", 86400s});
         },
         [](const Adapter&, const std::string& body) { return post(body, {}); },
         R"({"schema":"2.0","header":{"event_id":"5e37","event_type":"im.message.receive_v1",)"
         R"("create_time":"1800000000000","token":"verif-token","app_id":"cli"},"event":{"sender":)"
         R"({"sender_id":{"open_id":"ou_zhang"},"sender_type":"user"},"message":{"message_id":"om_1",)"
         R"("chat_id":"oc_group","chat_type":"group","message_type":"text","content":"{\"text\":\"@_user_1 填报\"}",)"
         R"("mentions":[{"key":"@_user_1","id":{"open_id":"ou_bot"},"name":"联络员助手"}]}}})"},
        {"wecom_aibot",
         [] {
             return std::make_unique<wecom::WeComAiBotAdapter>(
                 wecom::WeComAiBotConfig{"ai", "tok", kKey, 86400s});
         },
         [](const Adapter& a, const std::string& body) {
             return wecom<wecom::WeComAiBotAdapter>(a, body, false);
         },
         R"({"msgid":"CAIQ16HMjQYY","aibotid":"AIBOTID","chatid":"CHAT1","chattype":"group",)"
         R"("from":{"userid":"zhangsan"},"response_url":"https://qyapi.weixin.qq.com/cgi-bin/aibot/response?x=1",)"
         R"("msgtype":"text","text":{"content":"@联络员助手 填报"}})"},
        {"wecom_app",
         [] {
             return std::make_unique<wecom::WeComAppAdapter>(wecom::WeComAppConfig{
                 "wx", "tok", kKey, "wwcorp", "secret", "218", "http://127.0.0.1:9", 86400s});
         },
         [](const Adapter& a, const std::string& body) {
             return wecom<wecom::WeComAppAdapter>(a, body, true);
         },
         "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
         "<CreateTime>1800000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[填报]]>"
         "</Content><MsgId>1234567890</MsgId><AgentID>218</AgentID></xml>"},
        {"wecom_robot",
         [] { return std::make_unique<wecom::WeComRobotAdapter>("wr", "key", "http://127.0.0.1:9"); },
         {},
         {}},
        {"dingtalk_robot",
         [] {
             return std::make_unique<dingtalk::DingTalkRobotAdapter>("token", "secret", "http://127.0.0.1:9");
         },
         {},
         {}},
        {"feishu_robot",
         [] { return std::make_unique<feishu::FeishuRobotAdapter>("hook", "secret", "http://127.0.0.1:9"); },
         {},
         {}},
    };
    return all;
}

/// The platforms that receive messages (those with a signed request), in the table's order.
inline std::vector<const SignedPlatform*> receiving_platforms() {
    std::vector<const SignedPlatform*> out;
    for (const auto& p : signed_platforms()) {
        if (p.request) {
            out.push_back(&p);
        }
    }
    return out;
}

}  // namespace bot::test
