// The admin API (/api/v1) through the built binary: reports filed in chat through the webhook bot,
// then listed, read, decided, ranked, exported and audited over HTTP with tokens of each scope —
// and the roster reloaded by POST and by SIGHUP, a bad file refused with the old roster kept.
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <date/date.h>
#include <fstream>
#include <signal.h>
#include <thread>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kSecret = "admin-api-test-secret";
const std::string kAdmin = "admin-token-0123456789abcdef";
const std::string kRead = "read-token-0123456789abcdef";
const std::string kHeping = "heping-token-0123456789abcdef";
const std::string kReviewer = "reviewer-token-0123456789abcdef";

/// A district (quwei) with a street (heping) that has a community below it (xingfuli), and a
/// school. 刘主任 coordinates the street's subtree; 孙红 every unit.
std::string roster_text(const std::string& extra_unit = "") {
    return R"({
      "units": [ { "id": "quwei", "name": "区委组织部" },
                 { "id": "heping", "name": "和平街道", "parent": "quwei" },
                 { "id": "xingfuli", "name": "幸福里社区", "parent": "heping" },
                 { "id": "school", "name": "城东中学党支部", "parent": "quwei" })" +
           extra_unit + R"( ],
      "people": [
        { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [{ "bot": "demo", "user": "u-zhangsan" }] },
        { "id": "wangwu", "name": "王五", "unit": "school", "accounts": [{ "bot": "demo", "user": "u-wangwu" }] },
        { "id": "liu", "name": "刘主任", "role": "coordinator", "scope": ["heping"],
          "accounts": [{ "bot": "demo", "user": "u-liu" }] },
        { "id": "sunhong", "name": "孙红", "role": "coordinator", "accounts": [{ "bot": "demo", "user": "u-sunhong" }] } ],
      "chats": [ { "id": "demo-group", "bot": "demo", "units": ["*"], "templates": ["*"] } ]
    })";
}

