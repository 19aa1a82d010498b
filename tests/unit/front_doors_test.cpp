// One use case, every front door: each use case driven through chat and through the API over the
// same store, the stored result and the audit entries compared (docs/architecture.md, "Use cases").
#include "handlers/roster.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bot {
namespace {

using json = nlohmann::json;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string file(test::FlowHarness& h, const std::string& who, const std::string& title) {
    return h.file_weekly(who, title);
}

/// What a door leaves behind for a report: its status, its adoptions, its audit entries (without
/// the request ids and accounts, which name the door), and the notices queued to its author.
struct Trace {
    std::string status;
    std::vector<std::string> adoptions;
    std::vector<std::string> audit;
    std::vector<std::string> notices;
    bool operator==(const Trace&) const = default;
};

void PrintTo(const Trace& t, std::ostream* os) {
    *os << "status " << t.status << "; adoptions " << json(t.adoptions) << "; audit " << json(t.audit)
        << "; notices " << json(t.notices);
}

Trace trace(test::FlowHarness& h,
            const std::string& number,
            const std::string& title,
            const std::vector<store::OutboxMessage>& outbox = {}) {
    Trace t;
    EXPECT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto r = tx.reports().find(number);
        auto adoptions = tx.reports().adoptions(number);
        auto audit = tx.audit().of_target(number, 100);
        if (!r || !*r || !adoptions || !audit) {
            return errc::store_failure;
        }
        t.status = (*r)->status;
        for (const auto& a : *adoptions) {
            t.adoptions.push_back(a.level + " " + std::to_string(a.points) + " " + a.venue + " by " +
                                  a.adopted_by);
        }
        for (const auto& e : *audit) {
            if (e.action != "report.submitted") {
                t.audit.push_back(e.action + " " + e.actor_id + " (" + e.role + ") " + e.before + " → " +
                                  e.after);
            }
        }
        return {};
    }));
    for (const auto& row : outbox) {
        std::string text = row.message.text;
        if (!has(text, number)) {
            continue;  // about another report
        }
        // The notice names the report: compared with its number and title written out.
        for (const auto& [from, to] :
             {std::pair{number, std::string("R-N")}, std::pair{title, std::string("T")}}) {
            for (auto at = from.empty() ? std::string::npos : text.find(from); at != std::string::npos;
                 at = text.find(from, at + to.size())) {
                text.replace(at, from.size(), to);
            }
        }
        t.notices.push_back(row.message.bot_id + "/" + row.message.chat_id + " @" +
                            row.message.mention_user_id + ": " + text);
    }
    return t;
}

class FrontDoors : public ::testing::Test {
protected:
    FrontDoors() { h.roster = handlers::load_roster_text(test::kTreeRoster, "r.jsonc").roster; }

    /// One decision as typed in chat (command, then what follows the number) and as the API takes it.
    struct Step {
        std::string command;
        std::string rest;
        std::string decision;
        std::string body;
    };

    /// Two reports alike, one decided in chat and one through the API: the same trace.
    void same_decisions(const std::vector<Step>& steps) {
        // Two reports, each its own: a copy would be refused (新).
        const std::string a = file(h, "zhangsan", "老旧小区加装电梯");
        const std::string b = file(h, "zhangsan", "背街小巷环境整治");
        ASSERT_EQ(a, "R-2026-0001");
        ASSERT_EQ(b, "R-2026-0002");
        h.take_outbox();
        for (const auto& s : steps) {
            const std::string said =
                h.say("sunhong", s.command + " " + a + (s.rest.empty() ? "" : " " + s.rest), "coordinators");
            const auto r = h.api("POST", "/api/v1/reports/" + b + "/" + s.decision, s.body, "sunhong");
            ASSERT_EQ(r.status, 200u) << r.body << " (chat: " << said << ")";
        }
        const auto outbox = h.take_outbox();
        const Trace by_chat = trace(h, a, "老旧小区加装电梯", outbox);
        EXPECT_EQ(by_chat, trace(h, b, "背街小巷环境整治", outbox));
        EXPECT_EQ(by_chat.audit.size(), steps.size());
        EXPECT_EQ(by_chat.notices.size(), steps.size()) << "the author is told of each, through the outbox";
    }

    test::FlowHarness h;
};

TEST_F(FrontDoors, ApprovingInChatAndThroughTheApiStoresAndAuditsTheSame) {
    same_decisions({{"通过", "", "approve", "{}"}});
}

TEST_F(FrontDoors, ReturningWithACommentInChatAndThroughTheApiStoresAndAuditsTheSame) {
    same_decisions({{"退回", "请补充 Data（数据）", "return", R"({"comment": "请补充 Data（数据）"})"}});
}

TEST_F(FrontDoors, AdoptingInChatAndThroughTheApiStoresAndAuditsTheSame) {
    same_decisions({{"通过", "", "approve", "{}"},
                    {"采用",
                     "市级 《组工信息》第12期",
                     "adopt",
                     R"({"level": "市级", "venue": "《组工信息》第12期"})"}});
}

