// The concerns of store::Tx, each through its interface only: one suite that every store
// implementation runs (today SQLite; a PostgreSQL store adds a line to INSTANTIATE_TEST_SUITE_P and
// can pass it concern by concern). Group commit, migrations and recovery are in store_test.cpp.
#include "bot/runtime.hpp"
#include "bot/store/sqlite/store.hpp"
#include "handlers/ranking.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <sstream>

namespace bot::store {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
/// The zone the stores under test keep units' figures in (migration 23).
constexpr std::string_view kZone = "Asia/Shanghai";

struct StoreKind {
    std::string name;
    std::function<std::unique_ptr<Store>(const test::TempDir&)> open;
};

void PrintTo(const StoreKind& kind, std::ostream* os) {
    *os << kind.name;
}

class StoreConcerns : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override { store_ = GetParam().open(dir_); }

    /// Runs `f` as one unit of work (its own commit) and returns what it returned.
    template <class F>
    auto in_tx(F f) -> decltype(f(std::declval<Tx&>())) {
        std::optional<decltype(f(std::declval<Tx&>()))> out;
        std::promise<result<void>> done;
        store_->submit(
            [&](Tx& tx) -> result<void> {
                out.emplace(f(tx));
                return {};
            },
            [&done](result<void> r) { done.set_value(r); });
        EXPECT_TRUE(done.get_future().get());
        return std::move(*out);
    }

    test::TempDir dir_;
    std::unique_ptr<Store> store_;
};

TEST_P(StoreConcerns, EventsAreDuplicatesUntilTheyExpire) {
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().remember("e1", kNow, kNow + 1h); }).value(), true);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().remember("e1", kNow + 1min, kNow + 2h); }).value(),
              false);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().seen("e1", kNow + 30min); }).value(), true);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().seen("e2", kNow); }).value(), false);
    // Expired: seen no more, and taken over by a new delivery of the same key.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().seen("e1", kNow + 1h); }).value(), false);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().remember("e1", kNow + 1h, kNow + 3h); }).value(), true);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().remember("e3", kNow, kNow + 1min); }).value(), true);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().forget_expired(kNow + 2h); }).value(), 1U);
    const auto empty = in_tx([](Tx& tx) { return tx.events().remember("", kNow, kNow + 1h); });
    EXPECT_EQ(empty.error(), make_error_code(errc::invalid_argument));
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.ping(); }));
}

TEST_P(StoreConcerns, SessionsAreKeptPerBotChatAndUser) {
    const SessionKey a{"bot", "chat", "u1"};
    const SessionKey b{"bot", "chat", "u2"};
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().load(a); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.sessions().save(a, R"({"step":1})", kNow); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.sessions().save(a, R"({"step":2})", kNow + 1h); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.sessions().save(b, R"({"step":9})", kNow); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().load(a); }).value(), R"({"step":2})");
    // Only b is older than kNow + 30min.
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().forget_before(kNow + 30min); }).value(), 1U);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().load(b); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.sessions().erase(a); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().load(a); }).value(), std::nullopt);
}

TEST_P(StoreConcerns, PagesWaitInOrderPerBotChatAndUserApartFromTheSession) {
    const SessionKey a{"bot", "chat", "u1"};
    const SessionKey b{"bot", "chat", "u2"};
    const std::vector<std::string> three{"第 2/4 页", "第 3/4 页", "第 4/4 页"};
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(a, three, kNow); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.sessions().save(a, R"({"step":1})", kNow); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(b, std::vector<std::string>{"b"}, kNow + 1h); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), "第 2/4 页");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.sessions().load(a); }).value(), R"({"step":1})")
        << "the pages and the form are apart";
    // A new long reply replaces what waited.
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(a, std::vector<std::string>{"x", "y"}, kNow); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), "x");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), "y");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(a, three, kNow); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(a, std::vector<std::string>{}, kNow); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), std::nullopt) << "none: cleared";
    // Nobody asked for a's pages since kNow: they go; b's are newer.
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.pages().keep(a, three, kNow); }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().forget_before(kNow + 30min); }).value(), 3U);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(a); }).value(), std::nullopt);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.pages().take(b); }).value(), "b");
}

TEST_P(StoreConcerns, ASignInLinkWorksOnceBeforeItExpiresAndASessionUntilIdleOrRevoked) {
    const SessionKey chat{"bot", "chat", "u1"};
    const SignInLink link{
        .hash = "h1", .person_id = "p1", .chat = chat, .created_at = kNow, .expires_at = kNow + 10min};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.web().add_link(link); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) {
        return tx.web().add_link(
            {.hash = "h2", .person_id = "p1", .chat = chat, .created_at = kNow, .expires_at = kNow + 10min});
    }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().use_link("h2", kNow + 10min); }).value(), std::nullopt)
        << "expired at its end";
    const auto used = in_tx([&](Tx& tx) { return tx.web().use_link("h1", kNow + 1min); }).value();
    ASSERT_TRUE(used);
    EXPECT_EQ(used->person_id, "p1");
    EXPECT_EQ(used->chat.user_id, "u1");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().use_link("h1", kNow + 2min); }).value(), std::nullopt)
        << "used once";
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().use_link("nope", kNow); }).value(), std::nullopt);

    const WebSession s{
        .hash = "s1", .person_id = "p1", .chat = chat, .csrf = "c1", .created_at = kNow, .seen_at = kNow};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.web().add_session(s); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) {
        return tx.web().add_session({.hash = "s2",
                                     .person_id = "p1",
                                     .chat = chat,
                                     .csrf = "c2",
                                     .created_at = kNow,
                                     .seen_at = kNow});
    }));
    // Seen at kNow + 1h: idle from then on.
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().session("s1", kNow - 1h, kNow + 1h); }).value()->csrf,
              "c1");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().session("s1", kNow + 1h + 1s, kNow + 3h); }).value(),
              std::nullopt)
        << "idle too long";
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().revoke("s2", kNow); }).value(), true);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().revoke("s2", kNow); }).value(), false);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().session("s2", kNow - 1h, kNow); }).value(), std::nullopt);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().revoke_person("p1", kNow + 2h); }).value(), 1U)
        << "s1 only";
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().session("s1", kNow, kNow + 2h); }).value(), std::nullopt);
    // Two links and two sessions, all over by kNow + 3h.
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().forget_before(kNow + 3h); }).value(), 4U);
}

