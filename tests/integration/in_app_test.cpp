// The platforms' in-app sign-in through the built binary (docs/web.md, "In-app sign-in"): a browser
// inside WeCom, Feishu or DingTalk is sent to the platform's OAuth page and comes back with a code
// that the service exchanges with a fake of that platform's API on loopback (the exact requests
// checked), and a Telegram Mini App's signed launch data; the paths next to it refused — another
// state, no state cookie, a code the platform refuses, an account not on the roster, launch data
// tampered with or stale, the platform unreachable — with no session opened.
#include "adapters/telegram/telegram_adapter.hpp"
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <signal.h>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kPublic = "https://liaison.example.gov.cn";
const std::string kTgToken = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8";

/// The platforms' APIs as the exchanges use them: codes "good" are members, "outsider" is a
/// member not on the roster, anything else is refused.
test::FakeReply platform_api(const test::RecordedRequest& r) {
    const auto has = [&](std::string_view s) {
        return r.target.find(s) != std::string::npos;
    };
    const auto reply = [](std::string body) {
        return test::FakeReply{200, std::move(body), {}, {}};
    };
    if (has("/cgi-bin/gettoken")) {
        return reply(R"({"errcode":0,"errmsg":"ok","access_token":"wx-app","expires_in":7200})");
    }
    if (has("/cgi-bin/auth/getuserinfo")) {
        if (!has("access_token=wx-app")) {
            return reply(R"({"errcode":40014,"errmsg":"invalid access_token"})");
        }
        return has("code=good")       ? reply(R"({"errcode":0,"errmsg":"ok","userid":"zhangsan_wx"})")
               : has("code=outsider") ? reply(R"({"errcode":0,"errmsg":"ok","userid":"someone_else"})")
                                      : reply(R"({"errcode":40029,"errmsg":"invalid code"})");
    }
    if (has("/open-apis/authen/v2/oauth/token")) {
        return json::parse(r.body).value("code", "") == "good"
                   ? reply(R"({"code":0,"access_token":"fs-user","expires_in":7200,"token_type":"Bearer"})")
                   : test::FakeReply{400, R"({"code":20050,"error":"invalid_grant"})", {}, {}};
    }
    if (has("/open-apis/authen/v1/user_info")) {
        const auto auth = r.headers.find("authorization");
        return auth != r.headers.end() && auth->second == "Bearer fs-user"
                   ? reply(R"({"code":0,"msg":"success","data":{"open_id":"ou_lisi","name":"李四"}})")
                   : test::FakeReply{401, R"({"code":99991663})", {}, {}};
    }
    if (has("/v1.0/oauth2/accessToken")) {
        return reply(R"({"accessToken":"dd-app","expireIn":7200})");
    }
    if (has("/v1.0/oauth2/userAccessToken")) {
        return json::parse(r.body).value("code", "") == "good"
                   ? reply(R"({"accessToken":"dd-user","expireIn":7200})")
                   : test::FakeReply{400, R"({"code":"invalidCode"})", {}, {}};
    }
    if (has("/v1.0/contact/users/me")) {
        return reply(R"({"nick":"王五","unionId":"UNION-wangwu"})");
    }
    if (has("/topapi/user/getbyunionid?access_token=dd-app")) {
        return reply(R"({"errcode":0,"errmsg":"ok","result":{"contact_type":0,"userid":"wangwu_dd"}})");
    }
    return test::FakeReply{404, R"({"errcode":404})", {}, {}};
}

