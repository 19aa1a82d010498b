#include "adapters/wecom/wecom_adapter.hpp"

#include "adapters/common/checks.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/common/text.hpp"
#include "bot/core/unicode.hpp"

#include <nlohmann/json.hpp>

namespace bot::adapters::wecom {
namespace {
/// The reply context of a message in a member's own conversation with the app.
constexpr std::string_view kMemberContext = "member";
}  // namespace

namespace {

using json = nlohmann::json;

/// The query signature of a POST: msg_signature, timestamp, nonce; malformed when missing.
struct QuerySignature {
    std::string signature;
    std::string timestamp;
    std::string nonce;
};

std::optional<QuerySignature> query_signature(const HttpRequest& r) {
    auto sig = r.query_param("msg_signature", false);
    auto ts = r.query_param("timestamp", false);
    auto nonce = r.query_param("nonce", false);
    if (!sig || !ts || !nonce) {
        return std::nullopt;
    }
    return QuerySignature{std::move(*sig), std::move(*ts), std::move(*nonce)};
}

HttpResponse url_verified(const std::string& plain) {
    HttpResponse r = HttpResponse::text(200, plain);  // exactly the decrypted echostr, nothing else
    r.content_type = "text/plain";
    return r;
}

}  // namespace

// ------------------------------------------------------------------ self-built app

WeComAppAdapter::WeComAppAdapter(WeComAppConfig config)
    : config_(std::move(config)), crypt_(config_.token, config_.encoding_aes_key, config_.corp_id) {}

result<WebhookOutcome> WeComAppAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method == "GET") {
        auto plain = crypt_.verify_url(request);
        if (!plain) {
            return plain.error();
        }
        return WebhookOutcome{std::nullopt, url_verified(*plain)};
    }
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    // 1. Outer XML → Encrypt; 2. signature over {token, timestamp, nonce, Encrypt}; 3. decrypt.
    const auto qs = query_signature(request);
    const auto encrypted = xml_field(request.body, "Encrypt");
    if (!qs || !encrypted || encrypted->empty()) {
        return errc::malformed;
    }
    if (!crypt_.verify(qs->signature, qs->timestamp, qs->nonce, *encrypted)) {
        return errc::bad_signature;
    }
    auto inner = crypt_.decrypt(*encrypted);
    if (!inner) {
        return inner.error();
    }
    const std::string type = xml_field(*inner, "MsgType").value_or("");
    const std::string from = xml_field(*inner, "FromUserName").value_or("");
    if (from.empty() || type.empty()) {
        return errc::malformed;
    }
    if (type == "event" && xml_field(*inner, "Event").value_or("") == "template_card_event") {
        return card_event(*inner, from, now);
    }
    if (type != "text" && type != "image" && type != "file") {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};  // events, locations, …: not used
    }
    const std::string msg_id = xml_field(*inner, "MsgId").value_or("");
    if (msg_id.empty() || msg_id.size() > 64) {
        return errc::malformed;
    }
    InboundEvent e = member_event(from, now);
    e.text = xml_field(*inner, "Content").value_or("");
    trim(e.text);
    limit_text(e);
    if (type == "image") {
        e.attachments.push_back("image:" + xml_field(*inner, "MediaId").value_or(""));
    } else if (type == "file") {
        e.attachments.push_back("file:" + xml_field(*inner, "MediaId").value_or(""));
    }
    // The XML is read by hand, so nothing has checked its encoding yet: an id that is not UTF-8
    // could never be written into the JSON of a reply (found by fuzz_adapters: the reply's
    // request threw). WeCom sends UTF-8; anything else is malformed.
    const bool utf8 = unicode::valid(from) && unicode::valid(msg_id) && unicode::valid(e.text) &&
                      (e.attachments.empty() || unicode::valid(e.attachments.front()));
    if (!utf8) {
        return errc::malformed;
    }
    e.dedupe_key = "wecom_app:" + config_.bot_id + ":" + msg_id;
    return WebhookOutcome{std::move(e), {}};
}

