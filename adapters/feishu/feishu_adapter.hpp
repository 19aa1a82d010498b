#pragma once

#include "bot/core/adapter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace bot::adapters::feishu {

/// A message as a `post`'s content: its doc with bold headings, or its text line by line.
nlohmann::json post_of(const Message& message);
/// The bytes a doc's post takes in a request, with room for the rest of the body.
std::size_t post_bytes(const Doc& doc);

struct FeishuConfig {
    std::string bot_id;
    std::string app_id;
    std::string app_secret;
    std::string verification_token;
    std::string encrypt_key;  ///< empty: events arrive in plain JSON, checked by the verification token
    std::string bot_open_id;  ///< the bot's open_id (GET /open-apis/bot/v3/info); empty: any @ addresses it
    std::string api_base = "https://open.feishu.cn";
    std::chrono::seconds dedupe_ttl{24 * 3600};               ///< Feishu re-pushes for about 7.1 h
    std::string sign_in_base = "https://accounts.feishu.cn";  ///< the OAuth page users are sent to
};

/// Feishu / Lark event subscription v2 (../shared/protocols.md §3): with an Encrypt Key, bodies are
/// AES-256-CBC encrypted and requests carry a SHA-256 signature; without one, the verification
/// token is checked. url_verification is answered; im.message.receive_v1 becomes an event,
/// deduplicated by header.event_id. Replies: tenant_access_token, then im/v1/messages with an
/// <at> mention and a uuid idempotency key.
class FeishuAdapter final : public Adapter {
public:
    explicit FeishuAdapter(FeishuConfig config);

    std::string_view platform() const noexcept override { return "feishu"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return config_.dedupe_ttl; }

    bool sends() const noexcept override { return true; }
    /// A person by open_id (im/v1/messages?receive_id_type=open_id): the app's 1:1 chat with them.
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
    std::size_t max_text_bytes() const noexcept override { return 30'000; }
    /// The post's JSON: the limit (30 KB) is on the request.
    std::size_t rendered_bytes(const Doc& doc) const override;
    double per_chat_per_minute() const noexcept override { return 300; }  // 5 QPS per group

    // In-app sign-in (docs/platforms/feishu.md, "Signing in to the pages").
    std::string sign_in_url(std::string_view redirect, std::string_view state) const override;
    result<SignInStep> sign_in_step(const SignInExchange& exchange) const override;

    /// X-Lark-Signature for a request (tests, fake platforms).
    static std::string sign(std::string_view timestamp,
                            std::string_view nonce,
                            std::string_view encrypt_key,
                            std::string_view body);
    /// {"encrypt": base64(iv || AES-256-CBC(SHA256(key), iv, plaintext))} (tests, fake platforms).
    static std::string encrypt(std::string_view encrypt_key, std::string_view plaintext);

private:
    FeishuConfig config_;
};

}  // namespace bot::adapters::feishu