class InAppTest : public ::testing::Test {
protected:
    InAppTest() {
        fake.set_handler(platform_api);
        const std::string src = LIAISON_SOURCE_DIR;
        const std::string api = fake.base_url();
        dir.write("roster.jsonc", R"({
            "units": [ { "id": "xingfuli", "name": "幸福里社区" }, { "id": "heping", "name": "和平街道" } ],
            "people": [
              { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [{ "platform": "wecom_app", "user": "zhangsan_wx" }] },
              { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [{ "bot": "fs", "user": "ou_lisi" }] },
              { "id": "wangwu", "name": "王五", "unit": "heping", "accounts": [{ "bot": "dd", "user": "wangwu_dd" }] },
              { "id": "zhaoliu", "name": "赵六", "unit": "xingfuli", "accounts": [{ "bot": "tg", "user": "777000111" }] } ],
            "chats": [ { "id": "oc_group", "bot": "fs", "units": ["*"], "templates": ["*"] },
                       { "id": "cid_group", "bot": "dd", "units": ["*"], "templates": ["*"] } ]
        })");
        config = dir.write("liaison.jsonc",
                           R"({
            "server": { "listen": "127.0.0.1:0" },
            "store": { "path": ")" +
                               dir.file("data/liaison.db") + R"(" },
            "templates_dir": ")" +
                               src + R"(/templates/data",
            "roster": "roster.jsonc",
            "calendar": ")" + src +
                               R"(/seeds/calendar-cn.jsonc",
            "bots": [
              { "id": "wx", "platform": "wecom_app", "token": "${T_WX_TOKEN}", "encoding_aes_key": "${T_WX_KEY}",
                "corp_secret": "${T_WX_SECRET}", "corp_id": "wwcorp", "agent_id": "1000002",
                "api_base_url": ")" +
                               api + R"(", "sign_in_base_url": ")" + api + R"(/wx-open" },
              { "id": "fs", "platform": "feishu", "app_id": "cli_test", "app_secret": "${T_FS_SECRET}",
                "verification_token": "${T_FS_TOKEN}", "api_base_url": ")" +
                               api + R"(",
                "sign_in_base_url": ")" +
                               api + R"(/fs-accounts" },
              { "id": "dd", "platform": "dingtalk", "app_secret": "${T_DD_SECRET}", "app_key": "dingkey",
                "api_base_url": ")" +
                               api + R"(", "openapi_base_url": ")" + api + R"(",
                "sign_in_base_url": ")" +
                               api + R"(/dd-login" },
              { "id": "tg", "platform": "telegram", "secret_token": "${T_TG_SECRET}", "bot_token": "${T_TG_TOKEN}",
                "api_base_url": ")" +
                               api + R"(" } ],
            "scheduler": { "enabled": false },
            "web": { "public_url": ")" +
                               kPublic + R"(" }
        })");
    }
    ~InAppTest() override {
        if (child) {
            child->signal(SIGTERM);
            child->wait(10s);
        }
    }
    std::string log() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }
    void start() {
        child = std::make_unique<test::Child>(kExe,
                                              std::vector<std::string>{"serve", "--config", config},
                                              std::vector<std::string>{"T_WX_TOKEN=wxtoken",
                                                                       "T_WX_KEY=" + std::string(43, 'k'),
                                                                       "T_WX_SECRET=wx-corp-secret",
                                                                       "T_FS_SECRET=fs-app-secret",
                                                                       "T_FS_TOKEN=fs-verification",
                                                                       "T_DD_SECRET=dd-app-secret",
                                                                       "T_TG_SECRET=tgsecret",
                                                                       "T_TG_TOKEN=" + kTgToken},
                                              dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        ASSERT_TRUE(line) << log();
        port = test::port_from_banner(*line);
    }
    std::optional<test::Response> get(const std::string& path, const std::string& cookies = {}) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!cookies.empty()) {
            headers.emplace_back("Cookie", cookies);
        }
        return test::request(port, "GET", path, {}, headers);
    }
    /// The platform's page the service sends a browser to, and the state cookie it sets.
    struct Sent {
        std::string location;
        std::string state;
    };
    Sent go(const std::string& bot) {
        const auto r = get("/app/in/" + bot);
        if (!r || r->status != 302) {
            ADD_FAILURE() << (r ? std::to_string(r->status) + " " + r->body : "no answer");
            return {};
        }
        const std::string cookie = r->header("set-cookie");
        EXPECT_NE(cookie.find("Path=/app/in/" + bot), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
        static const std::regex state(R"(liaison_oauth=([0-9a-f]{32});)");
        std::smatch m;
        EXPECT_TRUE(std::regex_search(cookie, m, state)) << cookie;
        const std::string location = r->header("location");
        EXPECT_NE(location.find("state=" + std::string(m[1])), std::string::npos) << location;
        return {location, m[1]};
    }
    /// The platform coming back with `code` (in `param`): the session cookie, or "" when refused.
    std::string back(const std::string& bot,
                     const std::string& param,
                     const std::string& code,
                     const Sent& sent,
                     unsigned expected = 303) {
        const auto r = get("/app/in/" + bot + "/back?" + param + "=" + code + "&state=" + sent.state,
                           "liaison_oauth=" + sent.state);
        if (!r) {
            ADD_FAILURE() << "no answer";
            return {};
        }
        EXPECT_EQ(r->status, expected) << r->body << log();
        return session_of(*r);
    }
    static std::string session_of(const test::Response& r) {
        static const std::regex session(R"(liaison_session=([A-Za-z0-9_-]{43});)");
        std::smatch m;
        const std::string cookies = r.header("set-cookie");
        return std::regex_search(cookies, m, session) ? std::string(m[1]) : std::string();
    }
    /// The name the page greets its signed-in person with.
    std::string greeted(const std::string& session) {
        const auto home = get("/app/", "liaison_session=" + session);
        if (!home || home->status != 200) {
            return "(" + (home ? std::to_string(home->status) : std::string("no answer")) + ")";
        }
        static const std::regex hello("<p>([^<,]+),您好。</p>");
        std::smatch m;
        return std::regex_search(home->body, m, hello) ? std::string(m[1]) : home->body;
    }
    /// One value (or row) of the service's database, without the line's end.
    std::string query(const std::string& sql) const {
        std::string out = test::query(dir.file("data/liaison.db"), sql);
        while (!out.empty() && out.back() == '\n') {
            out.pop_back();
        }
        return out;
    }

    test::TempDir dir;
    test::FakePlatform fake;
    std::string config;
    std::unique_ptr<test::Child> child;
    std::uint16_t port = 0;
};

