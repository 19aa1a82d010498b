// The pages (/app) through the built binary: a sign-in link asked for in chat arrives privately at
// the fake platform, signs in once, and the officer's own reports are listed; the paths next to it
// (the link twice, another site's form, a guessing browser, signing out, a hostile title) refused or
// escaped.
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <regex>
#include <signal.h>
#include <thread>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kSecret = "web-test-secret-0123456789";
const std::string kPublic = "https://liaison.example.gov.cn";

class WebTest : public ::testing::Test {
protected:
    /// The demo roster with a coordinator of 和平街道 only (the desk's scope).
    std::string roster() {
        std::ifstream in(std::string(LIAISON_SOURCE_DIR) + "/seeds/roster.jsonc");
        std::string text{std::istreambuf_iterator<char>(in), {}};
        const std::string people = "\"people\": [";
        text.insert(text.find(people) + people.size(),
                    R"({ "id": "hpcoord", "name": "和平协调员", "role": "coordinator", "scope": ["heping"],
                         "accounts": [{ "bot": "demo", "user": "u-hpcoord" }] },)");
        return dir.write("roster.jsonc", text);
    }
    WebTest() {
        const std::string src = LIAISON_SOURCE_DIR;
        config = dir.write("liaison.jsonc",
                           R"({
            "server": { "listen": "127.0.0.1:0", "max_body_bytes": 32768 },
            "store": { "path": ")" +
                               dir.file("data/liaison.db") + R"(" },
            "templates_dir": ")" +
                               src + R"(/templates/data",
            "roster": ")" + roster() +
                               R"(",
            "calendar": ")" + src +
                               R"(/seeds/calendar-cn.jsonc",
            "bots": [ { "id": "demo", "platform": "webhook", "secret": "${T_BOT}",
                        "callback_url": ")" +
                               fake.base_url() + R"(/liaison" } ],
            "scheduler": { "enabled": false },
            "web": { "public_url": ")" +
                               kPublic + R"(/", "upload_max_kb": 96 }
        })");
    }
    ~WebTest() override {
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
                                              std::vector<std::string>{"T_BOT=" + kSecret},
                                              dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        ASSERT_TRUE(line) << log();
        port = test::port_from_banner(*line);
    }
    /// One chat message through the signed webhook; the bot's replies, joined.
    std::string say(const std::string& user, const std::string& text) {
        const json body{{"event_id", "e" + std::to_string(++events)},
                        {"chat", "demo-group"},
                        {"user", user},
                        {"user_name", user},
                        {"text", text}};
        const auto r = test::request(
            port, "POST", "/hooks/demo", body.dump(), test::webhook_headers(kSecret, body.dump()));
        if (!r || r->status != 200) {
            ADD_FAILURE() << text << " → " << (r ? r->body : "no answer");
            return {};
        }
        std::string out;
        const json answered = json::parse(r->body);
        for (const auto& reply : answered["replies"]) {
            out += reply["text"].get<std::string>() + "\n";
        }
        return out;
    }
    /// 网页填报 in the group: the token of the link that arrived privately at the fake platform.
    std::string ask_link(const std::string& user) {
        const std::size_t before = fake.requests().size();
        const std::string said = say(user, "@联络员助手 网页填报");
        EXPECT_NE(said.find("登录链接已私信发给您"), std::string::npos) << said;
        EXPECT_EQ(said.find("/app/signin"), std::string::npos) << "never a link in the group: " << said;
        // The link's message, among whatever else the outbox delivers meanwhile (a notice).
        static const std::regex link(
            R"(https://liaison\.example\.gov\.cn/app/signin\?t=([A-Za-z0-9_-]{43}))");
        std::smatch m;
        for (std::size_t seen = before; fake.wait_for(seen + 1, 10s); ++seen) {
            const json sent = json::parse(fake.requests()[seen].body);
            const std::string text = sent["text"].get<std::string>();
            if (std::regex_search(text, m, link)) {
                EXPECT_EQ(sent["chat"], "@" + user) << sent;
                EXPECT_EQ(sent["direct"], true) << sent;
                return m[1];
            }
        }
        ADD_FAILURE() << "no private message with a link " << log();
        return {};
    }
    /// The CSRF token a page's forms carry.
    static std::string csrf_of(const std::string& page) {
        std::smatch m;
        static const std::regex csrf(R"re(name="csrf" value="([A-Za-z0-9_-]+)")re");
        if (!std::regex_search(page, m, csrf)) {
            ADD_FAILURE() << "no CSRF token in " << page;
            return {};
        }
        return m[1];
    }
    std::optional<test::Response> post_form(const std::string& path,
                                            const std::string& body,
                                            const std::string& cookie = {},
                                            const std::string& origin = kPublic) {
        std::vector<std::pair<std::string, std::string>> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", origin}};
        if (!cookie.empty()) {
            headers.emplace_back("Cookie", "other=1; liaison_session=" + cookie);
        }
        return test::request(port, "POST", path, body, headers);
    }
    std::optional<test::Response> get(const std::string& path, const std::string& cookie = {}) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!cookie.empty()) {
            headers.emplace_back("Cookie", "liaison_session=" + cookie);
        }
        return test::request(port, "GET", path, {}, headers);
    }
    /// Signs in with `token`: the session cookie's value. An officer lands on their reports, a
    /// coordinator on the desk.
    std::string sign_in(const std::string& token, const std::string& lands = "/app/") {
        const auto r = post_form("/app/signin", "t=" + token);
        if (!r || r->status != 303) {
            ADD_FAILURE() << (r ? std::to_string(r->status) + " " + r->body : "no answer");
            return {};
        }
        EXPECT_EQ(r->header("location"), lands);
        const std::string cookie = r->header("set-cookie");
        EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("; Secure"), std::string::npos) << "public_url is https: " << cookie;
        EXPECT_NE(cookie.find("; Path=/app"), std::string::npos) << cookie;
        const auto eq = cookie.find('=');
        return cookie.substr(eq + 1, cookie.find(';') - eq - 1);
    }
    void file_weekly(const std::string& user, const std::string& task) {
        say(user, "@联络员助手 填报 工作进度周报");
        say(user, task);
        say(user, "60%");
        say(user, "推进中");
        say(user, "完成土建,启动安装");
        say(user, "跳过");
        const auto done = say(user, "提交");
        ASSERT_NE(done.find("R-"), std::string::npos) << done;
    }
    std::string query(const std::string& sql) const { return test::query(dir.file("data/liaison.db"), sql); }
    void expect_out_of_reach_of_heping(const std::string& xingfuli, const std::string& heping);
    void expect_exports_of_a_search(const std::string& cookie,
                                    const std::string& xingfuli,
                                    const std::string& heping);

    test::TempDir dir;
    test::FakePlatform fake;
    std::string config;
    std::unique_ptr<test::Child> child;
    std::uint16_t port = 0;
    int events = 0;
};

