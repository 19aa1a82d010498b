#pragma once

#include "adapters/wecom/wecom_crypto.hpp"
#include "bot/core/adapter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace bot::adapters::wecom {

struct WeComAppConfig {
    std::string bot_id;
    std::string token;
    std::string encoding_aes_key;
    std::string corp_id;
    std::string corp_secret;
    std::string agent_id;
    std::string api_base = "https://qyapi.weixin.qq.com";
    std::chrono::seconds dedupe_ttl{24 * 3600};
    std::string sign_in_base = "https://open.weixin.qq.com";  ///< the OAuth page members are sent to
};

/// WeCom self-built app callback (§1.3–1.5): encrypted XML, 1:1 chats with the app (the chat is
/// the user); replies with cgi-bin/message/send and an access token (gettoken).
class WeComAppAdapter final : public Adapter {
public:
    explicit WeComAppAdapter(WeComAppConfig config);

    std::string_view platform() const noexcept override { return "wecom_app"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return config_.dedupe_ttl; }

    bool sends() const noexcept override { return true; }
    bool direct_messages() const noexcept override { return true; }
    std::optional<OutboundRequest> token_request() const override;
    result<AccessToken> parse_token(unsigned status, std::string_view body) const override;
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint /*now*/) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 2000; }  // text ≤ 2048 bytes
    /// A doc goes as text (markdown is not shown in WeChat): its plain text, as escaped.
    std::size_t rendered_bytes(const Doc& doc) const override;
    double per_chat_per_minute() const noexcept override { return 30; }  // per app per member

    // In-app sign-in (docs/platforms/wecom.md, "Signing in to the pages").
    std::string sign_in_url(std::string_view redirect, std::string_view state) const override;
    bool sign_in_app_token() const noexcept override { return true; }
    std::string private_chat_of(std::string_view user) const override { return std::string(user); }
    result<SignInStep> sign_in_step(const SignInExchange& exchange) const override;

    const MsgCrypt& crypt() const noexcept { return crypt_; }

    /// The template card (button_interaction) a message with buttons is sent as, when its text
    /// fits one; nullopt: a text message.
    static std::optional<nlohmann::json> button_card(const Message& message);

private:
    result<WebhookOutcome> card_event(const std::string& inner, const std::string& from, TimePoint now) const;
    /// An event of the member `from` in their conversation with the app (addressed, 1:1).
    InboundEvent member_event(const std::string& from, TimePoint now) const;

    WeComAppConfig config_;
    MsgCrypt crypt_;
};

struct WeComAiBotConfig {
    std::string bot_id;
    std::string token;
    std::string encoding_aes_key;
    std::chrono::seconds dedupe_ttl{24 * 3600};
};

/// WeCom AI bot (智能机器人) in API mode (§1.7): encrypted JSON, group @-mentions and 1:1 chats;
/// replies are pushed to the message's one-shot response_url (all replies to one message merge
/// into one push).
class WeComAiBotAdapter final : public Adapter {
public:
    explicit WeComAiBotAdapter(WeComAiBotConfig config);

    std::string_view platform() const noexcept override { return "wecom_aibot"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return config_.dedupe_ttl; }

    bool sends() const noexcept override { return true; }
    /// A response_url answers one message: the AI bot cannot post unasked (reminders need the
    /// group robot webhook or another bot in that chat).
    bool pushes() const noexcept override { return false; }
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint /*now*/) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 4000; }  // markdown ≤ 4096 bytes
    std::size_t rendered_bytes(const Doc& doc) const override;
    double per_chat_per_minute() const noexcept override { return 20; }

    const MsgCrypt& crypt() const noexcept { return crypt_; }

private:
    WeComAiBotConfig config_;
    MsgCrypt crypt_;
};

}  // namespace bot::adapters::wecom
