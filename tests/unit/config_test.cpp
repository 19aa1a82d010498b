#include "bot/config.hpp"

#include "bot/core/json_reader.hpp"
#include "bot/core/log.hpp"
#include "bot/loaders.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <map>

namespace bot::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

const EnvLookup kEnv = env_of({{"DEMO_SECRET", "s3cr3t-value"}, {"EMPTY", ""}});

std::string all(const LoadResult& r) {
    std::string out;
    for (const auto& p : r.problems) {
        out += p.path + ": " + p.message + "\n";
    }
    return out;
}

bool has_problem(const LoadResult& r, const std::string& path, const std::string& fragment) {
    for (const auto& p : r.problems) {
        if (p.path == path && p.message.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

TEST(Config, EmptyObjectGivesDefaults) {
    const auto r = parse("{}", kEnv);
    ASSERT_TRUE(r.config) << all(r);
    EXPECT_EQ(r.config->server.host, "127.0.0.1");
    EXPECT_EQ(r.config->server.port, 8080);
    EXPECT_EQ(r.config->server.max_body_bytes, 256u * 1024);
    EXPECT_EQ(r.config->store.path, "data/liaison.db");
    EXPECT_EQ(r.config->log_level, "info");
    EXPECT_TRUE(r.config->bots.empty());
    EXPECT_FALSE(r.config->server.tls);
}

TEST(Config, FullConfigWithCommentsAndEnvSecret) {
    const auto r = parse(R"(
        // a line comment
        {
          "server": { "listen": "0.0.0.0:9090", "max_connections": 10, "max_header_bytes": 4096,
                      "max_body_bytes": 2048, "read_timeout_ms": 500, "write_timeout_ms": 600,
                      "idle_timeout_ms": 700, "shutdown_grace_ms": 800 },
          /* a block comment */
          "store": { "driver": "sqlite", "path": "/tmp/x.db", "max_batch": 32, "busy_timeout_ms": 100,
                     "purge_interval_s": 60 },
          "log": { "level": "debug" },
          "bots": [ { "id": "demo", "platform": "webhook", "secret": "${DEMO_SECRET}",
                      "timestamp_window_s": 60, "dedupe_ttl_s": 3600, "locale": "en" } ]
        })",
                         kEnv);
    ASSERT_TRUE(r.config) << all(r);
    const auto& c = *r.config;
    EXPECT_EQ(c.server.host, "0.0.0.0");
    EXPECT_EQ(c.server.port, 9090);
    EXPECT_EQ(c.server.max_connections, 10u);
    EXPECT_EQ(c.server.max_header_bytes, 4096u);
    EXPECT_EQ(c.server.max_body_bytes, 2048u);
    EXPECT_EQ(c.server.read_timeout, std::chrono::milliseconds(500));
    EXPECT_EQ(c.server.write_timeout, std::chrono::milliseconds(600));
    EXPECT_EQ(c.server.idle_timeout, std::chrono::milliseconds(700));
    EXPECT_EQ(c.server.shutdown_grace, std::chrono::milliseconds(800));
    EXPECT_EQ(c.store.path, "/tmp/x.db");
    EXPECT_EQ(c.store.max_batch, 32u);
    EXPECT_EQ(c.store.purge_interval, std::chrono::seconds(60));
    EXPECT_EQ(c.log_level, "debug");
    ASSERT_EQ(c.bots.size(), 1u);
    EXPECT_EQ(c.bots[0].id, "demo");
    EXPECT_EQ(c.bots[0].secrets.at("secret").env_name(), "DEMO_SECRET");
    EXPECT_EQ(c.bots[0].secret("secret"), "s3cr3t-value");
    EXPECT_EQ(c.bots[0].timestamp_window, std::chrono::seconds(60));
    EXPECT_EQ(c.bots[0].dedupe_ttl, std::chrono::seconds(3600));
    EXPECT_EQ(c.bots[0].locale, "en");
    EXPECT_EQ(c.secret_values(), std::vector<std::string>{"s3cr3t-value"});
}

TEST(Config, SyntaxErrorNamesLineAndColumn) {
    const auto r = parse("{\n  \"server\": {\n    \"listen\": \"x\",,\n  }\n}", kEnv);
    ASSERT_FALSE(r.config);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "$");
    EXPECT_NE(r.problems[0].message.find("line 3"), std::string::npos) << r.problems[0].message;
}

TEST(Config, ANumberBeyondADoubleIsAProblemNotACrash) {
    // Found by fuzz_loaders: nlohmann reports it as out_of_range, not parse_error, and it used to
    // end the process.
    const auto r = parse(R"({"server": {"max_body_bytes": 33333333333333E3333333333}})", kEnv);
    ASSERT_FALSE(r.config);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].message.find("number overflow"), std::string::npos) << r.problems[0].message;
}