result<WebhookOutcome> WeComAppAdapter::card_event(const std::string& inner,
                                                   const std::string& from,
                                                   TimePoint now) const {
    // A template card's button pressed (docs/conversation.md, "Buttons"): decrypted and verified like a
    // message; the member who pressed it says the button's key in their conversation with the app.
    const std::string key = xml_field(inner, "EventKey").value_or("");
    const std::string task = xml_field(inner, "TaskId").value_or("");
    const std::string created = xml_field(inner, "CreateTime").value_or("");
    if (key.empty() || task.empty() || task.size() > 128 || created.size() > 20 || !unicode::valid(key) ||
        !unicode::valid(from) || !unicode::valid(task)) {
        return errc::malformed;
    }
    InboundEvent e = member_event(from, now);
    e.text = key;
    limit_text(e);
    // Events carry no MsgId: the press is named by who, when and which card.
    e.dedupe_key = "wecom_app:" + config_.bot_id + ":card:" + from + ":" + created + ":" + task;
    return WebhookOutcome{std::move(e), {}};
}

InboundEvent WeComAppAdapter::member_event(const std::string& from, TimePoint now) const {
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "wecom_app";
    e.user_id = from;
    e.user_name = from;
    e.chat_id = from;                               // the app's conversation with this user
    e.reply_context = std::string(kMemberContext);  // replies go to the member, whoever they mention
    e.addressed = true;                             // a 1:1 conversation
    e.direct = true;
    e.received_at = now;
    return e;
}

HttpResponse WeComAppAdapter::acknowledge(const InboundEvent& /*event*/,
                                          bool /*duplicate*/,
                                          const std::vector<Message>& /*replies*/) const {
    return HttpResponse::text(200, "");  // empty body: no passive reply, and no retries
}

std::optional<OutboundRequest> WeComAppAdapter::token_request() const {
    OutboundRequest r;
    r.method = "GET";
    // The secret travels in the query, as the API requires; URLs are never logged.
    r.url = config_.api_base + "/cgi-bin/gettoken?corpid=" + config_.corp_id +
            "&corpsecret=" + config_.corp_secret;
    return r;
}

result<AccessToken> WeComAppAdapter::parse_token(unsigned status, std::string_view body) const {
    const auto j = json::parse(body, nullptr, false);
    if (status != 200 || j.is_discarded() || !j.is_object() || integer(j, "errcode", -1) != 0 ||
        str(j, "access_token").empty()) {
        return errc::bad_signature;
    }
    return AccessToken{str(j, "access_token"),
                       std::chrono::seconds(std::max(60, integer(j, "expires_in", 7200)))};
}

result<OutboundRequest> WeComAppAdapter::send_request(const Message& message,
                                                      std::string_view context,
                                                      std::string_view token,
                                                      TimePoint /*now*/) const {
    // The app's conversations are with one member each: a reply there (the inbound message said
    // so in its context, whether or not the reply mentions anyone — a 周报 does not), or a private
    // message, goes to that member through message/send. A post to any other chat is to a group
    // chat the app created (appchat): the roster names it, and only the app can post there
    // (appchat/send, protocols.md §1.5).
    const bool member =
        message.direct || context == kMemberContext || message.chat_id == message.mention_user_id;
    OutboundRequest r;
    if (!member) {
        std::string text = dialect::wecom_text(message.text);
        if (!message.mention_name.empty()) {
            text =
                "@" + dialect::wecom_text(message.mention_name) + " " + text;  // appchat text has no mentions
        }
        r.url = config_.api_base + "/cgi-bin/appchat/send?access_token=" + std::string(token);
        r.headers = {{"Content-Type", "application/json"}};
        r.body =
            json{{"chatid", message.chat_id}, {"msgtype", "text"}, {"text", {{"content", text}}}, {"safe", 0}}
                .dump();
        return r;
    }
    json body{{"touser", message.direct ? message.mention_user_id : message.chat_id}, {"safe", 0}};
    if (auto card = button_card(message)) {
        body["msgtype"] = "template_card";
        body["template_card"] = std::move(*card);
    } else {
        body["msgtype"] = "text";
        body["text"] = {{"content", dialect::wecom_text(message.text)}};
    }
    try {
        body["agentid"] = std::stoll(config_.agent_id);
    } catch (const std::exception&) {
        return errc::invalid_argument;
    }
    r.url = config_.api_base + "/cgi-bin/message/send?access_token=" + std::string(token);
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body.dump();
    return r;
}

