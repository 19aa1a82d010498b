#include "adapters/registry.hpp"

#include "adapters/bot_entry.hpp"
#include "adapters/common/checks.hpp"
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/dingtalk/dingtalk_robot.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/feishu/feishu_robot.hpp"
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/webhook/webhook_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"
#include "adapters/wecom/wecom_robot.hpp"

#include <algorithm>
#include <cctype>

namespace bot::adapters {
namespace {

// ---- Checks ----

void check_webhook(const config::BotConfig& bot, std::vector<KeyProblem>& problems) {
    if (const std::string cb = bot.setting("callback_url"); !cb.empty() && !is_http_url(cb)) {
        problems.emplace_back("callback_url", "must be an https:// URL (or http:// inside your network)");
    }
}

/// Telegram's setWebhook secret_token: 1-256 characters of A-Z, a-z, 0-9, '_' and '-' (Bot API);
/// another one would fail only later, when the webhook is set. The value is not shown.
void check_telegram(const config::BotConfig& bot, std::vector<KeyProblem>& problems) {
    const std::string& token = bot.secret("secret_token");
    const bool shaped =
        !token.empty() && token.size() <= 256 && std::all_of(token.begin(), token.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
        });
    if (!token.empty() && !shaped) {
        problems.emplace_back("secret_token",
                              "must resolve to 1-256 characters of A-Z, a-z, 0-9, '_' and '-'");
    }
}

/// An EncodingAESKey is 43 characters of [A-Za-z0-9] (protocols.md §1.2); the value is not shown.
void check_wecom_key(const config::BotConfig& bot, std::vector<KeyProblem>& problems) {
    const std::string& key = bot.secret("encoding_aes_key");
    const bool shaped = key.size() == 43 && std::all_of(key.begin(), key.end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) != 0;
                        });
    if (!key.empty() && !shaped) {
        problems.emplace_back("encoding_aes_key", "must resolve to 43 characters of A-Z, a-z, 0-9");
    }
}

void check_wecom_app(const config::BotConfig& bot, std::vector<KeyProblem>& problems) {
    check_wecom_key(bot, problems);
    for (const char* required : {"corp_id", "agent_id"}) {
        if (bot.setting(required).empty()) {
            problems.emplace_back(required, "required key is missing");
        }
    }
}

// ---- Factories ----

/// The entry's `sign_in_base_url` (tests point it at a fake), else the platform's own OAuth host,
/// the adapter configuration's default.
template <class AdapterConfig>
AdapterConfig with_sign_in_base(AdapterConfig c, const config::BotConfig& bot) {
    if (std::string base = bot.setting("sign_in_base_url"); !base.empty()) {
        c.sign_in_base = std::move(base);
    }
    return c;
}

std::unique_ptr<Adapter> make_webhook(const config::BotConfig& bot) {
    return std::make_unique<webhook::WebhookAdapter>(
        bot.id, bot.secret("secret"), bot.timestamp_window, bot.dedupe_ttl, bot.setting("callback_url"));
}

std::unique_ptr<Adapter> make_slack(const config::BotConfig& bot) {
    return std::make_unique<slack::SlackAdapter>(slack::SlackConfig{bot.id,
                                                                    bot.secret("signing_secret"),
                                                                    bot.secret("bot_token"),
                                                                    bot.setting("bot_user_id"),
                                                                    bot.api_base_url,
                                                                    bot.timestamp_window,
                                                                    bot.dedupe_ttl});
}

std::unique_ptr<Adapter> make_telegram(const config::BotConfig& bot) {
    return std::make_unique<telegram::TelegramAdapter>(telegram::TelegramConfig{bot.id,
                                                                                bot.secret("secret_token"),
                                                                                bot.secret("bot_token"),
                                                                                bot.setting("bot_username"),
                                                                                bot.api_base_url,
                                                                                bot.dedupe_ttl});
}

constexpr std::string_view kDingTalkOpenApi = "https://api.dingtalk.com";

std::unique_ptr<Adapter> make_dingtalk(const config::BotConfig& bot) {
    const std::string openapi = bot.setting("openapi_base_url");
    return std::make_unique<dingtalk::DingTalkAdapter>(
        with_sign_in_base(dingtalk::DingTalkConfig{bot.id,
                                                   bot.secret("app_secret"),
                                                   bot.api_base_url,
                                                   bot.timestamp_window,
                                                   bot.dedupe_ttl,
                                                   bot.setting("app_key"),
                                                   openapi.empty() ? std::string(kDingTalkOpenApi) : openapi},
                          bot));
}