TEST(Config, EmptyAndNonObjectDocumentsAreRejected) {
    EXPECT_FALSE(parse("", kEnv).config);
    const auto arr = parse("[]", kEnv);
    EXPECT_TRUE(has_problem(arr, "$", "expected an object, got array")) << all(arr);
    EXPECT_FALSE(parse("{\"a\":", kEnv).config);
    EXPECT_FALSE(parse(std::string("{\"log\":{\"level\":\"\xff\"}}"), kEnv).config);
}

TEST(Config, UnknownKeysAreRejectedWithTheirPath) {
    const auto r =
        parse(R"({"sever": {}, "server": {"lisen": "1.2.3.4:1"}, "bots": [{"id": "a", "platform": "webhook",
                          "secret": "${DEMO_SECRET}", "colour": 1}], "weird key": 1})",
              kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.sever", "unknown key")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.lisen", "unknown key")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[0].colour", "unknown key")) << all(r);
    EXPECT_TRUE(has_problem(r, "$[\"weird key\"]", "unknown key")) << all(r);
}

TEST(Config, WrongTypesAreRejected) {
    const auto r = parse(R"({"server": {"listen": 8080, "max_connections": "10", "read_timeout_ms": 1.5,
                                        "tls": "yes"},
                             "store": [], "log": {"level": 3}, "bots": {}})",
                         kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.server.listen", "expected a string, got integer")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.max_connections", "expected an integer, got string")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.read_timeout_ms", "expected an integer, got number")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.tls", "expected an object, got string")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.store", "expected an object, got array")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.log.level", "expected a string, got integer")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots", "expected an array, got object")) << all(r);
}

TEST(Config, ValuesOutOfRangeOrInvalidAreRejected) {
    const auto r = parse(R"({"server": {"listen": "localhost", "max_connections": 0, "max_body_bytes": -1,
                                        "idle_timeout_ms": 18446744073709551615},
                             "store": {"driver": "mysql", "path": ""}, "log": {"level": "verbose"}})",
                         kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.server.listen", "HOST:PORT")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.max_connections", "between 1 and")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.max_body_bytes", "between")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.idle_timeout_ms", "between")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.store.driver", "unsupported driver")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.store.path", "must not be empty")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.log.level", "one of")) << all(r);
    EXPECT_GE(r.problems.size(), 7u) << "every problem is reported, not only the first";
}

TEST(Config, BotProblems) {
    const auto r = parse(R"({"bots": [
        {"platform": "webhook", "secret": "${DEMO_SECRET}"},
        {"id": "Bad Id!", "platform": "webhook", "secret": "${DEMO_SECRET}"},
        {"id": "dup", "platform": "webhook", "secret": "${DEMO_SECRET}"},
        {"id": "dup", "platform": "webhook", "secret": "${DEMO_SECRET}"},
        {"id": "x", "platform": "icq", "secret": "${DEMO_SECRET}"},
        {"id": "y", "platform": "webhook"},
        7
    ]})",
                         kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.bots[0].id", "required key is missing")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[1].id", "must be 1-64 characters")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[3].id", "duplicate bot id")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[4].platform", "not available in this build")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[5].secret", "required key is missing")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[6]", "expected an object, got integer")) << all(r);
}

