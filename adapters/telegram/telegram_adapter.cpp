#include "adapters/telegram/telegram_adapter.hpp"

#include "adapters/common/crypto.hpp"
#include "adapters/common/dialect.hpp"
#include "adapters/common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace bot::adapters::telegram {
namespace {

using json = nlohmann::json;

/// Telegram ids are 64-bit integers (group ids negative); keep them as decimal strings.
std::string id_of(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
        return {};
    }
    return std::to_string(it->get<std::int64_t>());
}

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

/// Removes "@botname" (case-insensitive, as Telegram usernames are) and "/cmd@botname" suffixes;
/// returns whether the bot was mentioned.
bool strip_mention(std::string& text, const std::string& username) {
    if (username.empty()) {
        return false;
    }
    const std::string needle = "@" + lower(username);
    bool found = false;
    for (;;) {
        const auto at = lower(text).find(needle);
        if (at == std::string::npos) {
            break;
        }
        text.erase(at, needle.size());
        found = true;
    }
    return found;
}

}  // namespace

TelegramAdapter::TelegramAdapter(TelegramConfig config) : config_(std::move(config)) {}

std::string TelegramAdapter::escape_html(std::string_view text) {
    return dialect::telegram_html(text, true);
}

result<WebhookOutcome> TelegramAdapter::on_webhook(const HttpRequest& request, TimePoint now) const {
    if (request.method != "POST") {
        return errc::method_not_allowed;
    }
    // 1. The secret token set with setWebhook, compared in constant time (there is no HMAC).
    const auto token = request.header("x-telegram-bot-api-secret-token");
    if (!token || !crypto::constant_time_equal(*token, config_.secret_token)) {
        return errc::bad_signature;
    }
    // 2. One Update.
    const auto j = json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("update_id") ||
        !j["update_id"].is_number_integer()) {
        return errc::malformed;
    }
    const std::string update_id = std::to_string(j["update_id"].get<std::int64_t>());
    if (const auto cq = j.find("callback_query"); cq != j.end() && cq->is_object()) {
        return callback_event(*cq, update_id, now);
    }
    const auto msg = j.find("message");
    if (msg == j.end() || !msg->is_object()) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};  // edits, joins, …: not used
    }
    return message_event(*msg, update_id, now);
}

result<WebhookOutcome> TelegramAdapter::message_event(const nlohmann::json& message,
                                                      const std::string& update_id,
                                                      TimePoint now) const {
    const auto from = message.find("from");
    const auto chat = message.find("chat");
    if (from == message.end() || !from->is_object() || chat == message.end() || !chat->is_object()) {
        return errc::malformed;
    }
    if (from->value("is_bot", false)) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};  // never answer bots (no loops)
    }
    InboundEvent e = person_event(*from, *chat, update_id, now);
    if (e.chat_id.empty() || e.user_id.empty()) {
        return errc::malformed;
    }
    e.text = message.contains("text") ? str(message, "text") : str(message, "caption");
    limit_text(e);
    const bool mentioned = strip_mention(e.text, config_.bot_username);
    trim(e.text);
    if (e.direct && (e.text == "/start" || e.text.starts_with("/start "))) {
        // A deep link t.me/<bot>?start=<payload> (deep_link()): the payload is what it says.
        e.text = e.text == "/start" ? std::string("help") : e.text.substr(7);
        trim(e.text);
    }
    bool reply_to_bot = false;
    if (const auto rt = message.find("reply_to_message"); rt != message.end() && rt->is_object()) {
        if (const auto rf = rt->find("from"); rf != rt->end() && rf->is_object()) {
            reply_to_bot =
                !config_.bot_username.empty() && lower(str(*rf, "username")) == lower(config_.bot_username);
        }
    }
    e.addressed = mentioned || reply_to_bot || e.direct;
    if (const auto photos = message.find("photo");
        photos != message.end() && photos->is_array() && !photos->empty()) {
        const auto& largest = photos->back();
        if (largest.is_object() && !str(largest, "file_id").empty()) {
            e.attachments.push_back("image:" + str(largest, "file_id"));
        }
    }
    if (const auto doc = message.find("document");
        doc != message.end() && doc->is_object() && !str(*doc, "file_id").empty()) {
        e.attachments.push_back("file:" + str(*doc, "file_id"));
    }
    json ctx = json::object();
    if (message.contains("message_thread_id") && message["message_thread_id"].is_number_integer()) {
        ctx["message_thread_id"] = message["message_thread_id"];
    }
    e.reply_context = ctx.empty() ? "" : ctx.dump();
    return WebhookOutcome{std::move(e), {}};
}

