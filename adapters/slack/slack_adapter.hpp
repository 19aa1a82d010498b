#pragma once

#include "bot/core/adapter.hpp"

#include <chrono>
#include <string>

namespace bot::adapters::slack {

struct SlackConfig {
    std::string bot_id;
    std::string signing_secret;
    std::string bot_token;
    std::string bot_user_id;  ///< the bot's own user (U…); also learned from each event's authorizations
    std::string api_base = "https://slack.com/api";
    std::chrono::seconds timestamp_window{300};
    std::chrono::seconds dedupe_ttl{24 * 3600};  ///< Slack retries for minutes; a day is ample
};

/// Slack Events API over HTTP (../shared/protocols.md §4): v0 HMAC-SHA256 signature over
/// "v0:" + timestamp + ":" + raw body, a 300 s window, url_verification, event_callback with
/// app_mention and message events; replies through chat.postMessage.
class SlackAdapter final : public Adapter {
public:
    explicit SlackAdapter(SlackConfig config);

    std::string_view platform() const noexcept override { return "slack"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return config_.dedupe_ttl; }

    bool sends() const noexcept override { return true; }
    bool direct_messages() const noexcept override { return true; }
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint /*now*/) const override;
    SendOutcome parse_send(unsigned status,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view body) const override;
    std::size_t max_text_bytes() const noexcept override { return 3000; }
    /// Blocks: ≤ 50 a message and ≤ 3000 characters a section (dialect::slack_blocks_bytes); the
    /// message itself is kept to what a reader takes in at once.
    std::size_t rendered_bytes(const Doc& doc) const override;
    std::size_t max_doc_bytes() const noexcept override { return 12'000; }
    double per_chat_per_minute() const noexcept override { return 60; }

    /// "v0=<hex>" for a body at a timestamp (tests, load generator).
    static std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);
    /// Escapes &, < and > as Slack's mrkdwn requires.
    static std::string escape(std::string_view text);

private:
    /// A form-encoded request: a button pressed (block_actions), else acknowledged and unused.
    result<WebhookOutcome> interaction(std::string_view body, TimePoint now) const;
    SlackConfig config_;
};

}  // namespace bot::adapters::slack