class AdminApiTest : public ::testing::Test {
protected:
    AdminApiTest() {
        const std::string src = LIAISON_SOURCE_DIR;
        roster = dir.write("roster.jsonc", roster_text());
        config = dir.write("liaison.jsonc",
                           R"({
            "server": { "listen": "127.0.0.1:0" },
            "store": { "path": ")" +
                               db() + R"(" },
            "templates_dir": ")" +
                               src + R"(/templates/data",
            "roster": ")" + roster +
                               R"(",
            "calendar": ")" + src +
                               R"(/seeds/calendar-cn.jsonc",
            "bots": [ { "id": "demo", "platform": "webhook", "secret": "${T_BOT}",
                        "callback_url": ")" +
                               fake.base_url() + R"(/liaison" } ],
            "scheduler": { "enabled": false },
            "api": { "token": "${T_ADMIN}", "tokens": [
              { "name": "dashboard", "token": "${T_READ}", "scopes": ["read"] },
              { "name": "heping-lead", "token": "${T_HEPING}", "scopes": ["review"], "person": "liu" },
              { "name": "reviewer", "token": "${T_REVIEWER}", "scopes": ["review"] } ] }
        })");
    }
    ~AdminApiTest() override {
        if (child) {
            child->signal(SIGTERM);
            child->wait(10s);
        }
    }
    std::string db() const { return dir.file("data/liaison.db"); }
    std::string log() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }
    void start() {
        child = std::make_unique<test::Child>(kExe,
                                              std::vector<std::string>{"serve", "--config", config},
                                              std::vector<std::string>{"T_BOT=" + kSecret,
                                                                       "T_ADMIN=" + kAdmin,
                                                                       "T_READ=" + kRead,
                                                                       "T_HEPING=" + kHeping,
                                                                       "T_REVIEWER=" + kReviewer},
                                              dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        ASSERT_TRUE(line) << log();
        port = test::port_from_banner(*line);
    }
    /// One chat message through the signed webhook; the bot's replies, joined.
    std::string say(const std::string& user, const std::string& name, const std::string& text) {
        const json body{{"event_id", "e" + std::to_string(++events)},
                        {"chat", "demo-group"},
                        {"user", user},
                        {"user_name", name},
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
    /// A weekly progress report filed in chat by `user`.
    void file_weekly(const std::string& user, const std::string& name, const std::string& task) {
        say(user, name, "@联络员助手 填报 工作进度周报");
        say(user, name, task);
        say(user, name, "60%");
        say(user, name, "推进中");
        say(user, name, "完成土建,启动安装");
        say(user, name, "跳过");
        const auto done = say(user, name, "提交");
        ASSERT_NE(done.find("R-"), std::string::npos) << done;
    }
    std::optional<test::Response> api(const std::string& token,
                                      std::string_view method,
                                      std::string_view target,
                                      std::string_view body = {}) {
        std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) {
            headers.emplace_back("Authorization", "Bearer " + token);
        }
        return test::request(port, method, target, body, headers);
    }
    /// The answer's JSON, expecting `status`.
    json call(const std::string& token,
              std::string_view method,
              std::string_view target,
              unsigned status,
              std::string_view body = {}) {
        const auto r = api(token, method, target, body);
        if (!r) {
            ADD_FAILURE() << method << " " << target << ": no answer";
            return {};
        }
        EXPECT_EQ(r->status, status) << method << " " << target << " " << body << " → " << r->body;
        auto j = json::parse(r->body, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << r->body;
        return j;
    }
    /// The error code of a refused call.
    std::string code(const std::string& token,
                     std::string_view method,
                     std::string_view target,
                     unsigned status,
                     std::string_view body = {}) {
        const json j = call(token, method, target, status, body);
        return j.contains("error") && j["error"].is_object() ? j["error"].value("code", "")
                                                             : "(no error code) " + j.dump();
    }

    test::TempDir dir;
    test::FakePlatform fake;
    std::string roster;
    std::string config;
    std::unique_ptr<test::Child> child;
    std::uint16_t port = 0;
    int events = 0;
    const std::string year = std::to_string(static_cast<int>(
        date::year_month_day{date::floor<date::days>(std::chrono::system_clock::now() + 8h)}.year()));
    const std::string r1 = "R-" + year + "-0001";  // 张三's, in 刘主任's scope
    const std::string r2 = "R-" + year + "-0002";  // 王五's, outside it
};

/// The whole API cycle, in the order it happens: each part checks what it did.
class AdminApiCycle : public AdminApiTest {
protected:
    /// Authentication and scopes: 401 without a valid token (whatever the path), 403 without the scope.
    void authentication_and_scopes() {
        // Authentication and scopes: 401 without a valid token (whatever the path), 403 without the scope.
        EXPECT_EQ(code("", "GET", "/api/v1/reports", 401), "unauthorized");
        EXPECT_EQ(code("wrong-token-0123456789abcdef", "GET", "/api/v1/nowhere", 401), "unauthorized");
        EXPECT_EQ(code(kRead, "POST", "/api/v1/reports/" + r1 + "/approve", 403), "forbidden");
        EXPECT_EQ(code(kRead, "GET", "/api/v1/audit", 403), "forbidden");
        EXPECT_EQ(code(kReviewer, "POST", "/api/v1/roster/reload", 403), "forbidden");
        EXPECT_EQ(code(kRead, "GET", "/api/v1/nowhere", 404), "not_found");
        const auto wrong_method = api(kAdmin, "DELETE", "/api/v1/audit");
        ASSERT_TRUE(wrong_method);
        EXPECT_EQ(wrong_method->status, 405u);
        EXPECT_EQ(wrong_method->header("allow"), "GET") << "the audit log has no way to change it";
    }

    /// The list, a page at a time, its filters and their errors.
    void the_list_a_page_at_a_time() {
        // The list, a page at a time.
        json all = call(kRead, "GET", "/api/v1/reports", 200);
        ASSERT_EQ(all["reports"].size(), 2u) << all;
        EXPECT_EQ(all["reports"][0]["number"], r1);
        EXPECT_EQ(all["reports"][0]["unit"]["name"], "幸福里社区");
        EXPECT_EQ(all["reports"][0]["status"], "submitted");
        EXPECT_EQ(all["reports"][0]["fields"]["task"], "加装电梯民生实事");
        EXPECT_TRUE(all["next"].is_null());
        json page = call(kRead, "GET", "/api/v1/reports?limit=1", 200);
        ASSERT_EQ(page["reports"].size(), 1u);
        ASSERT_TRUE(page["next"].is_string());
        page = call(kRead, "GET", "/api/v1/reports?limit=1&after=" + page["next"].get<std::string>(), 200);
        ASSERT_EQ(page["reports"].size(), 1u);
        EXPECT_EQ(page["reports"][0]["number"], r2);
        EXPECT_EQ(call(kRead, "GET", "/api/v1/reports?unit=heping", 200)["reports"].size(), 1u)
            << "a subtree";
        EXPECT_EQ(call(kRead,
                       "GET",
                       "/api/v1/reports?unit=school&status=submitted&template=weekly_progress",
                       200)["reports"][0]["number"],
                  r2);
        for (const std::string bad : {"limit=0",
                                      "limit=abc",
                                      "limit=201",
                                      "after=-1",
                                      "status=lost",
                                      "unit=mars",
                                      "template=nope",
                                      "from=someday",
                                      "from=2026-11-30&to=2026-11-01",
                                      "evil=1"}) {
            EXPECT_EQ(code(kRead, "GET", "/api/v1/reports?" + bad, 400), "bad_request") << bad;
        }
        EXPECT_EQ(api(kRead, "GET", "/api/v1/reports?after=%ZZ")->status, 400u)
            << "refused by the server itself";
    }

    /// 刘主任's token sees and decides only the street's subtree; a return reaches the author.
    void a_scoped_token_and_a_return() {
        // 刘主任's token sees and decides only the street's subtree.
        json scoped = call(kHeping, "GET", "/api/v1/reports", 200);
        ASSERT_EQ(scoped["reports"].size(), 1u);
        EXPECT_EQ(scoped["reports"][0]["number"], r1);
        EXPECT_EQ(code(kHeping, "GET", "/api/v1/reports/" + r2, 404), "report_not_found");
        EXPECT_EQ(code(kHeping, "GET", "/api/v1/reports?unit=school", 403), "out_of_scope");
        EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r2 + "/approve", 404), "report_not_found");
        EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/R-1999-0001/approve", 404), "report_not_found");
        EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r1 + "/publish", 404), "not_found");

        // A return needs a comment; it reaches the author through the outbox.
        EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r1 + "/return", 400), "comment_required");
        for (const std::string bad : {"[1]", "{\"comment\": 3}", "{\"comment\": \"x\", \"more\": 1}", "{"}) {
            EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r1 + "/return", 400, bad), "bad_request")
                << bad;
        }
        const std::size_t before = fake.requests().size();
        json returned = call(kHeping,
                             "POST",
                             "/api/v1/reports/" + r1 + "/return",
                             200,
                             R"({"comment": "请补充 <b>具体</b> 数据"})");
        EXPECT_EQ(returned["status"], "returned");
        ASSERT_TRUE(fake.wait_for(before + 1, 10s)) << log();
        const json notice = json::parse(fake.requests().back().body);
        EXPECT_EQ(notice["chat"], "@u-zhangsan") << "privately: the webhook bot can message people";
        EXPECT_EQ(notice["direct"], true);
        EXPECT_EQ(notice["mention"]["user"], "u-zhangsan");
        EXPECT_NE(notice["text"].get<std::string>().find("意见:请补充 <b>具体</b> 数据"), std::string::npos)
            << notice;
        const json again =
            call(kHeping, "POST", "/api/v1/reports/" + r1 + "/return", 409, R"({"comment": "再退"})");
        EXPECT_EQ(again["error"]["code"], "illegal_transition");
        EXPECT_NE(again["error"]["message"].get<std::string>().find("已退回"), std::string::npos) << again;
    }

    /// An unscoped reviewer approves and adopts; one report in full; the rankings.
    void approval_adoption_and_one_report() {
        // An unscoped reviewer approves and adopts the school's report; an unknown level is refused.
        EXPECT_EQ(code(kReviewer, "POST", "/api/v1/reports/" + r2 + "/adopt", 409, R"({"level": "市级"})"),
                  "illegal_transition")
            << "adopted only once approved";
        EXPECT_EQ(call(kReviewer, "POST", "/api/v1/reports/" + r2 + "/approve", 200)["status"], "approved");
        EXPECT_EQ(code(kReviewer, "POST", "/api/v1/reports/" + r2 + "/adopt", 400, R"({"level": "宇宙级"})"),
                  "unknown_level");
        json adopted = call(kReviewer,
                            "POST",
                            "/api/v1/reports/" + r2 + "/adopt",
                            200,
                            R"({"level": "市级", "venue": "《组工信息》第12期"})");
        EXPECT_EQ(adopted["points"], 3);

        // One report in full: revisions, adoptions and its audit trail with who did what.
        json one = call(kRead, "GET", "/api/v1/reports/" + r2, 200);
        EXPECT_EQ(one["status"], "adopted");
        ASSERT_EQ(one["revisions"].size(), 1u);
        EXPECT_EQ(one["revisions"][0]["fields"]["task"], "课后服务提质增效");
        ASSERT_EQ(one["adoptions"].size(), 1u);
        EXPECT_EQ(one["adoptions"][0]["venue"], "《组工信息》第12期");
        ASSERT_EQ(one["audit"].size(), 3u) << one["audit"];
        EXPECT_EQ(one["audit"][0]["action"], "report.submitted");
        EXPECT_EQ(one["audit"][0]["account"], "demo:u-wangwu");
        EXPECT_EQ(one["audit"][2]["action"], "report.adopted");
        EXPECT_EQ(one["audit"][2]["account"], "api:reviewer");
        EXPECT_FALSE(one["audit"][2]["request_id"].get<std::string>().empty());
        EXPECT_EQ(call(kRead, "GET", "/api/v1/reports/" + r1, 200)["audit"][1]["actor"], "liu");

        // Rankings: the school first with its 3 points; 刘主任 compares only the units of the street.
        json ranks = call(kRead, "GET", "/api/v1/rankings?span=year", 200);
        ASSERT_GE(ranks["units"].size(), 4u);
        EXPECT_EQ(ranks["units"][0]["id"], "school");
        EXPECT_EQ(ranks["units"][0]["points"], 3);
        EXPECT_EQ(ranks["units"][0]["adopted_by_level"]["市级"], 1);
        EXPECT_EQ(call(kHeping, "GET", "/api/v1/rankings", 200)["units"].size(), 2u);
        EXPECT_EQ(code(kRead, "GET", "/api/v1/rankings?span=decade", 400), "bad_request");
    }

    /// Exports scoped like the list, and the audit log a page at a time.
    void exports_and_the_audit_log() {
        // Exports: a CSV for spreadsheets, scoped like the list, each recorded in the audit log.
        const auto csv =
            api(kRead, "GET", "/api/v1/export/reports.csv?from=" + year + "-01-01&to=" + year + "-12-31");
        ASSERT_TRUE(csv);
        ASSERT_EQ(csv->status, 200u) << csv->body;
        EXPECT_EQ(csv->header("content-type"), "text/csv; charset=utf-8");
        EXPECT_NE(csv->header("content-disposition").find("attachment; filename=\"reports-"),
                  std::string::npos);
        EXPECT_EQ(csv->body.substr(0, 3), "\xEF\xBB\xBF");
        EXPECT_NE(csv->body.find("课后服务提质增效"), std::string::npos);
        // The same as a workbook (tests/unit/export_test.cpp reads one back with openpyxl).
        const auto book =
            api(kRead, "GET", "/api/v1/export/reports.xlsx?from=" + year + "-01-01&to=" + year + "-12-31");
        ASSERT_TRUE(book);
        ASSERT_EQ(book->status, 200u) << book->body;
        EXPECT_EQ(book->header("content-type"),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        EXPECT_NE(book->header("content-disposition").find(".xlsx\""), std::string::npos);
        EXPECT_EQ(book->body.substr(0, 2), "PK");
        const auto mine = api(kHeping, "GET", "/api/v1/export/reports.csv?from=" + year + "-01-01");
        ASSERT_TRUE(mine);
        EXPECT_EQ(mine->body.find("课后服务提质增效"), std::string::npos) << "outside 刘主任's scope";
        EXPECT_NE(mine->body.find("加装电梯民生实事"), std::string::npos);
        const auto stats = api(kRead, "GET", "/api/v1/export/stats.csv?from=" + year + "-01-01");
        ASSERT_TRUE(stats);
        EXPECT_EQ(stats->status, 200u);
        EXPECT_EQ(code(kRead, "GET", "/api/v1/export/everything.csv", 404), "not_found");
        EXPECT_EQ(code(kRead, "GET", "/api/v1/export/stats.csv?status=approved", 400), "bad_request");

        // The audit log, a page at a time (admin only).
        json audit = call(kAdmin, "GET", "/api/v1/audit?limit=3", 200);
        ASSERT_EQ(audit["entries"].size(), 3u);
        EXPECT_EQ(audit["entries"][1]["action"], "report.submitted");
        EXPECT_EQ(audit["entries"][2]["action"], "report.returned");
        json rest =
            call(kAdmin, "GET", "/api/v1/audit?limit=100&after=" + audit["next"].get<std::string>(), 200);
        std::string actions;
        for (const auto& e : rest["entries"]) {
            actions += e["action"].get<std::string>() + " ";
        }
        EXPECT_EQ(actions, "report.approved report.adopted export.reports export.reports export.stats ");
        EXPECT_EQ(call(kAdmin, "GET", "/api/v1/audit?target=" + r1, 200)["entries"].size(), 2u);
    }
};

