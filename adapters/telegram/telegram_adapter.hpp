#pragma once

#include "bot/core/adapter.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <string>

namespace bot::adapters::telegram {

struct TelegramConfig {
    std::string bot_id;
    std::string secret_token;  ///< the setWebhook secret_token, echoed in X-Telegram-Bot-Api-Secret-Token
    std::string bot_token;     ///< goes into the API path; never logged
    std::string bot_username;  ///< without '@'; mentions of it are stripped and mark a message as addressed
    std::string api_base = "https://api.telegram.org";
    std::chrono::seconds dedupe_ttl{24 * 3600};
};

/// Telegram Bot API webhook (../shared/protocols.md §5): a secret-token header instead of a signature,
/// one Update per request, deduplicated by update_id; replies through sendMessage with an HTML
/// mention of the officer.
class TelegramAdapter final : public Adapter {
public:
    explicit TelegramAdapter(TelegramConfig config);

    std::string_view platform() const noexcept override { return "telegram"; }
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
    std::size_t max_text_bytes() const noexcept override { return 4000; }
    /// The HTML's bytes (the limit is 4096 characters once its entities are read), with room for
    /// the mention.
    std::size_t rendered_bytes(const Doc& doc) const override;
    static constexpr std::size_t kMentionRoom = 160;
    double per_chat_per_minute() const noexcept override { return 20; }  // group limit (Bot FAQ)

    /// A Mini App's initData (docs/platforms/telegram.md, "Signing in to the pages"): the HMAC of
    /// its sorted fields under a key derived from the bot token, and auth_date within `max_age`.
    result<std::string> verify_launch_data(std::string_view data,
                                           TimePoint now,
                                           std::chrono::seconds max_age) const override;
    bool signs_launch_data() const noexcept override { return true; }
    /// A private chat's id is the user's id.
    std::string private_chat_of(std::string_view user) const override { return std::string(user); }
    /// The initData a Telegram client would sign for `fields` (tests, fake platforms).
    static std::string sign_launch_data(std::string_view bot_token,
                                        const std::vector<std::pair<std::string, std::string>>& fields);

    static std::string escape_html(std::string_view text);
    /// t.me/<bot>?start=<payload>, when the bot's username is configured.
    std::string deep_link(std::string_view payload) const override;

private:
    result<WebhookOutcome> message_event(const nlohmann::json& message,
                                         const std::string& update_id,
                                         TimePoint now) const;
    result<WebhookOutcome> callback_event(const nlohmann::json& cq,
                                          const std::string& update_id,
                                          TimePoint now) const;
    InboundEvent person_event(const nlohmann::json& from,
                              const nlohmann::json& chat,
                              const std::string& update_id,
                              TimePoint now) const;

    TelegramConfig config_;
};

}  // namespace bot::adapters::telegram