TEST_F(WebTest, ALinkFromTheChatArrivesPrivatelySignsInOnceAndListsTheOfficersOwnReports) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "加装电梯<script>alert(1)</script>"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-lisi", "李四的课后服务"));

    const auto anonymous = get("/app/");
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401u);
    EXPECT_NE(anonymous->body.find("网页填报"), std::string::npos) << "it says how to sign in";

    const std::string token = ask_link("u-zhangsan");
    ASSERT_FALSE(token.empty());
    // Opening the link shows a form that signs in by POST: a chat app's preview uses nothing up.
    const auto opened = get("/app/signin?t=" + token);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->status, 200u);
    EXPECT_NE(opened->body.find(R"(<form id="signin" method="post" action="/app/signin">)"),
              std::string::npos)
        << opened->body;
    EXPECT_NE(opened->header("content-security-policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(opened->header("referrer-policy"), "same-origin")
        << "no-referrer makes browsers send Origin: null on the page's own forms";
    EXPECT_EQ(get("/app/signin?t=" + token)->status, 200u) << "a second preview still uses nothing up";

    const std::string cookie = sign_in(token);
    ASSERT_FALSE(cookie.empty());
    const auto again = post_form("/app/signin", "t=" + token);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 410u) << "a link works once";
    EXPECT_NE(again->body.find("链接已失效"), std::string::npos);

    const auto mine = get("/app/", cookie);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->status, 200u) << mine->body;
    EXPECT_NE(mine->body.find("张三,您好"), std::string::npos) << mine->body;
    EXPECT_NE(mine->body.find("加装电梯&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos)
        << "escaped, not run: " << mine->body;
    EXPECT_EQ(mine->body.find("<script>alert"), std::string::npos);
    EXPECT_NE(mine->body.find("工作进度周报"), std::string::npos);
    EXPECT_NE(mine->body.find("待审核"), std::string::npos) << mine->body;
    EXPECT_EQ(mine->body.find("李四的课后服务"), std::string::npos) << "only the officer's own reports";
    EXPECT_EQ(mine->header("cache-control"), "no-store");

    // Signing out needs the form's CSRF token; afterwards the cookie signs nobody in.
    EXPECT_EQ(post_form("/app/signout", "csrf=guess", cookie)->status, 403u);
    const std::string csrf = csrf_of(mine->body);
    ASSERT_FALSE(csrf.empty());
    EXPECT_EQ(post_form("/app/signout", "csrf=" + csrf, cookie, "https://evil.example")->status, 403u)
        << "a form from another site";
    const auto out = post_form("/app/signout", "csrf=" + csrf, cookie);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 200u) << out->body;
    EXPECT_NE(out->header("set-cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(get("/app/", cookie)->status, 401u);

    // Every step audited with the person as actor; no token or cookie stored as it was sent.
    EXPECT_EQ(query("SELECT action || ' ' || actor_id || ' ' || actor_account FROM audit WHERE action LIKE "
                    "'web.%' ORDER BY id"),
              "web.link zhangsan demo:u-zhangsan\nweb.signed_in zhangsan web:zhangsan\n"
              "web.signed_out zhangsan web:zhangsan\n");
    EXPECT_EQ(query("SELECT count(*) FROM web_links WHERE hash = '" + token + "'"), "0\n");
    EXPECT_EQ(query("SELECT count(*) FROM web_sessions WHERE hash = '" + cookie + "'"), "0\n");
}

/// The form fields of a weekly progress report, URL-encoded ("f.<id>=…"), with `progress` as given.
std::string weekly_form(const std::string& csrf, const std::string& progress, const std::string& action) {
    const auto enc = test::form_encode;
    return "csrf=" + enc(csrf) + "&template=weekly_progress&action=" + action +
           "&f.task=" + enc("加装电梯民生实事") + "&f.progress=" + enc(progress) +
           "&f.status=on_track&f.next_week=" + enc("完成土建,启动安装") + "&f.unit=xingfuli";
}

TEST_F(WebTest, AReportFilledOnThePageWithATypoFixedInPlaceIsFiledOnceWithTheGroupsReceipt) {
    ASSERT_NO_FATAL_FAILURE(start());
    const std::string cookie = sign_in(ask_link("u-zhangsan"));
    ASSERT_FALSE(cookie.empty());
    const auto choose = get("/app/new", cookie);
    ASSERT_TRUE(choose);
    EXPECT_NE(choose->body.find(R"(href="/app/form?template=weekly_progress")"), std::string::npos)
        << choose->body;
    const auto blank = get("/app/form?template=weekly_progress", cookie);
    ASSERT_TRUE(blank);
    ASSERT_EQ(blank->status, 200u) << blank->body;
    EXPECT_NE(blank->body.find(R"(name="f.task")"), std::string::npos) << blank->body;
    EXPECT_NE(blank->body.find(R"(<option value="xingfuli" selected="selected">)"), std::string::npos)
        << "the officer's own unit by default";
    EXPECT_NE(blank->body.find(R"(<div class="field" data-field="problems" hidden="hidden">)"),
              std::string::npos)
        << "hidden until the status is behind";
    const std::string csrf = csrf_of(blank->body);
    ASSERT_FALSE(csrf.empty());

    // A typo in the progress: refused next to the field with chat's own message; the rest kept.
    const auto typo = post_form("/app/form", weekly_form(csrf, "六十", "submit"), cookie);
    ASSERT_TRUE(typo);
    EXPECT_EQ(typo->status, 200u);
    EXPECT_NE(typo->body.find("有几项需要修改"), std::string::npos) << typo->body;
    EXPECT_NE(typo->body.find(R"(class="field invalid")"), std::string::npos) << typo->body;
    EXPECT_NE(typo->body.find(R"(value="六十")"), std::string::npos) << "what was typed stays to be fixed";
    EXPECT_NE(typo->body.find(R"(value="加装电梯民生实事")"), std::string::npos);
    EXPECT_EQ(query("SELECT count(*) FROM reports"), "0\n");
    // The draft is the chat's: 继续 in the chat goes on from it, at the item still empty.
    const std::string resumed = say("u-zhangsan", "@联络员助手 继续");
    EXPECT_NE(resumed.find("完成进度"), std::string::npos) << resumed;

    const std::size_t before = fake.requests().size();
    // 预览: the chat's preview on the page, nothing in the group.
    const auto preview = post_form("/app/form", weekly_form(csrf, "60", "preview"), cookie);
    ASSERT_TRUE(preview);
    EXPECT_NE(preview->body.find(R"(<section class="preview" role="status"><p>【工作进度周报】预览</p>)"),
              std::string::npos)
        << preview->body;
    const auto done = post_form("/app/form", weekly_form(csrf, "60", "submit"), cookie);
    ASSERT_TRUE(done);
    EXPECT_NE(done->body.find("已提交,编号 R-"), std::string::npos) << done->body;
    EXPECT_EQ(query("SELECT count(*) || ' ' || author_id || ' ' || unit_id FROM reports"),
              "1 zhangsan xingfuli\n");
    ASSERT_TRUE(fake.wait_for(before + 1, 10s)) << log();
    const json receipt = json::parse(fake.requests().back().body);
    EXPECT_EQ(receipt["chat"], "demo-group") << "the group gets the same receipt as from the chat";
    EXPECT_NE(receipt["text"].get<std::string>().find("R-"), std::string::npos) << receipt;
    EXPECT_EQ(fake.requests().size(), before + 1) << "nothing else in the group";
    // The same form again (a second tap): the same words as a report sent, not stored twice.
    const auto twice = post_form("/app/form", weekly_form(csrf, "60", "submit"), cookie);
    ASSERT_TRUE(twice);
    EXPECT_NE(twice->body.find("没有提交"), std::string::npos) << twice->body;
    EXPECT_EQ(query("SELECT count(*) FROM reports"), "1\n");
    // Not without the form's token, and never for another person's chat.
    EXPECT_EQ(post_form("/app/form", weekly_form("guess", "60", "submit"), cookie)->status, 403u);
    EXPECT_EQ(post_form("/app/form", weekly_form(csrf, "60", "submit"))->status, 401u);
}

TEST_F(WebTest, WhileTypingTheDraftIsSavedAndTheHintsComeBackAsDataNotToTheGroup) {
    ASSERT_NO_FATAL_FAILURE(start());
    const std::string cookie = sign_in(ask_link("u-zhangsan"));
    ASSERT_FALSE(cookie.empty());
    const auto blank = get("/app/form?template=liaison_info", cookie);
    ASSERT_TRUE(blank);
    EXPECT_NE(blank->body.find(R"(<div id="live" class="live" aria-live="polite"></div>)"), std::string::npos)
        << blank->body;
    EXPECT_NE(blank->header("content-security-policy").find("connect-src 'self'"), std::string::npos)
        << "the script's check is a fetch to the service itself";
    const std::string csrf = csrf_of(blank->body);
    const std::size_t before = fake.requests().size();
    const auto typed = [&](const std::string& results, const std::string& date) {
        return post_form("/app/form",
                         "csrf=" + csrf + "&template=liaison_info&action=check&f.kind=practice&f.title=" +
                             test::form_encode("社区开展主题党日活动<script>") +
                             "&f.event_date=" + test::form_encode(date) +
                             "&f.results=" + test::form_encode(results) + "&f.unit=xingfuli",
                         cookie);
    };
    const auto first = typed("效果良好,反响热烈。", "昨天的昨天的昨天");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200u) << first->body;
    EXPECT_EQ(first->header("content-type"), "application/json; charset=utf-8");
    const json answer = json::parse(first->body);
    EXPECT_NE(answer["hints"].get<std::string>().find("还没有具体数字"), std::string::npos) << answer;
    EXPECT_TRUE(answer["errors"].contains("event_date")) << answer;
    const auto shown = [](const json& a, const std::string& id) {
        return std::find(a["shown"].begin(), a["shown"].end(), id) != a["shown"].end();
    };
    EXPECT_TRUE(shown(answer, "results"));
    EXPECT_FALSE(shown(answer, "issue_detail")) << "问题与建议 only for a 问题建议";
    EXPECT_FALSE(answer["errors"].contains("results")) << answer;
    EXPECT_NE(answer["status"].get<std::string>().find("有几项需要修改"), std::string::npos) << answer;
    // Saved as typed (the valid answers): the chat's draft.
    EXPECT_EQ(query("SELECT count(*) FROM sessions WHERE state LIKE '%效果良好%'"), "1\n");
    const auto second = typed("参加党员 46 人,收集意见 12 条。", "2026-11-18");
    ASSERT_TRUE(second);
    const json again = json::parse(second->body);
    EXPECT_EQ(again["hints"].get<std::string>().find("还没有具体数字"), std::string::npos) << again;
    EXPECT_TRUE(again["errors"].empty()) << again;
    EXPECT_EQ(again["status"], "草稿已自动保存。");
    EXPECT_EQ(query("SELECT count(*) FROM sessions WHERE state LIKE '%参加党员 46 人%'"), "1\n");
    // Nothing goes to the group while typing, and nothing is filed.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(fake.requests().size(), before);
    EXPECT_EQ(query("SELECT count(*) FROM reports"), "0\n");
    // Not without the session's token.
    const auto forged =
        post_form("/app/form", "csrf=guess&template=liaison_info&action=check&f.title=x", cookie);
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 403u);
}