TEST(Config, EachPlatformHasItsOwnCredentialsAndApiBase) {
    const auto ok = parse(R"({"bots": [
        {"id": "s", "platform": "slack", "signing_secret": "${DEMO_SECRET}", "bot_token": "${DEMO_SECRET}",
         "bot_user_id": "U0BOT"},
        {"id": "t", "platform": "telegram", "secret_token": "${DEMO_SECRET}", "bot_token": "${DEMO_SECRET}",
         "api_base_url": "http://127.0.0.1:9999/"}]})",
                          kEnv);
    ASSERT_TRUE(ok.config) << all(ok);
    EXPECT_EQ(ok.config->bots[0].api_base_url, "https://slack.com/api");
    EXPECT_EQ(ok.config->bots[0].setting("bot_user_id"), "U0BOT");
    EXPECT_EQ(ok.config->bots[1].api_base_url, "http://127.0.0.1:9999") << "trailing slash dropped";
    const auto bad = parse(R"({"bots": [
        {"id": "s", "platform": "slack", "secret": "${DEMO_SECRET}", "bot_token": "${DEMO_SECRET}"},
        {"id": "t", "platform": "telegram", "secret_token": "${DEMO_SECRET}", "bot_token": "${DEMO_SECRET}",
         "api_base_url": "ftp://x"}]})",
                           kEnv);
    ASSERT_FALSE(bad.config);
    EXPECT_TRUE(has_problem(bad, "$.bots[0].signing_secret", "required key is missing")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.bots[0].secret", "not a setting of platform \"slack\"")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.bots[1].api_base_url", "https://")) << all(bad);
}

TEST(Config, TelegramSecretTokenMustHaveTheBotApiShape) {
    const auto env = env_of({{"GOOD", "Abc_123-xyz"},
                             {"SPACE", "has space"},
                             {"LONG", std::string(257, 'a')},
                             {"HAN", "中文密钥"}});
    const auto bot = [](const char* secret) {
        return std::string(
                   R"({"bots": [{"id": "t", "platform": "telegram", "bot_token": "${GOOD}", "secret_token": "${)") +
               secret + "}\"}]}";
    };
    EXPECT_TRUE(parse(bot("GOOD"), env).config);
    for (const char* name : {"SPACE", "LONG", "HAN"}) {
        const auto r = parse(bot(name), env);
        ASSERT_FALSE(r.config) << name;
        EXPECT_TRUE(has_problem(r, "$.bots[0].secret_token", "1-256 characters of A-Z")) << all(r);
        EXPECT_EQ(all(r).find("has space"), std::string::npos) << "the value is never shown";
    }
}

TEST(Config, LiteralSecretIsRejectedAndNeverEchoed) {
    const auto r = parse(R"({"bots": [{"id": "a", "platform": "webhook", "secret": "hunter2-literal"},
                                      {"id": "b", "platform": "webhook", "secret": "prefix ${DEMO_SECRET}"},
                                      {"id": "c", "platform": "webhook", "secret": 12345678}]})",
                         kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.bots[0].secret", "environment reference")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[1].secret", "environment reference")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[2].secret", "environment reference")) << all(r);
    const std::string text = all(r);
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
    EXPECT_EQ(text.find("12345678"), std::string::npos);
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
}

TEST(Config, UnsetOrEmptyEnvironmentVariableIsNamed) {
    const auto r = parse(R"({"bots": [{"id": "a", "platform": "webhook", "secret": "${MISSING_VAR}"},
                                      {"id": "b", "platform": "webhook", "secret": "${EMPTY}"}]})",
                         kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.bots[0].secret", "environment variable MISSING_VAR is not set")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.bots[1].secret", "environment variable EMPTY is empty")) << all(r);
}

