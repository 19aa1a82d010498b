#include "adapters/dingtalk/dingtalk_adapter.hpp"

#include "adapters/common/checks.hpp"
#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/common/text.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace bot::adapters::dingtalk {
namespace {

using json = nlohmann::json;

std::int64_t ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

DingTalkAdapter::DingTalkAdapter(DingTalkConfig config) : config_(std::move(config)) {}

std::string DingTalkAdapter::sign(std::string_view app_secret, std::string_view timestamp_ms) {
    std::string msg(timestamp_ms);
    msg += '\n';
    msg += app_secret;
    return crypto::base64(crypto::hmac_sha256(app_secret, msg));
}

result<WebhookOutcome> DingTalkAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    // 1. sign over timestamp + "\n" + AppSecret (§2.2 step 2), constant-time.
    const auto ts = request.header("timestamp");
    const auto sig = request.header("sign");
    if (!ts || !sig || !crypto::constant_time_equal(*sig, sign(config_.app_secret, *ts))) {
        return errc::bad_signature;
    }
    // 2. Within one hour (§2.2 step 1).
    if (auto fresh = check_timestamp(*ts, TimestampUnit::milliseconds, now, config_.timestamp_window);
        !fresh) {
        return fresh.error();
    }
    // 3. Parse.
    const auto j = json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return errc::malformed;
    }
    const std::string msg_id = str(j, "msgId");
    const std::string chat = str(j, "conversationId");
    std::string user = str(j, "senderStaffId");
    if (user.empty()) {
        user = str(j, "senderId");
    }
    if (msg_id.empty() || msg_id.size() > 256 || chat.empty() || user.empty()) {
        return errc::malformed;
    }
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "dingtalk";
    e.chat_id = chat;
    e.user_id = user;
    e.user_name = str(j, "senderNick");
    if (const auto t = j.find("text"); t != j.end() && t->is_object()) {
        e.text = str(*t, "content");  // the @robot part is already removed by DingTalk
    }
    trim(e.text);
    limit_text(e);
    e.direct = str(j, "conversationType") == "1";
    e.addressed = flag(j, "isInAtList", false) || e.direct;
    e.dedupe_key = "dingtalk:" + config_.bot_id + ":" + msg_id;
    e.received_at = now;
    json ctx{{"conversation_type", str(j, "conversationType")}};
    if (const std::string hook = str(j, "sessionWebhook"); !hook.empty()) {
        ctx["session_webhook"] = hook;
        if (j.contains("sessionWebhookExpiredTime") && j["sessionWebhookExpiredTime"].is_number_integer()) {
            ctx["expires_ms"] = j["sessionWebhookExpiredTime"];
        }
    }
    e.reply_context = ctx.dump();
    return WebhookOutcome{std::move(e), {}};
}

HttpResponse DingTalkAdapter::acknowledge(const InboundEvent& /*event*/,
                                          bool /*duplicate*/,
                                          const std::vector<Message>& /*replies*/) const {
    return HttpResponse::json(200, "{}");
}

std::optional<OutboundRequest> DingTalkAdapter::token_request() const {
    if (config_.app_key.empty()) {
        return std::nullopt;  // session webhooks only
    }
    OutboundRequest r;
    r.url = config_.openapi_base + "/v1.0/oauth2/accessToken";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = json{{"appKey", config_.app_key}, {"appSecret", config_.app_secret}}.dump();
    return r;
}

result<AccessToken> DingTalkAdapter::parse_token(unsigned status, std::string_view body) const {
    const auto j = json::parse(body, nullptr, false);
    if (status != 200 || j.is_discarded() || !j.is_object() || str(j, "accessToken").empty()) {
        return errc::bad_signature;
    }
    return AccessToken{str(j, "accessToken"),
                       std::chrono::seconds(std::max(60, integer(j, "expireIn", 7200)))};
}