/// A PNG of `size` bytes: its signature, then filler.
std::string png(std::size_t size) {
    std::string out = "\x89PNG\r\n\x1A\n";
    out.resize(size, 'x');
    return out;
}

TEST_F(WebTest, PhotosAreUploadedCheckedShownToTheirOwnerOnlyAndFiledWithTheReport) {
    ASSERT_NO_FATAL_FAILURE(start());
    const std::string cookie = sign_in(ask_link("u-zhangsan"));
    const auto blank = get("/app/form?template=liaison_info", cookie);
    ASSERT_TRUE(blank);
    EXPECT_NE(blank->body.find(R"(<input type="file" id="field-photos" accept="image/jpeg,image/png)"),
              std::string::npos)
        << blank->body;
    const std::string csrf = csrf_of(blank->body);
    const auto put =
        [&](const std::string& bytes, const std::string& token, const std::string& field = "photos") {
            return test::request(port,
                                 "POST",
                                 "/app/upload?template=liaison_info&field=" + field,
                                 bytes,
                                 {{"Content-Type", "image/png"},
                                  {"Origin", kPublic},
                                  {"X-CSRF-Token", token},
                                  {"Cookie", "liaison_session=" + cookie}});
        };
    // 80 KB: more than any other request may carry (32 KB here), within the photos' 96 KB.
    const auto first = put(png(80 * 1024), csrf);
    ASSERT_TRUE(first) << log();
    ASSERT_EQ(first->status, 200u) << first->body;
    json answer = json::parse(first->body);
    ASSERT_EQ(answer["photos"].size(), 1u) << answer;
    const std::string url = answer["photos"][0]["url"];
    EXPECT_EQ(answer["status"], "照片已添加。");
    EXPECT_EQ(query("SELECT mime || ' ' || size || ' ' || person_id FROM web_uploads"),
              "image/png 81920 zhangsan\n");
    const auto shown = get(url, cookie);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->status, 200u);
    EXPECT_EQ(shown->header("content-type"), "image/png");
    EXPECT_EQ(shown->body, png(80 * 1024));
    EXPECT_EQ(shown->header("x-content-type-options"), "nosniff");

    // What is not a photo, too large, without the token, on a field that takes none: refused.
    const auto script = put("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", csrf);
    ASSERT_TRUE(script);
    EXPECT_EQ(script->status, 415u) << script->body;
    EXPECT_NE(json::parse(script->body)["status"].get<std::string>().find("JPEG"), std::string::npos);
    const auto large = put(png(100 * 1024), csrf);
    ASSERT_TRUE(large);
    EXPECT_EQ(large->status, 413u);
    EXPECT_EQ(put(png(100), "guess")->status, 403u);
    EXPECT_EQ(put(png(100), csrf, "title")->status, 409u);
    EXPECT_EQ(query("SELECT count(*) FROM web_uploads"), "1\n");
    // Any other request keeps the usual limit.
    const auto big_form =
        post_form("/app/form",
                  "csrf=" + csrf + "&template=liaison_info&f.title=" + std::string(40 * 1024, 'x'),
                  cookie);
    ASSERT_TRUE(big_form);
    EXPECT_EQ(big_form->status, 413u);

    // Someone else sees nothing of it, whatever the URL.
    const std::string lisi = sign_in(ask_link("u-lisi"));
    const auto other = get(url, lisi);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 404u);
    EXPECT_EQ(get(url)->status, 401u);

    // A second photo, then the first taken off; the form is filed with the one left.
    ASSERT_EQ(put(png(2000), csrf)->status, 200u);
    const std::string first_ref = answer["photos"][0]["ref"];
    const auto removed =
        post_form("/app/upload/remove",
                  "csrf=" + csrf + "&template=liaison_info&field=photos&ref=" + test::form_encode(first_ref),
                  cookie);
    ASSERT_TRUE(removed);
    answer = json::parse(removed->body);
    ASSERT_EQ(answer["photos"].size(), 1u) << answer;
    const std::string kept = answer["photos"][0]["ref"];
    const auto filed =
        post_form("/app/form",
                  "csrf=" + csrf + "&template=liaison_info&action=submit&f.kind=practice&f.title=" +
                      test::form_encode("社区开展主题党日活动") +
                      "&f.event_date=2026-11-18&f.place=" + test::form_encode("社区会议室") +
                      "&f.case=" + test::form_encode("组织党员 46 人走访独居老人 120 户,登记需求 35 条。") +
                      "&f.results=" + test::form_encode("解决 30 条,满意率 96%。") + "&f.unit=xingfuli",
                  cookie);
    ASSERT_TRUE(filed);
    EXPECT_NE(filed->body.find("已提交"), std::string::npos) << filed->body;
    EXPECT_EQ(query("SELECT count(*) FROM report_revisions WHERE fields LIKE '%" + kept + "%'"), "1\n");
}