TEST(Config, TlsFilesMustBeReadable) {
    const auto r = parse(R"({"server": {"tls": {"cert_file": "/nonexistent/cert.pem"}}})", kEnv);
    ASSERT_FALSE(r.config);
    EXPECT_TRUE(has_problem(r, "$.server.tls.cert_file", "cannot read file")) << all(r);
    EXPECT_TRUE(has_problem(r, "$.server.tls.key_file", "required key is missing")) << all(r);
}

TEST(Config, ListenParsing) {
    EXPECT_EQ(parse_listen("127.0.0.1:8080"), std::make_pair(std::string("127.0.0.1"), std::uint16_t{8080}));
    EXPECT_EQ(parse_listen("[::1]:0"), std::make_pair(std::string("::1"), std::uint16_t{0}));
    EXPECT_FALSE(parse_listen("127.0.0.1"));
    EXPECT_FALSE(parse_listen(":8080"));
    EXPECT_FALSE(parse_listen("127.0.0.1:"));
    EXPECT_FALSE(parse_listen("127.0.0.1:65536"));
    EXPECT_FALSE(parse_listen("127.0.0.1:80x"));
    EXPECT_FALSE(parse_listen("::1:80"));
    EXPECT_FALSE(parse_listen("[::1]80"));
}

TEST(Config, LoadFileErrors) {
    test::TempDir dir;
    const auto missing = load_file(dir.file("nope.jsonc"), kEnv);
    ASSERT_FALSE(missing.config);
    EXPECT_NE(missing.problems[0].message.find("cannot open"), std::string::npos);

    const auto big = load_file(dir.write("big.json", std::string(1024 * 1024 + 10, ' ')), kEnv);
    ASSERT_FALSE(big.config);
    EXPECT_NE(big.problems[0].message.find("larger than 1 MiB"), std::string::npos);

    const auto ok = load_file(dir.write("ok.json", "{\"log\": {\"level\": \"warn\"}}"), kEnv);
    ASSERT_TRUE(ok.config);
    EXPECT_EQ(ok.config->log_level, "warn");
}

TEST(Config, ReadFileStopsAtItsLimitAndNeverAllocatesIt) {
    test::TempDir dir;
    std::vector<json_check::Problem> problems;
    // Exactly at the limit, across several read chunks: read whole.
    const std::string exact(200 * 1024, 'a');
    const auto at = loaders::read_file(dir.write("exact.txt", exact), exact.size(), problems);
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, exact);
    EXPECT_TRUE(problems.empty());
    // One byte over: refused, with the limit in the message.
    const auto over = loaders::read_file(dir.write("over.txt", exact + "b"), exact.size(), problems);
    EXPECT_FALSE(over);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("larger than 200 KiB"), std::string::npos);
    // A small file under an enormous limit: the limit is a bound, not a buffer size (sizing the
    // buffer to it made every start-up touch 64 MiB for the roster).
    problems.clear();
    const auto small = loaders::read_file(
        dir.write("small.json", "{\"a\": 1}"), std::numeric_limits<std::size_t>::max() / 2, problems);
    ASSERT_TRUE(small);
    EXPECT_EQ(*small, "{\"a\": 1}");
    // An empty file reads as empty; a directory is not a readable file.
    EXPECT_EQ(loaders::read_file(dir.write("empty.json", ""), 10, problems), std::string());
    EXPECT_FALSE(loaders::read_file(dir.path().string(), 10, problems));
}