TEST_P(StoreConcerns, AnUploadedPhotoKeepsItsBytesAndOwnerAndIsCountedPerPerson) {
    std::string bytes = "\x89PNG\r\n\x1A\n";
    bytes += std::string("\0\x01\xFF binary", 10);
    const Upload u{.id = "0123abcd",
                   .person_id = "p1",
                   .mime = "image/png",
                   .sha256 = "ff",
                   .bytes = bytes,
                   .created_at = kNow};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.web().add_upload(u); }));
    const auto back = in_tx([&](Tx& tx) { return tx.web().upload("0123abcd"); }).value();
    ASSERT_TRUE(back);
    EXPECT_EQ(back->bytes, bytes) << "every byte, the zero ones too";
    EXPECT_EQ(back->person_id, "p1");
    EXPECT_EQ(back->mime, "image/png");
    EXPECT_EQ(back->created_at, kNow);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().upload("nope"); }).value(), std::nullopt);
    EXPECT_FALSE(in_tx([&](Tx& tx) { return tx.web().add_upload(u); })) << "an id is unique";
    EXPECT_TRUE(in_tx([&](Tx& tx) {
        return tx.web().add_upload({.id = "2",
                                    .person_id = "p1",
                                    .mime = "image/jpeg",
                                    .sha256 = "ee",
                                    .bytes = "\xFF\xD8\xFF",
                                    .created_at = kNow + 1h});
    }));
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().uploads_since("p1", kNow); }).value(), 2U);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().uploads_since("p1", kNow + 1s); }).value(), 1U);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.web().uploads_since("p2", kNow); }).value(), 0U);
}

ReportRecord report(std::string unit, std::string title) {
    ReportRecord r;
    r.template_id = "weekly";
    r.template_version = 3;
    r.period_key = "2026-W48";
    r.unit_id = std::move(unit);
    r.author_id = "p1";
    r.author_name = "李明";
    r.bot_id = "bot";
    r.chat_id = "chat";
    r.title = std::move(title);
    r.fields = R"({"title":"x"})";
    r.on_time = false;
    r.submitted_at = kNow;
    return r;
}

TEST_P(StoreConcerns, ReportsAreNumberedPerYearAndKeepEveryRevision) {
    const auto first = in_tx([](Tx& tx) { return tx.reports().insert(report("u1", "一"), 2026); }).value();
    const auto second = in_tx([](Tx& tx) { return tx.reports().insert(report("u2", "二"), 2026); }).value();
    const auto next_year =
        in_tx([](Tx& tx) { return tx.reports().insert(report("u1", "三"), 2027); }).value();
    EXPECT_EQ(first.number, "R-2026-0001");
    EXPECT_EQ(second.number, "R-2026-0002");
    EXPECT_EQ(next_year.number, "R-2027-0001");
    EXPECT_EQ(first.revision, 1);
    EXPECT_EQ(first.status, "submitted");

    const auto found = in_tx([](Tx& tx) { return tx.reports().find("R-2026-0001"); }).value();
    ASSERT_TRUE(found);
    EXPECT_EQ(found->title, "一");
    EXPECT_EQ(found->author_name, "李明");
    EXPECT_EQ(found->template_version, 3);
    EXPECT_FALSE(found->on_time);
    EXPECT_EQ(found->submitted_at, kNow);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.reports().find("R-2026-0009"); }).value(), std::nullopt);

    const auto revised = in_tx([](Tx& tx) {
                             return tx.reports().revise("R-2026-0001", R"({"title":"y"})", "一改", kNow + 1h);
                         }).value();
    EXPECT_EQ(revised.revision, 2);
    EXPECT_EQ(revised.title, "一改");
    EXPECT_EQ(revised.updated_at, kNow + 1h);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.reports().find("R-2026-0001"); }).value()->fields,
              R"({"title":"y"})");
    const auto missing = in_tx([](Tx& tx) { return tx.reports().revise("R-2026-0404", "{}", "t", kNow); });
    EXPECT_EQ(missing.error(), make_error_code(errc::not_found));

    const auto period = in_tx([](Tx& tx) { return tx.reports().in_period("weekly", "2026-W48"); }).value();
    ASSERT_EQ(period.size(), 3U);  // the period key is the template's, not the year's
    EXPECT_EQ(period[0].number, "R-2026-0001");
    EXPECT_EQ(period[0].title, "一改");
    EXPECT_EQ(period[1].unit_id, "u2");
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.reports().in_period("weekly", "2026-W47"); }).value().empty());
    // What a period's totals need: the same reports in the same order, without their texts.
    const auto states =
        in_tx([](Tx& tx) { return tx.reports().period_states("weekly", "2026-W48"); }).value();
    ASSERT_EQ(states.size(), 3U);
    for (std::size_t i = 0; i < states.size(); ++i) {
        EXPECT_EQ(states[i].id, period[i].id);
        EXPECT_EQ(states[i].unit_id, period[i].unit_id);
        EXPECT_EQ(states[i].status, period[i].status);
        EXPECT_EQ(states[i].on_time, period[i].on_time);
        EXPECT_EQ(states[i].title, "");
        EXPECT_EQ(states[i].number, "");
    }
}

/// similar()'s reports as "title/bands shared", in its order.
std::vector<std::string> similar_titles(const result<std::vector<SimilarReport>>& found) {
    std::vector<std::string> out;
    for (const auto& r : found.value()) {
        out.push_back(r.title + "/" + std::to_string(r.shared));
    }
    return out;
}

