// The built liaison-bot under load, as an operator meets it: killed with SIGKILL while officers are
// filing reports through Feishu, and backed up while it serves. Officers are threads that file
// weekly reports step by step and send each message again until it is acknowledged, as a platform
// retries an event it got no answer for. The fake platform stands for Feishu's send API, which
// takes a `uuid` and sends a message at most once per uuid.
#include "tests/support/fake_platform.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <signal.h>
#include <sstream>
#include <thread>

namespace bot {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

const std::string kExe = LIAISON_BOT_EXE;
const std::string kEncryptKey = "operations-test-encrypt-key";
const std::string kVerificationToken = "operations-test-token";
constexpr int kOfficers = 6;
constexpr int kRounds = 3;

std::string officer(int i) {
    return "p" + std::to_string(i);
}
std::string chat_of(int i) {
    return i % 2 == 0 ? "oc_even" : "oc_odd";
}
std::string title_of(int officer_index, int round) {
    return "老旧小区加装电梯 " + officer(officer_index) + " 第" + std::to_string(round) + "轮";
}

/// One weekly report, message by message.
std::vector<std::string> report_steps(int officer_index, int round) {
    return {"填报 工作进度周报",
            title_of(officer_index, round),
            "60%",
            "推进中",
            "完成土建,启动安装",
            "跳过",
            "提交"};
}

class OperationsTest : public ::testing::Test {
protected:
    OperationsTest() {
        fake.set_handler([this](const test::RecordedRequest& r) { return answer(r); });
        std::string people;
        for (int i = 0; i < kOfficers; ++i) {
            people += std::string(i == 0 ? "" : ",") + R"({ "id": ")" + officer(i) +
                      R"(", "name": "officer )" + std::to_string(i) +
                      R"(", "unit": "xingfuli", "accounts": [{ "bot": "fs", "user": "ou_)" + officer(i) +
                      R"(" }] })";
        }
        dir.write("roster.jsonc",
                  R"({ "units": [ { "id": "xingfuli", "name": "幸福里社区" } ], "people": [ )" + people +
                      R"( ], "chats": [ { "id": "oc_even", "units": ["*"], "templates": ["*"] },
                                       { "id": "oc_odd", "units": ["*"], "templates": ["*"] } ] })");
        config = write_config(dir.file("data/liaison.db"), "liaison.jsonc");
    }

    ~OperationsTest() override {
        quit = true;  // a failed assertion leaves the officers running
        join_officers();
    }

    std::string write_config(const std::string& db, const std::string& name) {
        const std::string src = LIAISON_SOURCE_DIR;
        return dir.write(name,
                         R"({
            "server": { "listen": "127.0.0.1:0" },
            "store": { "path": ")" +
                             db + R"(" },
            "templates_dir": ")" +
                             src + R"(/templates/data",
            "roster": "roster.jsonc",
            "calendar": ")" + src +
                             R"(/seeds/calendar-cn.jsonc",
            "bots": [ { "id": "fs", "platform": "feishu", "app_id": "cli_ops", "app_secret": "${T_FS_SECRET}",
                        "verification_token": "${T_FS_TOKEN}", "encrypt_key": "${T_FS_KEY}",
                        "bot_open_id": "ou_bot", "api_base_url": ")" +
                             fake.base_url() + R"(", "rate_per_minute": 6000 } ]
        })");
    }

    test::FakeReply answer(const test::RecordedRequest& r) {
        if (r.target.find("tenant_access_token") != std::string::npos) {
            return {200, R"({"code":0,"msg":"ok","tenant_access_token":"t-ops","expire":7200})", {}, {}};
        }
        // Feishu: the same uuid within an hour is one message, whatever the body says.
        const auto body = json::parse(r.body, nullptr, false);
        const std::lock_guard lock(m);
        if (body.is_object() && body.contains("uuid")) {
            const std::string uuid = body["uuid"].get<std::string>();
            const std::string content = body.value("content", "");
            const auto [it, fresh] = delivered.emplace(uuid, content);
            if (!fresh && it->second != content) {
                changed_under_one_uuid.push_back(uuid);
            }
            ++sends;
        }
        return {200, R"({"code":0,"msg":"ok"})", {}, {}};
    }

    void start(const std::string& cfg) {
        child = std::make_unique<test::Child>(
            kExe,
            std::vector<std::string>{"serve", "--config", cfg},
            std::vector<std::string>{
                "T_FS_TOKEN=" + kVerificationToken, "T_FS_KEY=" + kEncryptKey, "T_FS_SECRET=fs-app-secret"},
            dir.file("stderr.log"));
        const auto line = child->wait_for_line("listening on", 20s);
        ASSERT_TRUE(line) << "server did not start\n" << log();
        port = test::port_from_banner(*line);
    }

    void stop() {
        child->signal(SIGTERM);
        EXPECT_EQ(child->wait(20s).value_or(-1), 0) << log();
    }

    /// One Feishu message event, encrypted and signed; true when acknowledged with 200.
    bool say(int officer_index, const std::string& event_id, const std::string& text) const {
        const auto signed_body = test::feishu_signed(
            kEncryptKey,
            test::feishu_message(
                kVerificationToken, event_id, "ou_" + officer(officer_index), chat_of(officer_index), text));
        const auto r = test::request(port.load(), "POST", "/hooks/fs", signed_body.body, signed_body.headers);
        return r && r->status == 200u;
    }

    /// Officers file `rounds` reports each (or until `finish`, with 0), every message sent until
    /// acknowledged (for up to 60 s, through a restart). Titles of acknowledged submissions go to
    /// `submitted`, in order.
    void run_officers(int rounds) {
        for (int i = 0; i < kOfficers; ++i) {
            officers.emplace_back([this, i, rounds] {
                for (int round = 0; rounds == 0 ? !finish.load() : round < rounds; ++round) {
                    const auto steps = report_steps(i, round);
                    for (std::size_t s = 0; s < steps.size(); ++s) {
                        const std::string id =
                            officer(i) + "-r" + std::to_string(round) + "-s" + std::to_string(s);
                        const auto give_up = std::chrono::steady_clock::now() + 60s;
                        while (!say(i, id, steps[s])) {
                            if (quit || std::chrono::steady_clock::now() > give_up) {
                                const std::lock_guard lock(m);
                                gave_up.push_back(id);
                                return;
                            }
                            std::this_thread::sleep_for(20ms);
                        }
                        ++acknowledged;
                        if (s + 1 == steps.size()) {
                            const std::lock_guard lock(m);
                            submitted.push_back(title_of(i, round));
                        }
                    }
                }
            });
        }
    }

    void join_officers() {
        for (auto& t : officers) {
            t.join();
        }
        officers.clear();
    }

    bool wait_until_acknowledged(int n) const {
        for (int k = 0; k < 3000 && acknowledged.load() < n; ++k) {
            std::this_thread::sleep_for(10ms);
        }
        return acknowledged.load() >= n;
    }

    std::string q(const std::string& sql) const { return test::query(dir.file("data/liaison.db"), sql); }

    std::string log() const {
        std::ifstream in(dir.file("stderr.log"));
        return {std::istreambuf_iterator<char>(in), {}};
    }

    test::FakePlatform fake;
    test::TempDir dir;
    std::string config;
    std::unique_ptr<test::Child> child;
    std::atomic<std::uint16_t> port{0};
    std::vector<std::thread> officers;
    std::atomic<int> acknowledged{0};
    std::atomic<bool> quit{false};
    std::atomic<bool> finish{false};

    mutable std::mutex m;
    std::map<std::string, std::string> delivered;  ///< uuid -> content (what the officers saw)
    std::vector<std::string> changed_under_one_uuid;
    std::size_t sends = 0;
    std::vector<std::string> submitted;
    std::vector<std::string> gave_up;
};