TEST_F(InAppTest, WeComSignsAMemberInThroughOAuthWithTheAppsToken) {
    ASSERT_NO_FATAL_FAILURE(start());
    const Sent sent = go("wx");
    EXPECT_EQ(sent.location,
              fake.base_url() + "/wx-open/connect/oauth2/authorize?appid=wwcorp&redirect_uri=" +
                  "https%3A%2F%2Fliaison.example.gov.cn%2Fapp%2Fin%2Fwx%2Fback&response_type=code&scope="
                  "snsapi_base&state=" +
                  sent.state + "&agentid=1000002#wechat_redirect");
    const std::string session = back("wx", "code", "good", sent);
    ASSERT_FALSE(session.empty());
    EXPECT_EQ(greeted(session), "张三");
    // The exchange as WeCom documents it: the app's token, then the code with it.
    const auto requests = fake.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[0].target, "/cgi-bin/gettoken?corpid=wwcorp&corpsecret=wx-corp-secret");
    EXPECT_EQ(requests[1].method, "GET");
    EXPECT_EQ(requests[1].target, "/cgi-bin/auth/getuserinfo?access_token=wx-app&code=good");
    // Audited with the person as actor and how they came in; the session is in their own
    // conversation with the app (a WeCom app's chat is the member).
    EXPECT_EQ(
        query("SELECT actor_id || '|' || action || '|' || after FROM audit WHERE action = 'web.signed_in'"),
        "zhangsan|web.signed_in|wecom_app oauth");
    EXPECT_EQ(query("SELECT bot_id || '|' || chat_id || '|' || user_id FROM web_sessions"),
              "wx|zhangsan_wx|zhangsan_wx");
}

TEST_F(InAppTest, WeComRefusesAnotherStateARefusedCodeAndAnAccountNotOnTheRoster) {
    ASSERT_NO_FATAL_FAILURE(start());
    const Sent sent = go("wx");
    // Another browser's state, or no state cookie at all: a sign-in forced on this browser.
    const auto forced = get("/app/in/wx/back?code=good&state=" + sent.state);
    ASSERT_TRUE(forced);
    EXPECT_EQ(forced->status, 400U);
    const auto other =
        get("/app/in/wx/back?code=good&state=" + std::string(32, '0'), "liaison_oauth=" + sent.state);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 400U);
    EXPECT_EQ(fake.requests().size(), 0U) << "nothing asked of the platform";
    // A code WeCom refuses, and a member who is not on the roster.
    EXPECT_EQ(back("wx", "code", "used", sent, 403), "");
    EXPECT_EQ(back("wx", "code", "outsider", sent, 403), "");
    const auto page = get("/app/in/wx/back?code=outsider&state=" + sent.state, "liaison_oauth=" + sent.state);
    ASSERT_TRUE(page);
    EXPECT_NE(page->body.find("名册"), std::string::npos) << page->body;
    EXPECT_EQ(query("SELECT COUNT(*) FROM web_sessions"), "0");
    // The platforms without a way in say so.
    const auto none = get("/app/in/tg");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 404U);
    EXPECT_EQ(get("/app/tg/wx")->status, 404U)
        << "a Mini App's page only for a bot whose platform signs launch data";
    const auto unknown = get("/app/in/nobot");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404U);
}