std::unique_ptr<Adapter> make_feishu(const config::BotConfig& bot) {
    return std::make_unique<feishu::FeishuAdapter>(
        with_sign_in_base(feishu::FeishuConfig{bot.id,
                                               bot.setting("app_id"),
                                               bot.secret("app_secret"),
                                               bot.secret("verification_token"),
                                               bot.secret("encrypt_key"),
                                               bot.setting("bot_open_id"),
                                               bot.api_base_url,
                                               bot.dedupe_ttl},
                          bot));
}

std::unique_ptr<Adapter> make_wecom_app(const config::BotConfig& bot) {
    return std::make_unique<wecom::WeComAppAdapter>(
        with_sign_in_base(wecom::WeComAppConfig{bot.id,
                                                bot.secret("token"),
                                                bot.secret("encoding_aes_key"),
                                                bot.setting("corp_id"),
                                                bot.secret("corp_secret"),
                                                bot.setting("agent_id"),
                                                bot.api_base_url,
                                                bot.dedupe_ttl},
                          bot));
}

std::unique_ptr<Adapter> make_wecom_aibot(const config::BotConfig& bot) {
    return std::make_unique<wecom::WeComAiBotAdapter>(
        wecom::WeComAiBotConfig{bot.id, bot.secret("token"), bot.secret("encoding_aes_key"), bot.dedupe_ttl});
}

std::unique_ptr<Adapter> make_dingtalk_robot(const config::BotConfig& bot) {
    return std::make_unique<dingtalk::DingTalkRobotAdapter>(
        bot.secret("access_token"), bot.secret("secret"), bot.api_base_url);
}

std::unique_ptr<Adapter> make_feishu_robot(const config::BotConfig& bot) {
    return std::make_unique<feishu::FeishuRobotAdapter>(
        bot.secret("hook"), bot.secret("secret"), bot.api_base_url);
}

std::unique_ptr<Adapter> make_wecom_robot(const config::BotConfig& bot) {
    return std::make_unique<wecom::WeComRobotAdapter>(bot.id, bot.secret("key"), bot.api_base_url);
}

}  // namespace

const std::vector<Platform>& platforms() {
    // Credential names follow ../shared/protocols.md. DingTalk signs with a one-hour window (§2.2).
    using std::chrono::seconds;
    static const std::vector<Platform> all{
        {"webhook", {"secret"}, {"callback_url"}, "", {}, seconds(300), check_webhook, make_webhook},
        {"slack",
         {"signing_secret", "bot_token"},
         {"bot_user_id"},
         "https://slack.com/api",
         {},
         seconds(300),
         nullptr,
         make_slack},
        {"telegram",
         {"secret_token", "bot_token"},
         {"bot_username"},
         "https://api.telegram.org",
         {},
         seconds(300),
         check_telegram,
         make_telegram},
        {"dingtalk",
         {"app_secret"},
         {"app_key", "openapi_base_url", "sign_in_base_url"},
         "https://oapi.dingtalk.com",
         {},
         seconds(3600),
         nullptr,
         make_dingtalk,
         0,
         false,
         "give it an app_key, or name a dingtalk_robot as the chat's \"push\""},
        {"feishu",
         {"app_secret", "verification_token"},
         {"app_id", "bot_open_id", "sign_in_base_url"},
         "https://open.feishu.cn",
         {"encrypt_key"},
         seconds(300),
         nullptr,
         make_feishu},
        {"wecom_app",
         {"token", "encoding_aes_key", "corp_secret"},
         {"corp_id", "agent_id", "sign_in_base_url"},
         "https://qyapi.weixin.qq.com",
         {},
         seconds(300),
         check_wecom_app,
         make_wecom_app},
        // One markdown push of at most 4,096 bytes per message; the full-width forms of markdown
        // characters take three bytes, so a page of 2,000 keeps well under it.
        {"wecom_aibot",
         {"token", "encoding_aes_key"},
         {},
         "",
         {},
         seconds(300),
         check_wecom_key,
         make_wecom_aibot,
         2000,
         true,
         "name a wecom_robot as the chat's \"push\""},
        // Outbound only: group robots' webhooks (群机器人, 自定义机器人), for reminders and digests.
        {"wecom_robot",
         {"key"},
         {},
         "https://qyapi.weixin.qq.com",
         {},
         seconds(300),
         nullptr,
         make_wecom_robot},
        {"dingtalk_robot",
         {"access_token"},
         {},
         "https://oapi.dingtalk.com",
         {"secret"},
         seconds(300),
         nullptr,
         make_dingtalk_robot},
        {"feishu_robot",
         {"hook"},
         {},
         "https://open.feishu.cn",
         {"secret"},
         seconds(300),
         nullptr,
         make_feishu_robot},
    };
    return all;
}

const Platform* find_platform(std::string_view name) {
    const auto& all = platforms();
    const auto it =
        std::find_if(all.begin(), all.end(), [name](const Platform& p) { return p.name == name; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace bot::adapters