TEST_F(OperationsTest, KilledUnderLoadLosesNothingAndShowsNothingTwice) {
    start(config);
    run_officers(kRounds);
    // SIGKILL in the middle of the load: requests in flight, replies queued and being sent.
    ASSERT_TRUE(wait_until_acknowledged(40)) << log();
    child->signal(SIGKILL);
    ASSERT_TRUE(child->wait(10s));
    const int acknowledged_before_kill = acknowledged.load();
    start(config);  // the officers' threads find the new port and retry what got no answer
    join_officers();
    ASSERT_TRUE(gave_up.empty()) << gave_up.front() << "\n" << log();
    constexpr int kMessages = kOfficers * kRounds * 7;
    ASSERT_EQ(acknowledged.load(), kMessages);
    EXPECT_LT(acknowledged_before_kill, kMessages) << "the kill came after the load";

    // Every acknowledged event is stored, once.
    EXPECT_EQ(q("SELECT count(*) FROM processed_events"), std::to_string(kMessages) + "\n");
    // Every report exists, once.
    EXPECT_EQ(q("SELECT count(*), count(DISTINCT title) FROM reports"),
              std::to_string(kOfficers * kRounds) + "|" + std::to_string(kOfficers * kRounds) + "\n");
    // Every reply is delivered: the killed process's rows come back after its lease (10 s).
    std::string open;
    for (int k = 0; k < 400; ++k) {
        open = q("SELECT count(*) FROM outbox WHERE state != 'sent'");
        if (open == "0\n") {
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(open, "0\n") << log();
    // …and none is shown twice: a message sent again carries the same uuid with the same content,
    // and every stored reply is in exactly one message the officers saw (a merged delivery covers
    // consecutive replies of one chat).
    const std::lock_guard lock(m);
    EXPECT_TRUE(changed_under_one_uuid.empty())
        << "one uuid, two contents: " << changed_under_one_uuid.front();
    std::map<std::int64_t, int> covered;
    std::map<std::int64_t, std::string> chat_of_row;
    std::istringstream rows(q("SELECT id, chat_id FROM outbox ORDER BY id"));
    for (std::string line; std::getline(rows, line);) {
        const auto bar = line.find('|');
        chat_of_row[std::stoll(line.substr(0, bar))] = line.substr(bar + 1);
    }
    for (const auto& [uuid, content] : delivered) {
        // liaison-<row>-p<part> (one row) or liaison-<first>-<last> (consecutive rows of one chat)
        const auto first_dash = uuid.find('-');
        const auto second_dash = uuid.find('-', first_dash + 1);
        const std::int64_t first = std::stoll(uuid.substr(first_dash + 1, second_dash - first_dash - 1));
        const std::string tail = uuid.substr(second_dash + 1);
        const std::int64_t last = tail[0] == 'p' ? first : std::stoll(tail);
        for (std::int64_t id = first; id <= last; ++id) {
            if (chat_of_row[id] == chat_of_row[first]) {
                ++covered[id];
            }
        }
    }
    ASSERT_EQ(covered.size(), chat_of_row.size()) << "every reply was delivered";
    for (const auto& [id, n] : covered) {
        EXPECT_EQ(n, 1) << "reply row " << id << " appeared in " << n << " messages";
    }
    std::cout << "[ killed after " << acknowledged_before_kill << " of " << kMessages << " messages; "
              << sends << " send requests for " << delivered.size() << " messages ]\n";
    stop();
}

TEST_F(OperationsTest, ABackupTakenUnderLoadRestoresEveryReportAcknowledgedBeforeIt) {
    start(config);
    run_officers(0);  // until the backup is done
    ASSERT_TRUE(wait_until_acknowledged(50)) << log();
    std::vector<std::string> before;
    {
        const std::lock_guard lock(m);
        before = submitted;
    }
    ASSERT_FALSE(before.empty());
    const std::string copy = dir.file("backups/liaison-copy.db");
    std::filesystem::create_directories(dir.file("backups"));
    const int acknowledged_at_start = acknowledged.load();
    const auto made = test::run(kExe, {"backup", copy, "--config", config}, {});
    const int acknowledged_at_end = acknowledged.load();
    ASSERT_EQ(made.code, 0) << made.output;
    EXPECT_NE(made.output.find("reports"), std::string::npos) << made.output;
    EXPECT_GT(acknowledged_at_end, acknowledged_at_start)
        << "the service went on answering during the backup";
    finish = true;
    join_officers();
    ASSERT_TRUE(gave_up.empty()) << log();
    stop();
    EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
    EXPECT_FALSE(std::filesystem::exists(copy + "-wal")) << "the copy is one file";
    // A second backup to the same file is refused: a backup never overwrites.
    EXPECT_EQ(test::run(kExe, {"backup", copy, "--store", dir.file("data/liaison.db")}, {}).code, 2);

    // Restore as docs/operations.md says: the copy becomes the store of a (stopped) service.
    const std::string restored = dir.file("restored/liaison.db");
    std::filesystem::create_directories(dir.file("restored"));
    std::filesystem::copy_file(copy, restored);
    start(write_config(restored, "restored.jsonc"));
    EXPECT_EQ(test::request(port.load(), "GET", "/readyz")->status, 200u);
    const std::string titles = test::query(restored, "SELECT title FROM reports ORDER BY id");
    for (const auto& title : before) {
        EXPECT_NE(titles.find(title + "\n"), std::string::npos) << title << " acknowledged before the backup";
    }
    EXPECT_EQ(test::query(restored, "PRAGMA integrity_check"), "ok\n");
    // The restored service knows the events it had acknowledged: a platform's retry is a duplicate.
    EXPECT_TRUE(say(0, "p0-r0-s0", "填报 工作进度周报"));
    EXPECT_EQ(test::query(restored, "SELECT count(*) FROM processed_events WHERE event_key LIKE '%p0-r0-s0'"),
              "1\n");
    stop();
}

}  // namespace
}  // namespace bot
