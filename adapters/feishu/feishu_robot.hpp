#pragma once

#include "adapters/common/robot.hpp"

#include <string>

namespace bot::adapters::feishu {

/// A Feishu custom group bot (自定义机器人, "platform": "feishu_robot"): outbound only, for
/// reminders and digests to a group where the app bot is not.
///
///   POST {api_base}/open-apis/bot/v2/hook/HOOK
///   {"timestamp":"S","sign":"…","msg_type":"post","content":{"post":{"zh_cn":{…}}}}
///
/// `content` is an object here (a string for the app's API). With signing, sign =
/// Base64(HMAC-SHA256(key = S + "\n" + secret, message = "")), S in seconds.
/// ../shared/protocols.md §3.7.
class FeishuRobotAdapter final : public GroupRobot {
public:
    /// `hook`: the last part of the webhook URL; `secret`: the signing secret, or empty.
    FeishuRobotAdapter(std::string hook, std::string secret, std::string api_base);

    std::string_view platform() const noexcept override { return "feishu_robot"; }
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint now) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 20000; }
    std::size_t rendered_bytes(const Doc& doc) const override;
    /// 100 a minute and 5 a second per bot.
    double per_chat_per_minute() const noexcept override { return 100; }

    static std::string sign(std::string_view timestamp_s, std::string_view secret);

private:
    std::string hook_;
    std::string secret_;
    std::string api_base_;
};

}  // namespace bot::adapters::feishu
