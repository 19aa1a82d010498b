// Every adapter's verify + parse, with the input as the body of a correctly signed (and, where
// the platform encrypts, encrypted) request, so that parsing is reached; then the answer and a
// reply to the parsed event are built. The first byte picks the platform.
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "tests/fuzz/fuzz.hpp"

#include <memory>
#include <string>

namespace {

using namespace std::chrono_literals;
using namespace bot;
using namespace bot::adapters;

const TimePoint kNow{std::chrono::seconds(1'800'000'000)};
const std::string kTs = "1800000000";
const std::string kTsMs = "1800000000000";
const std::string kKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

HttpRequest post(std::string body, std::vector<std::pair<std::string, std::string>> headers, std::string query = {}) {
    HttpRequest r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.query = std::move(query);
    return r;
}

/// The request for platform `which` carrying `body`, and the adapter that reads it.
std::pair<std::unique_ptr<Adapter>, HttpRequest> signed_request(unsigned which, const std::string& body) {
    switch (which % 7) {
        case 0:
            return {std::make_unique<webhook::WebhookAdapter>("wh", "secret", 300s, 86400s, "http://127.0.0.1:9/cb"),
                    post(body,
                         {{"x-liaison-timestamp", kTs},
                          {"x-liaison-signature", webhook::WebhookAdapter::sign("secret", kTs, body)}})};
        case 1:
            return {std::make_unique<slack::SlackAdapter>(
                        slack::SlackConfig{"sl", "signing", "xoxb", "U0BOT", "http://127.0.0.1:9/api", 300s, 86400s}),
                    post(body,
                         {{"x-slack-request-timestamp", kTs},
                          {"x-slack-signature", slack::SlackAdapter::sign("signing", kTs, body)}})};
        case 2:
            return {std::make_unique<telegram::TelegramAdapter>(
                        telegram::TelegramConfig{"tg", "s3cr3t", "123:ABC", "LiaisonBot", "http://127.0.0.1:9", 86400s}),
                    post(body, {{"x-telegram-bot-api-secret-token", "s3cr3t"}})};
        case 3:
            return {std::make_unique<dingtalk::DingTalkAdapter>(dingtalk::DingTalkConfig{
                        "dt", "app-secret", "https://oapi.dingtalk.com", 3600s, 86400s, "", "https://api.dingtalk.com"}),
                    post(body, {{"timestamp", kTsMs}, {"sign", dingtalk::DingTalkAdapter::sign("app-secret", kTsMs)}})};
        case 4:
            return {std::make_unique<feishu::FeishuAdapter>(feishu::FeishuConfig{
                        "fs", "cli", "secret", "verif-token", "", "ou_bot", "http://127.0.0.1:9", 86400s}),
                    post(body, {})};
        case 5: {
            auto a = std::make_unique<wecom::WeComAiBotAdapter>(wecom::WeComAiBotConfig{"ai", "tok", kKey, 86400s});
            const std::string enc = a->crypt().encrypt(body, "0123456789abcdef");
            const std::string envelope = R"({"encrypt":")" + enc + R"("})";
            std::string query = "msg_signature=" + a->crypt().signature(kTs, "n1", enc) + "&timestamp=" + kTs + "&nonce=n1";
            return {std::move(a), post(envelope, {}, std::move(query))};
        }
        default: {
            auto a = std::make_unique<wecom::WeComAppAdapter>(wecom::WeComAppConfig{
                "wx", "tok", kKey, "wwcorp", "secret", "218", "http://127.0.0.1:9", 86400s});
            const std::string enc = a->crypt().encrypt(body, "0123456789abcdef");
            const std::string envelope = "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><Encrypt><![CDATA[" + enc +
                                         "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
            std::string query = "msg_signature=" + a->crypt().signature(kTs, "n1", enc) + "&timestamp=" + kTs + "&nonce=n1";
            return {std::move(a), post(envelope, {}, std::move(query))};
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string body(fuzz_bytes(data + 1, size - 1));
    auto [adapter, request] = signed_request(data[0], body);
    const auto outcome = adapter->on_webhook(request, kNow);
    if (!outcome || !outcome->event) {
        return 0;
    }
    const InboundEvent& e = *outcome->event;
    LIAISON_FUZZ_CHECK(e.text.size() <= kMaxTextBytes);
    LIAISON_FUZZ_CHECK(!e.dedupe_key.empty());
    const Message reply{.chat_id = e.chat_id,
                        .mention_user_id = e.user_id,
                        .mention_name = e.user_name,
                        .text = e.text,
                        .bot_id = e.bot_id};
    (void)adapter->acknowledge(e, false, {reply});
    (void)adapter->send_request(reply, e.reply_context, "token", kNow);
    return 0;
}
