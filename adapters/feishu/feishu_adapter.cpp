#include "adapters/feishu/feishu_adapter.hpp"

#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/common/text.hpp"

#include <nlohmann/json.hpp>

namespace bot::adapters::feishu {
namespace {

using json = nlohmann::json;

std::string key_of(std::string_view encrypt_key) {
    const auto d = crypto::sha256(encrypt_key);
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

/// Text of a `post` message: its title and every text run, mentions as @name.
std::string post_text(const json& content) {
    std::string out;
    const json* body = &content;
    if (!content.contains("content") && content.is_object() && !content.empty()) {
        body = &content.begin().value();  // {"zh_cn": {...}}
    }
    if (!body->is_object()) {
        return out;
    }
    out = str(*body, "title");
    const auto lines = body->find("content");
    if (lines == body->end() || !lines->is_array()) {
        return out;
    }
    for (const auto& line : *lines) {
        if (!line.is_array()) {
            continue;
        }
        out += out.empty() ? "" : "\n";
        for (const auto& run : line) {
            if (run.is_object() && str(run, "tag") == "text") {
                out += str(run, "text");
            }
        }
    }
    return out;
}

}  // namespace

FeishuAdapter::FeishuAdapter(FeishuConfig config) : config_(std::move(config)) {}

std::string FeishuAdapter::sign(std::string_view timestamp,
                                std::string_view nonce,
                                std::string_view encrypt_key,
                                std::string_view body) {
    std::string data(timestamp);
    data += nonce;
    data += encrypt_key;
    data += body;
    return crypto::to_hex(crypto::sha256(data));
}

std::string FeishuAdapter::encrypt(std::string_view encrypt_key, std::string_view plaintext) {
    const std::string iv = crypto::random_bytes(16);
    const std::string raw = iv + crypto::aes256_cbc_encrypt(key_of(encrypt_key), iv, plaintext);
    return json{{"encrypt", crypto::base64(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size())}}
        .dump();
}

namespace {

/// The event's JSON, and whether its signature was checked.
struct Envelope {
    json body;
    bool signature_checked = false;
};

/// With an Encrypt Key: the signature (when present) checked and the body decrypted (§3.2,
/// §3.3); without one, the body as it came. (An out-parameter: a json converts from an errc, so
/// result<Envelope> could not tell an error from a value.)
result<void> open_envelope(const FeishuConfig& config, const HttpRequest& request, Envelope& env) {
    auto outer = json::parse(request.body, nullptr, false);
    if (outer.is_discarded() || !outer.is_object()) {
        return errc::malformed;
    }
    if (config.encrypt_key.empty()) {
        env.body = std::move(outer);
        return {};
    }
    // 1. Signed requests: SHA-256 over timestamp + nonce + key + raw body, constant-time.
    const auto ts = request.header("x-lark-request-timestamp");
    const auto nonce = request.header("x-lark-request-nonce");
    if (const auto sig = request.header("x-lark-signature")) {
        if (!ts || !nonce ||
            !crypto::constant_time_equal(
                *sig, FeishuAdapter::sign(*ts, *nonce, config.encrypt_key, request.body))) {
            return errc::bad_signature;
        }
        env.signature_checked = true;
    }
    // 2. Decrypt: base64(iv || ct), AES-256-CBC, strict PKCS#7.
    const std::string encrypted = str(outer, "encrypt");
    const auto raw = crypto::base64_decode(encrypted);
    if (encrypted.empty() || !raw || raw->size() < 32) {
        return errc::bad_signature;  // an Encrypt Key is set: plain bodies are not Feishu's
    }
    const auto plain =
        crypto::aes256_cbc_decrypt(key_of(config.encrypt_key), raw->substr(0, 16), raw->substr(16));
    if (!plain) {
        return errc::bad_signature;
    }
    env.body = json::parse(*plain, nullptr, false);
    if (env.body.is_discarded() || !env.body.is_object()) {
        // Not JSON after decryption. Signed with our key: the sender is genuine and the body
        // malformed. Unsigned (the URL check): it was not encrypted with our key — a wrong key
        // passes the padding check about once in 256 tries — so it is not Feishu's.
        return env.signature_checked ? errc::malformed : errc::bad_signature;
    }
    return {};
}

/// URL verification (§3.4): the verification token must match; answered in plain JSON.
result<WebhookOutcome> url_verification(const FeishuConfig& config, const json& j) {
    if (!crypto::constant_time_equal(str(j, "token"), config.verification_token)) {
        return errc::bad_signature;
    }
    const std::string challenge = str(j, "challenge");
    if (challenge.empty() || challenge.size() > 512) {
        return errc::malformed;
    }
    return WebhookOutcome{std::nullopt, HttpResponse::json(200, json{{"challenge", challenge}}.dump())};
}

/// The message's text and attachments; `content` is a JSON string to be parsed again (§3.5).
void read_content(const json& msg, InboundEvent& e) {
    const auto content = json::parse(str(msg, "content"), nullptr, false);
    const std::string type = str(msg, "message_type");
    if (type == "text" && content.is_object()) {
        e.text = str(content, "text");
    } else if (type == "post") {
        e.text = post_text(content);
    } else if (type == "image" && content.is_object()) {
        e.attachments.push_back("image:" + str(content, "image_key"));
    } else if (type == "file" && content.is_object()) {
        e.attachments.push_back("file:" + str(content, "file_key"));
    }
}

/// @_user_N placeholders: the bot's own is removed, others become @name. Returns whether the bot
/// was mentioned.
bool resolve_mentions(const json& msg, const std::string& bot_open_id, std::string& text) {
    bool mentioned = false;
    const auto mentions = msg.find("mentions");
    if (mentions == msg.end() || !mentions->is_array()) {
        return false;
    }
    for (const auto& m : *mentions) {
        if (!m.is_object()) {
            continue;
        }
        const std::string key = str(m, "key");
        std::string open_id;
        if (const auto id = m.find("id"); id != m.end() && id->is_object()) {
            open_id = str(*id, "open_id");
        }
        const bool is_bot = bot_open_id.empty() || open_id == bot_open_id;
        mentioned = mentioned || is_bot;
        if (key.empty()) {
            continue;
        }
        const std::string replacement = is_bot ? "" : "@" + str(m, "name");
        for (auto pos = text.find(key); pos != std::string::npos;
             pos = text.find(key, pos + replacement.size())) {
            text.replace(pos, key.size(), replacement);
        }
    }
    return mentioned;
}

/// im.message.receive_v1 from a user as an event; events from bots and apps are acknowledged only.
result<WebhookOutcome> message_event(const FeishuConfig& config,
                                     const json& event,
                                     const std::string& event_id,
                                     TimePoint now) {
    if (!event.is_object() || !event.contains("message") || !event["message"].is_object() ||
        !event.contains("sender") || !event["sender"].is_object()) {
        return errc::malformed;
    }
    const json& sender = event["sender"];
    const json& msg = event["message"];
    if (str(sender, "sender_type") != "user") {
        return WebhookOutcome{std::nullopt, HttpResponse::json(200, "{}")};  // bots and apps: never answered
    }
    InboundEvent e;
    e.bot_id = config.bot_id;
    e.platform = "feishu";
    if (const auto sid = sender.find("sender_id"); sid != sender.end() && sid->is_object()) {
        e.user_id = str(*sid, "open_id");
    }
    e.chat_id = str(msg, "chat_id");
    if (e.user_id.empty() || e.chat_id.empty()) {
        return errc::malformed;
    }
    read_content(msg, e);
    const bool mentioned = resolve_mentions(msg, config.bot_open_id, e.text);
    trim(e.text);
    limit_text(e);
    e.user_name = e.user_id;
    e.direct = str(msg, "chat_type") == "p2p";
    e.addressed = mentioned || e.direct;
    e.dedupe_key = "feishu:" + config.bot_id + ":" + event_id;
    e.received_at = now;
    return WebhookOutcome{std::move(e), {}};
}

/// card.action.trigger: a card's button pressed (docs/conversation.md, "Buttons"), verified like every event.
/// The operator says the button's command in the chat of the card; the value we put on the button says
/// whether that chat is private.
result<WebhookOutcome> card_action(const FeishuConfig& config,
                                   const json& event,
                                   const std::string& event_id,
                                   TimePoint now) {
    if (!event.is_object()) {
        return errc::malformed;
    }
    const auto op = event.find("operator");
    const auto action = event.find("action");
    const auto context = event.find("context");
    if (op == event.end() || !op->is_object() || action == event.end() || !action->is_object() ||
        context == event.end() || !context->is_object()) {
        return errc::malformed;
    }
    const auto value = action->find("value");
    InboundEvent e;
    e.bot_id = config.bot_id;
    e.platform = "feishu";
    e.user_id = str(*op, "open_id");
    e.user_name = e.user_id;
    e.chat_id = str(*context, "open_chat_id");
    if (e.user_id.empty() || e.chat_id.empty()) {
        return errc::malformed;
    }
    if (value == action->end() || !value->is_object() || str(*value, "command").empty()) {
        return WebhookOutcome{std::nullopt, HttpResponse::json(200, "{}")};  // not one of our buttons
    }
    e.text = str(*value, "command");
    limit_text(e);
    e.direct = flag(*value, "direct", false);
    e.addressed = true;
    e.dedupe_key = "feishu:" + config.bot_id + ":" + event_id;
    e.received_at = now;
    return WebhookOutcome{std::move(e), {}};
}

}  // namespace

result<WebhookOutcome> FeishuAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    Envelope env;
    if (auto opened = open_envelope(config_, request, env); !opened) {
        return opened.error();
    }
    const json& j = env.body;
    if (str(j, "type") == "url_verification") {
        return url_verification(config_, j);
    }
    // Events: signed when encrypted; otherwise authenticated by the token in the header.
    const auto header = j.find("header");
    if (header == j.end() || !header->is_object()) {
        return errc::malformed;
    }
    if (!config_.encrypt_key.empty() && !env.signature_checked) {
        return errc::bad_signature;
    }
    if (!crypto::constant_time_equal(str(*header, "token"), config_.verification_token)) {
        return errc::bad_signature;
    }
    const std::string event_id = str(*header, "event_id");
    if (event_id.empty() || event_id.size() > 128) {
        return errc::malformed;
    }
    const std::string type = str(*header, "event_type");
    if (type != "im.message.receive_v1" && type != "card.action.trigger") {
        return WebhookOutcome{std::nullopt, HttpResponse::json(200, "{}")};
    }
    const auto event = j.find("event");
    if (event == j.end()) {
        return errc::malformed;
    }
    return type == "card.action.trigger" ? card_action(config_, *event, event_id, now)
                                         : message_event(config_, *event, event_id, now);
}

HttpResponse FeishuAdapter::acknowledge(const InboundEvent& /*event*/,
                                        bool /*duplicate*/,
                                        const std::vector<Message>& /*replies*/) const {
    return HttpResponse::json(200, "{}");
}

std::optional<OutboundRequest> FeishuAdapter::token_request() const {
    OutboundRequest r;
    r.url = config_.api_base + "/open-apis/auth/v3/tenant_access_token/internal";
    r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
    r.body = json{{"app_id", config_.app_id}, {"app_secret", config_.app_secret}}.dump();
    return r;
}

result<AccessToken> FeishuAdapter::parse_token(unsigned status, std::string_view body) const {
    const auto j = json::parse(body, nullptr, false);
    if (status != 200 || j.is_discarded() || !j.is_object() || integer(j, "code", -1) != 0 ||
        str(j, "tenant_access_token").empty()) {
        return errc::bad_signature;  // wrong app id or secret, or the platform refused
    }
    return AccessToken{str(j, "tenant_access_token"),
                       std::chrono::seconds(std::max(60, integer(j, "expire", 7200)))};
}

json post_of(const Message& message) {
    return message.doc ? dialect::feishu_post(*message.doc, message.mention_user_id, message.mention_name)
                       : dialect::feishu_post(message.text, message.mention_user_id, message.mention_name);
}

std::size_t post_bytes(const Doc& doc) {
    // As the app sends it: a JSON string inside the body (every quote escaped), with a kilobyte
    // of room for the rest of the body (ids, uuid) and a mention.
    return json(dialect::feishu_post(doc, {}).dump()).dump().size() + 1024;
}

std::size_t FeishuAdapter::rendered_bytes(const Doc& doc) const {
    return post_bytes(doc);
}

result<OutboundRequest> FeishuAdapter::send_request(const Message& message,
                                                    std::string_view /*context*/,
                                                    std::string_view token,
                                                    TimePoint /*now*/) const {
    // A post of text runs, not a text message: a text message reads <at user_id="all">, <b> and
    // links in what people typed; a text run reads nothing (dialect::feishu_post).
    // A private message goes to the person by open_id; a message with buttons is a card.
    json body{{"receive_id", message.direct ? message.mention_user_id : message.chat_id}};
    if (message.doc && !message.doc->actions.empty()) {
        body["msg_type"] = "interactive";
        body["content"] =
            dialect::feishu_card(*message.doc, message.direct ? "" : message.mention_user_id, message.direct)
                .dump();
    } else {
        body["msg_type"] = "post";
        body["content"] = post_of(message).dump();
    }
    if (!message.idempotency_key.empty()) {
        body["uuid"] = message.idempotency_key.substr(0, 50);  // same uuid: sent at most once
    }
    OutboundRequest r;
    r.url = config_.api_base +
            "/open-apis/im/v1/messages?receive_id_type=" + (message.direct ? "open_id" : "chat_id");
    r.headers = {{"Authorization", "Bearer " + std::string(token)},
                 {"Content-Type", "application/json; charset=utf-8"}};
    r.body = body.dump();
    return r;
}

SendOutcome FeishuAdapter::parse_send(unsigned status,
                                      const std::vector<std::pair<std::string, std::string>>& /*headers*/,
                                      std::string_view body) const {
    using Kind = SendOutcome::Kind;
    const auto j = json::parse(body, nullptr, false);
    const int code = !j.is_discarded() && j.is_object() ? integer(j, "code", -1) : -1;
    const std::string msg = !j.is_discarded() && j.is_object() ? str(j, "msg") : std::string();
    if (status == 200 && code == 0) {
        return {};
    }
    // 99991661/99991663/99991668: the tenant access token is missing, invalid or expired.
    if (code == 99991661 || code == 99991663 || code == 99991668) {
        return {Kind::refresh_token, {}, std::to_string(code) + " " + msg};
    }
    if (status == 429 || code == 99991400 || status >= 500) {
        return {Kind::retry,
                {},
                status == 429 || code == 99991400 ? "rate limited" : "HTTP " + std::to_string(status)};
    }
    if (code == -1) {
        return {Kind::retry, {}, "unexpected answer, HTTP " + std::to_string(status)};
    }
    return {Kind::failed, {}, std::to_string(code) + " " + msg};
}

// ---- In-app sign-in: the OAuth of web apps (docs/platforms/feishu.md) ----

std::string FeishuAdapter::sign_in_url(std::string_view redirect, std::string_view state) const {
    // Inside the Feishu client the page goes on without asking the user.
    return config_.sign_in_base +
           "/open-apis/authen/v1/authorize?client_id=" + percent_encode(config_.app_id) +
           "&redirect_uri=" + percent_encode(redirect) + "&state=" + percent_encode(state);
}

result<SignInStep> FeishuAdapter::sign_in_step(const SignInExchange& x) const {
    OutboundRequest r;
    switch (x.answers.size()) {
        case 0:  // the code for a user_access_token
            r.url = config_.api_base + "/open-apis/authen/v2/oauth/token";
            r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
            r.body = json{{"grant_type", "authorization_code"},
                          {"client_id", config_.app_id},
                          {"client_secret", config_.app_secret},
                          {"code", x.code},
                          {"redirect_uri", x.redirect}}
                         .dump();
            return SignInStep{std::move(r), {}};
        case 1: {  // whose token it is
            const json j = object_of(x.answers[0].second);
            if (x.answers[0].first != 200 || integer(j, "code", -1) != 0 || str(j, "access_token").empty()) {
                return errc::bad_signature;
            }
            r.method = "GET";
            r.url = config_.api_base + "/open-apis/authen/v1/user_info";
            r.headers = {{"Authorization", "Bearer " + str(j, "access_token")}};
            return SignInStep{std::move(r), {}};
        }
        default: {
            const json j = object_of(x.answers[1].second);
            const auto data = j.find("data");
            if (x.answers[1].first != 200 || integer(j, "code", -1) != 0 || data == j.end() ||
                str(*data, "open_id").empty()) {
                return errc::bad_signature;
            }
            return SignInStep{std::nullopt, str(*data, "open_id")};  // as im.message events name the sender
        }
    }
}

}  // namespace bot::adapters::feishu