// 新's look-up keeps what it read of its candidates: a revision, a withdrawal, a unit rolled back
// and another connection's commit must each be seen at the next look-up.
TEST_P(StoreConcerns, SimilarReportsSeeEveryChangeToTheirCandidates) {
    const std::vector<std::int64_t> draft = {1, 2, 3};
    const auto file =
        [&](const std::string& unit, const std::string& title, std::vector<std::int64_t> bands) {
            return in_tx([&](Tx& tx) -> result<std::string> {
                       auto r = tx.reports().insert(report(unit, title), 2026);
                       if (!r) {
                           return r.error();
                       }
                       if (auto s = tx.reports().set_signature(r->number, 7, "minhash", bands); !s) {
                           return s.error();
                       }
                       return r->number;
                   })
                .value();
        };
    const std::string a = file("u1", "一", {1, 2, 3});
    const std::string b = file("u2", "二", {2, 3, 9});
    const auto look = [&](std::string_view exclude = "") {
        return similar_titles(in_tx([&](Tx& tx) { return tx.reports().similar(draft, exclude, 5); }));
    };
    EXPECT_EQ(look(), (std::vector<std::string>{"一/3", "二/2"}));
    EXPECT_EQ(look(a), (std::vector<std::string>{"二/2"}));

    ASSERT_TRUE(in_tx([&](Tx& tx) { return tx.reports().revise(a, "{}", "一(改)", kNow); }));
    EXPECT_EQ(look(), (std::vector<std::string>{"一(改)/3", "二/2"})) << "the revised title";
    ASSERT_TRUE(
        in_tx([&](Tx& tx) { return tx.reports().set_status(b, "submitted", "withdrawn", kNow); }).value());
    EXPECT_EQ(look(), (std::vector<std::string>{"一(改)/3"})) << "a withdrawn report is no candidate";

    // A unit that revises a report, finds it under its new title, and fails: rolled back, the
    // look-up finds the title that was kept.
    std::promise<result<void>> failed;
    store_->submit(
        [&](Tx& tx) -> result<void> {
            EXPECT_TRUE(tx.reports().revise(a, "{}", "一(未存)", kNow));
            EXPECT_EQ(similar_titles(tx.reports().similar(draft, "", 5)),
                      (std::vector<std::string>{"一(未存)/3"}));
            return errc::store_failure;
        },
        [&failed](result<void> r) { failed.set_value(r); });
    ASSERT_FALSE(failed.get_future().get());
    EXPECT_EQ(look(), (std::vector<std::string>{"一(改)/3"}));

    // Another connection withdraws the last one.
    auto other = GetParam().open(dir_);
    std::promise<result<void>> withdrawn;
    other->submit(
        [&](Tx& tx) -> result<void> {
            auto changed = tx.reports().set_status(a, "submitted", "withdrawn", kNow);
            return changed ? result<void>{} : result<void>(changed.error());
        },
        [&withdrawn](result<void> r) { withdrawn.set_value(r); });
    ASSERT_TRUE(withdrawn.get_future().get());
    other->close();
    EXPECT_TRUE(look().empty());
}

// The candidates kept for 新 are bounded (1,024): the look-up that fills them finds every one of
// its candidates, those it had kept included.
TEST_P(StoreConcerns, SimilarReportsFindEveryCandidateWhenTheKeptOnesOverflow) {
    const std::vector<std::int64_t> draft = {1, 2, 3};
    const auto file = [](Tx& tx, const std::string& unit, std::vector<std::int64_t> bands) -> result<void> {
        auto r = tx.reports().insert(report(unit, unit), 2026);
        if (!r) {
            return r.error();
        }
        return tx.reports().set_signature(r->number, 7, "minhash", bands);
    };
    ASSERT_TRUE(in_tx([&](Tx& tx) { return file(tx, "a", {1, 2, 3}); }));
    ASSERT_TRUE(in_tx([&](Tx& tx) { return file(tx, "b", {2, 3, 9}); }));
    const auto look = [&] {
        return similar_titles(in_tx([&](Tx& tx) { return tx.reports().similar(draft, "", 5); }));
    };
    EXPECT_EQ(look(), (std::vector<std::string>{"a/3", "b/2"}));
    // 1,022 more reports, each looked up once: 1,024 kept.
    ASSERT_TRUE(in_tx([&](Tx& tx) -> result<void> {
        for (std::int64_t i = 0; i < 1022; ++i) {
            if (auto r = file(tx, "f" + std::to_string(i), {1000 + i}); !r) {
                return r;
            }
            const std::vector<std::int64_t> own{1000 + i};
            if (auto found = tx.reports().similar(own, "", 1); !found || found->size() != 1) {
                return errc::store_failure;
            }
        }
        return {};
    }));
    ASSERT_TRUE(in_tx([&](Tx& tx) { return file(tx, "c", {3}); }));
    EXPECT_EQ(look(), (std::vector<std::string>{"a/3", "b/2", "c/1"}));
}

// The digest's rankings: two windows counted in one pass, whatever lies before them left out.
TEST_P(StoreConcerns, UnitStatsSplitCountsEachWindowByUnit) {
    const TimePoint from = kNow - 60 * 24h;
    const TimePoint mid = kNow - 30 * 24h;
    const auto at = [](std::string unit, TimePoint when, bool on_time) {
        ReportRecord r = report(std::move(unit), "t");
        r.submitted_at = when;
        r.on_time = on_time;
        return r;
    };
    std::vector<ReportRecord> all = {
        at("u2", from - 1ms, true),  // before the windows
        at("u2", from, true),        // the first window's first instant
        at("u1", mid - 1ms, false),  // first window
        at("u1", mid, true),         // the second window's first instant
        at("u1", kNow - 1ms, true),  // second window, withdrawn below
        at("u3", kNow, true),        // at `to`: outside
        at("u10", mid + 24h, true),  // second window, approved below
    };
    std::vector<std::string> numbers;
    for (auto& r : all) {
        numbers.push_back(in_tx([&](Tx& tx) { return tx.reports().insert(r, 2026); }).value().number);
    }
    ASSERT_TRUE(in_tx([&](Tx& tx) {
                    return tx.reports().set_status(numbers[4], "submitted", "withdrawn", kNow);
                }).value());
    ASSERT_TRUE(in_tx([&](Tx& tx) {
                    return tx.reports().set_status(numbers[6], "submitted", "approved", kNow);
                }).value());
    // Adopted in the second window, submitted before both: the unit is ranked for the adoption.
    ASSERT_TRUE(in_tx([&](Tx& tx) {
        return tx.reports().adopt(numbers[0], {"区委办", 5, "《每日要情》", "sunhong", mid + 48h});
    }));
    const auto [first, second] =
        in_tx([&](Tx& tx) { return tx.reports().unit_stats_split(from, mid, kNow); }).value();
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].unit_id, "u1");
    EXPECT_EQ(first[0].submitted, 1);
    EXPECT_EQ(first[0].on_time, 0);
    EXPECT_EQ(first[1].unit_id, "u2");
    EXPECT_EQ(first[1].submitted, 1);
    EXPECT_EQ(first[1].on_time, 1);
    EXPECT_EQ(first[1].adopted, 0);
    ASSERT_EQ(second.size(), 3U);  // by unit id: u1, u10, u2
    EXPECT_EQ(second[0].unit_id, "u1");
    EXPECT_EQ(second[0].submitted, 1) << "the withdrawn one does not count";
    EXPECT_EQ(second[1].unit_id, "u10");
    EXPECT_EQ(second[1].approved, 1);
    EXPECT_EQ(second[2].unit_id, "u2");
    EXPECT_EQ(second[2].submitted, 0);
    EXPECT_EQ(second[2].adopted, 1);
    EXPECT_EQ(second[2].points, 5);
    EXPECT_EQ(second[2].adopted_by_level.at("区委办"), 1);
}

