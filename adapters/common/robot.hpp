#pragma once

#include "bot/core/adapter.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bot::adapters {

/// What every group robot shares (WeCom 群机器人, DingTalk and Feishu 自定义机器人): it posts into
/// the one group it was added to, unasked, and takes nothing in — every request to its
/// /hooks/<id> is refused (not found), and it never messages a person privately.
class GroupRobot : public Adapter {
public:
    result<WebhookOutcome> on_webhook(const HttpRequest& /*request*/, TimePoint /*now*/) const final {
        return errc::not_found;
    }
    HttpResponse acknowledge(const InboundEvent& /*event*/,
                             bool /*duplicate*/,
                             const std::vector<Message>& /*replies*/) const final {
        return HttpResponse::text(404, "outbound only\n");
    }
    std::chrono::seconds dedupe_ttl() const noexcept final { return std::chrono::seconds(1); }
    bool sends() const noexcept final { return true; }
    bool direct_messages() const noexcept final { return false; }

protected:
    /// The platform's JSON answer to a send, or nullopt when the send is to be retried (429, 5xx,
    /// or no JSON object).
    static std::optional<nlohmann::json> answer(unsigned status, std::string_view body) {
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (status == 429 || status >= 500 || j.is_discarded() || !j.is_object()) {
            return std::nullopt;
        }
        return j;
    }
    /// An integer member of a platform's answer (its error code), or -1.
    static long code_of(const nlohmann::json& j, std::string_view key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_number_integer() ? it->get<long>() : -1;
    }
    /// A string member of a platform's answer (its error message), or "".
    static std::string text_of(const nlohmann::json& j, std::string_view key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    }
};

}  // namespace bot::adapters