TEST_F(AdminApiCycle, ReportsAreListedReadDecidedRankedExportedAndAuditedByScope) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "张三", "加装电梯民生实事"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-wangwu", "王五", "课后服务提质增效"));
    ASSERT_NO_FATAL_FAILURE(authentication_and_scopes());
    ASSERT_NO_FATAL_FAILURE(the_list_a_page_at_a_time());
    ASSERT_NO_FATAL_FAILURE(a_scoped_token_and_a_return());
    ASSERT_NO_FATAL_FAILURE(approval_adoption_and_one_report());
    ASSERT_NO_FATAL_FAILURE(exports_and_the_audit_log());
}

TEST_F(AdminApiTest, EveryEndpointAnswersAPersonBoundTokenWithinItsScopeOnly) {
    ASSERT_NO_FATAL_FAILURE(start());
    // Before anyone reports: the board counts the scope's units, and 催报 the scope's missing ones.
    const json status = call(kHeping, "GET", "/api/v1/status?template=weekly_progress", 200);
    ASSERT_EQ(status["templates"].size(), 1u);
    int missing = 0;
    for (const auto& u : status["templates"][0]["units"]) {
        EXPECT_TRUE(u["id"] == "heping" || u["id"] == "xingfuli") << u;
        missing += u["state"] == "missing" ? 1 : 0;
    }
    ASSERT_GT(missing, 0);
    // 先进典型推荐 has no quota: no unit owes it.
    const json nominations = call(kAdmin, "GET", "/api/v1/status?template=exemplar", 200);
    for (const auto& u : nominations["templates"][0]["units"]) {
        EXPECT_EQ(u["state"], "not_owed") << u;
    }
    EXPECT_EQ(status["templates"][0]["expected"].get<int>() - status["templates"][0]["done"].get<int>(),
              missing);
    const json reminded = call(kHeping, "POST", "/api/v1/remind", 200, R"({"template": "weekly_progress"})");
    ASSERT_EQ(reminded["summary"].size(), 1u) << reminded;
    EXPECT_NE(reminded["summary"][0].get<std::string>().find("(" + std::to_string(missing) + " 个单位未报)"),
              std::string::npos)
        << reminded << " for " << missing << " missing";
    EXPECT_EQ(reminded["people"], 1) << "张三 only";

    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "张三", "加装电梯民生实事"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-wangwu", "王五", "课后服务提质增效"));
    // What lies outside 刘主任's scope (the school, its officer, its report) appears in no answer;
    // `asked`: the number the client sent, which an answer may repeat.
    const auto outside = [&](const std::string& what,
                             const std::string& body,
                             const std::string& asked = "") {
        for (const std::string& word :
             std::vector<std::string>{"school", "城东中学", "王五", "wangwu", r2, "课后服务"}) {
            if (word != asked) {
                EXPECT_EQ(body.find(word), std::string::npos) << what << " tells «" << word << "»: " << body;
            }
        }
    };
    for (const std::string target : {"/api/v1/status",
                                     "/api/v1/reports",
                                     "/api/v1/rankings",
                                     "/api/v1/roster",
                                     "/api/v1/export/reports.csv",
                                     "/api/v1/export/stats.csv"}) {
        const auto r = api(kHeping, "GET", target);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200u) << target << ": " << r->body;
        outside("GET " + target, r->body);
    }
    // A report outside the scope is not found, exactly like one that does not exist.
    for (const std::string& number : {r2, std::string("R-1999-0001")}) {
        const auto shown = api(kHeping, "GET", "/api/v1/reports/" + number);
        ASSERT_TRUE(shown);
        EXPECT_EQ(shown->status, 404u);
        EXPECT_EQ(json::parse(shown->body)["error"]["code"], "report_not_found");
        outside("GET a report", shown->body, number);
        for (const std::string decision : {"approve", "return", "adopt"}) {
            const auto r = api(kHeping, "POST", "/api/v1/reports/" + number + "/" + decision, R"({})");
            ASSERT_TRUE(r);
            EXPECT_EQ(r->status, 404u) << decision << " " << number << ": " << r->body;
            outside(decision, r->body, number);
        }
    }
    // Repeated exports by one token are recorded once per ten minutes, the repeats counted.
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(api(kRead, "GET", "/api/v1/export/reports.csv")->status, 200u);
    }
    EXPECT_EQ(test::query(db(),
                          "SELECT count(*) FROM audit WHERE action = 'export.reports' AND actor_account LIKE "
                          "'%dashboard%'"),
              "1\n")
        << test::query(db(), "SELECT actor_account, action, target FROM audit");
    // The scheme is case-insensitive (RFC 9110 §11.1).
    const auto lower =
        test::request(port, "GET", "/api/v1/status", "", {{"Authorization", "bEaReR " + kHeping}});
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->status, 200u);
    // Through chat, the same person's 进度 and 查看 keep to the same units.
    outside("chat 进度", say("u-liu", "刘主任", "@联络员助手 进度 工作进度周报"));
    outside("chat 查看", say("u-liu", "刘主任", "@联络员助手 查看 " + r2), r2);
    outside("chat 通过", say("u-liu", "刘主任", "@联络员助手 通过 " + r2), r2);
}

