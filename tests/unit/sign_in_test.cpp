// The platforms' in-app sign-in, the adapters' pure halves (docs/web.md, "In-app sign-in"): the
// OAuth page each sends a browser to, each request of a code's exchange and what each answer
// means; a Telegram Mini App's launch data checked against an HMAC computed here with OpenSSL
// directly (not with the adapter's own helper), tampered, stale and from the future.
#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/feishu/feishu_adapter.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/wecom/wecom_adapter.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

namespace bot::adapters {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kRedirect = "https://liaison.example.gov.cn/app/in/wx/back";
const std::string kRedirectEncoded = "https%3A%2F%2Fliaison.example.gov.cn%2Fapp%2Fin%2Fwx%2Fback";

wecom::WeComAppConfig wecom_config() {
    wecom::WeComAppConfig c;
    c.bot_id = "wx";
    c.token = "t";
    c.encoding_aes_key = std::string(43, 'a');
    c.corp_id = "ww1234";
    c.corp_secret = "secret";
    c.agent_id = "1000002";
    c.api_base = "http://api.test";
    c.sign_in_base = "http://open.test";
    return c;
}

/// Runs an exchange to its end with `answer` playing the platform; the requests made, and the
/// outcome.
struct Run {
    std::vector<OutboundRequest> requests;
    result<std::string> user = errc::invalid_argument;
};
Run exchange(const Adapter& a,
             const std::string& code,
             const std::function<std::pair<unsigned, std::string>(const OutboundRequest&)>& answer) {
    SignInExchange x{.code = code, .redirect = kRedirect, .app_token = "APP", .answers = {}};
    Run run;
    for (int i = 0; i < 6; ++i) {
        auto step = a.sign_in_step(x);
        if (!step) {
            run.user = step.error();
            return run;
        }
        if (!step->request) {
            run.user = step->user_id;
            return run;
        }
        run.requests.push_back(*step->request);
        x.answers.push_back(answer(*step->request));
    }
    ADD_FAILURE() << "the exchange does not end";
    return run;
}

TEST(InAppSignIn, WeComSendsTheMemberToItsOAuthPageWithTheState) {
    const wecom::WeComAppAdapter a(wecom_config());
    EXPECT_TRUE(a.sign_in_app_token());
    EXPECT_EQ(a.sign_in_url(kRedirect, "0a1b"),
              "http://open.test/connect/oauth2/authorize?appid=ww1234&redirect_uri=" + kRedirectEncoded +
                  "&response_type=code&scope=snsapi_base&state=0a1b&agentid=1000002#wechat_redirect");
}

TEST(InAppSignIn, WeComExchangesTheCodeWithTheAppTokenForTheUserId) {
    const wecom::WeComAppAdapter a(wecom_config());
    const auto run = exchange(a, "C0DE+/", [](const OutboundRequest&) {
        return std::pair<unsigned, std::string>(200, R"({"errcode":0,"errmsg":"ok","userid":"zhangsan"})");
    });
    ASSERT_TRUE(run.user) << run.user.error().message();
    EXPECT_EQ(*run.user, "zhangsan");
    ASSERT_EQ(run.requests.size(), 1U);
    EXPECT_EQ(run.requests[0].method, "GET");
    EXPECT_EQ(run.requests[0].url,
              "http://api.test/cgi-bin/auth/getuserinfo?access_token=APP&code=C0DE%2B%2F");
    // The older answer's spelling, a refused code, someone outside the organisation (openid only).
    EXPECT_EQ(*exchange(a,
                        "c",
                        [](auto&) {
                            return std::pair<unsigned, std::string>(200, R"({"errcode":0,"UserId":"lisi"})");
                        })
                   .user,
              "lisi");
    for (const std::string body : {R"({"errcode":40029,"errmsg":"invalid code"})",
                                   R"({"errcode":0,"openid":"oAbc"})",
                                   "not json",
                                   R"([1,2])"}) {
        const auto r = exchange(a, "c", [&](auto&) { return std::pair<unsigned, std::string>(200, body); });
        EXPECT_EQ(r.user.error(), errc::bad_signature) << body;
    }
    const auto down = exchange(a, "c", [](auto&) { return std::pair<unsigned, std::string>(502, "{}"); });
    EXPECT_FALSE(down.user);
}

TEST(InAppSignIn, FeishuTradesTheCodeForAUserTokenThenAsksWhoseItIs) {
    feishu::FeishuConfig c{.bot_id = "fs",
                           .app_id = "cli_a1",
                           .app_secret = "s3cret",
                           .verification_token = "v",
                           .encrypt_key = "",
                           .bot_open_id = "",
                           .api_base = "http://api.test",
                           .dedupe_ttl = 86400s,
                           .sign_in_base = "http://accounts.test"};
    const feishu::FeishuAdapter a(c);
    EXPECT_FALSE(a.sign_in_app_token());
    EXPECT_EQ(a.sign_in_url(kRedirect, "s1"),
              "http://accounts.test/open-apis/authen/v1/authorize?client_id=cli_a1&redirect_uri=" +
                  kRedirectEncoded + "&state=s1");
    const auto run = exchange(a, "code1", [](const OutboundRequest& r) {
        if (r.url.ends_with("/oauth/token")) {
            return std::pair<unsigned, std::string>(200,
                                                    R"({"code":0,"access_token":"u-tok","expires_in":7200})");
        }
        return std::pair<unsigned, std::string>(200,
                                                R"({"code":0,"data":{"open_id":"ou_lisi","name":"李四"}})");
    });
    ASSERT_TRUE(run.user);
    EXPECT_EQ(*run.user, "ou_lisi");
    ASSERT_EQ(run.requests.size(), 2U);
    EXPECT_EQ(run.requests[0].url, "http://api.test/open-apis/authen/v2/oauth/token");
    const json body = json::parse(run.requests[0].body);
    EXPECT_EQ(body["grant_type"], "authorization_code");
    EXPECT_EQ(body["client_id"], "cli_a1");
    EXPECT_EQ(body["client_secret"], "s3cret");
    EXPECT_EQ(body["code"], "code1");
    EXPECT_EQ(body["redirect_uri"], kRedirect);
    EXPECT_EQ(run.requests[1].method, "GET");
    EXPECT_EQ(run.requests[1].url, "http://api.test/open-apis/authen/v1/user_info");
    ASSERT_EQ(run.requests[1].headers.size(), 1U);
    EXPECT_EQ(run.requests[1].headers[0],
              (std::pair<std::string, std::string>("Authorization", "Bearer u-tok")));
    const auto refused = exchange(a, "used", [](auto&) {
        return std::pair<unsigned, std::string>(400, R"({"code":20003,"error":"invalid_grant"})");
    });
    EXPECT_EQ(refused.user.error(), errc::bad_signature);
    EXPECT_EQ(refused.requests.size(), 1U);
}

TEST(InAppSignIn, DingTalkFindsTheStaffIdThroughTheUnionId) {
    dingtalk::DingTalkConfig c;
    c.bot_id = "dd";
    c.app_secret = "dsecret";
    c.api_base = "http://oapi.test";
    c.app_key = "dingkey";
    c.openapi_base = "http://api.test";
    c.sign_in_base = "http://login.test";
    const dingtalk::DingTalkAdapter a(c);
    EXPECT_EQ(a.sign_in_code_param(), "authCode");
    EXPECT_EQ(a.sign_in_url(kRedirect, "s2"),
              "http://login.test/oauth2/auth?redirect_uri=" + kRedirectEncoded +
                  "&response_type=code&client_id=dingkey&scope=openid&state=s2&prompt=consent");
    const auto run = exchange(a, "auth1", [](const OutboundRequest& r) {
        if (r.url.ends_with("/userAccessToken")) {
            return std::pair<unsigned, std::string>(200, R"({"accessToken":"u-tok","expireIn":7200})");
        }
        if (r.url.ends_with("/users/me")) {
            return std::pair<unsigned, std::string>(200, R"({"nick":"王五","unionId":"UNION1"})");
        }
        return std::pair<unsigned, std::string>(
            200, R"({"errcode":0,"result":{"contact_type":0,"userid":"wangwu"}})");
    });
    ASSERT_TRUE(run.user);
    EXPECT_EQ(*run.user, "wangwu");
    ASSERT_EQ(run.requests.size(), 3U);
    EXPECT_EQ(json::parse(run.requests[0].body),
              (json{{"clientId", "dingkey"},
                    {"clientSecret", "dsecret"},
                    {"code", "auth1"},
                    {"grantType", "authorization_code"}}));
    EXPECT_EQ(run.requests[1].headers.at(0).second, "u-tok");
    EXPECT_EQ(run.requests[2].url, "http://oapi.test/topapi/user/getbyunionid?access_token=APP");
    EXPECT_EQ(json::parse(run.requests[2].body), (json{{"unionid", "UNION1"}}));
    // Not a member of the organisation: no userid for the unionId.
    const auto outsider = exchange(a, "auth1", [](const OutboundRequest& r) {
        if (r.url.ends_with("/userAccessToken")) {
            return std::pair<unsigned, std::string>(200, R"({"accessToken":"u-tok"})");
        }
        if (r.url.ends_with("/users/me")) {
            return std::pair<unsigned, std::string>(200, R"({"unionId":"UNION9"})");
        }
        return std::pair<unsigned, std::string>(200, R"({"errcode":60121,"errmsg":"找不到该用户"})");
    });
    EXPECT_EQ(outsider.user.error(), errc::bad_signature);
    // A robot without an app has no sign-in.
    c.app_key.clear();
    EXPECT_EQ(dingtalk::DingTalkAdapter(c).sign_in_url(kRedirect, "s"), "");
}

// ------------------------------------------------------------------ Telegram

const std::string kBotToken = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8";

/// hex(HMAC-SHA256(key, message)) by OpenSSL directly.
std::string hmac_hex(const std::string& key, const std::string& message, std::string* raw = nullptr) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(),
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()),
         message.size(),
         out,
         &len);
    if (raw != nullptr) {
        raw->assign(reinterpret_cast<const char*>(out), len);
    }
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        char b[3];
        std::snprintf(b, sizeof b, "%02x", out[i]);
        hex += b;
    }
    return hex;
}