/// A period's figures as text, units in order: what the kept rows and the reports must both say.
std::string describe(PeriodFigures f) {
    std::ostringstream out;
    std::sort(
        f.stats.begin(), f.stats.end(), [](const auto& a, const auto& b) { return a.unit_id < b.unit_id; });
    std::sort(f.quality.begin(), f.quality.end(), [](const auto& a, const auto& b) {
        return a.unit_id < b.unit_id;
    });
    for (const auto& s : f.stats) {
        out << s.unit_id << " submitted " << s.submitted << " on_time " << s.on_time << " approved "
            << s.approved << " adopted " << s.adopted << " points " << s.points;
        for (const auto& [level, n] : s.adopted_by_level) {
            out << " " << level << "=" << n;
        }
        out << "\n";
    }
    for (const auto& q : f.quality) {
        out << q.unit_id << " marks " << q.reports << " " << q.fast_n << " " << q.fast_sum << " "
            << q.solid_sum << " " << q.fresh_sum << " " << q.with_figures << "\n";
    }
    return out.str();
}

/// Reports over 2026 in `zone`'s months (some on a month's first instant and just before it), then
/// revised, reviewed, withdrawn and adopted at random: every way a report's figures change.
void write_a_year(const std::function<void(std::function<void(Tx&)>)>& in_tx, std::string_view zone) {
    std::mt19937 rng(20261208);
    const auto pick = [&rng](int n) {
        return static_cast<int>(rng() % static_cast<unsigned>(n));
    };
    const std::vector<std::string> marks{"",
                                         R"({"fast":-1,"solid":70,"fresh":85,"figures":1})",
                                         R"({"fast":90,"solid":40,"fresh":100,"figures":0})"};
    const TimePoint start = handlers::ranking::window_of(zone, kNow - 400 * 24h, "year").from;
    std::vector<std::string> numbers;
    for (int i = 0; i < 240; ++i) {
        ReportRecord r = report("u" + std::to_string(pick(6)), "报告");
        r.template_id = pick(2) == 0 ? "weekly" : "monthly";
        r.on_time = pick(3) != 0;
        r.quality = marks[static_cast<std::size_t>(pick(3))];
        const auto month = handlers::ranking::window_of(zone, start + pick(380) * 24h, "month");
        r.submitted_at = i % 10 == 0   ? month.from
                         : i % 10 == 1 ? month.from - 1ms
                                       : month.from + pick(27 * 24) * 1h;
        in_tx([&](Tx& tx) { numbers.push_back(tx.reports().insert(r, 2026).value().number); });
    }
    for (const auto& n : numbers) {
        const int what = pick(10);
        in_tx([&](Tx& tx) {
            if (what == 0) {
                (void)tx.reports().revise(n, R"({"title":"y"})", "改", kNow, "submitted", marks[1]);
            } else if (what <= 3) {
                (void)tx.reports().set_status(n, "submitted", "approved", kNow);
            } else if (what == 4) {
                (void)tx.reports().set_status(n, "submitted", "withdrawn", kNow);
            } else if (what == 5) {
                (void)tx.reports().set_status(n, "submitted", "adopted", kNow);
                (void)tx.reports().adopt(n, {"区委办", 5, "《组工信息》", "c", start + pick(360) * 24h});
            }
        });
    }
}

/// Every month, quarter and year of 2026 in `zone`, for every template and each: the figures kept
/// per period against those the reports give. Returns the year's reports counted.
int expect_kept_as_reported(const std::function<void(std::function<void(Tx&)>)>& in_tx,
                            std::string_view zone) {
    int counted = 0;
    const TimePoint start = handlers::ranking::window_of(zone, kNow - 400 * 24h, "year").from;
    std::vector<handlers::RankingWindow> windows{handlers::ranking::window_of(zone, start, "year")};
    for (int m = 0; m < 12; ++m) {
        windows.push_back(handlers::ranking::window_of(zone, start + (m * 31 + 1) * 24h, "month"));
        if (m % 3 == 0) {
            windows.push_back(handlers::ranking::window_of(zone, start + (m * 31 + 1) * 24h, "quarter"));
        }
    }
    for (const auto& w : windows) {
        for (const std::string tmpl : {"", "weekly", "monthly"}) {
            const std::string key = handlers::ranking::period_key(w);
            in_tx([&](Tx& tx) {
                auto kept = tx.reports().period_figures(zone, key, tmpl, w.from, w.to).value();
                ASSERT_TRUE(kept.has_value()) << key;
                const PeriodFigures live{tx.reports().unit_stats(w.from, w.to, tmpl).value(),
                                         tx.reports().quality_between(w.from, w.to).value()};
                EXPECT_EQ(describe(*kept), describe(live)) << key << " template '" << tmpl << "'";
                if (w.span == "year" && tmpl.empty()) {
                    for (const auto& s : live.stats) {
                        counted += s.submitted;
                    }
                }
            });
        }
    }
    return counted;
}

// Units compared (排名, the desk's units page) read each unit's figures kept per calendar period
// (migration 23): they are what the reports give, through every write that changes them.
TEST_P(StoreConcerns, FiguresKeptPerPeriodAreWhatTheReportsGive) {
    const auto run = [this](std::function<void(Tx&)> f) {
        in_tx([&](Tx& tx) -> int {
            f(tx);
            return 0;
        });
    };
    write_a_year(run, kZone);
    EXPECT_GT(expect_kept_as_reported(run, kZone), 100) << "the year holds most of the reports";
    in_tx([](Tx& tx) -> int {
        const auto w = handlers::ranking::window_of("America/New_York", kNow, "month");
        EXPECT_FALSE(
            tx.reports()
                .period_figures("America/New_York", handlers::ranking::period_key(w), "", w.from, w.to)
                .value()
                .has_value())
            << "kept for the store's zone only: another zone's windows read the reports";
        return 0;
    });
}

OutboxMessage message(std::string chat, std::string text) {
    OutboxMessage m;
    m.message.bot_id = "bot";
    m.message.chat_id = std::move(chat);
    m.message.mention_user_id = "u1";
    m.message.mention_name = "李明";
    m.message.text = std::move(text);
    m.context = R"({"thread":"t"})";
    return m;
}