// 分派 in chat and through the API: one use case, the same rule (a coordinator of the report's unit,
// within the giver's scope), the same audit entry, the reviewer told privately at the platform.
TEST_F(AdminApiTest, AReviewIsGivenInChatAndThroughTheApiWithOneRuleAndOneAuditEntry) {
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-zhangsan", "张三", "加装电梯民生实事"));
    ASSERT_NO_FATAL_FAILURE(file_weekly("u-wangwu", "王五", "课后服务提质增效"));
    std::size_t before = fake.requests().size();
    EXPECT_NE(say("u-sunhong", "孙红", "@联络员助手 分派 " + r1 + " 刘主任")
                  .find(r1 + ":已分派给刘主任审核,已私信通知"),
              std::string::npos);
    ASSERT_TRUE(fake.wait_for(before + 1, 10s)) << log();
    json told = json::parse(fake.requests().back().body);
    EXPECT_EQ(told["chat"], "@u-liu");
    EXPECT_NE(told["text"].get<std::string>().find("孙红请您审核 " + r1), std::string::npos) << told;
    // Outside the giver's scope as if absent; to an officer, or to a coordinator of another unit, refused.
    EXPECT_NE(say("u-liu", "刘主任", "@联络员助手 分派 " + r2 + " 孙红").find(r2 + ":没有这份报告"),
              std::string::npos);
    EXPECT_NE(
        say("u-sunhong", "孙红", "@联络员助手 分派 " + r2 + " 刘主任").find("只能分派给负责这个单位的协调员"),
        std::string::npos);
    EXPECT_NE(
        say("u-sunhong", "孙红", "@联络员助手 分派 " + r1 + " 张三").find("只能分派给负责这个单位的协调员"),
        std::string::npos);
    EXPECT_NE(say("u-sunhong", "孙红", "@联络员助手 ASSIGN " + r1).find("分派 编号 协调员"),
              std::string::npos)
        << "mixed case, without a reviewer: how to";
    EXPECT_NE(say("u-zhangsan", "张三", "@联络员助手 分派 " + r1 + " 刘主任").find("仅限组织部门使用"),
              std::string::npos)
        << "officers do not give reviews";
    // Through the API: a token bound to nobody gives it back to 孙红; 刘主任's token cannot reach r2.
    before = fake.requests().size();
    const json given =
        call(kReviewer, "POST", "/api/v1/reports/" + r1 + "/assign", 200, R"({"to": "sunhong"})");
    EXPECT_EQ(given["assignee"], "sunhong");
    EXPECT_EQ(given["reviewer_told"], true);
    ASSERT_TRUE(fake.wait_for(before + 1, 10s)) << log();
    told = json::parse(fake.requests().back().body);
    EXPECT_EQ(told["chat"], "@u-sunhong");
    EXPECT_NE(told["text"].get<std::string>().find("reviewer请您审核 " + r1), std::string::npos) << told;
    EXPECT_EQ(
        call(kReviewer, "POST", "/api/v1/reports/" + r1 + "/assign", 200, R"({"to": "sunhong"})")["repeat"],
        true)
        << "twice in a row: nothing changes, nobody is told again";
    EXPECT_NE(
        say("u-liu", "刘主任", "@联络员助手 分派 " + r1 + " 孙红").find("已分派给孙红审核,无需重复分派"),
        std::string::npos);
    EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r2 + "/assign", 404, R"({"to": "liu"})"),
              "report_not_found");
    EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r1 + "/assign", 400, R"({"to": "zhangsan"})"),
              "not_a_reviewer");
    for (const std::string bad : {"{}", R"({"to": 3})", R"({"to": "liu", "more": 1})", "["}) {
        EXPECT_EQ(code(kHeping, "POST", "/api/v1/reports/" + r1 + "/assign", 400, bad), "bad_request") << bad;
    }
    EXPECT_EQ(code(kRead, "POST", "/api/v1/reports/" + r1 + "/assign", 403, R"({"to": "liu"})"), "forbidden");
    EXPECT_EQ(test::query(db(),
                          "SELECT actor_account, before, after FROM audit WHERE action = 'report.assigned' "
                          "ORDER BY id"),
              "demo:u-sunhong||liu\napi:reviewer|liu|sunhong\n");
}

