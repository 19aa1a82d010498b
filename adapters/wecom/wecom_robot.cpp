#include "adapters/wecom/wecom_robot.hpp"

#include "adapters/common/dialect.hpp"

#include <nlohmann/json.hpp>

namespace bot::adapters::wecom {

using json = nlohmann::json;

WeComRobotAdapter::WeComRobotAdapter(std::string bot_id, std::string key, std::string api_base)
    : bot_id_(std::move(bot_id)), key_(std::move(key)), api_base_(std::move(api_base)) {}

result<OutboundRequest> WeComRobotAdapter::send_request(const Message& message,
                                                        std::string_view /*context*/,
                                                        std::string_view /*token*/,
                                                        TimePoint /*now*/) const {
    if (message.direct) {
        return errc::invalid_argument;  // a robot speaks in its group only
    }
    if (message.doc) {
        // Markdown (≤ 4096 bytes): a bold title and headings. Its mentions are inline <@userid>;
        // mentioned_list is for text messages only.
        std::string content;
        if (!message.mention_user_id.empty()) {
            content = "<@" + dialect::wecom_markdown(message.mention_user_id) + "> ";
        } else if (!message.mention_name.empty()) {
            content = "@" + dialect::wecom_markdown(message.mention_name) + " ";
        }
        content += dialect::wecom_markdown(*message.doc);
        OutboundRequest r;
        r.url = api_base_ + "/cgi-bin/webhook/send?key=" + key_;
        r.headers = {{"Content-Type", "application/json"}};
        r.body = json{{"msgtype", "markdown"}, {"markdown", {{"content", std::move(content)}}}}.dump();
        return r;
    }
    json text{{"content", dialect::wecom_text(message.text)}};
    if (!message.mention_user_id.empty()) {
        // WeCom adds the @-mention of a userid in mentioned_list itself.
        text["mentioned_list"] = json::array({message.mention_user_id});
    } else if (!message.mention_name.empty()) {
        text["content"] =
            "@" + dialect::wecom_text(message.mention_name) + " " + text["content"].get<std::string>();
    }
    OutboundRequest r;
    r.url = api_base_ + "/cgi-bin/webhook/send?key=" + key_;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = json{{"msgtype", "text"}, {"text", std::move(text)}}.dump();
    return r;
}

std::size_t WeComRobotAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::wecom_markdown(doc).size() + 80;  // and the mention
}

SendOutcome WeComRobotAdapter::parse_send(unsigned status,
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
    if (code == 45009 || code == -1) {  // over 20 a minute; system busy
        return {Kind::retry, std::chrono::seconds(60), std::to_string(code) + " " + msg};
    }
    // 93000: the key is wrong or the robot was removed from its group — retrying will not help.
    return {Kind::failed, {}, std::to_string(code) + " " + msg};
}

}  // namespace bot::adapters::wecom
