#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/errors.hpp"
#include "bot/core/http.hpp"
#include "bot/core/message.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
    bool addressed = true;                 ///< @-mentions the bot, replies to it, or a direct (1:1) message
    bool direct = false;                   ///< a 1:1 conversation with the bot (not a group)
    std::vector<std::string> attachments;  ///< platform references ("image:<id>", "file:<id>")
    std::string reply_context;             ///< what a reply needs to land next to it (JSON), e.g. a thread
    /// The text was longer than kMaxTextBytes: it is dropped (`text` is empty) and the sender is told
    /// the limit, instead of the request being refused (the platform would retry it).
    bool too_long = false;
    /// Replies to this event form a queue of their own (they go to a reply URL of this message
    /// only, e.g. the WeCom AI bot's response_url), so that a dead URL holds none of the chat's
    /// other messages. Empty: the chat's queue.
    std::string reply_queue;
    /// A report's form from the pages instead of a text (the pages build such events; no adapter).
    std::optional<FormPost> form{};
};

/// Applies kMaxTextBytes to a parsed event (every adapter calls it once its text is known).
inline void limit_text(InboundEvent& e) {
    if (e.text.size() > kMaxTextBytes) {
        e.text.clear();
        e.too_long = true;
    }
}

/// A request to a platform's API, built by an adapter's pure half and performed by the HTTP client.
struct OutboundRequest {
    std::string method = "POST";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/// What a platform's answer to a send means.
struct SendOutcome {
    enum class Kind { sent, retry, refresh_token, failed };
    Kind kind = Kind::sent;
    std::chrono::seconds retry_after{0};  ///< for retry: at least this long (0: use backoff)
    std::string error;                    ///< for the outbox row and the log; never a secret
};

struct AccessToken {
    std::string value;
    std::chrono::seconds lifetime{0};
};

/// Signing in to the pages inside the platform's own app (docs/web.md, "In-app sign-in"): the
/// platform's OAuth code, exchanged for its user id request by request. What the exchange knows so far.
struct SignInExchange {
    std::string code;       ///< what the platform's redirect carried
    std::string redirect;   ///< the redirect_uri the code was issued for
    std::string app_token;  ///< the app's access token (token_request()), when sign_in_app_token() says so
    /// Each request made so far: its status and body, in order.
    std::vector<std::pair<unsigned, std::string>> answers;
};

/// The next step of an exchange: a request to make, or (none) the platform's user id.
struct SignInStep {
    std::optional<OutboundRequest> request;
    std::string user_id;
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
    /// `replies` are filled only for adapters that do not send(): their answer carries them.
    virtual HttpResponse acknowledge(const InboundEvent& event,
                                     bool duplicate,
                                     const std::vector<Message>& replies) const = 0;

    /// How long a processed event id is remembered: longer than the platform's retry window.
    virtual std::chrono::seconds dedupe_ttl() const noexcept = 0;

    // ---- Outbound (pure too: the outbox worker performs the requests) ----

    /// Whether replies go out through the outbox and send_request(); otherwise in acknowledge().
    virtual bool sends() const noexcept { return false; }
    /// Whether the bot can post without being asked (reminders, digests) through send_request().
    virtual bool pushes() const noexcept { return sends(); }
    /// Whether send_request() can message a person privately (Message::direct).
    virtual bool direct_messages() const noexcept { return false; }
    /// The request that obtains an access token, for platforms that need one.
    virtual std::optional<OutboundRequest> token_request() const { return std::nullopt; }
    virtual result<AccessToken> parse_token(unsigned /*status*/, std::string_view /*body*/) const {
        return errc::invalid_argument;
    }
    /// The request that posts `text` to `chat`, @-mentioning the given person, in the platform's
    /// dialect. `context` is the reply context the inbound event carried; `now` lets an adapter
    /// choose between reply channels that expire (DingTalk's session webhook).
    virtual result<OutboundRequest> send_request(const Message& /*message*/,
                                                 std::string_view /*context*/,
                                                 std::string_view /*token*/,
                                                 TimePoint /*now*/) const {
        return errc::invalid_argument;
    }
    /// The reply context to use once a delivery through `context` has failed: a channel of the
    /// event's own (DingTalk's session webhook) is given up for the platform's API where the bot
    /// has one, so that a dead per-message URL does not hold the reply. Default: the same.
    virtual std::string retry_context(std::string_view context) const { return std::string(context); }
    virtual SendOutcome parse_send(unsigned status,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   std::string_view body) const {
        (void)headers;
        (void)body;
        return status / 100 == 2
                   ? SendOutcome{}
                   : SendOutcome{SendOutcome::Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    /// The platform's size limit for one message's text, in bytes of UTF-8.
    virtual std::size_t max_text_bytes() const noexcept { return 4000; }
    /// The size of a message with `doc` as send_request() renders it, measured the way the
    /// platform's limit counts (the markdown text, the card JSON…), and that limit: the outbox
    /// splits a doc into parts that fit (bot::split). Default: the plain text and its limit.
    virtual std::size_t rendered_bytes(const Doc& doc) const { return plain_text(doc).size(); }
    virtual std::size_t max_doc_bytes() const noexcept { return max_text_bytes(); }
    /// Steady rate allowed per chat (messages per minute) and the burst on top of it.
    virtual double per_chat_per_minute() const noexcept { return 60; }

    // ---- In-app sign-in to the pages (pure too: the server performs the requests) ----

    /// Where a browser inside the platform's app is sent to be identified (its OAuth page), coming
    /// back to `redirect` with a code and `state`; empty: the platform has no such sign-in.
    virtual std::string sign_in_url(std::string_view /*redirect*/, std::string_view /*state*/) const {
        return {};
    }
    /// The query parameter the code comes back in.
    virtual std::string_view sign_in_code_param() const noexcept { return "code"; }
    /// Whether the exchange needs the app's access token (token_request()).
    virtual bool sign_in_app_token() const noexcept { return false; }
    /// The next request of the code's exchange given the answers so far, or the user id as the
    /// platform's messages name the person. Errors: bad_signature (the platform refused the code),
    /// malformed (an answer it cannot read).
    virtual result<SignInStep> sign_in_step(const SignInExchange& /*exchange*/) const {
        return errc::invalid_argument;
    }
    /// The chat id of a person's own conversation with the bot, when the platform names it after
    /// the person (a WeCom app's member, a Telegram private chat); empty otherwise.
    virtual std::string private_chat_of(std::string_view /*user*/) const { return {}; }
    /// A link that opens the person's private chat with the bot and has it say `payload` there (a
    /// Telegram deep link t.me/<bot>?start=<payload>: a bot cannot write to a person first); empty:
    /// the platform has none. `payload`: letters, digits, '_' and '-'.
    virtual std::string deep_link(std::string_view /*payload*/) const { return {}; }
    /// Whether pages opened inside the platform carry launch data it signs (verify_launch_data).
    virtual bool signs_launch_data() const noexcept { return false; }
    /// Launch data the platform signs for a page opened inside it (a Telegram Mini App's
    /// initData): verified with the bot's credentials and no older than `max_age`, the user id.
    virtual result<std::string> verify_launch_data(std::string_view /*data*/,
                                                   TimePoint /*now*/,
                                                   std::chrono::seconds /*max_age*/) const {
        return errc::invalid_argument;
    }
};

/// Adapters by bot id, built once at start by the composition root.
using AdapterMap = std::map<std::string, std::unique_ptr<Adapter>, std::less<>>;

}  // namespace bot
