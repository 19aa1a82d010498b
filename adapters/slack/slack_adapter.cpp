#include "adapters/slack/slack_adapter.hpp"

#include "adapters/common/checks.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/common/text.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace bot::adapters::slack {
namespace {

using json = nlohmann::json;

/// Removes "<@UBOT>" (and "<@UBOT|name>") mentions of the bot; returns whether there was one.
bool strip_bot_mention(std::string& text, const std::string& bot_user) {
    if (bot_user.empty()) {
        return false;
    }
    bool found = false;
    for (const std::string open = "<@" + bot_user;;) {
        const auto at = text.find(open);
        if (at == std::string::npos) {
            break;
        }
        const auto close = text.find('>', at);
        if (close == std::string::npos || (close != at + open.size() && text[at + open.size()] != '|')) {
            break;
        }
        text.erase(at, close - at + 1);
        found = true;
    }
    return found;
}

/// Slack escapes &, < and > in message text; undo it for the engine.
std::string unescape(std::string s) {
    for (const auto& [from, to] : {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&amp;", "&"}}) {
        for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + 1)) {
            s.replace(pos, std::string_view(from).size(), to);
        }
    }
    return s;
}

}  // namespace

SlackAdapter::SlackAdapter(SlackConfig config) : config_(std::move(config)) {}

std::string SlackAdapter::sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string base = "v0:";
    base += timestamp;
    base += ':';
    base += body;
    return "v0=" + crypto::to_hex(crypto::hmac_sha256(secret, base));
}

std::string SlackAdapter::escape(std::string_view text) {
    return dialect::slack(text);
}

result<WebhookOutcome> SlackAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    // 1. Signature over the raw body (§4.1 step 2), compared in constant time.
    const auto ts = request.header("x-slack-request-timestamp");
    const auto sig = request.header("x-slack-signature");
    if (!ts || !sig || !crypto::constant_time_equal(*sig, sign(config_.signing_secret, *ts, request.body))) {
        return errc::bad_signature;
    }
    // 2. Timestamp within 300 s (§4.1 step 1): an old signed request is a replay.
    if (auto fresh = check_timestamp(*ts, TimestampUnit::seconds, now, config_.timestamp_window); !fresh) {
        return fresh.error();
    }
    // 3. Parse. Interactivity (a button pressed) arrives form-encoded, signed the same way; slash
    //    commands too (verified, acknowledged, not used).
    if (request.header("content-type").value_or("").find("x-www-form-urlencoded") != std::string_view::npos) {
        return interaction(request.body, now);
    }
    const auto j = json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return errc::malformed;
    }
    const std::string type = str(j, "type");
    if (type == "url_verification") {
        const std::string challenge = str(j, "challenge");
        if (challenge.empty() || challenge.size() > 512) {
            return errc::malformed;
        }
        HttpResponse r = HttpResponse::text(200, challenge);
        r.content_type = "text/plain";
        return WebhookOutcome{std::nullopt, std::move(r)};
    }
    if (type != "event_callback") {
        return WebhookOutcome{std::nullopt,
                              HttpResponse::text(200, "")};  // other envelopes: acknowledged, unused
    }
    const std::string event_id = str(j, "event_id");
    const auto ev = j.find("event");
    if (event_id.empty() || event_id.size() > 128 || ev == j.end() || !ev->is_object()) {
        return errc::malformed;
    }
    std::string bot_user = config_.bot_user_id;
    if (const auto auths = j.find("authorizations");
        bot_user.empty() && auths != j.end() && auths->is_array()) {
        for (const auto& a : *auths) {
            if (a.is_object() && flag(a, "is_bot", false)) {
                bot_user = str(a, "user_id");
            }
        }
    }
    const std::string ev_type = str(*ev, "type");
    const std::string user = str(*ev, "user");
    // A reply in the thread of one of the bot's messages is addressed to it.
    const bool reply_to_bot = !bot_user.empty() && str(*ev, "parent_user_id") == bot_user;
    // The bot's own messages, edits and other subtypes are not conversation input (no loops).
    if ((ev_type != "app_mention" && ev_type != "message") || ev->contains("bot_id") ||
        ev->contains("subtype") || user.empty() || user == bot_user) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};
    }
    std::string text = unescape(str(*ev, "text"));
    const bool mentioned = strip_bot_mention(text, bot_user);
    trim(text);
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "slack";
    e.chat_id = str(*ev, "channel");
    e.user_id = user;
    e.user_name = user;
    e.text = std::move(text);
    e.dedupe_key = "slack:" + config_.bot_id + ":" + event_id;
    e.received_at = now;
    e.direct = str(*ev, "channel_type") == "im";
    e.addressed = ev_type == "app_mention" || mentioned || reply_to_bot || e.direct;
    limit_text(e);
    if (e.chat_id.empty()) {
        return errc::malformed;
    }
    // In a channel the bot joined, both app_mention and message arrive for one mention: keep one.
    if (ev_type == "message" && mentioned && str(*ev, "channel_type") != "im") {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};
    }
    const std::string thread = str(*ev, "thread_ts");
    e.reply_context = thread.empty() ? "" : json{{"thread_ts", thread}}.dump();
    return WebhookOutcome{std::move(e), {}};
}