TEST_F(AdminApiTest, EveryEndpointRefusesAMissingTokenAndATokenWithoutItsScope) {
    ASSERT_NO_FATAL_FAILURE(start());
    struct Endpoint {
        std::string method, target, scope;
    };
    const std::vector<Endpoint> endpoints{
        {"GET", "/api/v1/status", "read"},
        {"GET", "/api/v1/reports", "read"},
        {"GET", "/api/v1/reports/R-2026-0001", "read"},
        {"GET", "/api/v1/rankings", "read"},
        {"GET", "/api/v1/roster", "read"},
        {"GET", "/api/v1/export/reports.csv", "read"},
        {"GET", "/api/v1/export/stats.csv", "read"},
        {"POST", "/api/v1/reports/R-2026-0001/approve", "review"},
        {"POST", "/api/v1/reports/R-2026-0001/return", "review"},
        {"POST", "/api/v1/reports/R-2026-0001/adopt", "review"},
        {"POST", "/api/v1/reports/R-2026-0001/assign", "review"},
        {"POST", "/api/v1/remind", "review"},
        {"POST", "/api/v1/digest", "admin"},
        {"POST", "/api/v1/roster/reload", "admin"},
        {"GET", "/api/v1/audit", "admin"},
    };
    const auto rank = [](const std::string& scope) {
        return scope == "read" ? 1 : scope == "review" ? 2 : 3;
    };
    for (const auto& e : endpoints) {
        EXPECT_EQ(code("", e.method, e.target, 401), "unauthorized") << e.target;
        EXPECT_EQ(code("Bearer-but-wrong-0123456789", e.method, e.target, 401), "unauthorized") << e.target;
        for (const auto& [token, scope] : {std::pair{kRead, "read"}, std::pair{kReviewer, "review"}}) {
            if (rank(scope) < rank(e.scope)) {
                EXPECT_EQ(code(token, e.method, e.target, 403), "forbidden") << e.method << " " << e.target;
            } else {
                const auto r = api(token, e.method, e.target);
                ASSERT_TRUE(r);
                EXPECT_NE(r->status, 403u)
                    << scope << " may " << e.method << " " << e.target << ": " << r->body;
            }
        }
    }
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM outbox WHERE text LIKE '【联络工作周报】%'"), "0\n")
        << "no digest was posted: only refused tokens asked";
    EXPECT_EQ(test::query(db(), "SELECT count(*) FROM audit WHERE action LIKE 'roster.%'"), "0\n");
}