namespace {

/// The OpenAPI's msgKey and msgParam for a message: text, markdown, or an action card of its
/// buttons (sampleActionCard with one, sampleActionCard2…5 with several).
std::pair<std::string, json> openapi_message(const Message& message,
                                             const std::string& title,
                                             const std::string& text) {
    if (!message.doc) {
        return {"sampleText", json{{"content", text}}};
    }
    const json btns = dialect::dingtalk_buttons(message.doc->actions);
    if (btns.empty()) {
        return {"sampleMarkdown", json{{"title", title}, {"text", text}}};
    }
    json param{{"title", title}, {"text", text}};
    if (btns.size() == 1) {
        param["singleTitle"] = btns[0]["title"];
        param["singleURL"] = btns[0]["actionURL"];
        return {"sampleActionCard", std::move(param)};
    }
    for (std::size_t i = 0; i < btns.size(); ++i) {
        param["actionTitle" + std::to_string(i + 1)] = btns[i]["title"];
        param["actionURL" + std::to_string(i + 1)] = btns[i]["actionURL"];
    }
    return {"sampleActionCard" + std::to_string(btns.size()), std::move(param)};
}

}  // namespace

result<OutboundRequest> DingTalkAdapter::send_request(const Message& message,
                                                      std::string_view context,
                                                      std::string_view token,
                                                      TimePoint now) const {
    const auto c = json::parse(context, nullptr, false);
    // A private message goes through the OpenAPI's 1:1 send, never a group's session webhook.
    const std::string hook = c.is_object() && !message.direct ? str(c, "session_webhook") : std::string();
    const std::int64_t expires =
        c.is_object() && c.contains("expires_ms") && c["expires_ms"].is_number_integer()
            ? c["expires_ms"].get<std::int64_t>()
            : 0;
    std::string text;
    if (!message.mention_user_id.empty() && !message.direct) {
        text = "@" + message.mention_user_id + " ";
    }
    // A text message is inert once cleaned; a doc goes as markdown, every string escaped.
    text += message.doc ? dialect::dingtalk_markdown(*message.doc) : dialect::plain(message.text);
    const std::string title = message.doc ? dialect::summary(*message.doc) : std::string();
    // 1. The session webhook while it has at least a minute left, and only DingTalk's own endpoint
    //    (the signature does not cover the body that named it).
    const bool hook_valid =
        same_origin(hook, config_.api_base) && (expires == 0 || ms(now) + 60'000 < expires);
    if (hook_valid) {
        const json btns = message.doc ? dialect::dingtalk_buttons(message.doc->actions) : json::array();
        json body = !btns.empty()
                        ? json{{"msgtype", "actionCard"},
                               {"actionCard",
                                {{"title", title}, {"text", text}, {"btnOrientation", "1"}, {"btns", btns}}}}
                    : message.doc
                        ? json{{"msgtype", "markdown"}, {"markdown", {{"title", title}, {"text", text}}}}
                        : json{{"msgtype", "text"}, {"text", {{"content", text}}}};
        if (!message.mention_user_id.empty()) {
            body["at"] = {{"atUserIds", json::array({message.mention_user_id})}, {"isAtAll", false}};
        }
        OutboundRequest r;
        r.url = hook;
        r.headers = {{"Content-Type", "application/json"}};
        r.body = body.dump();
        return r;
    }
    // 2. Otherwise the OpenAPI with the robot's access token (§2.3): group or 1:1.
    if (config_.app_key.empty() || token.empty()) {
        return errc::invalid_argument;  // the session webhook expired and no AppKey is configured
    }
    const bool single = message.direct || (c.is_object() && str(c, "conversation_type") == "1");
    auto [key, param] = openapi_message(message, title, text);
    json body{{"robotCode", config_.app_key}, {"msgKey", key}, {"msgParam", param.dump()}};
    OutboundRequest r;
    if (single) {
        body["userIds"] = json::array({message.mention_user_id});
        r.url = config_.openapi_base + "/v1.0/robot/oToMessages/batchSend";
    } else {
        body["openConversationId"] = message.chat_id;
        r.url = config_.openapi_base + "/v1.0/robot/groupMessages/send";
    }
    r.headers = {{"Content-Type", "application/json"}, {"x-acs-dingtalk-access-token", std::string(token)}};
    r.body = body.dump();
    return r;
}

std::size_t DingTalkAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::dingtalk_markdown(doc).size() + kMentionRoom;
}

