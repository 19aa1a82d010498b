#pragma once

#include "adapters/common/robot.hpp"

#include <string>

namespace bot::adapters::dingtalk {

/// A DingTalk custom group robot (自定义机器人, "platform": "dingtalk_robot"): outbound only, the
/// route for reminders and digests to a group where no app robot can post unasked.
///
///   POST {api_base}/robot/send?access_token=TOKEN[&timestamp=MS&sign=SIGN]
///   {"msgtype":"text","text":{"content":"@userid …"},"at":{"atUserIds":["userid"],"isAtAll":false}}
///
/// With 加签, SIGN = URL-encoded Base64(HMAC-SHA256(secret, MS + "\n" + secret)). 20 messages a
/// minute per robot (130101 beyond, throttled for 10 minutes). ../shared/protocols.md §2.4.
class DingTalkRobotAdapter final : public GroupRobot {
public:
    /// `secret`: the SEC… string of 加签, or empty when the robot is secured otherwise.
    DingTalkRobotAdapter(std::string access_token, std::string secret, std::string api_base);

    std::string_view platform() const noexcept override { return "dingtalk_robot"; }
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint now) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 5000; }
    std::size_t rendered_bytes(const Doc& doc) const override;
    double per_chat_per_minute() const noexcept override { return 20; }

    /// The URL-encoded `sign` parameter for `timestamp_ms`.
    static std::string url_sign(std::string_view secret, std::string_view timestamp_ms);

private:
    std::string access_token_;
    std::string secret_;
    std::string api_base_;
};

}  // namespace bot::adapters::dingtalk