/// The launch data a Telegram client sends, its hash computed here from the documented
/// data-check-string (fields sorted, `key=value`, line feeds) and secret (HMAC of the bot token
/// under "WebAppData").
std::string launch_data(std::int64_t auth_date,
                        const std::string& user_json,
                        const std::string& token = kBotToken) {
    std::string secret;
    hmac_hex("WebAppData", token, &secret);
    const std::string check =
        "auth_date=" + std::to_string(auth_date) + "\nquery_id=AAHdF6IQAAAAAN0XohDhrOrc\nuser=" + user_json;
    std::string encoded_user;
    for (const char c : user_json) {
        const auto ch = static_cast<unsigned char>(c);
        char b[4];
        std::snprintf(b, sizeof b, "%%%02X", ch);
        encoded_user += std::isalnum(ch) != 0 ? std::string(1, static_cast<char>(ch)) : std::string(b);
    }
    return "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=" + encoded_user +
           "&auth_date=" + std::to_string(auth_date) + "&hash=" + hmac_hex(secret, check);
}

TEST(InAppSignIn, TelegramLaunchDataIsVerifiedWithTheBotToken) {
    const telegram::TelegramAdapter a(
        {"tg", "secret-token", kBotToken, "liaison_bot", "http://api.test", 86400s});
    const std::int64_t at = 1'765'000'000;
    const TimePoint now = TimePoint(std::chrono::seconds(at + 30));
    const std::string user = R"({"id":777000111,"first_name":"赵六","language_code":"zh-hans"})";
    const std::string data = launch_data(at, user);
    const auto ok = a.verify_launch_data(data, now, 600s);
    ASSERT_TRUE(ok) << ok.error().message();
    EXPECT_EQ(*ok, "777000111");
    // The adapter's own signer (for fakes) agrees with the independent one.
    EXPECT_TRUE(a.verify_launch_data(telegram::TelegramAdapter::sign_launch_data(
                                         kBotToken, {{"auth_date", std::to_string(at)}, {"user", user}}),
                                     now,
                                     600s));

    // Another bot's token, a changed user, a missing or altered hash: refused.
    EXPECT_EQ(a.verify_launch_data(launch_data(at, user, "1:other"), now, 600s).error(), errc::bad_signature);
    std::string tampered = data;
    tampered.replace(tampered.find("777000111"), 9, "777000112");
    EXPECT_EQ(a.verify_launch_data(tampered, now, 600s).error(), errc::bad_signature);
    EXPECT_EQ(a.verify_launch_data(data.substr(0, data.find("&hash=")), now, 600s).error(),
              errc::bad_signature);
    std::string flipped = data;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    EXPECT_EQ(a.verify_launch_data(flipped, now, 600s).error(), errc::bad_signature);
    EXPECT_FALSE(a.verify_launch_data("", now, 600s));
    EXPECT_FALSE(a.verify_launch_data("%zz=1&hash=00", now, 600s));
    // Older than the window, or from the future: stale.
    EXPECT_EQ(a.verify_launch_data(data, now + 601s, 600s).error(), errc::stale_request);
    EXPECT_EQ(a.verify_launch_data(launch_data(at + 3600, user), now, 600s).error(), errc::stale_request);
    // Signed, but naming no user.
    EXPECT_EQ(a.verify_launch_data(telegram::TelegramAdapter::sign_launch_data(
                                       kBotToken, {{"auth_date", std::to_string(at)}}),
                                   now,
                                   600s)
                  .error(),
              errc::malformed);
}

TEST(InAppSignIn, PlatformsWithoutOneSayNothing) {
    const telegram::TelegramAdapter tg({"tg", "secret-token", kBotToken, "", "http://api.test", 86400s});
    EXPECT_EQ(tg.sign_in_url(kRedirect, "s"), "");
    const wecom::WeComAppAdapter wx(wecom_config());
    EXPECT_EQ(wx.verify_launch_data("a=b", TimePoint{}, 600s).error(), errc::invalid_argument);
}

}  // namespace
}  // namespace bot::adapters