std::string DingTalkAdapter::retry_context(std::string_view context) const {
    auto c = json::parse(context, nullptr, false);
    if (config_.app_key.empty() || !c.is_object() || !c.contains("session_webhook")) {
        return std::string(context);  // no other way to reach the group
    }
    c.erase("session_webhook");
    return c.dump();
}

SendOutcome DingTalkAdapter::parse_send(unsigned status,
                                        const std::vector<std::pair<std::string, std::string>>& /*headers*/,
                                        std::string_view body) const {
    using Kind = SendOutcome::Kind;
    if (status == 429 || status >= 500) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    if (status == 401 || status == 403) {
        return {Kind::refresh_token, {}, "HTTP " + std::to_string(status)};  // OpenAPI: token invalid
    }
    const auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return {Kind::retry, {}, "unexpected answer, HTTP " + std::to_string(status)};
    }
    const int code = integer(j, "errcode", -1);
    if (status == 200 && (code == 0 || j.contains("processQueryKey"))) {
        return {};  // session webhook (errcode 0) or OpenAPI (a processQueryKey)
    }
    const std::string message = str(j, "errmsg");
    if (code == 130101) {  // "send too fast": the robot is throttled for up to 10 minutes
        return {Kind::retry, std::chrono::seconds(60), "130101 " + message};
    }
    return {Kind::failed, {}, std::to_string(code) + " " + message};
}

// ---- In-app sign-in: DingTalk's OAuth 2 (docs/platforms/dingtalk.md) ----

std::string DingTalkAdapter::sign_in_url(std::string_view redirect, std::string_view state) const {
    if (config_.app_key.empty()) {
        return {};  // a robot without an app has no sign-in
    }
    return config_.sign_in_base + "/oauth2/auth?redirect_uri=" + percent_encode(redirect) +
           "&response_type=code&client_id=" + percent_encode(config_.app_key) +
           "&scope=openid&state=" + percent_encode(state) + "&prompt=consent";
}

result<SignInStep> DingTalkAdapter::sign_in_step(const SignInExchange& x) const {
    OutboundRequest r;
    const auto answer = [&](std::size_t i) {
        return object_of(x.answers[i].second);
    };
    const auto ok = [&](std::size_t i) {
        return x.answers[i].first == 200;
    };
    switch (x.answers.size()) {
        case 0:  // the authCode for the user's token
            r.url = config_.openapi_base + "/v1.0/oauth2/userAccessToken";
            r.headers = {{"Content-Type", "application/json"}};
            r.body = json{{"clientId", config_.app_key},
                          {"clientSecret", config_.app_secret},
                          {"code", x.code},
                          {"grantType", "authorization_code"}}
                         .dump();
            return SignInStep{std::move(r), {}};
        case 1:  // the user's unionId
            if (!ok(0) || str(answer(0), "accessToken").empty()) {
                return errc::bad_signature;
            }
            r.method = "GET";
            r.url = config_.openapi_base + "/v1.0/contact/users/me";
            r.headers = {{"x-acs-dingtalk-access-token", str(answer(0), "accessToken")}};
            return SignInStep{std::move(r), {}};
        case 2:  // the unionId for the userid robot messages carry (senderStaffId)
            if (!ok(1) || str(answer(1), "unionId").empty()) {
                return errc::bad_signature;
            }
            r.url =
                config_.api_base + "/topapi/user/getbyunionid?access_token=" + percent_encode(x.app_token);
            r.headers = {{"Content-Type", "application/json"}};
            r.body = json{{"unionid", str(answer(1), "unionId")}}.dump();
            return SignInStep{std::move(r), {}};
        default: {
            const json j = answer(2);
            const auto res = j.find("result");
            if (!ok(2) || integer(j, "errcode", -1) != 0 || res == j.end() || str(*res, "userid").empty()) {
                return errc::bad_signature;  // not a member of the organisation
            }
            return SignInStep{std::nullopt, str(*res, "userid")};
        }
    }
}

}  // namespace bot::adapters::dingtalk