TEST_F(FrontDoors, TheSameAdoptionRepeatedThroughEitherDoorCountsOnce) {
    const std::string n = file(h, "zhangsan", "老旧小区加装电梯");
    h.say("sunhong", "通过 " + n, "coordinators");
    h.say("sunhong", "采用 " + n + " 市级 《组工信息》第12期", "coordinators");
    const auto again = h.api("POST",
                             "/api/v1/reports/" + n + "/adopt",
                             R"({"level": "市级", "venue": "《组工信息》第12期"})",
                             "sunhong");
    ASSERT_EQ(again.status, 200u) << again.body;
    EXPECT_TRUE(json::parse(again.body).value("repeat", false)) << again.body;
    EXPECT_EQ(trace(h, n, "").adoptions.size(), 1u);
}

TEST_F(FrontDoors, TheBoardIsTheSameInChatAndThroughTheApiForAScopedCoordinator) {
    file(h, "zhangsan", "老旧小区加装电梯");
    const std::string chat = h.say("sunhong", "进度 工作进度周报", "coordinators");
    EXPECT_TRUE(has(chat, "已报 1/3")) << chat;
    const auto api = h.api("GET", "/api/v1/status?template=weekly_progress", "", "sunhong");
    ASSERT_EQ(api.status, 200u) << api.body;
    const auto t = json::parse(api.body)["templates"][0];
    EXPECT_EQ(t["done"], 1);
    EXPECT_EQ(t["expected"], 3) << "东城区委 and its two branches, as in chat";
    EXPECT_FALSE(has(chat, "城东中学")) << chat;
    EXPECT_FALSE(has(api.body, "城东中学")) << api.body;
}

TEST_F(FrontDoors, RankingsAreTheSameInChatAndThroughTheApi) {
    const std::string n = file(h, "lisi", "夜间巡逻");
    file(h, "zhangsan", "老旧小区加装电梯");
    h.say("sunhong", "通过 " + n, "coordinators");
    h.say("sunhong", "采用 " + n + " 市级", "coordinators");
    const std::string chat = h.say("sunhong", "排名", "coordinators");
    const auto api = h.api("GET", "/api/v1/rankings?span=month", "", "sunhong");
    ASSERT_EQ(api.status, 200u) << api.body;
    const auto units = json::parse(api.body)["units"];
    ASSERT_EQ(units.size(), 3u) << "the units of 孙红's scope" << api.body;
    EXPECT_EQ(units[0]["id"], "heping");
    EXPECT_EQ(units[0]["points"], 3);
    EXPECT_EQ(units[1]["id"], "xingfuli");
    EXPECT_TRUE(has(chat, "1. 和平街道")) << chat;
    EXPECT_TRUE(has(chat, "2. 幸福里社区")) << chat;
    EXPECT_TRUE(units[0]["quality"].is_null())
        << "工作进度周报 is not marked (快 · 实 · 新), in chat neither";
    EXPECT_FALSE(has(chat, "实 ")) << chat;
}

TEST_F(FrontDoors, RemindingRespectsTheScopeAndIsAuditedTheSameThroughEitherDoor) {
    h.now = test::shanghai(2026, 12, 4, 17, 0);  // Friday: the week's reports are due
    EXPECT_TRUE(
        has(h.say("sunhong", "催报 工作进度周报 城东中学党支部", "coordinators"), "不在您负责的单位范围内"));
    const auto outside =
        h.api("POST", "/api/v1/remind", R"({"template": "weekly_progress", "units": ["school"]})", "sunhong");
    EXPECT_EQ(outside.status, 403u) << outside.body;
    h.take_outbox();
    const std::string chat = h.say("sunhong", "催报 工作进度周报", "coordinators");
    const auto by_chat = h.take_outbox();
    const auto api = h.api("POST", "/api/v1/remind", R"({"template": "weekly_progress"})", "sunhong");
    ASSERT_EQ(api.status, 200u) << api.body;
    const auto by_api = h.take_outbox();
    EXPECT_EQ(by_chat.size(), by_api.size());
    EXPECT_EQ(json::parse(api.body)["summary"][0], chat);
    for (const auto& row : by_api) {
        EXPECT_NE(row.message.mention_name, "王五") << "城东中学 is outside 孙红's scope";
    }
    std::vector<std::string> entries;
    ASSERT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        auto rows = tx.audit().page(0, 100);
        if (!rows) {
            return rows.error();
        }
        for (const auto& e : *rows) {
            if (e.action == "remind.manual") {
                entries.push_back(e.actor_id + " (" + e.role + ") " + e.after);
            }
        }
        return {};
    }));
    ASSERT_EQ(entries.size(), 2u) << "refusals are not audited";
    EXPECT_EQ(entries[0], entries[1]);
}

TEST_F(FrontDoors, TheDigestOfAScopedCoordinatorIsTheSameInChatAndThroughTheApi) {
    file(h, "zhangsan", "老旧小区加装电梯");
    file(h, "wangwu", "校园党建");
    const std::string chat = h.say("sunhong", "周报", "coordinators");
    const auto api =
        h.api("POST", "/api/v1/digest", R"({"chats": [{"bot": "demo", "chat": "coordinators"}]})", "sunhong");
    ASSERT_EQ(api.status, 200u) << api.body;
    EXPECT_EQ(json::parse(api.body)["text"], chat);
    EXPECT_FALSE(has(chat, "城东中学")) << chat;
}

}  // namespace
}  // namespace bot