TEST_P(StoreConcerns, OutboxDeliversEachChatInOrderAndKeepsFailures) {
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().next_due(); }).value(), std::nullopt);
    const auto a1 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a1"), kNow); }).value();
    const auto a2 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a2"), kNow); }).value();
    const auto b1 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("b", "b1"), kNow); }).value();
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().next_due(); }).value(), kNow);

    auto claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value();
    ASSERT_EQ(claimed.size(), 3U);
    EXPECT_EQ(claimed[0].id, a1);
    EXPECT_EQ(claimed[0].message.text, "a1");
    EXPECT_EQ(claimed[0].context, R"({"thread":"t"})");
    EXPECT_EQ(claimed[0].attempts, 1);
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value().empty());

    // a1 could not go: a1 and a2 wait together; b is not held.
    const std::vector<std::int64_t> round{a1, a2};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().reschedule(round, kNow + 1min, "HTTP 503"); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().mark_sent(b1, kNow); }));
    // A new message of chat a queues behind the waiting ones.
    const auto a3 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a3"), kNow); }).value();
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 30s, 10); }).value().empty());
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().next_due(); }).value(), kNow + 1min);

    claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 1min, 2); }).value();
    ASSERT_EQ(claimed.size(), 2U);
    EXPECT_EQ(claimed[0].id, a1);
    EXPECT_EQ(claimed[0].attempts, 2);
    EXPECT_EQ(claimed[0].last_error, "HTTP 503");
    EXPECT_EQ(claimed[1].id, a2);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().fail(a1, "HTTP 400"); }));
    // a2 was claimed when the process stopped: it goes back to pending at start.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted(); }).value(), 1U);
    claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 1min, 10); }).value();
    ASSERT_EQ(claimed.size(), 2U);
    EXPECT_EQ(claimed[0].id, a2);
    EXPECT_EQ(claimed[1].id, a3);
}

TEST_P(StoreConcerns, AQueueOfItsOwnIsNotHeldByTheChatNorHoldsIt) {
    auto own = message("g", "reply to a dead URL");
    own.queue = "g#m1";
    const auto dead = in_tx([&](Tx& tx) { return tx.outbox().enqueue(own, kNow); }).value();
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value().size(), 1u);
    const std::vector<std::int64_t> round{dead};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().reschedule(round, kNow + 10min, "HTTP 503"); }));
    // The group's next reply (the chat's queue) and another message's own queue go at once.
    const auto next = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("g", "next"), kNow); }).value();
    auto other = message("g", "another message's reply");
    other.queue = "g#m2";
    const auto second = in_tx([&](Tx& tx) { return tx.outbox().enqueue(other, kNow); }).value();
    const auto claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 1s, 10); }).value();
    ASSERT_EQ(claimed.size(), 2u);
    EXPECT_EQ(claimed[0].id, next);
    EXPECT_EQ(claimed[0].queue, "g") << "the chat's queue by default";
    EXPECT_EQ(claimed[1].id, second);
    EXPECT_EQ(claimed[1].queue, "g#m2");
    // Within a queue the order holds: a second reply to m1 waits behind the first.
    own.message.text = "second reply to m1";
    (void)in_tx([&](Tx& tx) { return tx.outbox().enqueue(own, kNow + 2s); });
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 5min, 10); }).value().empty());
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 10min, 10); }).value().size(), 2u);
}

TEST_P(StoreConcerns, AProcessRequeuesOnlyTheRowsOfProcessesThatAreGone) {
    (void)in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a1"), kNow); });
    (void)in_tx([](Tx& tx) { return tx.outbox().enqueue(message("b", "b1"), kNow); });
    EXPECT_TRUE(
        in_tx([](Tx& tx) { return tx.schedule().acquire_lease("outbox:A", "A", kNow, kNow + 1min); }));
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 1, "A"); }).value().size(), 1u);
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 1, "gone"); }).value().size(), 1u);
    // B starts while A is alive: only the row of "gone" (no lease) comes back.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted("B", kNow + 10s); }).value(), 1U);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted("A", kNow + 10s); }).value(), 0U)
        << "a process never requeues its own rows in flight";
    // A's lease runs out: its row is B's to requeue.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted("B", kNow + 2min); }).value(), 1U);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 2min, 10, "B"); }).value().size(), 2u);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted(); }).value(), 2U)
        << "without a holder: every row left 'sending'";
}

TEST_P(StoreConcerns, ABatchIsClaimedWholeAndKeepsItsRows) {
    std::vector<std::int64_t> ids;
    for (const char* text : {"a1", "a2", "a3"}) {
        ids.push_back(in_tx([&](Tx& tx) { return tx.outbox().enqueue(message("a", text), kNow); }).value());
    }
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value().size(), 3u);
    const std::vector<std::int64_t> batch{ids[0], ids[1]};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().set_batch(batch); }));
    // The process dies; at the restart a claim with a small LIMIT takes only the batch's first
    // row: claim_batch takes the rest, so the batch goes out whole.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().requeue_interrupted(); }).value(), 3U);
    const auto head = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 1); }).value();
    ASSERT_EQ(head.size(), 1u);
    EXPECT_EQ(head[0].batch, ids[0]);
    const auto rest = in_tx([&](Tx& tx) { return tx.outbox().claim_batch(ids[0]); }).value();
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].id, ids[1]);
    EXPECT_EQ(rest[0].batch, ids[0]);
    EXPECT_EQ(rest[0].attempts, 2);
    const auto last = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value();
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].batch, 0) << "a row of no batch";
}

TEST_P(StoreConcerns, AnOutageIsProbedThenReleasedInOrder) {
    const auto a1 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a1"), kNow); }).value();
    const auto b1 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("b", "b1"), kNow); }).value();
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 10); }).value().size(), 2u);
    const std::vector<std::int64_t> ra{a1};
    const std::vector<std::int64_t> rb{b1};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().reschedule(ra, kNow + 8min, "HTTP 503"); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().reschedule(rb, kNow + 4min, "HTTP 503"); }));
    const auto a2 = in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "a2"), kNow + 1s); }).value();
    // A probe makes the bot's oldest waiting message due: b1 (due first), and only it.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().probe("other-bot", kNow + 2s); }).value(), std::nullopt);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().probe("bot", kNow + 2s); }).value(), b1);
    auto claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 2s, 10); }).value();
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].attempts, 2);
    // The probe failed: it is not counted as an attempt.
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().reschedule(rb, kNow + 4min, "HTTP 503", false); }));
    // The platform is back: everything waiting goes now, each chat in its order.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().release("bot", kNow + 5s); }).value(), 3U);
    claimed = in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 5s, 10); }).value();
    ASSERT_EQ(claimed.size(), 3u);
    EXPECT_EQ(claimed[0].id, a1);
    EXPECT_EQ(claimed[1].id, b1);
    EXPECT_EQ(claimed[1].attempts, 2) << "two real attempts; the probe not counted";
    EXPECT_EQ(claimed[2].id, a2);
}