std::optional<nlohmann::json> WeComAppAdapter::button_card(const Message& message) {
    // A button_interaction card holds a short text (sub_title_text, ≤ 112 characters) and at most
    // six buttons whose key comes back in template_card_event; a longer message goes as text, and
    // its text says what to type.
    constexpr std::size_t kMaxChars = 112;
    constexpr std::size_t kMaxButtons = 6;
    if (!message.doc || message.doc->actions.empty() || message.idempotency_key.empty()) {
        return std::nullopt;
    }
    const std::string text = dialect::wecom_text(message.text);
    if (!unicode::valid(text) || unicode::length(text) > kMaxChars) {
        return std::nullopt;
    }
    json buttons = json::array();
    for (const auto& a : message.doc->actions) {
        if (!a.command.empty() && a.command.size() <= 1024 && buttons.size() < kMaxButtons) {
            buttons.push_back(
                {{"text", dialect::wecom_text(a.label)}, {"style", a.primary ? 1 : 2}, {"key", a.command}});
        }
    }
    if (buttons.empty()) {
        return std::nullopt;
    }
    std::string task;  // [A-Za-z0-9_-@], ≤ 128: the outbox row's key, stable across retries
    for (const char c : message.idempotency_key) {
        task += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '@' ? c : '_';
    }
    return json{{"card_type", "button_interaction"},
                {"sub_title_text", text},
                {"task_id", task.substr(0, 128)},
                {"button_list", std::move(buttons)}};
}

std::size_t WeComAppAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::wecom_text(plain_text(doc)).size() + 40;  // and "@name "
}

SendOutcome WeComAppAdapter::parse_send(unsigned status,
                                        const std::vector<std::pair<std::string, std::string>>& /*headers*/,
                                        std::string_view body) const {
    using Kind = SendOutcome::Kind;
    const auto j = json::parse(body, nullptr, false);
    if (status >= 500 || status == 429 || j.is_discarded() || !j.is_object()) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    const int code = integer(j, "errcode", -1);
    const std::string msg = str(j, "errmsg");
    if (code == 0) {
        return {};
    }
    if (code == 40014 || code == 42001 || code == 40001) {  // invalid or expired access token
        return {Kind::refresh_token, {}, std::to_string(code) + " " + msg};
    }
    if (code == 45009 || code == 45033 || code == -1) {  // frequency limits, system busy
        return {Kind::retry, std::chrono::seconds(60), std::to_string(code) + " " + msg};
    }
    return {Kind::failed, {}, std::to_string(code) + " " + msg};
}

// ------------------------------------------------------------------ AI bot

WeComAiBotAdapter::WeComAiBotAdapter(WeComAiBotConfig config)
    : config_(std::move(config)), crypt_(config_.token, config_.encoding_aes_key, "") {}

result<WebhookOutcome> WeComAiBotAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method == "GET") {
        auto plain = crypt_.verify_url(request);
        if (!plain) {
            return plain.error();
        }
        return WebhookOutcome{std::nullopt, url_verified(*plain)};
    }
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    const auto qs = query_signature(request);
    const auto outer = json::parse(request.body, nullptr, false);
    const std::string encrypted = outer.is_object() ? str(outer, "encrypt") : std::string();
    if (!qs || encrypted.empty()) {
        return errc::malformed;
    }
    if (!crypt_.verify(qs->signature, qs->timestamp, qs->nonce, encrypted)) {
        return errc::bad_signature;
    }
    auto plain = crypt_.decrypt(encrypted);
    if (!plain) {
        return plain.error();
    }
    const auto j = json::parse(*plain, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return errc::malformed;
    }
    const std::string type = str(j, "msgtype");
    if (type != "text" && type != "mixed" && type != "image" && type != "file") {
        return WebhookOutcome{std::nullopt,
                              HttpResponse::text(200, "")};  // stream polls, events: nothing to say
    }
    const std::string msg_id = str(j, "msgid");
    std::string user;
    if (const auto from = j.find("from"); from != j.end() && from->is_object()) {
        user = str(*from, "userid");
    }
    if (msg_id.empty() || msg_id.size() > 256 || user.empty()) {
        return errc::malformed;
    }
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "wecom_aibot";
    e.user_id = user;
    e.user_name = user;
    e.chat_id = str(j, "chattype") == "group" && !str(j, "chatid").empty() ? str(j, "chatid") : user;
    if (type == "text") {
        if (const auto t = j.find("text"); t != j.end() && t->is_object()) {
            e.text = str(*t, "content");  // includes "@BotName": the engine strips the bot's names
        }
    } else if (type == "mixed") {
        if (const auto m = j.find("mixed"); m != j.end() && m->is_object() && (*m)["msg_item"].is_array()) {
            for (const auto& item : (*m)["msg_item"]) {
                if (str(item, "msgtype") == "text" && item.contains("text") && item["text"].is_object()) {
                    e.text += str(item["text"], "content");
                } else if (str(item, "msgtype") == "image" && item.contains("image") &&
                           item["image"].is_object()) {
                    e.attachments.push_back("image:" + str(item["image"], "url"));
                }
            }
        }
    } else if (const auto media = j.find(type); media != j.end() && media->is_object()) {
        e.attachments.push_back(type + ":" + str(*media, "url"));
    }
    trim(e.text);
    limit_text(e);
    e.addressed = true;  // the AI bot only receives @-mentions in groups and 1:1 messages
    e.direct = str(j, "chattype") != "group";
    e.dedupe_key = "wecom_aibot:" + config_.bot_id + ":" + msg_id;
    e.received_at = now;
    if (const std::string url = str(j, "response_url"); !url.empty()) {
        e.reply_context = json{{"response_url", url}}.dump();
        e.reply_queue = e.chat_id + "#" + msg_id;  // the URL is this message's alone
    }
    return WebhookOutcome{std::move(e), {}};
}

