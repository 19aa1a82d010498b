#include "adapters/feishu/feishu_robot.hpp"

#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"

#include <nlohmann/json.hpp>

namespace bot::adapters::feishu {

using json = nlohmann::json;

FeishuRobotAdapter::FeishuRobotAdapter(std::string hook, std::string secret, std::string api_base)
    : hook_(std::move(hook)), secret_(std::move(secret)), api_base_(std::move(api_base)) {}

std::string FeishuRobotAdapter::sign(std::string_view timestamp_s, std::string_view secret) {
    std::string key(timestamp_s);
    key += '\n';
    key += secret;
    return crypto::base64(crypto::hmac_sha256(key, ""));
}

result<OutboundRequest> FeishuRobotAdapter::send_request(const Message& message,
                                                         std::string_view /*context*/,
                                                         std::string_view /*token*/,
                                                         TimePoint now) const {
    if (message.direct) {
        return errc::invalid_argument;  // a robot speaks in its group only
    }
    // Text runs of a post, as the app sends: nothing typed becomes a tag (dialect::feishu_post).
    json body{
        {"msg_type", "post"},
        {"content",
         {{"post", dialect::feishu_post(message.text, message.mention_user_id, message.mention_name)}}}};
    if (message.mention_user_id.empty() && !message.mention_name.empty()) {
        auto& first = body["content"]["post"]["zh_cn"]["content"][0][0]["text"];
        first = "@" + dialect::plain(message.mention_name) + " " + first.get<std::string>();
    }
    if (!secret_.empty()) {
        const std::string s =
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
        body["timestamp"] = s;
        body["sign"] = sign(s, secret_);
    }
    OutboundRequest r;
    r.url = api_base_ + "/open-apis/bot/v2/hook/" + hook_;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body.dump();
    return r;
}

SendOutcome FeishuRobotAdapter::parse_send(
    unsigned status,
    const std::vector<std::pair<std::string, std::string>>& /*headers*/,
    std::string_view body) const {
    using Kind = SendOutcome::Kind;
    const auto answered = answer(status, body);
    if (!answered) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    const json& j = *answered;
    // {"code":0,"msg":"success"}; older answers carry StatusCode instead.
    const long code = j.contains("code") ? code_of(j, "code") : code_of(j, "StatusCode");
    const std::string msg = text_of(j, "msg");
    if (code == 0) {
        return {};
    }
    if (code == 9499 || code == 11232 || code == -1) {  // too many requests
        return {Kind::retry, std::chrono::seconds(60), std::to_string(code) + " " + msg};
    }
    // 19021: the sign does not match or the timestamp is over an hour off; 19001: a wrong hook.
    return {Kind::failed, {}, std::to_string(code) + " " + msg};
}

}  // namespace bot::adapters::feishu
