#pragma once

#include "adapters/webhook/webhook_adapter.hpp"

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

}  // namespace bot::test
