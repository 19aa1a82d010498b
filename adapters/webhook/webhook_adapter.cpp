#include "adapters/webhook/webhook_adapter.hpp"

#include "adapters/common/checks.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace bot::adapters::webhook {
namespace {

constexpr std::size_t kMaxField = 256;  // ids and names

/// Reads a string member of at most `max` bytes; nullopt when absent, not a string or too long.
std::optional<std::string> field(const nlohmann::json& j, const char* name, std::size_t max) {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
        return std::nullopt;
    }
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max) {
        return std::nullopt;
    }
    return s;
}

}  // namespace

WebhookAdapter::WebhookAdapter(std::string bot_id,
                               std::string secret,
                               std::chrono::seconds timestamp_window,
                               std::chrono::seconds dedupe_ttl,
                               std::string callback_url)
    : bot_id_(std::move(bot_id)),
      secret_(std::move(secret)),
      window_(timestamp_window),
      dedupe_ttl_(dedupe_ttl),
      callback_url_(std::move(callback_url)) {}

std::string WebhookAdapter::sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string base = "v1:";
    base += timestamp;
    base += ':';
    base += body;
    return "v1=" + crypto::to_hex(crypto::hmac_sha256(secret, base));
}

result<WebhookOutcome> WebhookAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    // 1. Signature over the raw bytes, before anything is parsed.
    const auto ts = request.header("x-liaison-timestamp");
    const auto sig = request.header("x-liaison-signature");
    if (!ts || !sig) {
        return errc::bad_signature;
    }
    if (!crypto::constant_time_equal(*sig, sign(secret_, *ts, request.body))) {
        return errc::bad_signature;
    }
    // 2. Timestamp window (a replay of an old signed request is refused).
    if (auto fresh = check_timestamp(*ts, TimestampUnit::seconds, now, window_); !fresh) {
        return fresh.error();
    }
    // 3. Parse without exceptions and read defensively.
    const auto j = nlohmann::json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return errc::malformed;
    }
    auto event_id = field(j, "event_id", kMaxField);
    auto chat = field(j, "chat", kMaxField);
    auto user = field(j, "user", kMaxField);
    auto text = field(j, "text", std::string::npos);  // over kMaxTextBytes: limit_text
    if (!event_id || event_id->empty() || !chat || chat->empty() || !user || user->empty() || !text) {
        return errc::malformed;
    }
    InboundEvent e;
    e.bot_id = bot_id_;
    e.platform = "webhook";
    e.chat_id = std::move(*chat);
    e.user_id = std::move(*user);
    e.user_name = field(j, "user_name", kMaxField).value_or(e.user_id);
    e.text = std::move(*text);
    limit_text(e);
    // The bridge says whether a message is 1:1 and whether it mentions the bot (or replies to it);
    // without `mentioned`, it is taken to forward only what is meant for the bot, as robots that
    // receive only @-messages do (docs/platforms/webhook.md).
    for (const auto& [key, out] : {std::pair{"direct", &e.direct}, std::pair{"mentioned", &e.addressed}}) {
        if (const auto it = j.find(key); it != j.end()) {
            if (!it->is_boolean()) {
                return errc::malformed;
            }
            *out = it->get<bool>();
        }
    }
    e.addressed = e.addressed || e.direct;
    e.dedupe_key = "webhook:" + bot_id_ + ":" + *event_id;
    e.received_at = now;
    return WebhookOutcome{std::move(e), {}};
}

namespace {

/// A doc for the receiving system to render as it likes: its strings cleaned, nothing escaped.
nlohmann::json doc_json(const Doc& doc) {
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& s : doc.sections) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& line : s.lines) {
            lines.push_back(dialect::plain(line));
        }
        sections.push_back({{"heading", dialect::plain(s.heading)}, {"lines", std::move(lines)}});
    }
    nlohmann::json out{{"title", dialect::plain(doc.title)}, {"sections", std::move(sections)}};
    for (const auto& a : doc.actions) {  // buttons: the receiving system says `command` as the presser
        out["actions"].push_back({{"label", dialect::plain(a.label)},
                                  {"command", a.command},
                                  {"url", a.url},
                                  {"primary", a.primary}});
    }
    return out;
}

}  // namespace

HttpResponse WebhookAdapter::acknowledge(const InboundEvent& /*event*/,
                                         bool duplicate,
                                         const std::vector<Message>& replies) const {
    nlohmann::json body{{"ok", true}, {"duplicate", duplicate}, {"replies", nlohmann::json::array()}};
    for (const auto& r : replies) {
        body["replies"].push_back({{"chat", r.chat_id},
                                   {"mention", {{"user", r.mention_user_id}, {"name", r.mention_name}}},
                                   {"text", dialect::plain(r.text)}});
        if (r.doc) {
            body["replies"].back()["doc"] = doc_json(*r.doc);
        }
    }
    return HttpResponse::json(200, body.dump());
}

result<OutboundRequest> WebhookAdapter::send_request(const Message& message,
                                                     std::string_view /*context*/,
                                                     std::string_view /*token*/,
                                                     TimePoint now) const {
    if (callback_url_.empty()) {
        return errc::invalid_argument;
    }
    nlohmann::json body{{"bot", bot_id_},
                        {"chat", message.chat_id},
                        {"mention", {{"user", message.mention_user_id}, {"name", message.mention_name}}},
                        {"direct", message.direct},
                        {"text", dialect::plain(message.text)},
                        {"id", message.idempotency_key}};
    if (message.doc) {
        body["doc"] = doc_json(*message.doc);
    }
    OutboundRequest r;
    r.url = callback_url_;
    r.body = body.dump();
    const std::string ts =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Liaison-Timestamp", ts},
                 {"X-Liaison-Signature", sign(secret_, ts, r.body)}};
    return r;
}

}  // namespace bot::adapters::webhook
