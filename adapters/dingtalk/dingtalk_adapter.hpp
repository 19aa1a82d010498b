#pragma once

#include "bot/core/adapter.hpp"

#include <chrono>
#include <string>

namespace bot::adapters::dingtalk {

struct DingTalkConfig {
    std::string bot_id;
    std::string app_secret;
    std::string api_base = "https://oapi.dingtalk.com";  ///< session webhooks must live under it
    std::chrono::seconds timestamp_window{3600};
    std::chrono::seconds dedupe_ttl{24 * 3600};
    std::string app_key;  ///< AppKey = robotCode; enables the OpenAPI
    std::string openapi_base = "https://api.dingtalk.com";
    std::string sign_in_base = "https://login.dingtalk.com";  ///< the OAuth page users are sent to
};

/// DingTalk enterprise-internal robot in HTTP mode (../shared/protocols.md §2.2–2.3): `timestamp`
/// (ms) and `sign` = Base64(HMAC-SHA256(AppSecret, timestamp + "\n" + AppSecret)) headers within one
/// hour, deduplicated by msgId; replies to the conversation's sessionWebhook with an @-mention while
/// it is valid, afterwards (with an AppKey) through the OpenAPI with an access token.
///
/// The signature covers the timestamp only, not the body; so a reply URL taken from a body is used
/// only when it lies under `api_base` (otherwise a replayed timestamp could send replies anywhere).
class DingTalkAdapter final : public Adapter {
public:
    explicit DingTalkAdapter(DingTalkConfig config);

    std::string_view platform() const noexcept override { return "dingtalk"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return config_.dedupe_ttl; }

    bool sends() const noexcept override { return true; }
    /// Posting unasked needs the OpenAPI, so an AppKey: without one the bot only replies (through
    /// each message's session webhook).
    bool pushes() const noexcept override { return !config_.app_key.empty(); }
    /// A person 1:1 through the OpenAPI (oToMessages/batchSend), which needs the AppKey too.
    bool direct_messages() const noexcept override { return !config_.app_key.empty(); }
    std::optional<OutboundRequest> token_request() const override;
    result<AccessToken> parse_token(unsigned status, std::string_view body) const override;
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint now) const override;
    /// With an AppKey, a failed session webhook is given up for the OpenAPI.
    std::string retry_context(std::string_view context) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 5000; }
    /// The markdown's bytes, with room for the "@userId" mention.
    std::size_t rendered_bytes(const Doc& doc) const override;
    static constexpr std::size_t kMentionRoom = 80;
    double per_chat_per_minute() const noexcept override { return 20; }

    // In-app sign-in (docs/platforms/dingtalk.md, "Signing in to the pages").
    std::string sign_in_url(std::string_view redirect, std::string_view state) const override;
    std::string_view sign_in_code_param() const noexcept override { return "authCode"; }
    bool sign_in_app_token() const noexcept override { return true; }
    result<SignInStep> sign_in_step(const SignInExchange& exchange) const override;

    static std::string sign(std::string_view app_secret, std::string_view timestamp_ms);

private:
    DingTalkConfig config_;
};

}  // namespace bot::adapters::dingtalk