TEST_F(InAppTest, FeishuAndDingTalkExchangeTheirCodesAndOpenTheGroupsDraft) {
    ASSERT_NO_FATAL_FAILURE(start());
    const Sent fs = go("fs");
    EXPECT_EQ(fs.location,
              fake.base_url() +
                  "/fs-accounts/open-apis/authen/v1/authorize?client_id=cli_test&redirect_uri=" +
                  "https%3A%2F%2Fliaison.example.gov.cn%2Fapp%2Fin%2Ffs%2Fback&state=" + fs.state);
    const std::string lisi = back("fs", "code", "good", fs);
    ASSERT_FALSE(lisi.empty());
    EXPECT_EQ(greeted(lisi), "李四");
    auto requests = fake.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[0].target, "/open-apis/authen/v2/oauth/token");
    EXPECT_EQ(json::parse(requests[0].body)["redirect_uri"], kPublic + "/app/in/fs/back");
    EXPECT_EQ(requests[1].target, "/open-apis/authen/v1/user_info");

    const Sent dd = go("dd");
    EXPECT_NE(dd.location.find(fake.base_url() + "/dd-login/oauth2/auth?redirect_uri="), std::string::npos);
    EXPECT_NE(dd.location.find("&client_id=dingkey&scope=openid&state=" + dd.state), std::string::npos);
    EXPECT_EQ(back("dd", "authCode", "bad", dd, 403), "");
    const std::string wangwu = back("dd", "authCode", "good", dd);
    ASSERT_FALSE(wangwu.empty());
    EXPECT_EQ(greeted(wangwu), "王五");
    requests = fake.requests();
    std::vector<std::string> targets;
    for (std::size_t i = 2; i < requests.size(); ++i) {
        targets.push_back(requests[i].target);
    }
    EXPECT_EQ(targets,
              (std::vector<std::string>{"/v1.0/oauth2/accessToken",
                                        "/v1.0/oauth2/userAccessToken",  // "bad": refused here
                                        "/v1.0/oauth2/accessToken",
                                        "/v1.0/oauth2/userAccessToken",
                                        "/v1.0/contact/users/me",
                                        "/topapi/user/getbyunionid?access_token=dd-app"}));
    EXPECT_EQ(query("SELECT group_concat(bot_id || '|' || chat_id || '|' || user_id, ';') FROM "
                    "(SELECT * FROM web_sessions ORDER BY bot_id)"),
              "dd|cid_group|wangwu_dd;fs|oc_group|ou_lisi");
}

TEST_F(InAppTest, TelegramLaunchDataSignsInOnlyWhenSignedAndFresh) {
    ASSERT_NO_FATAL_FAILURE(start());
    const auto page = get("/app/tg/tg");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200U);
    EXPECT_NE(page->body.find(R"(<form id="launch" method="post" action="/app/tg/tg">)"), std::string::npos)
        << page->body;
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const auto post = [&](const std::string& data, const std::string& cookie = {}) {
        std::vector<std::pair<std::string, std::string>> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", kPublic}};
        if (!cookie.empty()) {
            headers.emplace_back("Cookie", "liaison_session=" + cookie);
        }
        return test::request(port, "POST", "/app/tg/tg", "d=" + test::form_encode(data), headers);
    };
    const auto signed_data = [&](std::int64_t at, const std::string& token = kTgToken) {
        return adapters::telegram::TelegramAdapter::sign_launch_data(
            token,
            {{"query_id", "AAHdF6IQAAAAAN0XohDhrOrc"},
             {"user", R"({"id":777000111,"first_name":"赵六"})"},
             {"auth_date", std::to_string(at)}});
    };
    const auto stale = post(signed_data(now - 3600));
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->status, 403U);
    const auto forged = post(signed_data(now, "1:another-bot"));
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 403U);
    EXPECT_EQ(query("SELECT COUNT(*) FROM web_sessions"), "0");

    const auto first = post(signed_data(now));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 303U) << first->body << log();
    const std::string session = session_of(*first);
    ASSERT_FALSE(session.empty());
    EXPECT_EQ(greeted(session), "赵六");
    // Signing in again from the same browser revokes the session it had (no fixation).
    const auto again = post(signed_data(now), session);
    ASSERT_TRUE(again);
    ASSERT_EQ(again->status, 303U);
    EXPECT_EQ(greeted(session), "(401)");
    EXPECT_EQ(greeted(session_of(*again)), "赵六");
    EXPECT_EQ(query("SELECT after FROM audit WHERE action = 'web.signed_in' LIMIT 1"),
              "telegram launch data");
    // Another site's form is refused.
    const auto cross = test::request(
        port,
        "POST",
        "/app/tg/tg",
        "d=x",
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "https://evil.example"}});
    ASSERT_TRUE(cross);
    EXPECT_EQ(cross->status, 403U);
}

TEST_F(InAppTest, APlatformThatCannotBeReachedIsSaidSoAndOpensNothing) {
    fake.set_handler([](const test::RecordedRequest&) { return test::FakeReply{503, "busy", {}, {}}; });
    ASSERT_NO_FATAL_FAILURE(start());
    const Sent sent = go("wx");
    const auto r = get("/app/in/wx/back?code=good&state=" + sent.state, "liaison_oauth=" + sent.state);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 502U) << r->body;
    EXPECT_NE(r->body.find("连不上平台"), std::string::npos) << r->body;
    EXPECT_EQ(query("SELECT COUNT(*) FROM web_sessions"), "0");
}

}  // namespace
}  // namespace bot