TEST_F(AdminApiTest, TheRosterReloadsByPostAndBySighupAndABadFileKeepsTheOldOne) {
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_EQ(call(kRead, "GET", "/api/v1/roster", 200)["units"].size(), 4u);
    EXPECT_EQ(call(kHeping, "GET", "/api/v1/roster", 200)["units"].size(), 2u) << "the street and below";

    // A broken file: refused with every problem, the old roster stays, the attempt is audited.
    dir.write("roster.jsonc", R"({ "units": [ { "id": "a", "name": "A", "parent": "b" } ], "people": 3 })");
    json refused = call(kAdmin, "POST", "/api/v1/roster/reload", 422);
    EXPECT_EQ(refused["error"]["code"], "roster_invalid");
    EXPECT_GE(refused["problems"].size(), 2u) << refused;
    EXPECT_EQ(call(kRead, "GET", "/api/v1/roster", 200)["units"].size(), 4u);
    // A roster in which 刘主任 is no longer there is refused too: a token acts as him.
    dir.write("roster.jsonc", R"({ "units": [ { "id": "a", "name": "A" } ], "people": [] })");
    refused = call(kAdmin, "POST", "/api/v1/roster/reload", 422);
    EXPECT_NE(refused["problems"].dump().find("heping-lead"), std::string::npos) << refused;

    // A good one is swapped in: the chat sees the new unit at once.
    dir.write("roster.jsonc",
              roster_text(R"(, { "id": "newtown", "name": "新城社区", "parent": "heping" })"));
    json reloaded = call(kAdmin, "POST", "/api/v1/roster/reload", 200);
    EXPECT_EQ(reloaded["units"], 5);
    EXPECT_EQ(call(kHeping, "GET", "/api/v1/roster", 200)["units"].size(), 3u) << "newtown is below heping";
    EXPECT_NE(say("u-sunhong", "孙红", "@联络员助手 进度").find("新城社区"), std::string::npos);

    // SIGHUP does the same.
    dir.write("roster.jsonc", roster_text(R"(, { "id": "oldtown", "name": "老城社区", "parent": "quwei" })"));
    child->signal(SIGHUP);
    bool seen = false;
    for (int i = 0; i < 100 && !seen; ++i) {
        seen = call(kRead, "GET", "/api/v1/roster", 200).dump().find("老城社区") != std::string::npos;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(seen) << log();
    EXPECT_NE(log().find("roster_reloaded"), std::string::npos) << log();
    EXPECT_EQ(
        test::query(
            db(),
            "SELECT action || ' ' || actor_account FROM audit WHERE action LIKE 'roster.%' ORDER BY id"),
        "roster.reload_refused api:default\nroster.reload_refused api:default\nroster.reloaded api:default\n"
        "roster.reloaded signal\n");
}

}  // namespace
}  // namespace bot
