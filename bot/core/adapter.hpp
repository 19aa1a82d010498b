#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/clock.hpp"
#include "bot/core/errors.hpp"
#include "bot/core/http.hpp"

namespace bot {

/// A message from a chat platform, in the form every handler understands.
struct InboundEvent {
    std::string bot_id;
    std::string platform;
    std::string chat_id;
    std::string user_id;
    std::string user_name;
    std::string text;
    std::string dedupe_key;  ///< the platform's own event/message id, prefixed by platform
    TimePoint received_at;
    bool addressed = true;                 ///< @-mentions the bot, or a direct (1:1) message
    std::vector<std::string> attachments;  ///< platform references ("image:<id>", "file:<id>")
};

/// What an adapter makes of one webhook request: either an immediate answer (URL verification,
/// challenge) or an event to process, acknowledged only after its effects are committed.
struct WebhookOutcome {
    std::optional<InboundEvent> event;
    HttpResponse response;  ///< sent as is when `event` is empty
};

/// The pure half of a platform adapter: no I/O, no clock reads.
class Adapter {
public:
    virtual ~Adapter() = default;

    virtual std::string_view platform() const noexcept = 0;

    /// Verifies the raw bytes (signature, timestamp window), then parses. Errors: bad_signature,
    /// stale_request, malformed, method_not_allowed.
    virtual result<WebhookOutcome> on_webhook(const HttpRequest& request, TimePoint now) const = 0;

    /// The answer to the platform once the event is committed (`duplicate`: it had been already).
    virtual HttpResponse acknowledge(const InboundEvent& event, bool duplicate) const = 0;

    /// How long a processed event id is remembered: longer than the platform's retry window.
    virtual std::chrono::seconds dedupe_ttl() const noexcept = 0;
};

/// Adapters by bot id, built once at start by the composition root.
using AdapterMap = std::map<std::string, std::unique_ptr<Adapter>, std::less<>>;

}  // namespace bot
