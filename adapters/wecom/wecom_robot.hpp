#pragma once

#include "adapters/common/robot.hpp"

#include <string>

namespace bot::adapters::wecom {

/// A WeCom group robot (群机器人, "platform": "wecom_robot"): outbound only. It posts into the one
/// group it was added to, unasked — the route for reminders and digests to groups whose
/// conversation runs through the AI bot, which cannot post unasked (docs/platforms/wecom.md).
///
///   POST {api_base}/cgi-bin/webhook/send?key=KEY
///   {"msgtype":"text","text":{"content":"…","mentioned_list":["userid"]}}
///
/// Text up to 2,048 bytes; 20 messages a minute per robot (errcode 45009 beyond). The key is the
/// only credential. ../shared/protocols.md §1.6.
class WeComRobotAdapter final : public GroupRobot {
public:
    WeComRobotAdapter(std::string bot_id, std::string key, std::string api_base);

    std::string_view platform() const noexcept override { return "wecom_robot"; }

    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint now) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 2048; }
    /// A doc goes as markdown: ≤ 4096 bytes.
    std::size_t rendered_bytes(const Doc& doc) const override;
    std::size_t max_doc_bytes() const noexcept override { return 4096; }
    /// The robot's own limit: 20 a minute, whatever the chat.
    double per_chat_per_minute() const noexcept override { return 20; }

private:
    std::string bot_id_;
    std::string key_;
    std::string api_base_;
};

}  // namespace bot::adapters::wecom
