#pragma once

#include "bot/core/adapter.hpp"

#include <chrono>
#include <string>

namespace bot::adapters::webhook {

/// Liaison's own signed JSON webhook ("platform": "webhook"): for scripts, other systems and the
/// demo configuration. Wire format (docs/platforms/webhook.md):
///
///   POST /hooks/<bot-id>
///   X-Liaison-Timestamp: <unix seconds>
///   X-Liaison-Signature: v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)>
///   {"event_id": "...", "chat": "...", "user": "...", "user_name": "...", "text": "..."}
///
/// Answer after commit: 200 {"ok":true,"duplicate":false|true,"replies":[{"mention":{...},"text":"..."}]}:
/// the bot's replies travel in the answer (this platform has no send API).
class WebhookAdapter final : public Adapter {
public:
    /// `callback_url` (optional): where messages the bot says unasked (reminders, digests) are
    /// POSTed, signed like the inbound requests.
    WebhookAdapter(std::string bot_id,
                   std::string secret,
                   std::chrono::seconds timestamp_window,
                   std::chrono::seconds dedupe_ttl,
                   std::string callback_url = {});

    std::string_view platform() const noexcept override { return "webhook"; }
    result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const override;
    HttpResponse acknowledge(const InboundEvent& event,
                             bool duplicate,
                             const std::vector<Message>& replies) const override;
    std::chrono::seconds dedupe_ttl() const noexcept override { return dedupe_ttl_; }

    bool pushes() const noexcept override { return !callback_url_.empty(); }
    bool direct_messages() const noexcept override { return !callback_url_.empty(); }
    /// POST callback_url {"bot","chat","mention":{"user","name"},"direct","text","id"}, signed with
    /// X-Liaison-Timestamp / X-Liaison-Signature; `now` is the timestamp.
    result<OutboundRequest> send_request(const Message& message,
                                         std::string_view context,
                                         std::string_view token,
                                         TimePoint now) const override;

    /// The signature header value for `body` at `timestamp` (used by tests, the load generator and
    /// the README's curl example).
    static std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

private:
    std::string bot_id_;
    std::string secret_;
    std::chrono::seconds window_;
    std::chrono::seconds dedupe_ttl_;
    std::string callback_url_;
};

}  // namespace bot::adapters::webhook
