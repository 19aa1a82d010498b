#include "bot/config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace bot::config {
namespace {

using json = nlohmann::json;

bool is_identifier(std::string_view s) {
    if (s.empty() || (std::isdigit(static_cast<unsigned char>(s.front())) != 0)) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

/// `${NAME}` → NAME; nullopt for anything else.
std::optional<std::string> env_reference(std::string_view s) {
    if (s.size() < 4 || !s.starts_with("${") || !s.ends_with("}")) {
        return std::nullopt;
    }
    const auto name = s.substr(2, s.size() - 3);
    if (!is_identifier(name)) {
        return std::nullopt;
    }
    return std::string(name);
}

bool valid_bot_id(std::string_view id) {
    auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; };
    return !id.empty() && id.size() <= 64 && id.front() != '_' && id.front() != '-' &&
           std::all_of(id.begin(), id.end(), ok);
}

const char* type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "boolean";
        case json::value_t::string: return "string";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "integer";
        case json::value_t::number_float: return "number";
        case json::value_t::object: return "object";
        case json::value_t::array: return "array";
        default: return "value";
    }
}

/// Walks one JSON object, reports unknown keys and type problems with their paths.
class Reader {
public:
    Reader(const json& j, std::string path, std::vector<Problem>& problems, const EnvLookup& env)
        : j_(j), path_(std::move(path)), problems_(problems), env_(env) {}

