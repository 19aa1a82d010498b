// Scale figures: a store with 1,000,000 reports (100,000 units' weekly reports, this week and back
// week by week until there are a million; this week one unit in ten has not reported) and 100,000
// open sessions; the time to compute the status board and the weekly digest over it,
// and to plan one reminder round for 100,000 officers. The baseline, measured in the same run, is
// the bare SQL scan of the same rows (what no application code can beat).
//
// Usage: scale_bench DIR [--units N] [--reports R]
//   leaves DIR/scale.db, DIR/roster.jsonc and DIR/liaison.jsonc (for the RSS run in bench/run)
#include "bot/scheduler/scheduler.hpp"
#include "bot/store/sqlite/store.hpp"
#include "handlers/schedule.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>

namespace {

using namespace bot;
using Steady = std::chrono::steady_clock;

double ms_since(Steady::time_point t0) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

template <typename F>
void in_tx(store::SqliteStore& s, F f) {
    std::promise<result<void>> p;
    s.submit([&f](store::Tx& tx) { return f(tx); }, [&p](result<void> r) { p.set_value(r); });
    const auto r = p.get_future().get();
    if (!r) {
        throw std::runtime_error("unit of work failed: " + r.error().message());
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: scale_bench DIR [--units N] [--reports R]\n";
        return 2;
    }
    const std::string dir = argv[1];
    int units = 100'000;
    long reports = 1'000'000;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--units") {
            units = std::stoi(argv[i + 1]);
        } else if (std::string(argv[i]) == "--reports") {
            reports = std::stol(argv[i + 1]);
        }
    }
    std::filesystem::create_directories(dir);
    const std::string db_path = dir + "/scale.db";
    std::filesystem::remove(db_path);
    std::filesystem::remove(db_path + "-wal");
    std::filesystem::remove(db_path + "-shm");
    const std::string src = LIAISON_SOURCE_DIR;

    auto loaded = templates::load_directory(src + "/templates/data");
    auto cal = templates::load_calendar_file(src + "/seeds/calendar-cn.jsonc");
    const templates::TemplateSet& set = loaded.set;
    const templates::Template& weekly = *set.find("weekly_progress");

    // The roster: one officer per unit, all in one group chat.
    std::vector<handlers::Unit> unit_list;
    std::vector<handlers::Person> people;
    nlohmann::json units_json = nlohmann::json::array();
    nlohmann::json people_json = nlohmann::json::array();
    for (int i = 0; i < units; ++i) {
        const std::string id = "u" + std::to_string(i);
        unit_list.push_back({id, "第" + std::to_string(i) + "网格党支部", false});
        handlers::Person p;
        p.id = "p" + std::to_string(i);
        p.name = "联络员" + std::to_string(i);
        p.unit = id;
        p.accounts = {{"slack", "", "U" + std::to_string(100000 + i)}};
        people.push_back(p);
        units_json.push_back({{"id", id}, {"name", unit_list.back().name}});
        people_json.push_back({{"id", p.id},
                               {"name", p.name},
                               {"unit", id},
                               {"accounts", {{{"bot", "slack"}, {"user", p.accounts.front().user}}}}});
    }
    const handlers::Roster roster(unit_list, people, {{"all", "slack", {"*"}, {"*"}}});
    std::ofstream(dir + "/roster.jsonc")
        << nlohmann::json{{"units", units_json},
                          {"people", people_json},
                          {"chats",
                           {{{"id", "all"}, {"bot", "slack"}, {"units", {"*"}}, {"templates", {"*"}}}}}}
               .dump();

    // The store: 1,000,000 reports and 100,000 sessions, bulk-inserted (not what is measured).
    const auto now = std::chrono::system_clock::now();
    const auto period = templates::period_for(weekly, now, &cal.calendar);
    auto t0 = Steady::now();
    {
        store::SqliteOptions o;
        o.path = db_path;
        store::SqliteStore s(o);
        s.close();
    }
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(
        db,
        "INSERT INTO reports(number, template_id, template_version, period_key, unit_id, author_id, "
        "author_name, bot_id, chat_id, title, fields, status, on_time, revision, submitted_at, updated_at) "
        "VALUES (?1, 'weekly_progress', 1, ?2, ?3, ?4, ?5, 'slack', 'all', ?6, ?7, 'submitted', ?8, 1, ?9, "
        "?9)",
        -1,
        &ins,
        nullptr);
    long n = 0;
    templates::Period p = period;
    int weeks = 0;
    for (; n < reports && units > 0; ++weeks) {
        for (int i = 0; i < units && n < reports; ++i) {
            // This week: nine in ten units have reported, so the board and the round have work.
            if (weeks == 0 && i % 10 == 0) {
                continue;
            }
            const std::string number = "R-2026-" + std::to_string(++n);
            const std::string unit = "u" + std::to_string(i);
            const std::string author = "p" + std::to_string(i);
            const std::string title = "第" + std::to_string(i) + "网格第" + p.key + "周重点任务推进情况";
            sqlite3_bind_text(ins, 1, number.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, p.key.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, unit.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 4, author.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 5, author.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 6, title.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(
                ins,
                7,
                R"({"task":"老旧小区加装电梯","progress":"60","status":"on_track","next_week":"继续推进。","unit":"u"})",
                -1,
                SQLITE_STATIC);
            sqlite3_bind_int(ins, 8, i % 7 == 0 ? 0 : 1);
            // Submitted in its own week, so the digest's 30-day rankings read real rows.
            sqlite3_bind_int64(ins,
                               9,
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   (now - std::chrono::hours(24 * 7 * weeks)).time_since_epoch())
                                   .count());
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        p = templates::previous_period(weekly, p, &cal.calendar);
    }
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(
        db,
        "INSERT INTO sessions(bot_id, chat_id, user_id, state, updated_at) VALUES ('slack', 'all', ?1, "
        "'{\"v\":1,\"template\":\"weekly_progress\",\"stage\":1,\"step\":2,\"answers\":{\"task\":\"x\"}}', "
        "0)",
        -1,
        &ins,
        nullptr);
    for (int i = 0; i < units; ++i) {
        const std::string user = "U" + std::to_string(100000 + i);
        sqlite3_bind_text(ins, 1, user.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    std::printf(
        "seeded %ld reports (%d units, over %d weeks; the last one partly) and %d sessions in %.1f s\n",
        n,
        units,
        weeks,
        units,
        ms_since(t0) / 1000);

    // Baseline: the bare SQL over the same rows the board and the digest read.
    t0 = Steady::now();
    sqlite3_stmt* scan = nullptr;
    sqlite3_prepare_v2(
        db,
        "SELECT unit_id, on_time, title, author_id FROM reports WHERE template_id = 'weekly_progress' "
        "AND period_key = ?1",
        -1,
        &scan,
        nullptr);
    sqlite3_bind_text(scan, 1, period.key.c_str(), -1, SQLITE_TRANSIENT);
    long rows = 0;
    while (sqlite3_step(scan) == SQLITE_ROW) {
        ++rows;
    }
    sqlite3_finalize(scan);
    const double baseline_ms = ms_since(t0);
    sqlite3_close(db);

    store::SqliteOptions o;
    o.path = db_path;
    store::SqliteStore s(o);
    scheduler::Deps deps(set, roster, &cal.calendar);
    deps.push_bots = {"slack"};
    deps.digest = handlers::DigestRule{};

    handlers::StatusBoard board;
    t0 = Steady::now();
    in_tx(s, [&](store::Tx& tx) -> result<void> {
        auto b = scheduler::load_board(deps, tx, weekly, period, std::chrono::system_clock::now());
        if (!b) {
            return b.error();
        }
        board = std::move(*b);
        return {};
    });
    const double board_ms = ms_since(t0);
    const std::string rendered = handlers::render_status(board, weekly, period, "zh-CN");

    std::string digest;
    t0 = Steady::now();
    in_tx(s, [&](store::Tx& tx) -> result<void> {
        auto d = scheduler::digest_doc(deps, tx, std::chrono::system_clock::now(), "zh-CN");
        if (!d) {
            return d.error();
        }
        digest = plain_text(*d);
        return {};
    });
    const double digest_ms = ms_since(t0);

    t0 = Steady::now();
    const handlers::ReminderContext ctx{roster, {}, "zh-CN", {}, {}};
    const auto anchor = templates::reminder_anchor(weekly, period, &cal.calendar).value_or(now);
    const auto sends = handlers::reminder_round(
        "remind/weekly_progress/x/1", weekly, period, anchor, weekly.reminders[1], board, {}, now, ctx);
    const double plan_ms = ms_since(t0);

    // Planning a reminder round with every one of the 100,000 officers missing.
    handlers::StatusBoard empty = handlers::status_board(weekly, roster, {});
    t0 = Steady::now();
    const auto all_sends = handlers::reminder_round(
        "remind/weekly_progress/x/1", weekly, period, anchor, weekly.reminders[1], empty, {}, now, ctx);
    const double plan_all_ms = ms_since(t0);
    s.close();

    std::printf("scan of this week's %ld rows (bare SQL, baseline): %.1f ms\n", rows, baseline_ms);
    std::printf(
        "status board over the store (%d units, %d done): %.1f ms (%.1f× the scan), %zu bytes of text\n",
        static_cast<int>(board.units.size()),
        board.done,
        board_ms,
        board_ms / std::max(baseline_ms, 0.001),
        rendered.size());
    std::printf("weekly digest over the store (3 templates, this and last period): %.1f ms, %zu bytes\n",
                digest_ms,
                digest.size());
    std::printf(
        "plan a reminder round: %zu messages for %d missing units in %.1f ms; all %d officers missing: %zu "
        "messages in %.1f ms\n",
        sends.size(),
        board.expected - board.done,
        plan_ms,
        units,
        all_sends.size(),
        plan_all_ms);
    std::printf(
        "RESULT scale board_ms=%.1f digest_ms=%.1f plan_ms=%.1f plan_all_ms=%.1f scan_ms=%.1f reports=%ld\n",
        board_ms,
        digest_ms,
        plan_ms,
        plan_all_ms,
        baseline_ms,
        n);

    // The configuration for the RSS run: liaison-bot serve on this store and roster.
    const nlohmann::json config{{"server", {{"listen", "127.0.0.1:18280"}}},
                                {"store", {{"path", db_path}}},
                                {"log", {{"level", "warn"}}},
                                {"templates_dir", src + "/templates/data"},
                                {"roster", "roster.jsonc"},
                                {"calendar", src + "/seeds/calendar-cn.jsonc"},
                                {"scheduler", {{"enabled", false}}},
                                {"bots",
                                 {{{"id", "slack"},
                                   {"platform", "slack"},
                                   {"signing_secret", "${BENCH_SLACK_SECRET}"},
                                   {"bot_token", "${BENCH_SLACK_TOKEN}"},
                                   {"bot_user_id", "UBOT"},
                                   {"api_base_url", "http://127.0.0.1:18281/slack"},
                                   {"rate_per_minute", 100000}}}}};
    std::ofstream(dir + "/liaison.jsonc") << config.dump(1);
    return 0;
}
