#include "bot/config.hpp"

#include "adapters/registry.hpp"
#include "bot/core/json_reader.hpp"
#include "bot/loaders.hpp"
#include "templates/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <date/tz.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace bot::config {
namespace {

using json = nlohmann::json;

/// `${NAME}` → NAME; nullopt for anything else.
std::optional<std::string> env_reference(std::string_view s) {
    if (s.size() < 4 || !s.starts_with("${") || !s.ends_with("}")) {
        return std::nullopt;
    }
    const auto name = s.substr(2, s.size() - 3);
    if (!json_check::is_identifier(name)) {
        return std::nullopt;
    }
    return std::string(name);
}

bool valid_bot_id(std::string_view id) {
    auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    return !id.empty() && id.size() <= 64 && id.front() != '_' && id.front() != '-' &&
           std::all_of(id.begin(), id.end(), ok);
}

using json_check::type_name;

/// The shared checked reader plus what only configuration has: secrets from the environment.
class Reader : public json_check::Reader {
public:
    Reader(json_check::Reader base, const EnvLookup& env) : json_check::Reader(base), env_(env) {}

    /// A `${ENV_NAME}` reference, resolved now. Literal values are refused and never echoed.
    void secret(std::string_view key, Secret& out, bool required) {
        const json* v = get(key, required);
        if (v == nullptr) {
            return;
        }
        const std::string path = child_path(key);
        const auto ref = v->is_string() ? env_reference(v->get_ref<const std::string&>()) : std::nullopt;
        if (!ref) {
            problem(path,
                    "secrets must be given as an environment reference such as \"${LIAISON_BOT_SECRET}\"; "
                    "the value is not shown");
            return;
        }
        const std::string& name = *ref;
        const auto value = env_(name);
        if (!value) {
            problem(path, "environment variable " + name + " is not set");
        } else if (value->empty()) {
            problem(path, "environment variable " + name + " is empty");
        } else {
            out = Secret(name, *value);
        }
    }

