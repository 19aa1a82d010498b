// Scale figures: a store with 1,000,000 reports (100,000 units' weekly reports, this week and back
// week by week until there are a million; this week one unit in ten has not reported) and 100,000
// open sessions; the time to compute the status board and the weekly digest over it,
// and to plan one reminder round for 100,000 officers. The baseline, measured in the same run, is
// the bare SQL scan of the same rows (what no application code can beat).
//
// 新: every report gets a signature of a synthetic text (60 words of a 3,000-word vocabulary of
// random CJK words, Zipf-distributed: unrelated texts share their common words, as real reports
// share 社区 and 党员); then 100 lightly reworded copies of stored reports and 100 new texts are
// checked as at preview (sign, band lookup through the store, similarity of the candidates). The
// baseline is comparing one signature with every stored one, in memory.
//
// Usage: scale_bench DIR [--units N] [--reports R] [--reuse] [--repeat K]
//   --repeat: the board and the digest are each computed K times (default 3); the median is the
//             figure, every time is printed
//   --reuse: measure on DIR's store of an earlier run with the same --units and --reports (no
//            seeding; the signatures are drawn again, as the seeding drew them, but not stored)
//   leaves DIR/scale.db, DIR/roster.jsonc and DIR/liaison.jsonc (for the RSS run in bench/run)
#include "bench/serve_config.hpp"
#include "bench/texts.hpp"
#include "bot/loaders.hpp"
#include "bot/store/sqlite/store.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "handlers/quality.hpp"
#include "handlers/schedule.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <random>