InboundEvent TelegramAdapter::person_event(const nlohmann::json& from,
                                           const nlohmann::json& chat,
                                           const std::string& update_id,
                                           TimePoint now) const {
    InboundEvent e;
    e.bot_id = config_.bot_id;
    e.platform = "telegram";
    e.chat_id = id_of(chat, "id");
    e.user_id = id_of(from, "id");
    e.user_name = str(from, "first_name");
    if (const std::string last = str(from, "last_name"); !last.empty()) {
        e.user_name += " " + last;
    }
    if (e.user_name.empty()) {
        e.user_name = str(from, "username");
    }
    e.direct = str(chat, "type") == "private";
    e.dedupe_key = "telegram:" + config_.bot_id + ":" + update_id;
    e.received_at = now;
    return e;
}

result<WebhookOutcome> TelegramAdapter::callback_event(const nlohmann::json& cq,
                                                       const std::string& update_id,
                                                       TimePoint now) const {
    // A press of an inline keyboard's button (docs/conversation.md, "Buttons"): the person who pressed it
    // says its callback_data in the chat of the message it was under. The secret token vouched for the
    // update.
    const auto from = cq.find("from");
    const auto message = cq.find("message");
    const std::string id = str(cq, "id");
    if (from == cq.end() || !from->is_object() || id.empty() || id.size() > 128 || message == cq.end() ||
        !message->is_object() || !message->contains("chat") || !(*message)["chat"].is_object()) {
        return errc::malformed;
    }
    if (from->value("is_bot", false)) {
        return WebhookOutcome{std::nullopt, HttpResponse::text(200, "")};
    }
    InboundEvent e = person_event(*from, (*message)["chat"], update_id, now);
    if (e.chat_id.empty() || e.user_id.empty()) {
        return errc::malformed;
    }
    e.text = str(cq, "data");
    limit_text(e);
    e.addressed = true;  // a press is meant for the bot
    json ctx{{"callback_query_id", id}};
    if (message->contains("message_thread_id") && (*message)["message_thread_id"].is_number_integer()) {
        ctx["message_thread_id"] = (*message)["message_thread_id"];
    }
    e.reply_context = ctx.dump();
    return WebhookOutcome{std::move(e), {}};
}

HttpResponse TelegramAdapter::acknowledge(const InboundEvent& event,
                                          bool /*duplicate*/,
                                          const std::vector<Message>& /*replies*/) const {
    // A button press is answered in the webhook's own answer (answerCallbackQuery), which stops the
    // button's spinner; the replies go through sendMessage as any other.
    if (event.reply_context.find("callback_query_id") != std::string::npos) {
        const auto c = json::parse(event.reply_context, nullptr, false);
        if (c.is_object() && c.contains("callback_query_id") && c["callback_query_id"].is_string()) {
            return HttpResponse::json(
                200,
                json{{"method", "answerCallbackQuery"}, {"callback_query_id", c["callback_query_id"]}}
                    .dump());
        }
    }
    return HttpResponse::text(200, "");
}

result<OutboundRequest> TelegramAdapter::send_request(const Message& message,
                                                      std::string_view context,
                                                      std::string_view /*token*/,
                                                      TimePoint /*now*/) const {
    std::string text;
    if (!message.mention_user_id.empty() && !message.direct) {
        text = "<a href=\"tg://user?id=" + dialect::telegram_html(message.mention_user_id, true) + "\">" +
               dialect::telegram_html(message.mention_name.empty() ? message.mention_user_id
                                                                   : message.mention_name) +
               "</a> ";
    }
    text += message.doc && !dialect::plain_doc(*message.doc) ? dialect::telegram_html(*message.doc)
                                                             : dialect::telegram_html(message.text);
    json body{{"text", text}, {"parse_mode", "HTML"}};
    // Numeric chat ids are sent as numbers, as the API documents them. A private chat's id is the
    // user's id (the person must have started the bot once).
    const std::string& chat = message.direct ? message.mention_user_id : message.chat_id;
    try {
        std::size_t used = 0;
        const long long id = std::stoll(chat, &used);
        body["chat_id"] = used == chat.size() ? json(id) : json(chat);
    } catch (const std::exception&) {
        body["chat_id"] = chat;
    }
    if (!context.empty()) {
        const auto c = json::parse(context, nullptr, false);
        if (c.is_object() && c.contains("message_thread_id")) {
            body["message_thread_id"] = c["message_thread_id"];
        }
    }
    if (message.doc && !message.doc->actions.empty()) {
        body["reply_markup"] = dialect::telegram_keyboard(message.doc->actions);
    }
    OutboundRequest r;
    r.url = config_.api_base + "/bot" + config_.bot_token + "/sendMessage";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body.dump();
    return r;
}

