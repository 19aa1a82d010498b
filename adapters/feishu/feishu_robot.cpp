#include "adapters/feishu/feishu_robot.hpp"

#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/feishu/feishu_adapter.hpp"

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
    json post = post_of(message);
    if (message.mention_user_id.empty() && !message.mention_name.empty()) {
        // No open id to @-mention by: the name, as text, opens the first paragraph.
        auto& paragraphs = post["zh_cn"]["content"];
        if (paragraphs.empty()) {
            paragraphs.push_back(json::array());
        }
        paragraphs[0].insert(
            paragraphs[0].begin(),
            json{{"tag", "text"}, {"text", "@" + dialect::plain(message.mention_name) + " "}});
    }
    json body{{"msg_type", "post"}, {"content", {{"post", std::move(post)}}}};
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

std::size_t FeishuRobotAdapter::rendered_bytes(const Doc& doc) const {
    return post_bytes(doc);
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