TEST_F(WebTest, AReturnedReportIsRevisedOnThePageWithTheCommentBesideItAndOnlyByItsAuthor) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "加装电梯民生实事"));
    const std::string number = query("SELECT number FROM reports").substr(0, 11);
    say("u-sunhong", "@联络员助手 退回 " + number + " 请补充PPT和具体数据 <b>Part B</b>");
    const std::string cookie = sign_in(ask_link("u-zhangsan"));
    ASSERT_FALSE(cookie.empty());
    const auto mine = get("/app/", cookie);
    ASSERT_TRUE(mine);
    EXPECT_NE(mine->body.find("审核意见:请补充PPT和具体数据 &lt;b&gt;Part B&lt;/b&gt;"), std::string::npos)
        << "the comment as typed, capitals included, escaped: " << mine->body;
    const std::string csrf = csrf_of(mine->body);
    ASSERT_FALSE(csrf.empty());
    const auto opened = post_form("/app/revise", "csrf=" + csrf + "&number=" + number, cookie);
    ASSERT_TRUE(opened);
    ASSERT_EQ(opened->status, 303u) << opened->body;
    EXPECT_EQ(opened->header("location"), "/app/form");
    const auto form = get("/app/form", cookie);
    ASSERT_TRUE(form);
    EXPECT_NE(form->body.find("正在修改 " + number), std::string::npos) << form->body;
    EXPECT_NE(form->body.find("审核意见:请补充PPT"), std::string::npos);
    EXPECT_NE(form->body.find(R"(value="加装电梯民生实事")"), std::string::npos) << "the report's answers";
    const std::size_t sent = fake.requests().size();
    const auto done = post_form("/app/form", weekly_form(csrf, "80", "submit"), cookie);
    ASSERT_TRUE(done);
    EXPECT_NE(done->body.find("已提交,编号 " + number), std::string::npos) << done->body;
    EXPECT_EQ(query("SELECT count(*) FROM report_revisions"), "2\n") << "the next revision, not a new report";
    EXPECT_EQ(query("SELECT count(*) || ' ' || status FROM reports"), "1 submitted\n");
    ASSERT_TRUE(fake.wait_for(sent + 1, 10s));
    EXPECT_NE(fake.requests().back().body.find("第 2 版"), std::string::npos) << fake.requests().back().body;

    // Another officer cannot open it by sending its number: the chat's rule, said on the page.
    const std::string other = sign_in(ask_link("u-lisi"));
    const auto lisi = get("/app/", other);
    const std::string token = csrf_of(lisi->body);
    ASSERT_FALSE(token.empty());
    const auto refused = post_form("/app/revise", "csrf=" + token + "&number=" + number, other);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403u) << refused->body;
    EXPECT_NE(refused->body.find(number), std::string::npos) << refused->body;
    EXPECT_EQ(get("/app/form", other)->status, 404u) << "no draft opened for lisi";
}