TEST(Config, ShippedDemoConfigurationIsValid) {
    const auto r = load_file(
        std::string(LIAISON_SOURCE_DIR) + "/seeds/liaison.jsonc",
        env_of({{"LIAISON_DEMO_SECRET", "demo-secret"}, {"LIAISON_API_TOKEN", "demo-api-token-change-me"}}));
    ASSERT_TRUE(r.config) << all(r);
    EXPECT_EQ(r.config->scheduler.coordinator_chats.size(), 1u);
    ASSERT_FALSE(r.config->api.tokens.empty());
    EXPECT_EQ(r.config->api.tokens[0].scopes, std::vector<std::string>{"admin"});
    ASSERT_EQ(r.config->bots.size(), 1u);
    EXPECT_EQ(r.config->bots[0].platform, "webhook");
}

TEST(Log, SecretsAreRedactedFromEveryLine) {
    std::vector<std::string> lines;
    log::set_sink([&](std::string_view line) { lines.emplace_back(line); });
    const auto r =
        parse(R"({"bots": [{"id": "a", "platform": "webhook", "secret": "${DEMO_SECRET}"}]})", kEnv);
    ASSERT_TRUE(r.config);
    for (const auto& s : r.config->secret_values()) {
        log::add_secret(s);
    }
    log::warn("test").kv("header", "Bearer s3cr3t-value").kv("plain", "visible");
    log::set_sink(nullptr);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].find("s3cr3t-value"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("[redacted]"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("plain=visible"), std::string::npos) << lines[0];
}

TEST(Log, LineFormatIsLevelComponentKeyValue) {
    std::vector<std::string> lines;
    log::set_sink([&](std::string_view line) { lines.emplace_back(line); });
    log::info("http").kv("status", 200).kv("msg", "two words").kv("q", "a\"b\nc").kv("empty", "");
    log::debug("hidden").kv("x", 1);  // below the default level
    log::set_sink(nullptr);
    ASSERT_EQ(lines.size(), 1u);
    const std::string& l = lines[0];
    EXPECT_EQ(l.rfind("info http ts=", 0), 0u) << l;
    EXPECT_NE(l.find(" status=200"), std::string::npos) << l;
    EXPECT_NE(l.find(" msg=\"two words\""), std::string::npos) << l;
    EXPECT_NE(l.find(" q=\"a\\\"b\\nc\""), std::string::npos) << l;
    EXPECT_NE(l.find(" empty=\"\""), std::string::npos) << l;
    EXPECT_EQ(l.back(), '\n');
    EXPECT_EQ(l.find('\n'), l.size() - 1) << "exactly one line";
}