HttpResponse WeComAiBotAdapter::acknowledge(const InboundEvent& /*event*/,
                                            bool /*duplicate*/,
                                            const std::vector<Message>& /*replies*/) const {
    return HttpResponse::text(200, "");  // empty: no passive reply; the outbox pushes to response_url
}

result<OutboundRequest> WeComAiBotAdapter::send_request(const Message& message,
                                                        std::string_view context,
                                                        std::string_view /*token*/,
                                                        TimePoint /*now*/) const {
    const auto c = json::parse(context, nullptr, false);
    const std::string url = c.is_object() ? str(c, "response_url") : std::string();
    // The URL came inside an encrypted, signed body: WeCom's own. It must still be https (or this
    // machine, for the tests' fake platform), parsed rather than matched by prefix.
    if (!is_reply_url(url)) {
        return errc::invalid_argument;
    }
    std::string text;
    if (!message.mention_name.empty()) {
        text = "@" + dialect::wecom_markdown(message.mention_name) + " ";
    }
    text += message.doc ? dialect::wecom_markdown(*message.doc) : dialect::wecom_markdown(message.text);
    OutboundRequest r;
    r.url = url;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = json{{"msgtype", "markdown"}, {"markdown", {{"content", text}}}}.dump();
    return r;
}

std::size_t WeComAiBotAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::wecom_markdown(doc).size() + 80;  // and the mention
}

SendOutcome WeComAiBotAdapter::parse_send(unsigned status,
                                          const std::vector<std::pair<std::string, std::string>>& /*headers*/,
                                          std::string_view body) const {
    using Kind = SendOutcome::Kind;
    if (status >= 500 || status == 429) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    const auto j = json::parse(body, nullptr, false);
    const int code = !j.is_discarded() && j.is_object() ? integer(j, "errcode", -1) : -1;
    if (status == 200 && code == 0) {
        return {};
    }
    // A response_url works once and for an hour: retrying after a refusal will not help.
    return {Kind::failed,
            {},
            std::to_string(code) + " " + (!j.is_discarded() && j.is_object() ? str(j, "errmsg") : "")};
}

// ---- In-app sign-in: OAuth for self-built apps (docs/platforms/wecom.md) ----

std::string WeComAppAdapter::sign_in_url(std::string_view redirect, std::string_view state) const {
    // snsapi_base: silent inside WeCom, the member's UserId only. The fragment tells the client to
    // add the member's identity.
    return config_.sign_in_base + "/connect/oauth2/authorize?appid=" + percent_encode(config_.corp_id) +
           "&redirect_uri=" + percent_encode(redirect) +
           "&response_type=code&scope=snsapi_base&state=" + percent_encode(state) +
           "&agentid=" + percent_encode(config_.agent_id) + "#wechat_redirect";
}

result<SignInStep> WeComAppAdapter::sign_in_step(const SignInExchange& x) const {
    if (x.answers.empty()) {
        OutboundRequest r;
        r.method = "GET";
        r.url = config_.api_base + "/cgi-bin/auth/getuserinfo?access_token=" + percent_encode(x.app_token) +
                "&code=" + percent_encode(x.code);
        return SignInStep{std::move(r), {}};
    }
    const auto& [status, body] = x.answers.front();
    const json j = object_of(body);
    if (status != 200 || integer(j, "errcode", -1) != 0) {
        return errc::bad_signature;  // an unknown, used or expired code
    }
    // A member has a userid; someone outside the organisation only an openid, and no account here.
    std::string user = str(j, "userid");
    user = user.empty() ? str(j, "UserId") : user;
    if (user.empty()) {
        return errc::bad_signature;
    }
    return SignInStep{std::nullopt, std::move(user)};
}

}  // namespace bot::adapters::wecom