TEST_F(WebTest, AnOperatorMintsALinkForSomeoneOnTheRosterOnly) {
    ASSERT_NO_FATAL_FAILURE(start());
    const auto made = test::run(kExe, {"web-link", "--as", "张三", "--config", config}, {"T_BOT=" + kSecret});
    ASSERT_EQ(made.code, 0) << made.output;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        made.output, m, std::regex(R"(https://liaison\.example\.gov\.cn/app/signin\?t=([A-Za-z0-9_-]{43}))")))
        << made.output;
    const std::string cookie = sign_in(m[1]);
    ASSERT_FALSE(cookie.empty());
    EXPECT_NE(get("/app/", cookie)->body.find("张三,您好"), std::string::npos);
    EXPECT_EQ(query("SELECT actor_account FROM audit WHERE action = 'web.link'"), "cli\n");
    const auto nobody =
        test::run(kExe, {"web-link", "--as", "无名氏", "--config", config}, {"T_BOT=" + kSecret});
    EXPECT_EQ(nobody.code, 2);
    EXPECT_NE(nobody.output.find("无名氏 is not on the roster"), std::string::npos) << nobody.output;
}

TEST_F(WebTest, ASignInFromAnotherSiteOrByGuessingIsRefused) {
    ASSERT_NO_FATAL_FAILURE(start());
    const std::string token = ask_link("u-zhangsan");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(post_form("/app/signin", "t=" + token, {}, "https://evil.example")->status, 403u);
    // Guessing: each wrong token is refused alike; past the limit the address waits.
    unsigned last = 0;
    for (int i = 0; i < 20; ++i) {
        last = post_form("/app/signin", "t=wrong" + std::to_string(i))->status;
        ASSERT_EQ(last, 410u) << i;
    }
    EXPECT_EQ(post_form("/app/signin", "t=" + token)->status, 429u) << "even the right one, once limited";
    EXPECT_EQ(get("/app/nowhere")->status, 404u);
    EXPECT_EQ(get("/app/static/app.css")->header("content-type"), "text/css; charset=utf-8");
}