TEST_P(StoreConcerns, ABindingIsPendingUntilDecidedOnceAndBindsOnlyItsAccount) {
    BindingRecord b{
        .bot_id = "wx", .user_id = "u9", .user_name = "新人", .person_id = "zhaoliu", .chat_id = "g"};
    const auto first = in_tx([&](Tx& tx) { return tx.bindings().request(b, kNow); }).value();
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.bindings().person_of("wx", "u9"); }).value(), std::nullopt)
        << "pending binds nobody";
    b.person_id = "wangwu";
    const auto second = in_tx([&](Tx& tx) { return tx.bindings().request(b, kNow + 1min); }).value();
    EXPECT_NE(first, second);
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.bindings().find(first); }).value()->state, "refused")
        << "replaced by the newer request";
    const auto pending = in_tx([](Tx& tx) { return tx.bindings().pending(10); }).value();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].id, second);
    EXPECT_EQ(pending[0].user_name, "新人");
    EXPECT_FALSE(
        in_tx([&](Tx& tx) { return tx.bindings().decide(first, "approved", "sunhong", kNow); }).value());
    EXPECT_TRUE(
        in_tx([&](Tx& tx) { return tx.bindings().decide(second, "approved", "sunhong", kNow); }).value());
    EXPECT_FALSE(
        in_tx([&](Tx& tx) { return tx.bindings().decide(second, "refused", "sunhong", kNow); }).value())
        << "decided once";
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.bindings().person_of("wx", "u9"); }).value(), "wangwu");
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.bindings().person_of("wx2", "u9"); }).value(), std::nullopt)
        << "an account is a bot's";
    const auto found = in_tx([&](Tx& tx) { return tx.bindings().find(second); }).value();
    ASSERT_TRUE(found);
    EXPECT_EQ(found->decided_by, "sunhong");
    EXPECT_EQ(found->decided_at, kNow);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.bindings().approved(); }).value().size(), 1u);
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.bindings().pending(10); }).value().empty());
}

TEST_P(StoreConcerns, ReviewMovesAReportOnlyFromTheStateItWasSeenIn) {
    (void)in_tx([](Tx& tx) { return tx.reports().insert(report("u1", "一"), 2026); });
    (void)in_tx([](Tx& tx) { return tx.reports().insert(report("u2", "二"), 2026); });
    auto approved = report("u1", "免审");
    approved.status = "approved";
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.reports().insert(approved, 2026); }).value().status, "approved");
    const std::vector<std::string> only_u1{"u1"};
    auto waiting = in_tx([&](Tx& tx) { return tx.reports().waiting(only_u1, 10); }).value();
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].number, "R-2026-0001");
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.reports().waiting({}, 10); }).value().size(), 2u) << "every unit";
    EXPECT_TRUE(in_tx([](Tx& tx) {
                    return tx.reports().set_status("R-2026-0001", "submitted", "returned", kNow);
                }).value());
    EXPECT_FALSE(in_tx([](Tx& tx) {
                     return tx.reports().set_status("R-2026-0001", "submitted", "approved", kNow);
                 }).value())
        << "no longer submitted";
    // Resubmitted: waiting again, behind the older one.
    (void)in_tx(
        [](Tx& tx) { return tx.reports().revise("R-2026-0001", "{}", "一改", kNow + 1h, "submitted"); });
    waiting = in_tx([](Tx& tx) { return tx.reports().waiting({}, 10); }).value();
    ASSERT_EQ(waiting.size(), 2u);
    EXPECT_EQ(waiting[0].number, "R-2026-0002");
    EXPECT_EQ(waiting[1].revision, 2);
    EXPECT_TRUE(in_tx([](Tx& tx) {
                    return tx.reports().set_status("R-2026-0001", "submitted", "approved", kNow);
                }).value());
    const Adoption city{
        .level = "市级", .points = 3, .venue = "《组工信息》", .adopted_by = "c", .adopted_at = kNow};
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.reports().adopt("R-2026-0001", city); }));
    const auto adopted = in_tx([](Tx& tx) { return tx.reports().adoptions("R-2026-0001"); }).value();
    ASSERT_EQ(adopted.size(), 1u);
    EXPECT_EQ(adopted[0].venue, "《组工信息》");
    // Figures per unit over a window; a filter pages through reports by id.
    const auto stats =
        in_tx([](Tx& tx) { return tx.reports().unit_stats(kNow - 1h, kNow + 2h, ""); }).value();
    ASSERT_EQ(stats.size(), 2u);
    EXPECT_EQ(stats[0].unit_id, "u1");
    EXPECT_EQ(stats[0].submitted, 2);
    EXPECT_EQ(stats[0].approved, 2);
    EXPECT_EQ(stats[0].points, 3);
    EXPECT_EQ(stats[0].adopted_by_level.at("市级"), 1);
    EXPECT_TRUE(
        in_tx([](Tx& tx) { return tx.reports().unit_stats(kNow + 1h, kNow + 2h, ""); }).value().empty());
    ReportFilter filter;
    filter.units = {"u1"};
    const auto first = in_tx([&](Tx& tx) { return tx.reports().matching(filter, 0, 1); }).value();
    ASSERT_EQ(first.size(), 1u);
    const auto rest = in_tx([&](Tx& tx) { return tx.reports().matching(filter, first[0].id, 10); }).value();
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].title, "免审");
    filter.status = "approved";
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.reports().matching(filter, 0, 10); }).value().size(), 2u);
}

