#pragma once

#include "adapters/bot_entry.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/json_reader.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::config {

struct TlsConfig {
    std::string cert_file;  ///< PEM certificate chain
    std::string key_file;   ///< PEM private key
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::uint32_t max_connections = 512;
    std::uint32_t max_header_bytes = 16 * 1024;
    std::uint32_t max_body_bytes = 256 * 1024;
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds shutdown_grace{5'000};
    std::optional<TlsConfig> tls;
};

struct StoreConfig {
    std::string driver = "sqlite";
    std::string path = "data/liaison.db";
    std::uint32_t max_batch = 256;
    std::uint32_t cache_mib = 8;  ///< SQLite page cache
    std::chrono::milliseconds busy_timeout{5'000};
    std::chrono::seconds purge_interval{600};
    /// Sent and failed outbox rows (the text of every reply, report content included) are deleted
    /// this long after they were stored.
    std::chrono::days outbox_retention{30};
};

struct ConversationConfig {
    std::string locale{kDefaultLocale};    ///< the bots' language; a person's own locale wins
    std::chrono::minutes draft_after{30};  ///< idle sessions become drafts after this
    std::chrono::hours draft_ttl{24 * 7};  ///< drafts are deleted after this
    std::vector<std::string> bot_names{std::string(kDefaultBotName)};  ///< names the bot is @-mentioned by
    bool allow_binding = false;  ///< 绑定 姓名 in chat, approved by a coordinator (同意绑定)
};

/// A chat the bot posts to without being asked (coordinators' group, digest targets).
struct ChatRef {
    std::string bot;
    std::string chat;
};

/// Reminders, escalations and the digest (docs/scheduling.md).
struct SchedulerConfig {
    bool enabled = true;
    std::chrono::seconds tick{30};             ///< how often tick(now) runs
    std::chrono::minutes catch_up{180};        ///< a send missed by less than this goes out late
    std::chrono::minutes quiet_from{21 * 60};  ///< quiet hours, local time of each template's zone;
    std::chrono::minutes quiet_to{8 * 60};     ///< from == to: none
    std::chrono::seconds lease{90};            ///< one process ticks at a time; the lease lasts this
    std::chrono::minutes remind_cooldown{5};   ///< 催报 at most once per this, per chat
    std::vector<ChatRef> coordinator_chats;    ///< escalations go here
    int digest_weekday = 1;                    ///< ISO weekday of the weekly digest
    std::chrono::minutes digest_time{9 * 60};  ///< local time of the digest
    std::string digest_time_zone{kDefaultTimeZone};
    std::vector<ChatRef> digest_chats;  ///< empty: no scheduled digest
};

/// The operators' HTTP API (/api/v1/…): off unless a token is configured.
struct ApiToken {
    std::string name;                 ///< shown in logs and the audit log ("api:<name>")
    Secret token;                     ///< at least 16 characters
    std::vector<std::string> scopes;  ///< read, review, admin (each includes the ones before it)
    std::string person{};             ///< acts as this roster coordinator, inside their scope
};

struct ApiConfig {
    /// `api.token` (one token named "default" with the admin scope) and `api.tokens`.
    std::vector<ApiToken> tokens;
};

/// 审核把关 (docs/review.md).
struct ReviewConfig {
    /// 采用's levels, lowest first, with the points each adoption gives its unit.
    std::vector<std::pair<std::string, int>> adoption_levels{
        {"区级", 1}, {"市级", 3}, {"省级", 5}, {"中央级", 10}};
    /// Each working day at `waiting_time` (scheduler.digest.time_zone), every reviewer with reports
    /// in their scope waiting longer than this is told once. 0: never.
    std::chrono::hours waiting_after{24};
    std::chrono::minutes waiting_time{9 * 60};
};

/// 快 · 实 · 新 (docs/quality.md).
struct QualityConfig {
    std::string phrases{};     ///< the 套话 list, relative to the configuration file; '': none
    int similar_percent = 60;  ///< from this similarity an earlier report is shown
};

/// The pages (docs/web.md).
struct WebConfig {
    /// The address people reach the service at (https behind a reverse proxy in production), no
    /// trailing slash; empty: no pages, and 网页填报 says so.
    std::string public_url{};
    std::chrono::minutes link_ttl{10};   ///< how long a sign-in link works
    std::chrono::minutes idle{8 * 60};   ///< a browser idle longer than this signs in again
    std::uint32_t upload_max_kb = 8192;  ///< the largest photo the pages take
};

struct Config {
    ServerConfig server;
    StoreConfig store;
    std::string log_level = "info";
    std::vector<BotConfig> bots;
    /// Directory of template files and the roster file; relative paths are resolved against the
    /// configuration file's directory by load_file.
    std::string templates_dir = "templates";
    std::string roster = "roster.jsonc";
    std::string calendar = "calendar-cn.jsonc";  ///< working-day calendar (holidays, make-up days)
    ConversationConfig conversation;
    SchedulerConfig scheduler;
    ApiConfig api;
    ReviewConfig review;
    QualityConfig quality;
    WebConfig web;

    const BotConfig* bot(std::string_view id) const;

    /// Every resolved secret value (for log redaction).
    std::vector<std::string> secret_values() const;
};

/// One problem found in a configuration: a JSON path (`$.server.port`) and a reason. Never contains
/// the value of a secret.
using Problem = json_check::Problem;

struct LoadResult {
    std::optional<Config> config;  ///< set only when `problems` is empty
    std::vector<Problem> problems;
};

/// Looks up an environment variable; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_env();

/// Parses configuration text (JSON, `//` and `/* */` comments allowed) and collects every problem:
/// syntax errors with line and column, unknown keys, wrong types, out-of-range values, secrets
/// that are literals instead of `${ENV}` references, unset variables.
LoadResult parse(std::string_view text, const EnvLookup& env);

/// Reads and parses a file (at most 1 MiB).
LoadResult load_file(const std::string& path, const EnvLookup& env);

/// "HOST:PORT" or "[v6]:PORT"; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

/// The platforms this build has adapters for (the registry's names).
std::vector<std::string_view> supported_platforms();

}  // namespace bot::config