namespace {

using namespace bot;
using bench::Texts;
using Steady = std::chrono::steady_clock;

double ms_since(Steady::time_point t0) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

/// A step timed `n` times: the median, and every time ("ms, ms, ...") to print.
struct Timed {
    double median = 0;
    std::string all;
};

template <class F>
Timed timed(int n, F&& step) {
    std::vector<double> times;
    Timed out;
    for (int i = 0; i < n; ++i) {
        const auto t0 = Steady::now();
        step();
        times.push_back(ms_since(t0));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.0f", i == 0 ? "" : ", ", times.back());
        out.all += buf;
    }
    std::sort(times.begin(), times.end());
    out.median = times[times.size() / 2];
    out.all += " ms";
    return out;
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

/// The store's reports (this week and back week by week, until `reports`) and sessions, bulk-
/// inserted (not what is measured); with `reuse`, nothing: the reports are counted. Returns the
/// reports and the weeks.
std::pair<long, int> seed_reports(sqlite3* db,
                                  int units,
                                  long reports,
                                  bool reuse,
                                  const templates::Template& weekly,
                                  const templates::Period& period,
                                  const templates::WorkCalendar* calendar,
                                  std::chrono::system_clock::time_point now) {
    sqlite3_exec(db, reuse ? "BEGIN" : "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);
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
    for (; !reuse && n < reports && units > 0; ++weeks) {
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
        p = templates::previous_period(weekly, p, calendar);
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
    for (int i = 0; i < units && !reuse; ++i) {
        const std::string user = "U" + std::to_string(100000 + i);
        sqlite3_bind_text(ins, 1, user.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    if (reuse) {
        sqlite3_stmt* count = nullptr;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM reports", -1, &count, nullptr);
        n = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
        sqlite3_finalize(count);
    }
    return {n, weeks};
}

/// 新 at scale.
struct Signed {
    std::vector<std::pair<long, std::vector<int>>> planted;  ///< 100 reports' words, to reword
    std::vector<handlers::quality::Signature> all;
};

/// A signature for every report (what sign_stored_reports would build), stored unless `reuse`; 100
/// of them kept to be reworded. Band rows are inserted in key order: a bulk load, not measured.
Signed sign_reports(sqlite3* db, long n, bool reuse, Texts& texts) {
    auto t0 = Steady::now();
    sqlite3_stmt* ins = nullptr;
    std::vector<std::pair<long, std::vector<int>>> planted;
    std::vector<handlers::quality::Signature> all_signatures;
    all_signatures.reserve(static_cast<std::size_t>(n));
    std::vector<std::pair<std::int64_t, long>> band_rows;
    band_rows.reserve(static_cast<std::size_t>(n) * handlers::quality::kBands);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(
        db,
        "INSERT INTO report_signatures(report_id, exact, minhash, bands) VALUES (?1, ?2, ?3, ?4)",
        -1,
        &ins,
        nullptr);
    const long every = std::max(1L, n / 100);
    for (long id = 1; id <= n; ++id) {
        const auto words = texts.draw(60);
        if (id % every == 0 && planted.size() < 100) {
            planted.emplace_back(id, words);
        }
        const auto sig = handlers::quality::sign(texts.text(words));
        const auto keys = handlers::quality::band_keys(sig);
        const std::string blob = handlers::quality::to_blob(sig);
        const std::string key_blob(reinterpret_cast<const char*>(keys.data()), keys.size() * 8);
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_int64(ins, 2, static_cast<std::int64_t>(sig.exact));
        sqlite3_bind_blob(ins, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(ins, 4, key_blob.data(), static_cast<int>(key_blob.size()), SQLITE_TRANSIENT);
        if (!reuse) {
            sqlite3_step(ins);
            for (const auto k : keys) {
                band_rows.emplace_back(k, id);
            }
        }
        sqlite3_reset(ins);
        all_signatures.push_back(sig);
    }
    sqlite3_finalize(ins);
    std::sort(band_rows.begin(), band_rows.end());
    sqlite3_prepare_v2(
        db, "INSERT OR IGNORE INTO report_bands(bucket, report_id) VALUES (?1, ?2)", -1, &ins, nullptr);
    for (const auto& [k, id] : band_rows) {
        sqlite3_bind_int64(ins, 1, k);
        sqlite3_bind_int64(ins, 2, id);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    std::printf(
        "seeded %ld signatures and %zu band rows in %.1f s\n", n, band_rows.size(), ms_since(t0) / 1000);
    band_rows = {};
    return {std::move(planted), std::move(all_signatures)};
}

struct Novelty {
    double mean_ms = 0, p99_ms = 0, scan_ms = 0, scan_best = 0;
    double candidates = 0;  ///< per check
    int found = 0, copies = 0, false_hits = 0, probes = 0;
};

/// 新 at preview: 100 reworded copies of stored reports and 100 new texts checked through the store,
/// against one signature compared with every stored one in memory.
Novelty check_novelty(store::SqliteStore& s, Texts& texts, const Signed& stored) {
    const auto& planted = stored.planted;
    const auto& all_signatures = stored.all;
    auto t0 = Steady::now();
    struct Probe {
        std::string text;
        std::string copy_of;  ///< the stored report it rewords, or empty
    };
    std::vector<Probe> probes;
    for (const auto& [id, words] : planted) {
        probes.push_back({texts.text(texts.reword(words, 12)), "R-2026-" + std::to_string(id)});
        probes.push_back({texts.text(texts.draw(60)), ""});
    }
    std::vector<double> check_ms;
    std::size_t candidates = 0;
    int found = 0;
    int copies = 0;
    int false_hits = 0;
    for (const auto& probe : probes) {
        t0 = Steady::now();
        const auto sig = handlers::quality::sign(probe.text);
        const auto keys = handlers::quality::band_keys(sig);
        std::string best;
        double best_sim = 0;
        in_tx(s, [&](store::Tx& tx) -> result<void> {
            auto similar = tx.reports().similar(keys, "", handlers::quality::kCandidates);
            if (!similar) {
                return similar.error();
            }
            candidates += similar->size();
            for (const auto& c : *similar) {
                if (const auto other = handlers::quality::from_blob(c.exact, c.minhash)) {
                    if (const double sim = handlers::quality::similarity(sig, *other); sim > best_sim) {
                        best_sim = sim;
                        best = c.number;
                    }
                }
            }
            return {};
        });
        check_ms.push_back(ms_since(t0));
        const bool shown = best_sim >= 0.6;
        if (!probe.copy_of.empty()) {
            ++copies;
            found += shown && best == probe.copy_of ? 1 : 0;
        } else {
            false_hits += shown ? 1 : 0;
        }
    }
    std::sort(check_ms.begin(), check_ms.end());
    double check_sum = 0;
    for (const double v : check_ms) {
        check_sum += v;
    }
    const double novelty_mean = check_sum / static_cast<double>(check_ms.size());
    const double novelty_p99 = check_ms[check_ms.size() * 99 / 100];
    // Baseline: one signature against every stored one, in memory (no store, no index).
    t0 = Steady::now();
    const auto probe_sig = handlers::quality::sign(probes.front().text);
    double scan_best = 0;
    for (const auto& other : all_signatures) {
        scan_best = std::max(scan_best, handlers::quality::similarity(probe_sig, other));
    }
    const double novelty_scan_ms = ms_since(t0);
    return {novelty_mean,
            novelty_p99,
            novelty_scan_ms,
            scan_best,
            static_cast<double>(candidates) / static_cast<double>(probes.size()),
            found,
            copies,
            false_hits,
            static_cast<int>(probes.size())};
}

}  // namespace

/// The roster: one officer per unit, all in one group chat; also written to DIR/roster.jsonc for
/// the RSS run.
handlers::Roster write_roster(const std::string& dir, int units) {
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
    handlers::Roster roster(
        unit_list, people, {{.id = "all", .bot = "slack", .units = {"*"}, .templates = {"*"}}});
    std::ofstream(dir + "/roster.jsonc")
        << nlohmann::json{{"units", units_json},
                          {"people", people_json},
                          {"chats",
                           {{{"id", "all"}, {"bot", "slack"}, {"units", {"*"}}, {"templates", {"*"}}}}}}
               .dump();
    return roster;
}

/// DIR/liaison.jsonc for the RSS run: liaison-bot serve on this store and roster.
void write_serve_config(const std::string& dir, const std::string& db_path) {
    const nlohmann::json config =
        bench::serve_config("127.0.0.1:18280", db_path, "warn", "http://127.0.0.1:18281/slack");
    std::ofstream(dir + "/liaison.jsonc") << config.dump(1);
}

namespace {

struct Options {
    std::string dir;
    int units = 100'000;
    long reports = 1'000'000;
    bool reuse = false;
    int repeat = 3;
};

std::optional<Options> parse_options(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: scale_bench DIR [--units N] [--reports R] [--reuse] [--repeat K]\n";
        return std::nullopt;
    }
    Options o{.dir = argv[1]};
    for (int i = 2; i < argc; ++i) {
        if (std::string(argv[i]) == "--reuse") {
            o.reuse = true;
            continue;
        }
        if (i + 1 >= argc) {
            break;
        }
        if (std::string(argv[i]) == "--units") {
            o.units = std::stoi(argv[i + 1]);
        } else if (std::string(argv[i]) == "--reports") {
            o.reports = std::stol(argv[i + 1]);
        } else if (std::string(argv[i]) == "--repeat") {
            o.repeat = std::max(1, std::stoi(argv[i + 1]));
        }
        ++i;
    }
    return o;
}

/// The baseline: the bare SQL over the same rows the board and the digest read.
double bare_scan_ms(sqlite3* db, const std::string& period_key, long& rows) {
    const auto t0 = Steady::now();
    sqlite3_stmt* scan = nullptr;
    sqlite3_prepare_v2(
        db,
        "SELECT unit_id, on_time, title, author_id FROM reports WHERE template_id = 'weekly_progress' "
        "AND period_key = ?1",
        -1,
        &scan,
        nullptr);
    sqlite3_bind_text(scan, 1, period_key.c_str(), -1, SQLITE_TRANSIENT);
    rows = 0;
    while (sqlite3_step(scan) == SQLITE_ROW) {
        ++rows;
    }
    sqlite3_finalize(scan);
    return ms_since(t0);
}

/// What is measured over the seeded store: the board, the digest, reminder planning.
struct Measured {
    handlers::StatusBoard board;
    std::string rendered;
    std::string digest;
    Timed board_ms;
    Timed digest_ms;
    std::size_t sends = 0;
    double plan_ms = 0;
    std::size_t all_sends = 0;
    double plan_all_ms = 0;
};

Measured measure(store::SqliteStore& s,
                 const usecase::Deps& deps,
                 const templates::Template& weekly,
                 const templates::Period& period,
                 const templates::WorkCalendar& calendar,
                 int repeat) {
    Measured m;
    const auto now = std::chrono::system_clock::now();
    m.board_ms = timed(repeat, [&] {
        in_tx(s, [&](store::Tx& tx) -> result<void> {
            auto b = usecase::load_board(deps, tx, weekly, period, std::chrono::system_clock::now());
            if (!b) {
                return b.error();
            }
            m.board = std::move(*b);
            return {};
        });
    });
    m.rendered = handlers::render_status(m.board, weekly, period, "zh-CN");
    m.digest_ms = timed(repeat, [&] {
        in_tx(s, [&](store::Tx& tx) -> result<void> {
            auto d = usecase::digest_doc(deps, tx, std::chrono::system_clock::now(), "zh-CN");
            if (!d) {
                return d.error();
            }
            m.digest = plain_text(*d);
            return {};
        });
    });
    auto t0 = Steady::now();
    const handlers::ReminderContext ctx{deps.roster, {}, "zh-CN", {}, {}};
    const auto anchor = templates::reminder_anchor(weekly, period, &calendar).value_or(now);
    m.sends =
        handlers::reminder_round(
            "remind/weekly_progress/x/1", weekly, period, anchor, weekly.reminders[1], m.board, {}, now, ctx)
            .size();
    m.plan_ms = ms_since(t0);
    // Planning a reminder round with every one of the 100,000 officers missing.
    const handlers::StatusBoard empty = handlers::status_board(weekly, deps.roster, {});
    t0 = Steady::now();
    m.all_sends =
        handlers::reminder_round(
            "remind/weekly_progress/x/1", weekly, period, anchor, weekly.reminders[1], empty, {}, now, ctx)
            .size();
    m.plan_all_ms = ms_since(t0);
    return m;
}

void print_results(const Options& o,
                   long n,
                   long rows,
                   double baseline_ms,
                   const Measured& m,
                   const Novelty& novelty,
                   std::size_t signatures) {
    std::printf("scan of this week's %ld rows (bare SQL, baseline): %.1f ms\n", rows, baseline_ms);
    std::printf(
        "status board over the store (%d units, %d done): %.1f ms (%.1f× the scan; %s), %zu bytes of text\n",
        static_cast<int>(m.board.units.size()),
        m.board.done,
        m.board_ms.median,
        m.board_ms.median / std::max(baseline_ms, 0.001),
        m.board_ms.all.c_str(),
        m.rendered.size());
    std::printf("weekly digest over the store (3 templates, this and last period): %.1f ms (%s), %zu bytes\n",
                m.digest_ms.median,
                m.digest_ms.all.c_str(),
                m.digest.size());
    std::printf(
        "plan a reminder round: %zu messages for %d missing units in %.1f ms; all %d officers missing: %zu "
        "messages in %.1f ms\n",
        m.sends,
        m.board.expected - m.board.done,
        m.plan_ms,
        o.units,
        m.all_sends,
        m.plan_all_ms);
    std::printf(
        "novelty check at preview over %ld signatures: mean %.2f ms, p99 %.2f ms (sign, bands, store, "
        "similarity); %.1f candidates a check; reworded copies found %d/%d, new texts shown as similar "
        "%d/%d; "
        "baseline, one signature against all %zu in memory: %.1f ms (best %.2f)\n",
        n,
        novelty.mean_ms,
        novelty.p99_ms,
        novelty.candidates,
        novelty.found,
        novelty.copies,
        novelty.false_hits,
        novelty.probes - novelty.copies,
        signatures,
        novelty.scan_ms,
        novelty.scan_best);
    std::printf(
        "RESULT scale board_ms=%.1f digest_ms=%.1f plan_ms=%.1f plan_all_ms=%.1f scan_ms=%.1f reports=%ld "
        "novelty_ms=%.2f novelty_p99_ms=%.2f novelty_scan_ms=%.1f novelty_found=%d/%d\n",
        m.board_ms.median,
        m.digest_ms.median,
        m.plan_ms,
        m.plan_all_ms,
        baseline_ms,
        n,
        novelty.mean_ms,
        novelty.p99_ms,
        novelty.scan_ms,
        novelty.found,
        novelty.copies);
}
}  // namespace

int main(int argc, char** argv) {
    const auto options = parse_options(argc, argv);
    if (!options) {
        return 2;
    }
    const Options& o = *options;
    std::filesystem::create_directories(o.dir);
    const std::string db_path = o.dir + "/scale.db";
    const bool reuse = o.reuse && std::filesystem::exists(db_path);
    if (!reuse) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(db_path + suffix);
        }
    }
    const std::string src = LIAISON_SOURCE_DIR;
    auto loaded = loaders::templates_in(src + "/templates/data");
    auto cal = loaders::calendar_file(src + "/seeds/calendar-cn.jsonc");
    const templates::TemplateSet& set = loaded.set;
    const templates::Template& weekly = *set.find("weekly_progress");
    const handlers::Roster roster = write_roster(o.dir, o.units);

    // The store: 1,000,000 reports and 100,000 sessions, bulk-inserted (not what is measured).
    const auto now = std::chrono::system_clock::now();
    const auto period = templates::period_for(weekly, now, &cal.calendar);
    const auto t0 = Steady::now();
    {
        store::SqliteOptions so;
        so.path = db_path;
        store::SqliteStore s(so);
        s.close();
    }
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    const auto [n, weeks] = seed_reports(db, o.units, o.reports, reuse, weekly, period, &cal.calendar, now);
    std::printf(
        "seeded %ld reports (%d units, over %d weeks; the last one partly) and %d sessions in %.1f s\n",
        n,
        o.units,
        weeks,
        o.units,
        ms_since(t0) / 1000);
    Texts texts(42);
    const Signed signed_reports = sign_reports(db, n, reuse, texts);
    long rows = 0;
    const double baseline_ms = bare_scan_ms(db, period.key, rows);
    sqlite3_close(db);

    store::SqliteOptions so;
    so.path = db_path;
    store::SqliteStore s(so);
    usecase::Deps deps(set, roster, &cal.calendar);
    deps.push_bots = {"slack"};
    deps.digest = handlers::DigestRule{};
    const Measured m = measure(s, deps, weekly, period, cal.calendar, o.repeat);
    const Novelty novelty = check_novelty(s, texts, signed_reports);
    s.close();
    print_results(o, n, rows, baseline_ms, m, novelty, signed_reports.all.size());
    write_serve_config(o.dir, db_path);
    return 0;
}