// The desk (docs/desk.md): newest first by a cursor, the filter's conditions, and words found
// inside Chinese text (two characters, a phrase, full width), of the current revision only.
TEST_P(StoreConcerns, TheDeskListsNewestFirstAndFindsWordsInChinese) {
    auto a = report("u1", "红色物业试点");
    a.fields = R"({"body":"覆盖１２个小区的红色物业联盟"})";
    auto b = report("u2", "党建引领");
    b.fields = R"({"body":"议事会三次"})";
    b.quality = R"({"fast":90,"solid":85,"fresh":100})";
    auto c = report("u1", "周报");
    c.fields = R"({"body":"物业费"})";
    c.quality = R"({"fast":-1,"solid":40,"fresh":100})";
    for (auto* r : {&a, &b, &c}) {
        *r = in_tx([&](Tx& tx) { return tx.reports().insert(*r, 2026); }).value();
    }
    const auto numbers = [&](const ReportFilter& f, std::int64_t before = 0, std::size_t limit = 10) {
        std::vector<std::string> out;
        for (const auto& r : in_tx([&](Tx& tx) { return tx.reports().listing(f, before, limit); }).value()) {
            out.push_back(r.title);
        }
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(numbers({}), (V{"周报", "党建引领", "红色物业试点"}));
    EXPECT_EQ(numbers({}, c.id, 1), V{"党建引领"});
    EXPECT_EQ(numbers({.words = "物业"}), (V{"周报", "红色物业试点"}));
    EXPECT_EQ(numbers({.words = "红色物业联盟"}), V{"红色物业试点"});
    EXPECT_EQ(numbers({.words = "１２个"}), V{"红色物业试点"});
    EXPECT_EQ(numbers({.words = "物业 小区"}), V{"红色物业试点"});
    EXPECT_EQ(numbers({.words = "李明 议事"}), V{"党建引领"});  // the author's name
    EXPECT_EQ(numbers({.words = "物业联合"}), V{});
    EXPECT_EQ(numbers({.words = "\" OR *"}), V{});
    EXPECT_EQ(numbers({.units = {"u1"}, .words = "物业"}, c.id), V{"红色物业试点"});
    EXPECT_EQ(numbers({.marks = "weak"}), V{"周报"});
    EXPECT_EQ(numbers({.marks = "strong"}), V{"党建引领"});
    EXPECT_TRUE(
        in_tx([&](Tx& tx) { return tx.reports().set_status(b.number, "submitted", "approved", kNow); }));
    EXPECT_EQ(numbers({.status = "submitted"}), (V{"周报", "红色物业试点"}));
    EXPECT_EQ(numbers({.status = "approved", .words = "议事会"}), V{"党建引领"});
    // A revision replaces the words: the old ones find it no more.
    (void)in_tx([&](Tx& tx) {
        return tx.reports().revise(a.number, R"({"body":"睦邻点"})", "睦邻试点", kNow + 1h, "submitted", "");
    });
    EXPECT_EQ(numbers({.words = "红色物业"}), V{});
    EXPECT_EQ(numbers({.words = "睦邻"}), V{"睦邻试点"});
    // An export takes the same words, oldest first.
    const auto exported =
        in_tx([&](Tx& tx) { return tx.reports().matching({.words = "物业"}, 0, 10); }).value();
    ASSERT_EQ(exported.size(), 1U);
    EXPECT_EQ(exported[0].title, "周报");
}

TEST_P(StoreConcerns, TheAuditLogIsAppendOnly) {
    const AuditEntry e{.at = kNow,
                       .actor_id = "sunhong",
                       .actor_account = "demo:u-sunhong",
                       .role = "coordinator",
                       .action = "report.approved",
                       .target = "R-2026-0001",
                       .before = "submitted",
                       .after = "approved",
                       .request_id = "ev-1"};
    const auto id = in_tx([&](Tx& tx) { return tx.audit().append(e); }).value();
    auto other = e;
    other.target = "R-2026-0002";
    (void)in_tx([&](Tx& tx) { return tx.audit().append(other); });
    const auto of = in_tx([](Tx& tx) { return tx.audit().of_target("R-2026-0001", 10); }).value();
    ASSERT_EQ(of.size(), 1u);
    EXPECT_EQ(of[0].actor_account, "demo:u-sunhong");
    EXPECT_EQ(of[0].request_id, "ev-1");
    EXPECT_EQ(in_tx([&](Tx& tx) { return tx.audit().page(id, 10); }).value().size(), 1u);
    // The interface has no way to change an entry; the SQLite table's triggers refuse SQL that
    // tries (console_test.cpp).
}

TEST_P(StoreConcerns, SentAndFailedMessagesAreForgottenAfterTheirRetention) {
    const auto sent =
        in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "old sent"), kNow); }).value();
    const auto failed =
        in_tx([](Tx& tx) { return tx.outbox().enqueue(message("b", "old failed"), kNow); }).value();
    (void)in_tx([](Tx& tx) { return tx.outbox().enqueue(message("c", "old pending"), kNow); });
    ASSERT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow, 2); }).value().size(), 2u);
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().mark_sent(sent, kNow); }));
    EXPECT_TRUE(in_tx([&](Tx& tx) { return tx.outbox().fail(failed, "HTTP 400"); }));
    (void)in_tx([](Tx& tx) { return tx.outbox().enqueue(message("a", "recent"), kNow + 40 * 24h); });
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().forget_done_before(kNow + 30 * 24h); }).value(), 2U)
        << "the old sent and failed ones; never a pending one, nor a recent one";
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().claim_due(kNow + 41 * 24h, 10); }).value().size(), 2u);
}

TEST_P(StoreConcerns, ScheduleDecidesEachSendOnceAndHoldsOneLease) {
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.schedule().decide_send("k1", "sent", kNow, kNow, 3); }).value(),
              true);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.schedule().decide_send("k1", "skipped", kNow, kNow, 0); }).value(),
              false);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.schedule().decide_send("", "sent", kNow, kNow, 0); }).error(),
              make_error_code(errc::invalid_argument));

    EXPECT_EQ(in_tx([](Tx& tx) { return tx.schedule().load_value("cursor"); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.schedule().save_value("cursor", "1", kNow); }));
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.schedule().save_value("cursor", "2", kNow); }));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.schedule().load_value("cursor"); }).value(), "2");

    EXPECT_EQ(
        in_tx([](Tx& tx) { return tx.schedule().acquire_lease("tick", "A", kNow, kNow + 1min); }).value(),
        true);
    EXPECT_EQ(in_tx([](Tx& tx) {
                  return tx.schedule().acquire_lease("tick", "B", kNow + 30s, kNow + 2min);
              }).value(),
              false);
    EXPECT_EQ(in_tx([](Tx& tx) {
                  return tx.schedule().acquire_lease("tick", "A", kNow + 30s, kNow + 2min);
              }).value(),
              true);
    EXPECT_EQ(in_tx([](Tx& tx) {
                  return tx.schedule().acquire_lease("tick", "B", kNow + 2min, kNow + 3min);
              }).value(),
              true);
}

