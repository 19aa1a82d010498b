#include "adapters/dingtalk/dingtalk_robot.hpp"

#include "adapters/common/dialect.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"

#include <nlohmann/json.hpp>

namespace bot::adapters::dingtalk {

using json = nlohmann::json;

DingTalkRobotAdapter::DingTalkRobotAdapter(std::string access_token, std::string secret, std::string api_base)
    : access_token_(std::move(access_token)), secret_(std::move(secret)), api_base_(std::move(api_base)) {}

std::string DingTalkRobotAdapter::url_sign(std::string_view secret, std::string_view timestamp_ms) {
    std::string out;
    for (const char c : DingTalkAdapter::sign(secret, timestamp_ms)) {
        switch (c) {
            case '+':
                out += "%2B";
                break;
            case '/':
                out += "%2F";
                break;
            case '=':
                out += "%3D";
                break;
            default:
                out += c;
        }
    }
    return out;
}

result<OutboundRequest> DingTalkRobotAdapter::send_request(const Message& message,
                                                           std::string_view /*context*/,
                                                           std::string_view /*token*/,
                                                           TimePoint now) const {
    if (message.direct) {
        return errc::invalid_argument;  // a robot speaks in its group only
    }
    std::string text;
    if (!message.mention_user_id.empty()) {
        text = "@" + message.mention_user_id + " ";
    } else if (!message.mention_name.empty()) {
        text = "@" + dialect::plain(message.mention_name) + " ";
    }
    text += message.doc ? dialect::dingtalk_markdown(*message.doc) : dialect::plain(message.text);
    json body = message.doc ? json{{"msgtype", "markdown"},
                                   {"markdown", {{"title", dialect::summary(*message.doc)}, {"text", text}}}}
                            : json{{"msgtype", "text"}, {"text", {{"content", text}}}};
    if (!message.mention_user_id.empty()) {
        body["at"] = {{"atUserIds", json::array({message.mention_user_id})}, {"isAtAll", false}};
    }
    OutboundRequest r;
    r.url = api_base_ + "/robot/send?access_token=" + access_token_;
    if (!secret_.empty()) {
        const std::string ms = std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
        r.url += "&timestamp=" + ms + "&sign=" + url_sign(secret_, ms);
    }
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body.dump();
    return r;
}

std::size_t DingTalkRobotAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::dingtalk_markdown(doc).size() + 80;  // and the mention
}

SendOutcome DingTalkRobotAdapter::parse_send(
    unsigned status,
    const std::vector<std::pair<std::string, std::string>>& /*headers*/,
    std::string_view body) const {
    using Kind = SendOutcome::Kind;
    const auto answered = answer(status, body);
    if (!answered) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    const json& j = *answered;
    const long code = code_of(j, "errcode");
    const std::string msg = text_of(j, "errmsg");
    if (code == 0) {
        return {};
    }
    if (code == 130101 || code == -1) {  // "send too fast": throttled for up to 10 minutes
        return {Kind::retry, std::chrono::seconds(code == -1 ? 60 : 600), std::to_string(code) + " " + msg};
    }
    // 310000: the sign does not match (or the keyword is missing); 300001: a wrong token.
    return {Kind::failed, {}, std::to_string(code) + " " + msg};
}

}  // namespace bot::adapters::dingtalk