    Reader child(std::string_view key) const { return {json_check::Reader::child(key), env_}; }
    Reader element(std::size_t i) const { return {json_check::Reader::element(i), env_}; }

private:
    const EnvLookup& env_;
};

/// One bearer token: a secret of at least 16 characters.
bool read_token(Reader& r, std::string_view key, Secret& out) {
    r.secret(key, out, true);
    if (out.reveal().empty()) {
        return false;
    }
    if (out.reveal().size() < 16) {
        r.problem(r.child_path(key), "must resolve to at least 16 characters; the value is not shown");
        return false;
    }
    return true;
}

void read_api(Reader r, ApiConfig& api) {
    if (!r.object({"token", "tokens"})) {
        return;
    }
    if (r.has("token")) {
        ApiToken t{.name = "default", .token = {}, .scopes = {"admin"}};
        if (read_token(r, "token", t.token)) {
            api.tokens.push_back(std::move(t));
        }
    }
    if (!r.has("tokens")) {
        return;
    }
    Reader list = r.child("tokens");
    if (!list.array()) {
        return;
    }
    for (std::size_t i = 0; i < list.value().size(); ++i) {
        Reader e = list.element(i);
        if (!e.object({"name", "token", "scopes", "person"})) {
            continue;
        }
        ApiToken t;
        e.string("name", t.name, true);
        if (!t.name.empty() && !valid_bot_id(t.name)) {
            e.problem(e.child_path("name"), "use lower-case letters, digits, '-' and '_' (at most 64)");
        }
        if (e.string_list("scopes", t.scopes, true) && t.scopes.empty()) {
            e.problem(e.child_path("scopes"), "give at least one of read, review, admin");
        }
        for (const auto& scope : t.scopes) {
            if (scope != "read" && scope != "review" && scope != "admin") {
                e.problem(e.child_path("scopes"),
                          "unknown scope \"" + scope + "\": use read, review or admin");
            }
        }
        e.string("person", t.person);
        const bool ok = read_token(e, "token", t.token);
        for (const auto& other : api.tokens) {
            if (other.name == t.name) {
                e.problem(e.child_path("name"), "another token is named \"" + t.name + "\"");
            }
            if (ok && other.token.reveal() == t.token.reveal()) {
                e.problem(e.child_path("token"),
                          "the same value as token \"" + other.name + "\"; the value is not shown");
            }
        }
        if (ok) {
            api.tokens.push_back(std::move(t));
        }
    }
}

void read_server(Reader r, ServerConfig& s) {
    if (!r.object({"listen",
                   "max_connections",
                   "max_header_bytes",
                   "max_body_bytes",
                   "read_timeout_ms",
                   "write_timeout_ms",
                   "idle_timeout_ms",
                   "shutdown_grace_ms",
                   "tls"})) {
        return;
    }
    std::string listen;
    r.string("listen", listen);
    if (!listen.empty()) {
        if (auto hp = parse_listen(listen)) {
            s.host = hp->first;
            s.port = hp->second;
        } else {
            r.problem(r.child_path("listen"),
                      "expected HOST:PORT, for example \"127.0.0.1:8080\" or \"[::1]:8080\"");
        }
    }
    r.integer("max_connections", s.max_connections, 1, 100'000);
    r.integer("max_header_bytes", s.max_header_bytes, 1024, 1024 * 1024);
    r.integer("max_body_bytes", s.max_body_bytes, 1024, 64 * 1024 * 1024);
    r.duration("read_timeout_ms", s.read_timeout, 100, 600'000);
    r.duration("write_timeout_ms", s.write_timeout, 100, 600'000);
    r.duration("idle_timeout_ms", s.idle_timeout, 100, 3'600'000);
    r.duration("shutdown_grace_ms", s.shutdown_grace, 0, 600'000);
    if (r.has("tls")) {
        Reader t = r.child("tls");
        if (t.object({"cert_file", "key_file"})) {
            TlsConfig tls;
            t.string("cert_file", tls.cert_file, true);
            t.string("key_file", tls.key_file, true);
            for (const auto* f : {&tls.cert_file, &tls.key_file}) {
                if (!f->empty() && !std::ifstream(*f).good()) {
                    t.problem(t.child_path(f == &tls.cert_file ? "cert_file" : "key_file"),
                              "cannot read file '" + *f + "'");
                }
            }
            s.tls = tls;
        }
    }
}

void read_store(Reader r, StoreConfig& s) {
    if (!r.object({"driver",
                   "path",
                   "max_batch",
                   "busy_timeout_ms",
                   "purge_interval_s",
                   "cache_mib",
                   "outbox_retention_days"})) {
        return;
    }
    r.string("driver", s.driver);
    if (s.driver != "sqlite") {
        r.problem(r.child_path("driver"),
                  "unsupported driver \"" + s.driver + "\" (this build supports: sqlite)");
    }
    r.string("path", s.path);
    if (s.path.empty()) {
        r.problem(r.child_path("path"), "must not be empty");
    }
    r.integer("max_batch", s.max_batch, 1, 10'000);
    r.integer("cache_mib", s.cache_mib, 1, 4096);
    r.duration("busy_timeout_ms", s.busy_timeout, 0, 600'000);
    r.duration("purge_interval_s", s.purge_interval, 1, 86'400);
    r.duration("outbox_retention_days", s.outbox_retention, 1, 3650);
}

void read_conversation(Reader r, ConversationConfig& c) {
    if (!r.object({"locale", "draft_after_min", "draft_ttl_h", "bot_names", "allow_binding"})) {
        return;
    }
    if (r.string("locale", c.locale) && c.locale != "zh-CN" && c.locale != "en") {
        r.problem(r.child_path("locale"), "must be \"zh-CN\" or \"en\"");
    }
    r.duration("draft_after_min", c.draft_after, 1, 7 * 24 * 60);
    r.duration("draft_ttl_h", c.draft_ttl, 1, 24 * 365);
    r.boolean("allow_binding", c.allow_binding);
    if (r.has("bot_names")) {
        Reader names = r.child("bot_names");
        if (names.array()) {
            c.bot_names.clear();
            for (std::size_t i = 0; i < names.value().size(); ++i) {
                const auto& e = names.value()[i];
                if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
                    names.problem(names.path() + "[" + std::to_string(i) + "]",
                                  "expected a non-empty string");
                } else {
                    c.bot_names.push_back(e.get<std::string>());
                }
            }
        }
    }
}

void read_time_of_day(Reader& r, std::string_view key, std::chrono::minutes& out);

void read_review(Reader r, ReviewConfig& c) {
    if (!r.object({"adoption_levels", "waiting_after_h", "waiting_time"})) {
        return;
    }
    r.duration("waiting_after_h", c.waiting_after, 0, 24 * 30);
    read_time_of_day(r, "waiting_time", c.waiting_time);
    if (!r.has("adoption_levels")) {
        return;
    }
    Reader levels = r.child("adoption_levels");
    if (!levels.array()) {
        return;
    }
    c.adoption_levels.clear();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < levels.value().size(); ++i) {
        Reader l = levels.element(i);
        if (!l.object({"level", "points"})) {
            continue;
        }
        std::string name;
        int points = 0;
        l.string("level", name, true);
        l.integer("points", points, 0, 1000, true);
        if (name.find(' ') != std::string::npos) {
            l.problem(l.child_path("level"), "must be one word (it is typed after 采用 R-…)");
        } else if (!name.empty() && !seen.insert(name).second) {
            l.problem(l.child_path("level"), "duplicate level \"" + name + "\"");
        }
        c.adoption_levels.emplace_back(std::move(name), points);
    }
    if (c.adoption_levels.empty()) {
        levels.problem(levels.path(), "needs at least one level");
    }
}

void read_chat_refs(Reader r, std::vector<ChatRef>& out) {
    if (!r.array()) {
        return;
    }
    for (std::size_t i = 0; i < r.value().size(); ++i) {
        Reader c = r.element(i);
        if (!c.object({"bot", "chat"})) {
            continue;
        }
        ChatRef ref;
        c.string("bot", ref.bot, true);
        c.string("chat", ref.chat, true);
        out.push_back(std::move(ref));
    }
}

void read_time_of_day(Reader& r, std::string_view key, std::chrono::minutes& out) {
    std::string v;
    if (r.string(key, v)) {
        if (const auto t = templates::text::parse_time(v)) {
            out = *t;
        } else {
            r.problem(r.child_path(key), "expected a time of day HH:MM, e.g. \"09:00\"");
        }
    }
}

void read_web(Reader r, WebConfig& w) {
    if (!r.object({"public_url", "link_ttl_min", "idle_min", "upload_max_kb"})) {
        return;
    }
    if (r.string("public_url", w.public_url)) {
        while (!w.public_url.empty() && w.public_url.back() == '/') {
            w.public_url.pop_back();
        }
        const bool http = w.public_url.starts_with("http://") || w.public_url.starts_with("https://");
        if (!http || w.public_url.find_first_of("?#\"<> ") != std::string::npos) {
            r.problem(r.child_path("public_url"),
                      "expected the address people open, e.g. \"https://liaison.example.gov.cn\" (no query)");
        }
    }
    r.duration("link_ttl_min", w.link_ttl, 1, 60);
    r.duration("idle_min", w.idle, 5, 7 * 24 * 60);
    r.integer("upload_max_kb", w.upload_max_kb, 64, 64 * 1024);
}

void read_scheduler(Reader r, SchedulerConfig& s) {
    if (!r.object({"enabled",
                   "tick_s",
                   "catch_up_min",
                   "quiet_hours",
                   "lease_s",
                   "remind_cooldown_min",
                   "coordinator_chats",
                   "digest"})) {
        return;
    }
    r.boolean("enabled", s.enabled);
    r.duration("tick_s", s.tick, 1, 3600);
    r.duration("catch_up_min", s.catch_up, 0, 7 * 24 * 60);
    r.duration("lease_s", s.lease, 5, 3600);
    r.duration("remind_cooldown_min", s.remind_cooldown, 0, 24 * 60);
    if (r.has("quiet_hours")) {
        Reader q = r.child("quiet_hours");
        if (q.object({"from", "to"})) {
            read_time_of_day(q, "from", s.quiet_from);
            read_time_of_day(q, "to", s.quiet_to);
        }
    }
    if (r.has("coordinator_chats")) {
        read_chat_refs(r.child("coordinator_chats"), s.coordinator_chats);
    }
    if (r.has("digest")) {
        Reader d = r.child("digest");
        if (d.object({"weekday", "time", "time_zone", "chats"})) {
            static const std::vector<std::string> days{
                "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
            std::string day;
            if (d.string("weekday", day)) {
                const auto it = std::find(days.begin(), days.end(), day);
                if (it == days.end()) {
                    d.problem(d.child_path("weekday"), "must be a weekday in English, e.g. \"monday\"");
                } else {
                    s.digest_weekday = static_cast<int>(it - days.begin()) + 1;
                }
            }
            read_time_of_day(d, "time", s.digest_time);
            if (d.string("time_zone", s.digest_time_zone)) {
                try {
                    (void)date::locate_zone(s.digest_time_zone);
                } catch (const std::exception&) {
                    d.problem(d.child_path("time_zone"),
                              "unknown IANA time zone \"" + s.digest_time_zone + "\"");
                }
            }
            if (d.has("chats")) {
                read_chat_refs(d.child("chats"), s.digest_chats);
            }
        }
    }
}

const std::vector<std::string_view> kCommonBotKeys{
    "id", "platform", "timestamp_window_s", "dedupe_ttl_s", "locale", "api_base_url", "rate_per_minute"};

std::vector<std::string_view> all_bot_keys() {
    std::vector<std::string_view> keys = kCommonBotKeys;
    for (const auto& spec : adapters::platforms()) {
        keys.insert(keys.end(), spec.secrets.begin(), spec.secrets.end());
        keys.insert(keys.end(), spec.settings.begin(), spec.settings.end());
        keys.insert(keys.end(), spec.optional_secrets.begin(), spec.optional_secrets.end());
    }
    return keys;
}

/// The keys of the bot's platform (its registry row): secrets, settings, the API base; keys of
/// other platforms are mistakes here, and are said so rather than ignored.
void read_platform_keys(Reader& b, const adapters::Platform& spec, BotConfig& bot) {
    for (const auto name : spec.secrets) {
        b.secret(name, bot.secrets[std::string(name)], true);
    }
    for (const auto name : spec.optional_secrets) {
        if (b.has(name)) {
            b.secret(name, bot.secrets[std::string(name)], false);
        }
    }
    for (const auto name : spec.settings) {
        std::string v;
        if (b.string(name, v)) {
            bot.settings[std::string(name)] = v;
        }
    }
    const auto listed = [](const auto& names, const std::string& key) {
        return std::find(names.begin(), names.end(), key) != names.end();
    };
    for (const auto& [key, value] : b.value().items()) {
        if (!listed(kCommonBotKeys, key) && !listed(spec.secrets, key) && !listed(spec.settings, key) &&
            !listed(spec.optional_secrets, key)) {
            b.problem(b.child_path(key), "not a setting of platform \"" + bot.platform + "\"");
        }
    }
    bot.api_base_url = std::string(spec.default_api_base);
    if (b.string("api_base_url", bot.api_base_url)) {
        while (!bot.api_base_url.empty() && bot.api_base_url.back() == '/') {
            bot.api_base_url.pop_back();
        }
        if (bot.api_base_url.rfind("https://", 0) != 0 && bot.api_base_url.rfind("http://", 0) != 0) {
            b.problem(b.child_path("api_base_url"),
                      "must start with https:// (or http:// for a local test server)");
        }
    }
    bot.timestamp_window = spec.timestamp_window;
}

/// The bot's id and platform; the platform's registry row, or nullptr when it is unknown.
const adapters::Platform* read_identity(Reader& b, BotConfig& bot, std::set<std::string>& ids) {
    b.string("id", bot.id, true);
    if (b.has("id") && b.value()["id"].is_string()) {
        if (!valid_bot_id(bot.id)) {
            b.problem(b.child_path("id"),
                      "must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        } else if (!ids.insert(bot.id).second) {
            b.problem(b.child_path("id"), "duplicate bot id \"" + bot.id + "\"");
        }
    }
    b.string("platform", bot.platform, true);
    const adapters::Platform* spec = adapters::find_platform(bot.platform);
    if (!bot.platform.empty() && spec == nullptr) {
        std::string list;
        for (const auto p : supported_platforms()) {
            list += (list.empty() ? "" : ", ") + std::string(p);
        }
        b.problem(
            b.child_path("platform"),
            "platform \"" + bot.platform + "\" is not available in this build (available: " + list + ")");
    }
    return spec;
}

void read_bots(Reader r, std::vector<BotConfig>& bots) {
    if (!r.array()) {
        return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < r.value().size(); ++i) {
        Reader b = r.element(i);
        // Every platform's keys are known keys; which of them apply depends on `platform`.
        if (!b.object(all_bot_keys())) {
            continue;
        }
        BotConfig bot;
        const adapters::Platform* spec = read_identity(b, bot, ids);
        if (spec != nullptr) {
            read_platform_keys(b, *spec, bot);
        }
        b.duration("timestamp_window_s", bot.timestamp_window, 1, 86'400);
        b.duration("dedupe_ttl_s", bot.dedupe_ttl, 60, 30 * 86'400);
        b.number("rate_per_minute", bot.rate_per_minute, 0.1, 100'000);
        if (b.string("locale", bot.locale) && bot.locale != "zh-CN" && bot.locale != "en") {
            b.problem(b.child_path("locale"), "must be \"zh-CN\" or \"en\"");
        }
        if (spec != nullptr && spec->check != nullptr) {
            std::vector<adapters::KeyProblem> problems;
            spec->check(bot, problems);
            for (const auto& [key, message] : problems) {
                b.problem(b.child_path(key), message);
            }
        }
        bots.push_back(std::move(bot));
    }
}

}  // namespace

const BotConfig* Config::bot(std::string_view id) const {
    const auto it = std::find_if(bots.begin(), bots.end(), [&](const BotConfig& b) { return b.id == id; });
    return it == bots.end() ? nullptr : &*it;
}

std::vector<std::string> Config::secret_values() const {
    std::vector<std::string> out;
    for (const auto& t : api.tokens) {
        out.push_back(t.token.reveal());
    }
    for (const auto& b : bots) {
        for (const auto& [name, s] : b.secrets) {
            if (!s.reveal().empty()) {
                out.push_back(s.reveal());
            }
        }
    }
    return out;
}

std::vector<std::string_view> supported_platforms() {
    std::vector<std::string_view> names;
    for (const auto& p : adapters::platforms()) {
        names.push_back(p.name);
    }
    return names;
}

EnvLookup process_env() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr) {
            return std::nullopt;
        }
        return std::string(v);
    };
}

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
        value > 65535) {
        return std::nullopt;
    }
    return std::make_pair(std::string(host), static_cast<std::uint16_t>(value));
}

LoadResult parse(std::string_view text, const EnvLookup& env) {
    LoadResult out;
    const auto root = json_check::parse_with_comments(text, out.problems);
    if (!root) {
        return out;
    }
    Config cfg;
    Reader r(json_check::Reader(*root, "$", out.problems), env);
    if (r.object({"server",
                  "store",
                  "log",
                  "bots",
                  "templates_dir",
                  "roster",
                  "calendar",
                  "conversation",
                  "scheduler",
                  "api",
                  "review",
                  "quality",
                  "web"})) {
        for (auto [key, target] : {std::pair{"templates_dir", &cfg.templates_dir},
                                   std::pair{"roster", &cfg.roster},
                                   std::pair{"calendar", &cfg.calendar}}) {
            if (r.string(key, *target) && target->empty()) {
                r.problem(r.child_path(key), "must not be empty");
            }
        }
        if (r.has("conversation")) {
            read_conversation(r.child("conversation"), cfg.conversation);
        }
        if (r.has("review")) {
            read_review(r.child("review"), cfg.review);
        }
        if (r.has("quality")) {
            Reader q = r.child("quality");
            if (q.object({"phrases", "similar_percent"})) {
                q.string("phrases", cfg.quality.phrases);
                q.integer("similar_percent", cfg.quality.similar_percent, 1, 100);
            }
        }
        if (r.has("server")) {
            read_server(r.child("server"), cfg.server);
        }
        if (r.has("store")) {
            read_store(r.child("store"), cfg.store);
        }
        if (r.has("log")) {
            Reader l = r.child("log");
            if (l.object({"level"})) {
                l.string("level", cfg.log_level);
                if (cfg.log_level != "debug" && cfg.log_level != "info" && cfg.log_level != "warn" &&
                    cfg.log_level != "error") {
                    l.problem(l.child_path("level"), "must be one of debug, info, warn, error");
                }
            }
        }
        if (r.has("bots")) {
            read_bots(r.child("bots"), cfg.bots);
        }
        if (r.has("scheduler")) {
            read_scheduler(r.child("scheduler"), cfg.scheduler);
            // Chats the scheduler posts to must be reachable through a configured bot.
            Reader sr = r.child("scheduler");
            auto check = [&](const std::vector<ChatRef>& refs, const std::string& base) {
                for (std::size_t i = 0; i < refs.size(); ++i) {
                    if (!refs[i].bot.empty() && cfg.bot(refs[i].bot) == nullptr) {
                        sr.problem(base + "[" + std::to_string(i) + "].bot",
                                   "unknown bot \"" + refs[i].bot + "\"");
                    }
                }
            };
            check(cfg.scheduler.coordinator_chats, sr.child_path("coordinator_chats"));
            check(cfg.scheduler.digest_chats, sr.child_path("digest") + ".chats");
        }
        if (r.has("api")) {
            read_api(r.child("api"), cfg.api);
        }
        if (r.has("web")) {
            read_web(r.child("web"), cfg.web);
        }
    }
    if (out.problems.empty()) {
        out.config = std::move(cfg);
    }
    return out;
}

LoadResult load_file(const std::string& path, const EnvLookup& env) {
    LoadResult out;
    const auto text = loaders::read_file(path, 1024 * 1024, out.problems);
    if (!text) {
        return out;
    }
    out = parse(*text, env);
    if (out.config) {
        // Templates and roster travel with the configuration: resolve them against its directory.
        const auto dir = std::filesystem::path(path).parent_path();
        for (auto* p : {&out.config->templates_dir,
                        &out.config->roster,
                        &out.config->calendar,
                        &out.config->quality.phrases}) {
            if (!p->empty() && std::filesystem::path(*p).is_relative()) {
                *p = (dir / *p).lexically_normal().string();
            }
        }
    }
    return out;
}

}  // namespace bot::config