namespace {

/// The `payload` field of a form-encoded body, decoded.
std::optional<std::string> payload_field(std::string_view body) {
    for (std::string_view rest = body; !rest.empty();) {
        const auto end = rest.find('&');
        const std::string_view pair = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (pair.starts_with("payload=")) {
            return percent_decode(pair.substr(8), true);
        }
    }
    return std::nullopt;
}

}  // namespace

result<WebhookOutcome> SlackAdapter::interaction(std::string_view body, TimePoint now) const {
    // A Block Kit button (docs/conversation.md, "Buttons"): the person who pressed it says the button's value
    // in the channel of the message it was under. Anything else form-encoded: acknowledged, unused.
    const auto payload = payload_field(body);
    if (!payload) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};
    }
    const auto j = json::parse(*payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return errc::malformed;
    }
    if (str(j, "type") != "block_actions") {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};
    }
    const auto user = j.find("user");
    const auto channel = j.find("channel");
    const auto actions = j.find("actions");
    if (user == j.end() || !user->is_object() || channel == j.end() || !channel->is_object() ||
        actions == j.end() || !actions->is_array() || actions->empty() || !actions->front().is_object()) {
        return errc::malformed;
    }
    const json& action = actions->front();
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "slack";
    e.user_id = str(*user, "id");
    e.user_name = e.user_id;
    e.chat_id = str(*channel, "id");
    e.text = str(action, "value");
    const std::string press = str(action, "action_ts");
    if (e.user_id.empty() || e.chat_id.empty() || press.empty() || press.size() > 64) {
        return errc::malformed;
    }
    if (e.text.empty()) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};  // a link button: nothing to say
    }
    limit_text(e);
    e.direct = e.chat_id.starts_with("D");  // a direct-message channel
    e.addressed = true;
    // One press is one event: Slack does not retry interactions, but a replayed body is refused
    // by its timestamp and the same press twice by this key.
    e.dedupe_key = "slack:" + config_.bot_id + ":act:" + e.user_id + ":" + press;
    e.received_at = now;
    if (const auto c = j.find("container"); c != j.end() && c->is_object() && !str(*c, "thread_ts").empty()) {
        e.reply_context = json{{"thread_ts", str(*c, "thread_ts")}}.dump();
    }
    return WebhookOutcome{std::move(e), {}};
}

HttpResponse SlackAdapter::acknowledge(const InboundEvent& /*event*/,
                                       bool /*duplicate*/,
                                       const std::vector<Message>& /*replies*/) const {
    return HttpResponse::text(200, "");
}

result<OutboundRequest> SlackAdapter::send_request(const Message& message,
                                                   std::string_view context,
                                                   std::string_view /*token*/,
                                                   TimePoint /*now*/) const {
    // A private message: chat.postMessage with a user id as the channel opens the app's DM.
    json body{{"channel", message.direct ? message.mention_user_id : message.chat_id}};
    std::string text;
    if (!message.mention_user_id.empty() && !message.direct) {
        text = "<@" + dialect::slack(message.mention_user_id) + "> ";
    }
    text += dialect::slack(message.text);
    body["text"] = text;
    body["mrkdwn"] = false;  // * _ ~ ` in what people typed do not format
    if (message.doc) {
        // Block Kit; `text` stays as the notification's fallback. Then the buttons, if any.
        body["blocks"] = dialect::slack_blocks(*message.doc, message.direct ? "" : message.mention_user_id);
        if (!message.doc->actions.empty()) {
            body["blocks"].push_back(dialect::slack_actions(message.doc->actions));
        }
    }
    if (!context.empty()) {
        const auto c = json::parse(context, nullptr, false);
        if (c.is_object() && c.contains("thread_ts") && c["thread_ts"].is_string()) {
            body["thread_ts"] = c["thread_ts"];
        }
    }
    OutboundRequest r;
    r.url = config_.api_base + "/chat.postMessage";
    r.headers = {{"Authorization", "Bearer " + config_.bot_token},
                 {"Content-Type", "application/json; charset=utf-8"}};
    r.body = body.dump();
    return r;
}

std::size_t SlackAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::slack_blocks_bytes(doc);
}

SendOutcome SlackAdapter::parse_send(unsigned status,
                                     const std::vector<std::pair<std::string, std::string>>& headers,
                                     std::string_view body) const {
    using Kind = SendOutcome::Kind;
    if (status == 429) {
        std::chrono::seconds wait{1};
        for (const auto& [name, value] : headers) {
            if (name == "retry-after") {
                int s = 0;
                std::from_chars(value.data(), value.data() + value.size(), s);
                wait = std::chrono::seconds(std::max(1, s));
            }
        }
        return {Kind::retry, wait, "rate limited (429)"};
    }
    if (status >= 500) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    const auto j = json::parse(body, nullptr, false);
    if (status != 200 || j.is_discarded() || !j.is_object()) {
        return {Kind::retry, {}, "unexpected answer, HTTP " + std::to_string(status)};
    }
    if (flag(j, "ok", false)) {
        return {};
    }
    const std::string error = str(j, "error");
    if (error == "ratelimited" || error == "internal_error" || error == "fatal_error" ||
        error == "service_unavailable") {
        return {Kind::retry, {}, error};
    }
    // invalid_auth, token_revoked, channel_not_found, not_in_channel, msg_too_long, …: retrying will not
    // help.
    return {Kind::failed, {}, error.empty() ? "ok:false" : error};
}

}  // namespace bot::adapters::slack