std::string TelegramAdapter::deep_link(std::string_view payload) const {
    if (config_.bot_username.empty()) {
        return {};
    }
    return "https://t.me/" + config_.bot_username + "?start=" + std::string(payload);
}

std::size_t TelegramAdapter::rendered_bytes(const Doc& doc) const {
    return dialect::telegram_html(doc).size() + kMentionRoom;
}

SendOutcome TelegramAdapter::parse_send(unsigned status,
                                        const std::vector<std::pair<std::string, std::string>>& /*headers*/,
                                        std::string_view body) const {
    using Kind = SendOutcome::Kind;
    const auto j = json::parse(body, nullptr, false);
    const bool parsed = !j.is_discarded() && j.is_object();
    if (parsed && flag(j, "ok", false) && status == 200) {
        return {};
    }
    const std::string description = parsed ? str(j, "description") : std::string();
    if (status == 429 || (parsed && integer(j, "error_code", 0) == 429)) {
        std::chrono::seconds wait{1};
        if (parsed && j.contains("parameters") && j["parameters"].is_object()) {
            wait = std::chrono::seconds(std::max(
                1, integer(j.contains("parameters") ? j["parameters"] : nlohmann::json(), "retry_after", 1)));
        }
        return {Kind::retry, wait, description.empty() ? "Too Many Requests" : description};
    }
    if (status >= 500 || !parsed) {
        return {Kind::retry, {}, "HTTP " + std::to_string(status)};
    }
    return {Kind::failed, {}, description.empty() ? "HTTP " + std::to_string(status) : description};
}

// ---- In-app sign-in: a Mini App's initData (docs/platforms/telegram.md) ----

namespace {

/// The data-check-string of initData's fields: every field but `hash`, as `key=value`, sorted by
/// key, joined by line feeds (the values decoded).
std::string data_check_string(std::vector<std::pair<std::string, std::string>> fields) {
    std::erase_if(fields, [](const auto& f) { return f.first == "hash"; });
    std::sort(fields.begin(), fields.end());
    std::string out;
    for (const auto& [key, value] : fields) {
        out += (out.empty() ? "" : "\n") + key + "=" + value;
    }
    return out;
}

std::string launch_hash(std::string_view bot_token, const std::string& check) {
    const auto secret = crypto::hmac_sha256("WebAppData", bot_token);
    return crypto::to_hex(crypto::hmac_sha256(
        std::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()), check));
}

}  // namespace

std::string TelegramAdapter::sign_launch_data(
    std::string_view bot_token, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        out += percent_encode(key) + "=" + percent_encode(value) + "&";
    }
    return out + "hash=" + launch_hash(bot_token, data_check_string(fields));
}

result<std::string> TelegramAdapter::verify_launch_data(std::string_view data,
                                                        TimePoint now,
                                                        std::chrono::seconds max_age) const {
    std::vector<std::pair<std::string, std::string>> fields;
    std::string hash;
    for (std::string_view rest = data; !rest.empty();) {
        const auto end = rest.find('&');
        const std::string_view pair = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        const auto eq = pair.find('=');
        auto key = percent_decode(pair.substr(0, eq), true);
        auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
        if (!key || !value || fields.size() > 32) {
            return errc::malformed;
        }
        if (*key == "hash") {
            hash = *value;
        }
        fields.emplace_back(std::move(*key), std::move(*value));
    }
    if (hash.empty() || config_.bot_token.empty() ||
        !crypto::constant_time_equal(launch_hash(config_.bot_token, data_check_string(fields)), hash)) {
        return errc::bad_signature;
    }
    std::int64_t auth_date = -1;
    std::string user;
    for (const auto& [key, value] : fields) {
        if (key == "auth_date") {
            std::from_chars(value.data(), value.data() + value.size(), auth_date);
        } else if (key == "user") {
            user = id_of(object_of(value), "id");
        }
    }
    const auto at = TimePoint(std::chrono::seconds(auth_date));
    if (auth_date < 0 || now - at > max_age || at - now > std::chrono::minutes(1)) {
        return errc::stale_request;
    }
    if (user.empty()) {
        return errc::malformed;
    }
    return user;
}

}  // namespace bot::adapters::telegram