    /// False (and a problem) when this value is not an object; otherwise reports unknown keys.
    bool object(std::initializer_list<std::string_view> allowed) {
        if (!j_.is_object()) {
            problem(path_, std::string("expected an object, got ") + type_name(j_));
            return false;
        }
        for (const auto& [key, value] : j_.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                problem(child_path(key), "unknown key");
            }
        }
        return true;
    }

    const json* get(std::string_view key, bool required) {
        const auto it = j_.find(key);
        if (it == j_.end()) {
            if (required) {
                problem(child_path(key), "required key is missing");
            }
            return nullptr;
        }
        return &*it;
    }

    void string(std::string_view key, std::string& out, bool required = false) {
        if (const json* v = get(key, required)) {
            if (!v->is_string()) {
                problem(child_path(key), std::string("expected a string, got ") + type_name(*v));
            } else {
                out = v->get<std::string>();
            }
        }
    }

    template <class Int>
    void integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max, bool required = false) {
        if (const json* v = get(key, required)) {
            if (!v->is_number_integer()) {
                problem(child_path(key), std::string("expected an integer, got ") + type_name(*v));
                return;
            }
            // number_unsigned values above int64 max come out negative here; they fail the range test.
            const auto n = v->is_number_unsigned() && v->get<std::uint64_t>() > std::uint64_t(max)
                               ? max + 1
                               : v->get<std::int64_t>();
            if (n < min || n > max) {
                problem(child_path(key),
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
                return;
            }
            out = static_cast<Int>(n);
        }
    }

    template <class Rep, class Period>
    void duration(std::string_view key, std::chrono::duration<Rep, Period>& out, std::int64_t min,
                  std::int64_t max) {
        std::int64_t n = out.count();
        integer(key, n, min, max);
        out = std::chrono::duration<Rep, Period>(n);
    }

    /// A `${ENV_NAME}` reference, resolved now. Literal values are refused and never echoed.
    void secret(std::string_view key, Secret& out, bool required) {
        const json* v = get(key, required);
        if (v == nullptr) {
            return;
        }
        const std::string path = child_path(key);
        const auto ref = v->is_string() ? env_reference(v->get_ref<const std::string&>()) : std::nullopt;
        if (!ref) {
            problem(path, "secrets must be given as an environment reference such as \"${LIAISON_BOT_SECRET}\"; "
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

    Reader child(std::string_view key) { return {j_.at(std::string(key)), child_path(key), problems_, env_}; }
    Reader element(std::size_t i, const json& e) {
        return {e, path_ + "[" + std::to_string(i) + "]", problems_, env_};
    }
    bool has(std::string_view key) const { return j_.is_object() && j_.contains(key); }
    const json& value() const { return j_; }
    const std::string& path() const { return path_; }

    std::string child_path(std::string_view key) const {
        if (is_identifier(key)) {
            return path_ + "." + std::string(key);
        }
        return path_ + "[" + json(std::string(key)).dump() + "]";
    }
    void problem(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }

private:
    const json& j_;
    std::string path_;
    std::vector<Problem>& problems_;
    const EnvLookup& env_;
};

void read_server(Reader r, ServerConfig& s) {
    if (!r.object({"listen", "max_connections", "max_header_bytes", "max_body_bytes", "read_timeout_ms",
                   "write_timeout_ms", "idle_timeout_ms", "shutdown_grace_ms", "tls"})) {
        return;
    }
    std::string listen;
    r.string("listen", listen);
    if (!listen.empty()) {
        if (auto hp = parse_listen(listen)) {
            s.host = hp->first;
            s.port = hp->second;
        } else {
            r.problem(r.child_path("listen"), "expected HOST:PORT, for example \"127.0.0.1:8080\" or \"[::1]:8080\"");
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
    if (!r.object({"driver", "path", "max_batch", "busy_timeout_ms", "purge_interval_s"})) {
        return;
    }
    r.string("driver", s.driver);
    if (s.driver != "sqlite") {
        r.problem(r.child_path("driver"), "unsupported driver \"" + s.driver + "\" (this build supports: sqlite)");
    }
    r.string("path", s.path);
    if (s.path.empty()) {
        r.problem(r.child_path("path"), "must not be empty");
    }
    r.integer("max_batch", s.max_batch, 1, 10'000);
    r.duration("busy_timeout_ms", s.busy_timeout, 0, 600'000);
    r.duration("purge_interval_s", s.purge_interval, 1, 86'400);
}

void read_bots(Reader r, std::vector<BotConfig>& bots) {
    if (!r.value().is_array()) {
        r.problem(r.path(), std::string("expected an array, got ") + type_name(r.value()));
        return;
    }
    std::set<std::string> ids;
    std::size_t i = 0;
    for (const auto& e : r.value()) {
        Reader b = r.element(i++, e);
        if (!b.object({"id", "platform", "secret", "timestamp_window_s", "dedupe_ttl_s"})) {
            continue;
        }
        BotConfig bot;
        b.string("id", bot.id, true);
        if (b.has("id") && b.value()["id"].is_string()) {
            if (!valid_bot_id(bot.id)) {
                b.problem(b.child_path("id"), "must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
            } else if (!ids.insert(bot.id).second) {
                b.problem(b.child_path("id"), "duplicate bot id \"" + bot.id + "\"");
            }
        }
        b.string("platform", bot.platform, true);
        const auto& platforms = supported_platforms();
        if (!bot.platform.empty() &&
            std::find(platforms.begin(), platforms.end(), bot.platform) == platforms.end()) {
            std::string list;
            for (const auto p : platforms) {
                list += (list.empty() ? "" : ", ") + std::string(p);
            }
            b.problem(b.child_path("platform"),
                      "platform \"" + bot.platform + "\" is not available in this build (available: " + list + ")");
        }
        b.secret("secret", bot.secret, true);
        b.duration("timestamp_window_s", bot.timestamp_window, 1, 86'400);
        b.duration("dedupe_ttl_s", bot.dedupe_ttl, 60, 30 * 86'400);
        bots.push_back(std::move(bot));
    }
}

/// Byte offset → "line L, column C" (1-based; columns count bytes).
std::string position(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

std::vector<std::string> Config::secret_values() const {
    std::vector<std::string> out;
    for (const auto& b : bots) {
        if (!b.secret.reveal().empty()) {
            out.push_back(b.secret.reveal());
        }
    }
    return out;
}

const std::vector<std::string_view>& supported_platforms() {
    static const std::vector<std::string_view> all{"webhook"};
    return all;
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
    if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
        return std::nullopt;
    }
    return std::make_pair(std::string(host), static_cast<std::uint16_t>(value));
}

LoadResult parse(std::string_view text, const EnvLookup& env) {
    LoadResult out;
    json root;
    try {
        root = json::parse(text.begin(), text.end(), nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line..";
        // keep the part after "parse error" that says what was expected, drop the location (ours is
        // computed from the byte offset, which is exact).
        const auto colon = what.find(": ");
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        out.problems.push_back({"$", "not valid JSON at " + position(text, e.byte == 0 ? 0 : e.byte - 1) +
                                         ": " + reason});
        return out;
    }
    Config cfg;
    Reader r(root, "$", out.problems, env);
    if (r.object({"server", "store", "log", "bots"})) {
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
    }
    if (out.problems.empty()) {
        out.config = std::move(cfg);
    }
    return out;
}

LoadResult load_file(const std::string& path, const EnvLookup& env) {
    constexpr std::size_t kMaxBytes = 1024 * 1024;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {std::nullopt, {{"$", "cannot open configuration file '" + path + "'"}}};
    }
    std::string text;
    text.resize(kMaxBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxBytes) {
        return {std::nullopt, {{"$", "configuration file '" + path + "' is larger than 1 MiB"}}};
    }
    return parse(text, env);
}

}  // namespace bot::config
