#include "adapters/webhook/webhook_adapter.hpp"

#include "adapters/common/crypto.hpp"

#include <gtest/gtest.h>

namespace bot::adapters {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr std::string_view kSecret = "test-secret-123";

HttpRequest signed_request(std::string body, TimePoint at = kNow, std::string_view secret = kSecret) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/hooks/demo";
    const std::string ts =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    r.headers = {{"x-liaison-timestamp", ts},
                 {"x-liaison-signature", webhook::WebhookAdapter::sign(secret, ts, body)}};
    r.body = std::move(body);
    return r;
}

const webhook::WebhookAdapter kAdapter("demo", std::string(kSecret), 300s, 86400s);

TEST(Crypto, HmacSha256MatchesRfc4231TestCase2) {
    EXPECT_EQ(crypto::to_hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Base64AndSha256) {
    const std::string hello = "hello world";
    EXPECT_EQ(crypto::base64(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()),
              "aGVsbG8gd29ybGQ=");
    EXPECT_EQ(crypto::base64_decode("aGVsbG8gd29ybGQ="), "hello world");
    EXPECT_EQ(crypto::base64_decode("aGVsbG8gd29ybA=="), "hello worl");
    EXPECT_EQ(crypto::base64_decode("aGVs\nbG8="), "hello");
    EXPECT_FALSE(crypto::base64_decode("abc"));
    EXPECT_FALSE(crypto::base64_decode("a!!="));
    EXPECT_EQ(crypto::to_hex(crypto::sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, FeishuVendorDecryptVector) {
    // protocols.md §7: Encrypt Key "test key", key = SHA256(encrypt key), base64(iv || ciphertext).
    const auto key = crypto::sha256("test key");
    const std::string k(reinterpret_cast<const char*>(key.data()), key.size());
    const auto raw = crypto::base64_decode("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
    ASSERT_TRUE(raw);
    ASSERT_EQ(raw->size(), 32u);
    EXPECT_EQ(crypto::aes256_cbc_decrypt(k, raw->substr(0, 16), raw->substr(16)), "hello world");
    // Round trip, and a broken padding or length fails closed.
    const std::string iv = crypto::random_bytes(16);
    const std::string ct = crypto::aes256_cbc_encrypt(k, iv, "党建联络信息");
    EXPECT_EQ(crypto::aes256_cbc_decrypt(k, iv, ct), "党建联络信息");
    std::string broken = ct;
    broken.back() = static_cast<char>(broken.back() ^ 0x5a);
    EXPECT_NE(crypto::aes256_cbc_decrypt(k, iv, broken), std::optional<std::string>("党建联络信息"));
    EXPECT_FALSE(crypto::aes256_cbc_decrypt(k, iv, ct.substr(0, 15)));
    EXPECT_FALSE(crypto::aes256_cbc_decrypt(k.substr(1), iv, ct));
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(crypto::constant_time_equal("abc", "abc"));
    EXPECT_FALSE(crypto::constant_time_equal("abc", "abd"));
    EXPECT_FALSE(crypto::constant_time_equal("abc", "abcd"));
    EXPECT_TRUE(crypto::constant_time_equal("", ""));
}

TEST(WebhookAdapter, ValidSignedRequestBecomesAnEvent) {
    const auto r = kAdapter.on_webhook(
        signed_request(
            R"({"event_id":"e-1","chat":"grp","user":"u1","user_name":"张三","text":"@联络员助手 填报"})"),
        kNow);
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_TRUE(r->event);
    EXPECT_EQ(r->event->bot_id, "demo");
    EXPECT_EQ(r->event->chat_id, "grp");
    EXPECT_EQ(r->event->user_id, "u1");
    EXPECT_EQ(r->event->user_name, "张三");
    EXPECT_EQ(r->event->text, "@联络员助手 填报");
    EXPECT_EQ(r->event->dedupe_key, "webhook:demo:e-1");
    EXPECT_EQ(kAdapter.acknowledge(*r->event, false, {}).status, 200u);
    EXPECT_NE(kAdapter.acknowledge(*r->event, true, {}).body.find("\"duplicate\":true"), std::string::npos);
}

TEST(WebhookAdapter, TheBridgeSaysWhetherAMessageIsAddressedOrPrivate) {
    const auto event = [](const std::string& extra) {
        auto r = kAdapter.on_webhook(
            signed_request(R"({"event_id":"e","chat":"c","user":"u","text":"好的")" + extra + "}"), kNow);
        return r && r->event ? std::optional(*r->event) : std::nullopt;
    };
    ASSERT_TRUE(event(""));
    EXPECT_TRUE(event("")->addressed) << "without `mentioned`: what the bridge forwards is meant for the bot";
    EXPECT_FALSE(event("")->direct);
    EXPECT_FALSE(event(R"(,"mentioned":false)")->addressed);
    EXPECT_TRUE(event(R"(,"mentioned":false,"direct":true)")->addressed) << "a 1:1 chat is addressed";
    EXPECT_TRUE(event(R"(,"mentioned":false,"direct":true)")->direct);
    EXPECT_FALSE(event(R"(,"mentioned":"yes")")) << "not a boolean: malformed";
}

TEST(WebhookAdapter, SignatureIsCheckedOverTheRawBytes) {
    auto req = signed_request(R"({"event_id":"e","chat":"c","user":"u","text":"t"})");
    req.body += " ";  // one byte changed after signing
    EXPECT_EQ(kAdapter.on_webhook(req, kNow).error(), make_error_code(errc::bad_signature));

    auto wrong_key = signed_request(R"({"event_id":"e","chat":"c","user":"u","text":"t"})", kNow, "other");
    EXPECT_EQ(kAdapter.on_webhook(wrong_key, kNow).error(), make_error_code(errc::bad_signature));

    auto missing = signed_request("{}");
    missing.headers.pop_back();
    EXPECT_EQ(kAdapter.on_webhook(missing, kNow).error(), make_error_code(errc::bad_signature));

    auto truncated = signed_request("{}");
    truncated.headers[1].second.pop_back();
    EXPECT_EQ(kAdapter.on_webhook(truncated, kNow).error(), make_error_code(errc::bad_signature));
}

TEST(WebhookAdapter, StaleOrFutureTimestampsAreRefused) {
    const std::string body = R"({"event_id":"e","chat":"c","user":"u","text":"t"})";
    EXPECT_EQ(kAdapter.on_webhook(signed_request(body, kNow - 301s), kNow).error(),
              make_error_code(errc::stale_request));
    EXPECT_EQ(kAdapter.on_webhook(signed_request(body, kNow + 301s), kNow).error(),
              make_error_code(errc::stale_request));
    EXPECT_TRUE(kAdapter.on_webhook(signed_request(body, kNow - 299s), kNow));
}

TEST(WebhookAdapter, MalformedBodiesAreRejectedWithoutThrowing) {
    for (const std::string& body :
         {std::string("not json"),
          std::string("[]"),
          std::string("{\"event_id\":1}"),
          std::string(R"({"event_id":"","chat":"c","user":"u","text":"t"})"),
          std::string(R"({"event_id":"e","chat":"c","user":"u"})"),
          std::string(R"({"event_id":"e","chat":"c","user":"u","text":null})"),
          std::string(R"({"event_id":")") + std::string(300, 'x') + R"(","chat":"c","user":"u","text":"t"})",
          std::string("{\"a\":") + std::string(10000, '[')}) {
        const auto r = kAdapter.on_webhook(signed_request(body), kNow);
        ASSERT_FALSE(r) << body.substr(0, 60);
        EXPECT_EQ(r.error(), make_error_code(errc::malformed)) << body.substr(0, 60);
    }
    auto bad_ts = signed_request("{}");
    bad_ts.headers[0].second = "12x";
    bad_ts.headers[1].second = webhook::WebhookAdapter::sign(kSecret, "12x", "{}");
    EXPECT_EQ(kAdapter.on_webhook(bad_ts, kNow).error(), make_error_code(errc::malformed));
}

TEST(WebhookAdapter, OnlyPostIsAccepted) {
    auto req = signed_request("{}");
    req.method = "GET";
    EXPECT_EQ(kAdapter.on_webhook(req, kNow).error(), make_error_code(errc::method_not_allowed));
}

TEST(Http, QueryParametersArePercentDecoded) {
    HttpRequest r;
    r.query = "a=1&msg_signature=ab%2Bc&echostr=x+y%3D&empty=&bad=%zz";
    EXPECT_EQ(r.query_param("a"), "1");
    EXPECT_EQ(r.query_param("msg_signature"), "ab+c");
    EXPECT_EQ(r.query_param("echostr"), "x y=");
    EXPECT_EQ(r.query_param("empty"), "");
    EXPECT_FALSE(r.query_param("bad"));
    EXPECT_FALSE(r.query_param("missing"));
    EXPECT_FALSE(percent_decode("%4", false));
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

}  // namespace
}  // namespace bot::adapters