/// The desk's list searched for 物业 as CSV and as a workbook: `xingfuli`'s report in it, not `heping`'s.
void WebTest::expect_exports_of_a_search(const std::string& cookie,
                                         const std::string& xingfuli,
                                         const std::string& heping) {
    const auto csv = get("/app/desk/export?status=&q=" + test::form_encode("物业"), cookie);
    EXPECT_EQ(csv->header("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv->body.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv->body.substr(3, 3), "\xEF\xBB\xBF")
        << "the byte-order mark once, or Excel heads column A with it";
    EXPECT_NE(csv->body.find(xingfuli), std::string::npos);
    const auto book = get("/app/desk/export?status=&format=xlsx&q=" + test::form_encode("物业"), cookie);
    EXPECT_EQ(book->header("content-type"),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(book->body.substr(0, 2), "PK");
    EXPECT_EQ(csv->body.find(heping), std::string::npos) << "the export takes the list's filter";
}

/// 和平街道's coordinator: 幸福里社区's report `xingfuli` is not there — by list, unit, URL, export,
/// units compared or form — while 和平街道's `heping` is.
void WebTest::expect_out_of_reach_of_heping(const std::string& xingfuli, const std::string& heping) {
    const std::string scoped = sign_in(ask_link("u-hpcoord"), "/app/desk");
    const auto theirs = get("/app/desk?status=", scoped);
    EXPECT_NE(theirs->body.find(heping), std::string::npos) << theirs->body;
    EXPECT_EQ(theirs->body.find(xingfuli), std::string::npos) << theirs->body;
    EXPECT_EQ(get("/app/desk?status=&unit=xingfuli", scoped)->body.find(xingfuli), std::string::npos);
    EXPECT_EQ(get("/app/desk/report/" + xingfuli, scoped)->status, 404u);
    EXPECT_EQ(get("/app/desk/unit/xingfuli", scoped)->status, 404u);
    EXPECT_EQ(get("/app/desk/units?span=year", scoped)->body.find("幸福里社区"), std::string::npos);
    EXPECT_NE(get("/app/desk/units?span=year", scoped)->body.find("和平街道"), std::string::npos);
    EXPECT_EQ(get("/app/desk/progress", scoped)->body.find("幸福里社区"), std::string::npos);
    EXPECT_EQ(get("/app/desk/export?status=", scoped)->body.find(xingfuli), std::string::npos);
    const auto refused =
        post_form("/app/desk/decide",
                  "csrf=" + csrf_of(theirs->body) + "&n=" + xingfuli + "&action=return&comment=x",
                  scoped);
    EXPECT_NE(refused->body.find(xingfuli + ":没有这份报告"), std::string::npos) << refused->body;
}

// The coordinators' desk (docs/desk.md): the list and search in the person's scope, decisions for a
// selection through the same use case as chat (the same audit entry, the author told the same way),
// a revision beside the one before, the list as CSV; outside the scope nothing, by URL or by form.
TEST_F(WebTest, TheDeskListsSearchesAndDecidesWithinTheCoordinatorsScope) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "红色物业联盟<img src=x onerror=alert(1)>"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-lisi", "和平街道课后服务"));
    const std::string xingfuli = query("SELECT number FROM reports WHERE unit_id = 'xingfuli'").substr(0, 11);
    const std::string heping = query("SELECT number FROM reports WHERE unit_id = 'heping'").substr(0, 11);

    EXPECT_EQ(get("/app/desk", sign_in(ask_link("u-zhangsan")))->status, 403u) << "an officer";
    const std::string cookie = sign_in(ask_link("u-sunhong"), "/app/desk");
    ASSERT_FALSE(cookie.empty());
    const auto queue = get("/app/desk", cookie);
    ASSERT_EQ(queue->status, 200u) << queue->body;
    EXPECT_NE(queue->body.find("红色物业联盟&lt;img src=x onerror=alert(1)&gt;"), std::string::npos)
        << queue->body;
    EXPECT_EQ(queue->body.find("<img"), std::string::npos);
    EXPECT_NE(queue->body.find("和平街道课后服务"), std::string::npos);
    // Search: two characters of a Chinese word, in full width too, and an author's name.
    for (const std::string q :
         {"%E7%89%A9%E4%B8%9A", "%E7%BA%A2%E8%89%B2%E7%89%A9%E4%B8%9A%E8%81%94%E7%9B%9F"}) {
        const auto found = get("/app/desk?status=&q=" + q, cookie);
        EXPECT_NE(found->body.find(xingfuli), std::string::npos) << q;
        EXPECT_EQ(found->body.find(heping), std::string::npos) << q;
    }
    EXPECT_NE(get("/app/desk?status=&q=" + test::form_encode("李四"), cookie)->body.find(heping),
              std::string::npos);
    expect_exports_of_a_search(cookie, xingfuli, heping);

    // A return for two at once: a line each, the same audit entry as chat, each author told.
    const std::string csrf = csrf_of(queue->body);
    const std::string picked = "&n=" + xingfuli + "&n=" + heping +
                               "&action=return&comment=" + test::form_encode("请补充PPT和具体数据");
    EXPECT_EQ(post_form("/app/desk/decide", "csrf=guess" + picked, cookie)->status, 403u);
    EXPECT_EQ(post_form("/app/desk/decide", "csrf=" + csrf + picked, cookie, "https://evil.example")->status,
              403u);
    EXPECT_EQ(query("SELECT count(*) FROM reports WHERE status = 'submitted'"), "2\n");
    const std::size_t sent = fake.requests().size();
    const auto returned = post_form("/app/desk/decide", "csrf=" + csrf + picked, cookie);
    ASSERT_EQ(returned->status, 200u) << returned->body;
    EXPECT_NE(returned->body.find(xingfuli + ":已退回,已通知报送人"), std::string::npos) << returned->body;
    EXPECT_NE(returned->body.find(heping + ":已退回,已通知报送人"), std::string::npos) << returned->body;
    EXPECT_EQ(
        query("SELECT group_concat(action || ' ' || actor_id || ' ' || actor_account || ' ' || after, '|') "
              "FROM audit WHERE action = 'report.returned'"),
        "report.returned sunhong web:sunhong 请补充PPT和具体数据|"
        "report.returned sunhong web:sunhong 请补充PPT和具体数据\n");
    ASSERT_TRUE(fake.wait_for(sent + 2, 10s));
    EXPECT_NE(fake.requests()[sent].body.find("请补充PPT和具体数据"), std::string::npos)
        << fake.requests()[sent].body;

    // The author revises on the page; the desk shows the revision beside the one before.
    const std::string author = sign_in(ask_link("u-zhangsan"));
    const std::string author_csrf = csrf_of(get("/app/", author)->body);
    ASSERT_EQ(post_form("/app/revise", "csrf=" + author_csrf + "&number=" + xingfuli, author)->status, 303u);
    ASSERT_NE(post_form("/app/form", weekly_form(author_csrf, "80", "submit"), author)->body.find(xingfuli),
              std::string::npos);
    const auto side = get("/app/desk/report/" + xingfuli, cookie);
    ASSERT_EQ(side->status, 200u) << side->body;
    EXPECT_NE(side->body.find("第 1 版与第 2 版对照"), std::string::npos) << side->body;
    EXPECT_NE(side->body.find("<del>"), std::string::npos) << side->body;
    EXPECT_NE(side->body.find("<ins>"), std::string::npos) << side->body;
    EXPECT_NE(side->body.find("修改后重新提交"), std::string::npos) << "the audit trail";
    // Approve, adopt, adopt again: counted once.
    const auto one = [&](const std::string& rest) {
        return post_form("/app/desk/decide", "csrf=" + csrf + "&n=" + xingfuli + rest, cookie)->body;
    };
    EXPECT_NE(one("&action=approve").find(xingfuli + ":已通过"), std::string::npos);
    const std::string venue =
        "&action=adopt&level=" + test::form_encode("市级") + "&venue=" + test::form_encode("《组工信息》");
    EXPECT_NE(one(venue).find(xingfuli + ":已采用"), std::string::npos);
    EXPECT_NE(one(venue).find("没有重复登记"), std::string::npos);
    EXPECT_EQ(query("SELECT count(*) FROM adoptions"), "1\n");
    // Units compared: the adoption's points in the chart (SVG drawn by the server) and the table;
    // the unit's page with its twelve months.
    const auto units = get("/app/desk/units?span=year", cookie);
    ASSERT_EQ(units->status, 200u) << units->body;
    EXPECT_NE(units->body.find("<svg class=\"chart\""), std::string::npos) << units->body;
    EXPECT_NE(units->body.find(R"(<g><text x="162" y="17" text-anchor="end">幸福里社区</text>)"),
              std::string::npos)
        << units->body;
    EXPECT_NE(units->body.find(R"(<a href="/app/desk/unit/xingfuli">幸福里社区</a>)"), std::string::npos);
    EXPECT_NE(units->body.find(R"(<td class="number">3</td>)"), std::string::npos) << "市级 is 3 points";
    const auto progress = get("/app/desk/progress", cookie);
    ASSERT_EQ(progress->status, 200u) << progress->body;
    EXPECT_NE(progress->body.find("工作进度周报 · "), std::string::npos) << "本期进度";
    EXPECT_NE(progress->body.find("已报送 2/5 个单位"), std::string::npos) << progress->body;
    const auto page = get("/app/desk/unit/xingfuli", cookie);
    ASSERT_EQ(page->status, 200u) << page->body;
    EXPECT_NE(page->body.find("近 12 个月报送篇数"), std::string::npos);
    EXPECT_NE(page->body.find(xingfuli), std::string::npos) << "its reports";

    expect_out_of_reach_of_heping(xingfuli, heping);
    EXPECT_EQ(query("SELECT status FROM reports WHERE number = '" + xingfuli + "'"), "adopted\n");
}

// 分派: a coordinator gives a report's review to another coordinator of its unit, who is told
// privately and finds it under "only those given to me"; no one else can be given it, and no one
// outside the scope can give it.
TEST_F(WebTest, TheDeskGivesAReviewToAnotherCoordinatorOfItsUnitWhoIsToldPrivately) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "加装电梯民生实事"));
    const std::string number = query("SELECT number FROM reports").substr(0, 11);
    const std::string cookie = sign_in(ask_link("u-sunhong"), "/app/desk");
    const auto page = get("/app/desk/report/" + number, cookie);
    ASSERT_EQ(page->status, 200u) << page->body;
    EXPECT_NE(page->body.find(R"(<option value="zhoumin">周敏</option>)"), std::string::npos) << page->body;
    EXPECT_EQ(page->body.find("和平协调员"), std::string::npos) << "not a reviewer of 幸福里社区";
    const std::string csrf = csrf_of(page->body);
    const auto give = [&](const std::string& to, const std::string& c, const std::string& token) {
        return post_form("/app/desk/assign", "csrf=" + token + "&n=" + number + "&to=" + to, c);
    };
    EXPECT_EQ(give("zhoumin", cookie, "guess")->status, 403u);
    const std::size_t sent = fake.requests().size();
    const auto given = give("zhoumin", cookie, csrf);
    EXPECT_NE(given->body.find(number + ":已分派给周敏审核,已私信通知"), std::string::npos) << given->body;
    ASSERT_TRUE(fake.wait_for(sent + 1, 10s));
    const json told = json::parse(fake.requests()[sent].body);
    EXPECT_EQ(told["chat"], "@u-zhoumin") << told;
    EXPECT_NE(told["text"].get<std::string>().find("孙红请您审核 " + number), std::string::npos) << told;
    EXPECT_EQ(
        query("SELECT action || ' ' || actor_id || ' ' || actor_account || ' [' || before || '] ' || after "
              "FROM audit WHERE action = 'report.assigned'"),
        "report.assigned sunhong web:sunhong [] zhoumin\n");
    EXPECT_NE(give("hpcoord", cookie, csrf)->body.find("只能分派给负责这个单位的协调员"), std::string::npos);
    EXPECT_NE(give("zhangsan", cookie, csrf)->body.find("只能分派给负责这个单位的协调员"), std::string::npos);
    EXPECT_EQ(query("SELECT assignee FROM reports"), "zhoumin\n");
    EXPECT_NE(get("/app/desk/report/" + number, cookie)->body.find("审核人:周敏"), std::string::npos);

    const std::string theirs = sign_in(ask_link("u-zhoumin"), "/app/desk");
    EXPECT_NE(get("/app/desk?status=&mine=1", theirs)->body.find(number), std::string::npos);
    EXPECT_EQ(get("/app/desk?status=&mine=1", cookie)->body.find(number), std::string::npos)
        << "not sunhong's";
    const std::string scoped = sign_in(ask_link("u-hpcoord"), "/app/desk");
    const auto refused = give("hpcoord", scoped, csrf_of(get("/app/", scoped)->body));
    EXPECT_NE(refused->body.find(number + ":没有这份报告"), std::string::npos) << refused->body;
    EXPECT_EQ(query("SELECT assignee FROM reports"), "zhoumin\n");
}