TEST_P(StoreConcerns, LeaveEndsTheDayBeforeOrIsDropped) {
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.leaves().add("p1", "2026-11-23", "2026-12-04", kNow); }));
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.leaves().add("p1", "2026-12-10", "2026-12-11", kNow); }));
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.leaves().add("p2", "2026-11-30", "2026-11-30", kNow); }));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().on_day("2026-11-30"); }).value(),
              (std::vector<std::string>{"p1", "p2"}));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().open_count("p1", "2026-11-30"); }).value(), 2U);
    // Ending on 11-30: the leave in progress now ends 11-29, the planned one is dropped.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().end("p1", "2026-11-30"); }).value(), 2U);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().open_count("p1", "2026-11-30"); }).value(), 0U);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().on_day("2026-11-29"); }).value(),
              (std::vector<std::string>{"p1"}));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().on_day("2026-11-30"); }).value(),
              (std::vector<std::string>{"p2"}));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.leaves().end("p3", "2026-11-30"); }).value(), 0U);
}

TEST_P(StoreConcerns, AFailingUnitLeavesNoTraceInAnyConcern) {
    std::promise<result<void>> done;
    store_->submit(
        [](Tx& tx) -> result<void> {
            (void)tx.events().remember("gone", kNow, kNow + 1h);
            (void)tx.sessions().save({"bot", "chat", "u"}, "{}", kNow);
            (void)tx.reports().insert(report("u1", "t"), 2026);
            (void)tx.outbox().enqueue(message("a", "x"), kNow);
            (void)tx.leaves().add("p1", "2026-11-30", "2026-11-30", kNow);
            return errc::invalid_argument;
        },
        [&done](result<void> r) { done.set_value(r); });
    EXPECT_EQ(done.get_future().get().error(), make_error_code(errc::invalid_argument));
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.events().seen("gone", kNow); }).value(), false);
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.sessions().load({"bot", "chat", "u"}); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.reports().in_period("weekly", "2026-W48"); }).value().empty());
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.outbox().next_due(); }).value(), std::nullopt);
    EXPECT_TRUE(in_tx([](Tx& tx) { return tx.leaves().on_day("2026-11-30"); }).value().empty());
    // The number was not used either.
    EXPECT_EQ(in_tx([](Tx& tx) { return tx.reports().insert(report("u1", "t"), 2026); }).value().number,
              "R-2026-0001");
}

INSTANTIATE_TEST_SUITE_P(Stores,
                         StoreConcerns,
                         ::testing::Values(StoreKind{"sqlite",
                                                     [](const test::TempDir& dir) {
                                                         SqliteOptions o;
                                                         o.path = dir.file("concerns.db");
                                                         o.zone = std::string(kZone);
                                                         o.calendar = [z = o.zone] {
                                                             return app::calendar_of(z);
                                                         };
                                                         return std::make_unique<SqliteStore>(o);
                                                     }}),
                         [](const ::testing::TestParamInfo<StoreKind>& param) { return param.param.name; });

// A store opened without a zone keeps no figures (rankings read the reports); opened with one, it
// fills them for the reports stored so far, and the triggers keep them; opened with another zone
// (one with summer time), it fills them again for that zone's months.
TEST(StoreFigures, AreFilledForTheReportsStoredSoFarAndAgainWhenTheZoneChanges) {
    test::TempDir dir;
    const auto open = [&dir](const std::string& zone) {
        SqliteOptions o;
        o.path = dir.file("figures.db");
        o.zone = zone;
        if (!zone.empty()) {
            o.calendar = [z = zone] {
                return app::calendar_of(z);
            };
        }
        return std::make_unique<SqliteStore>(o);
    };
    const auto runner = [](Store& store) {
        return [&store](const std::function<void(Tx&)>& f) {
            std::promise<result<void>> done;
            store.submit(
                [&f](Tx& tx) -> result<void> {
                    f(tx);
                    return {};
                },
                [&done](result<void> r) { done.set_value(r); });
            ASSERT_TRUE(done.get_future().get());
        };
    };
    const auto w = handlers::ranking::window_of(kZone, kNow - 200 * 24h, "month");
    {
        auto store = open("");
        write_a_year(runner(*store), kZone);
        runner (*store)([&w](Tx& tx) {
            EXPECT_FALSE(tx.reports()
                             .period_figures(kZone, handlers::ranking::period_key(w), "", w.from, w.to)
                             .value()
                             .has_value());
        });
        store->close();
    }
    {
        auto store = open(std::string(kZone));
        EXPECT_GT(expect_kept_as_reported(runner(*store), kZone), 100);
        store->close();
    }
    auto store = open("America/New_York");
    EXPECT_GT(expect_kept_as_reported(runner(*store), "America/New_York"), 100);
    runner (*store)([&w](Tx& tx) {
        EXPECT_FALSE(tx.reports()
                         .period_figures(kZone, handlers::ranking::period_key(w), "", w.from, w.to)
                         .value()
                         .has_value())
            << "the zone it keeps them for now";
    });
}

// The engine under the SQLite concerns: a statement with the wrong number of arguments is refused
// before it runs (a cached statement would otherwise keep the previous use's values).
TEST(SqliteEngine, WrongArgumentCountIsAStoreFailureNotAStaleBinding) {
    test::TempDir dir;
    sqlite::Db db(dir.file("engine.db"), std::chrono::milliseconds(100));
    ASSERT_TRUE(db.script("CREATE TABLE t(a TEXT, b INTEGER)"));
    EXPECT_TRUE(db.run("insert", "INSERT INTO t VALUES (?1, ?2)", "x", 1));
    EXPECT_EQ(db.run("insert", "INSERT INTO t VALUES (?1, ?2)", "y").error(),
              make_error_code(errc::store_failure));
    auto st = db.prepare("count", "SELECT count(*), max(a) FROM t");
    ASSERT_TRUE(st);
    ASSERT_EQ(st->next().value(), true);
    EXPECT_EQ(st->i64(0), 1);
    EXPECT_EQ(st->text(1), "x");
    EXPECT_EQ(db.run("bad sql", "INSERT INTO nowhere VALUES (1)").error(),
              make_error_code(errc::store_failure));
}

}  // namespace
}  // namespace bot::store