TEST(Config, SchedulerAndApi) {
    const EnvLookup env = env_of({{"DEMO_SECRET", "s3cr3t-value"}, {"API_TOKEN", "0123456789abcdef-token"}});
    const auto ok = parse(R"({
      "bots": [ { "id": "ops", "platform": "webhook", "secret": "${DEMO_SECRET}", "callback_url": "https://ops.example/cb" } ],
      "scheduler": { "tick_s": 10, "catch_up_min": 60, "quiet_hours": { "from": "22:30", "to": "07:00" },
                     "coordinator_chats": [ { "bot": "ops", "chat": "c" } ],
                     "digest": { "weekday": "friday", "time": "18:00", "time_zone": "Europe/Berlin",
                                 "chats": [ { "bot": "ops", "chat": "c" } ] } },
      "api": { "token": "${API_TOKEN}" }
    })",
                          env);
    ASSERT_TRUE(ok.config) << all(ok);
    const auto& s = ok.config->scheduler;
    EXPECT_EQ(s.tick, std::chrono::seconds(10));
    EXPECT_EQ(s.catch_up, std::chrono::minutes(60));
    EXPECT_EQ(s.quiet_from, std::chrono::minutes(22 * 60 + 30));
    EXPECT_EQ(s.quiet_to, std::chrono::minutes(7 * 60));
    EXPECT_EQ(s.digest_weekday, 5);
    EXPECT_EQ(s.digest_time_zone, "Europe/Berlin");
    ASSERT_EQ(s.digest_chats.size(), 1u);
    ASSERT_EQ(ok.config->api.tokens.size(), 1u);
    EXPECT_EQ(ok.config->api.tokens[0].name, "default") << "api.token is one admin token";
    EXPECT_EQ(ok.config->bots[0].setting("callback_url"), "https://ops.example/cb");
    const auto secrets = ok.config->secret_values();
    EXPECT_NE(std::find(secrets.begin(), secrets.end(), "0123456789abcdef-token"), secrets.end())
        << "the API token is redacted from logs like every secret";

    const auto bad = parse(R"({
      "bots": [ { "id": "ops", "platform": "webhook", "secret": "${DEMO_SECRET}", "callback_url": "ftp://x" } ],
      "scheduler": { "tick_s": 0, "quiet_hours": { "from": "25:00", "to": "7" }, "bogus": 1,
                     "coordinator_chats": [ { "bot": "nobody", "chat": "c" }, { "chat": "d" } ],
                     "digest": { "weekday": "someday", "time_zone": "Mars/Olympus", "chats": "c" } },
      "api": { "token": "literal-token-value-1234" }
    })",
                           env);
    EXPECT_FALSE(bad.config);
    EXPECT_TRUE(has_problem(bad, "$.bots[0].callback_url", "must be an https:// URL")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.tick_s", "")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.quiet_hours.from", "HH:MM")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.quiet_hours.to", "HH:MM")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.bogus", "")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.coordinator_chats[0].bot", "unknown bot \"nobody\""))
        << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.coordinator_chats[1].bot", "required")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.digest.weekday", "weekday")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.digest.time_zone", "unknown IANA time zone")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.scheduler.digest.chats", "")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.token", "environment reference")) << all(bad);
    EXPECT_EQ(all(bad).find("literal-token-value-1234"), std::string::npos) << "a secret is never echoed";

    const auto short_token = parse(R"({ "api": { "token": "${SHORT}" } })", env_of({{"SHORT", "abc"}}));
    EXPECT_TRUE(has_problem(short_token, "$.api.token", "at least 16 characters")) << all(short_token);
    EXPECT_EQ(all(short_token).find("abc"), std::string::npos);
}

TEST(Config, ApiTokensHaveNamesScopesAndDistinctValues) {
    const auto env =
        env_of({{"T1", "0123456789abcdef-one"}, {"T2", "0123456789abcdef-two"}, {"SHORT", "abc"}});
    const auto ok = parse(R"({ "api": { "tokens": [
        { "name": "dashboard", "token": "${T1}", "scopes": ["read"] },
        { "name": "heping-review", "token": "${T2}", "scopes": ["review"], "person": "wangwu" } ] } })",
                          env);
    ASSERT_TRUE(ok.config) << all(ok);
    ASSERT_EQ(ok.config->api.tokens.size(), 2u);
    EXPECT_EQ(ok.config->api.tokens[1].person, "wangwu");
    EXPECT_EQ(ok.config->api.tokens[1].scopes, std::vector<std::string>{"review"});
    const auto secrets = ok.config->secret_values();
    EXPECT_EQ(std::count(secrets.begin(), secrets.end(), "0123456789abcdef-two"), 1);

    const auto bad = parse(R"({ "api": { "token": "${T1}", "tokens": [
        { "name": "default", "token": "${T1}", "scopes": ["read", "write"] },
        { "name": "Bad Name", "token": "${SHORT}", "scopes": [] },
        { "token": "${T2}", "scopes": ["read"], "extra": 1 } ] } })",
                           env);
    EXPECT_FALSE(bad.config);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[0].name", "another token is named \"default\"")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[0].token", "the same value as token \"default\"")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[0].scopes", "unknown scope \"write\"")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[1].name", "lower-case")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[1].token", "at least 16 characters")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[1].scopes", "")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[2].extra", "unknown key")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.api.tokens[2].name", "required")) << all(bad);
    EXPECT_EQ(all(bad).find("0123456789abcdef"), std::string::npos) << "a secret is never echoed";
}