// Notices: a coordinator who asked ("notices": "each") is told privately of each report filed in
// their scope, with its number; nobody is told of a report outside their scope.
TEST_F(WebTest, ACoordinatorWhoAskedIsToldPrivatelyOfEachNewReportInTheirScope) {
    std::ifstream in(dir.file("roster.jsonc"));
    std::string text{std::istreambuf_iterator<char>(in), {}};
    const std::string scope = R"("scope": ["heping"],)";
    text.insert(text.find(scope) + scope.size(), R"( "notices": "each",)");
    dir.write("roster.jsonc", text);
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "加装电梯民生实事"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-lisi", "和平街道课后服务"));
    const std::string number = query("SELECT number FROM reports WHERE unit_id = 'heping'").substr(0, 11);
    std::vector<std::string> told;
    for (std::size_t seen = 0; told.empty() && fake.wait_for(seen + 1, 10s); ++seen) {
        const json sent = json::parse(fake.requests()[seen].body);
        if (sent["chat"] == "@u-hpcoord") {
            told.push_back(sent["text"].get<std::string>());
        }
    }
    std::this_thread::sleep_for(300ms);  // nothing more comes for them
    for (const auto& r : fake.requests()) {
        const json sent = json::parse(r.body);
        if (sent["chat"] == "@u-hpcoord" &&
            sent["text"].get<std::string>() != (told.empty() ? "" : told[0])) {
            told.push_back(sent["text"].get<std::string>());
        }
    }
    ASSERT_EQ(told.size(), 1U) << "only 和平街道's report";
    EXPECT_EQ(
        told[0].rfind("【新报告】和平街道 李四 报送《和平街道课后服务》(工作进度周报),编号 " + number, 0), 0U)
        << told[0];
}

