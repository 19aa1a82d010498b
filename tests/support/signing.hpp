#pragma once

#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace bot::test {

/// Headers that sign `body` for the demo webhook adapter at the current time (or `at`).
inline std::vector<std::pair<std::string, std::string>> webhook_headers(
    const std::string& secret,
    const std::string& body,
    std::chrono::system_clock::time_point at = std::chrono::system_clock::now()) {
    const std::string ts =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    return {{"X-Liaison-Timestamp", ts},
            {"X-Liaison-Signature", adapters::webhook::WebhookAdapter::sign(secret, ts, body)},
            {"Content-Type", "application/json"}};
}

inline std::string webhook_body(const std::string& event_id, const std::string& text = "hello") {
    return R"({"event_id":")" + event_id +
           R"(","chat":"demo-group","user":"u-zhangsan","user_name":"张三","text":")" + text + R"("})";
}

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// A body and the headers that sign it.
struct Signed {
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Feishu's encrypted body for `plaintext`, signed with `encrypt_key` at the current time.
inline Signed feishu_signed(const std::string& encrypt_key, const std::string& plaintext, bool sign = true) {
    Signed out{adapters::feishu::FeishuAdapter::encrypt(encrypt_key, plaintext),
               {{"Content-Type", "application/json"}}};
    if (sign) {
        const std::string ts = std::to_string(unix_now());
        const std::string nonce = "nonce-" + std::to_string(std::hash<std::string>{}(plaintext)) + "-" + ts;
        out.headers.emplace_back("X-Lark-Request-Timestamp", ts);
        out.headers.emplace_back("X-Lark-Request-Nonce", nonce);
        out.headers.emplace_back("X-Lark-Signature",
                                 adapters::feishu::FeishuAdapter::sign(ts, nonce, encrypt_key, out.body));
    }
    return out;
}

/// A Feishu im.message.receive_v1 event: `open_id` says `text` in the group `chat`, @-mentioning
/// the bot "ou_bot".
inline std::string feishu_message(const std::string& token,
                                  const std::string& event_id,
                                  const std::string& open_id,
                                  const std::string& chat,
                                  const std::string& text) {
    using json = nlohmann::json;
    const json event{
        {"schema", "2.0"},
        {"header", {{"event_id", event_id}, {"event_type", "im.message.receive_v1"}, {"token", token}}},
        {"event",
         {{"sender", {{"sender_id", {{"open_id", open_id}}}, {"sender_type", "user"}}},
          {"message",
           {{"message_id", "om_" + event_id},
            {"chat_id", chat},
            {"chat_type", "group"},
            {"message_type", "text"},
            {"content", json{{"text", "@_user_1 " + text}}.dump()},
            {"mentions",
             json::array(
                 {{{"key", "@_user_1"}, {"id", {{"open_id", "ou_bot"}}}, {"name", "联络员助手"}}})}}}}}};
    return event.dump();
}

}  // namespace bot::test