TEST(Config, OutboxRetention) {
    EXPECT_EQ(parse("{}", kEnv).config->store.outbox_retention, std::chrono::days(30));
    const auto r = parse(R"({"store": {"outbox_retention_days": 7}})", kEnv);
    ASSERT_TRUE(r.config) << all(r);
    EXPECT_EQ(r.config->store.outbox_retention, std::chrono::days(7));
    const auto bad = parse(R"({"store": {"outbox_retention_days": 0}})", kEnv);
    EXPECT_TRUE(has_problem(bad, "$.store.outbox_retention_days", "")) << all(bad);
}

TEST(Config, StorePageCacheSize) {
    const auto ok = parse(R"({"store": {"cache_mib": 64}})", kEnv);
    ASSERT_TRUE(ok.config) << all(ok);
    EXPECT_EQ(ok.config->store.cache_mib, 64u);
    EXPECT_EQ(parse("{}", kEnv).config->store.cache_mib, 8u);
    for (const char* bad : {R"({"store": {"cache_mib": 0}})",
                            R"({"store": {"cache_mib": 5000}})",
                            R"({"store": {"cache_mib": "big"}})"}) {
        const auto r = parse(bad, kEnv);
        EXPECT_TRUE(has_problem(r, "$.store.cache_mib", "")) << bad << "\n" << all(r);
    }
}

}  // namespace
}  // namespace bot::config

namespace bot::config {
namespace {

TEST(Config, AdoptionLevelsAreConfigurableAndChecked) {
    const auto fine = parse(
        R"({"review": {"adoption_levels": [{"level": "街道级", "points": 1}, {"level": "区级", "points": 2}]}})",
        env_of({}));
    ASSERT_TRUE(fine.config) << all(fine);
    EXPECT_EQ(fine.config->review.adoption_levels,
              (std::vector<std::pair<std::string, int>>{{"街道级", 1}, {"区级", 2}}));
    EXPECT_EQ(parse("{}", env_of({})).config->review.adoption_levels.size(), 4u) << "区级 市级 省级 中央级";
    const auto bad = parse(
        R"({"review": {"adoption_levels": [{"level": "区级", "points": 1}, {"level": "区级", "points": 2},
                                                              {"level": "市 级", "points": 3}, {"level": "省级", "points": -1}]}})",
        env_of({}));
    EXPECT_TRUE(has_problem(bad, "$.review.adoption_levels[1].level", "duplicate level")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.review.adoption_levels[2].level", "one word")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.review.adoption_levels[3].points", "")) << all(bad);
    EXPECT_TRUE(has_problem(parse(R"({"review": {"adoption_levels": []}})", env_of({})),
                            "$.review.adoption_levels",
                            "at least one"));
}

TEST(Config, TheDailyWaitingLineHasALimitAndATime) {
    const auto defaults = parse("{}", env_of({})).config->review;
    EXPECT_EQ(defaults.waiting_after, std::chrono::hours(24));
    EXPECT_EQ(defaults.waiting_time, std::chrono::minutes(9 * 60));
    const auto set = parse(R"({"review": {"waiting_after_h": 0, "waiting_time": "08:30"}})", env_of({}));
    ASSERT_TRUE(set.config) << all(set);
    EXPECT_EQ(set.config->review.waiting_after, std::chrono::hours(0)) << "0 switches it off";
    EXPECT_EQ(set.config->review.waiting_time, std::chrono::minutes(8 * 60 + 30));
    const auto bad = parse(R"({"review": {"waiting_after_h": -1, "waiting_time": "25:00"}})", env_of({}));
    EXPECT_TRUE(has_problem(bad, "$.review.waiting_after_h", "")) << all(bad);
    EXPECT_TRUE(has_problem(bad, "$.review.waiting_time", "HH:MM")) << all(bad);
}

}  // namespace
}  // namespace bot::config