// What a coordinator does in chat is on the desk too: 催报 from 本期进度 and 周报, through the same
// use cases (the same audit entry, the same cooldown).
TEST_F(WebTest, TheDeskRemindsFromThisPeriodAndShowsTheDigest) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "加装电梯民生实事"));
    const std::string cookie = sign_in(ask_link("u-sunhong"), "/app/desk");
    const auto progress = get("/app/desk/progress", cookie);
    ASSERT_EQ(progress->status, 200u) << progress->body;
    EXPECT_NE(progress->body.find(R"(action="/app/desk/remind")"), std::string::npos) << progress->body;
    const std::string csrf = csrf_of(progress->body);
    EXPECT_EQ(post_form("/app/desk/remind", "csrf=guess&t=weekly_progress", cookie)->status, 403u);
    const auto reminded = post_form("/app/desk/remind", "csrf=" + csrf + "&t=weekly_progress", cookie);
    EXPECT_NE(reminded->body.find("已催报《工作进度周报》"), std::string::npos) << reminded->body;
    EXPECT_NE(post_form("/app/desk/remind", "csrf=" + csrf + "&t=weekly_progress", cookie)
                  ->body.find("刚刚已催报过"),
              std::string::npos)
        << "twice in a row: the cooldown, as in chat";
    EXPECT_EQ(query("SELECT actor_account, action, target FROM audit WHERE action = 'remind.manual'"),
              "web:sunhong|remind.manual|web\n");
    const auto digest = get("/app/desk/digest", cookie);
    ASSERT_EQ(digest->status, 200u);
    EXPECT_NE(digest->body.find("【联络工作周报】"), std::string::npos) << digest->body;
    EXPECT_EQ(digest->body.find("■"), std::string::npos) << "the page's own headings: " << digest->body;
    EXPECT_EQ(digest->body.find("<li>· "), std::string::npos) << "the page's own bullets: " << digest->body;
}

// 绑定申请 on the desk: the same rule as 同意绑定 in chat, the same audit entries, the requester told
// where they asked; a scoped coordinator sees and decides only requests for officers of their scope.
TEST_F(WebTest, TheDeskDecidesBindingRequestsWithinTheScope) {
    std::ifstream in(config);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    const std::string scheduler = R"("scheduler": { "enabled": false },)";
    text.insert(text.find(scheduler) + scheduler.size(), R"( "conversation": { "allow_binding": true },)");
    dir.write("liaison.jsonc", text);
    // Two officers with no account on the bot yet: 周六 of 幸福里社区, 吴七 of 和平街道.
    std::ifstream roster_in(dir.file("roster.jsonc"));
    std::string roster{std::istreambuf_iterator<char>(roster_in), {}};
    const std::string people = R"("people": [)";
    roster.insert(roster.find(people) + people.size(),
                  R"({ "id": "zhouliu", "name": "周六", "unit": "xingfuli" },
                     { "id": "wuqi", "name": "吴七", "unit": "heping" },)");
    dir.write("roster.jsonc", roster);
    ASSERT_NO_FATAL_FAILURE(start());
    const std::string cookie = sign_in(ask_link("u-sunhong"), "/app/desk");
    const std::string csrf = csrf_of(get("/app/desk/progress", cookie)->body);
    // Two strangers ask to be 周六 (幸福里社区) and 吴七 (和平街道).
    EXPECT_NE(say("u-new1", "@联络员助手 绑定 周六").find("B1"), std::string::npos);
    EXPECT_NE(say("u-new2", "@联络员助手 绑定 吴七").find("B2"), std::string::npos);
    const std::string scoped = sign_in(ask_link("u-hpcoord"), "/app/desk");
    const auto theirs = get("/app/desk/bindings", scoped);
    EXPECT_NE(theirs->body.find("吴七"), std::string::npos) << theirs->body;
    EXPECT_EQ(theirs->body.find("周六"), std::string::npos) << "an officer outside the scope";
    const std::string scoped_csrf = csrf_of(theirs->body);
    EXPECT_NE(post_form("/app/desk/binding", "csrf=" + scoped_csrf + "&id=1&action=approve", scoped)
                  ->body.find("没有找到绑定申请「B1」"),
              std::string::npos);
    EXPECT_NE(post_form("/app/desk/binding", "csrf=" + scoped_csrf + "&id=2&action=approve", scoped)
                  ->body.find("已同意 B2"),
              std::string::npos);
    EXPECT_NE(post_form("/app/desk/binding", "csrf=" + csrf + "&id=1&action=refuse", cookie)
                  ->body.find("已拒绝 B1"),
              std::string::npos);
    EXPECT_NE(
        post_form("/app/desk/binding", "csrf=" + csrf + "&id=1&action=approve", cookie)->body.find("已拒绝"),
        std::string::npos)
        << "decided already: said so, nothing changes";
    EXPECT_EQ(query("SELECT actor_account, action, target FROM audit "
                    "WHERE action IN ('binding.approved', 'binding.refused') ORDER BY id"),
              "web:hpcoord|binding.approved|B2\nweb:sunhong|binding.refused|B1\n");
    // The requesters are told in the group where they asked.
    std::string told;
    for (std::size_t seen = 0;
         (told.find("B1") == std::string::npos || told.find("B2") == std::string::npos) &&
         fake.wait_for(seen + 1, 10s);
         ++seen) {
        told += json::parse(fake.requests()[seen].body)["text"].get<std::string>() + "\n";
    }
    EXPECT_NE(told.find("您的绑定申请 B2 已通过"), std::string::npos) << told;
    EXPECT_NE(told.find("B1"), std::string::npos) << told;
}

}  // namespace
}  // namespace bot
