// The coordinators' desk at scale (docs/desk.md), over scale_bench's store (DIR/scale.db: a million
// reports of 100,000 units): the search index of every report (a bulk load, not measured), ten
// thousand of them left waiting for review, then the server's work for a page —
//   the queue: the 50 newest waiting reports (of every unit, and of a scope of 1,000 units) read and
//              rendered as the desk's HTML page;
//   search:    the newest 50 reports holding a rare word, a common word, two characters, and a phrase
//              of two words of one report, read and rendered;
//   units:     units compared over this year (every report of the store in the window: 100,000
//              units ranked, the chart and the first 200 rendered), as an admin sees the page,
//              from the figures kept per unit and period (migration 23) and, as the baseline,
//              from the reports themselves;
//   progress:  本期进度 (each report type's status board of its current period, counted, the first
//              20 missing named), its own page.
// The baseline, in the same run: the bare SQL scan a search would be without an index (instr over
// every report's words), for the two-character query.
//
// Usage: desk_bench DIR [--repeat K]   (after scale_bench DIR)
#include "bench/texts.hpp"
#include "bot/core/search.hpp"
#include "bot/loaders.hpp"
#include "bot/runtime.hpp"
#include "bot/store/sqlite/store.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/rankings.hpp"
#include "bot/web/desk.hpp"
#include "bot/web/desk_pages.hpp"
#include "handlers/ranking.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace bot;
using Steady = std::chrono::steady_clock;

double ms_since(Steady::time_point t0) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

/// Every report's words in the search index, drawn as scale_bench draws its texts (a bulk load);
/// nothing when the index is already full. Then all but the newest 10,000 reports reviewed.
long prepare(sqlite3* db, bench::Texts& texts) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(
        db, "SELECT (SELECT count(*) FROM report_search), (SELECT max(id) FROM reports)", -1, &st, nullptr);
    sqlite3_step(st);
    const long indexed = sqlite3_column_int64(st, 0);
    const long n = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (indexed < n) {
        const auto t0 = Steady::now();
        sqlite3_exec(
            db, "PRAGMA synchronous=OFF; BEGIN; DELETE FROM report_search", nullptr, nullptr, nullptr);
        sqlite3_stmt* read = nullptr;
        sqlite3_stmt* ins = nullptr;
        sqlite3_prepare_v2(
            db, "SELECT id, title, author_name, fields FROM reports ORDER BY id", -1, &read, nullptr);
        sqlite3_prepare_v2(db, "INSERT INTO report_search(rowid, body) VALUES (?1, ?2)", -1, &ins, nullptr);
        while (sqlite3_step(read) == SQLITE_ROW) {
            const auto col = [read](int i) {
                return std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(read, i)),
                                        static_cast<std::size_t>(sqlite3_column_bytes(read, i)));
            };
            const std::string words = search::report_text(col(1), col(2), col(3)) + " " +
                                      search::index_text(texts.text(texts.draw(60)));
            sqlite3_bind_int64(ins, 1, sqlite3_column_int64(read, 0));
            sqlite3_bind_text(ins, 2, words.data(), static_cast<int>(words.size()), SQLITE_STATIC);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_finalize(read);
        sqlite3_finalize(ins);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        std::printf("indexed %ld reports for search in %.1f s\n", n, ms_since(t0) / 1000);
    }
    sqlite3_exec(db,
                 "UPDATE reports SET status = 'approved' WHERE status = 'submitted' AND id <= "
                 "(SELECT max(id) FROM reports) - 10000",
                 nullptr,
                 nullptr,
                 nullptr);
    return n;
}

/// The bare scan a search would be without the index: every report's words read for `needle`.
double scan_ms(sqlite3* db, const std::string& needle, long& hits) {
    const auto t0 = Steady::now();
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM report_search WHERE instr(body, ?1) > 0", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, needle.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    hits = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ms_since(t0);
}

/// The median time of `repeat` units of work running `work` (the server's share of a page).
template <class Work>
double median_ms(store::SqliteStore& s, int repeat, Work work) {
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = Steady::now();
        std::promise<result<void>> done;
        s.submit([&](store::Tx& tx) -> result<void> { return work(tx); },
                 [&done](result<void> r) { done.set_value(r); });
        if (!done.get_future().get()) {
            std::fprintf(stderr, "desk_bench: the store failed\n");
            std::exit(1);
        }
        times.push_back(ms_since(t0));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

/// A page of the desk: the newest 50 of `filter` read in one unit of work and rendered.
struct Page {
    double ms = 0;  ///< median
    std::size_t rows = 0;
    std::size_t bytes = 0;
};

Page page(store::SqliteStore& s, const store::ReportFilter& filter, int repeat) {
    Page out;
    out.ms = median_ms(s, repeat, [&](store::Tx& tx) -> result<void> {
        auto rows = tx.reports().listing(filter, 0, 51);
        if (!rows) {
            return rows.error();
        }
        web::desk_pages::ListView v;
        for (const auto& r : *rows) {
            v.rows.push_back({.number = r.number,
                              .title = r.title,
                              .unit = r.unit_id,
                              .author = r.author_name,
                              .kind = r.template_id,
                              .date = "2026-12-07",
                              .status = r.status,
                              .marks = {},
                              .revision = r.revision});
        }
        out.rows = rows->size();
        out.bytes = web::desk_pages::list("zh-CN", v).size();
        return {};
    });
    return out;
}

/// 本期进度 as its page shows it (web::desk_view::board_lines, then rendered), median of `repeat`.
double progress_page(store::SqliteStore& s, const usecase::Deps& deps, int repeat) {
    return median_ms(s, repeat, [&](store::Tx& tx) -> result<void> {
        auto lines =
            web::desk_view::board_lines(deps, tx, nullptr, "zh-CN", std::chrono::system_clock::now());
        if (!lines) {
            return lines.error();
        }
        (void)web::desk_pages::progress("zh-CN", *lines, std::string(43, 'x'));  // a CSRF token's length
        return {};
    });
}

/// Units compared over this year, as the desk's page reads and renders it (median of `repeat`), in
/// `zone`'s calendar.
double units_page(store::SqliteStore& s,
                  const usecase::Deps& deps,
                  int repeat,
                  std::string_view zone,
                  std::size_t& ranked) {
    return median_ms(s, repeat, [&](store::Tx& tx) -> result<void> {
        const auto w = handlers::ranking::window_of(zone, std::chrono::system_clock::now(), "year");
        auto ranking = usecase::rankings(deps, tx, nullptr, w);
        if (!ranking) {
            return ranking.error();
        }
        web::desk_pages::UnitsView v;
        v.span = "year";
        v.window = "2026";
        web::desk_view::compare(v, deps.roster, {{"区级", 1}, {"市级", 3}, {"省级", 5}}, "zh-CN", *ranking);
        ranked = ranking->rows.size();
        (void)web::desk_pages::units("zh-CN", v);
        return {};
    });
}

/// The searches, each read and rendered as a page (median of `repeat`): a rare word, a common one,
/// two characters, a phrase; then a common word searched by a coordinator of one unit (ten reports
/// of a million) and of 1,000 units — most of its matches are outside the scope — and both sides of
/// where the store changes plans (1,000 reports in the scope): a rare word in 100 units (each report
/// checked), a common word in 150 (the word's matches followed). Returns the worst; `figures` gets
/// each as " search_<label>_ms=…".
double searches(store::SqliteStore& s,
                bench::Texts& texts,
                const std::string& pair,
                const std::vector<std::string>& scope,
                long n,
                int repeat,
                std::string& figures) {
    double worst = 0;
    const std::vector<std::string> one_unit{"u4242"};
    for (const auto& [label, words, units] :
         std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
             {"rare", texts.word(2900), {}},
             {"common", texts.word(0), {}},
             {"pair", pair, {}},
             {"phrase", texts.word(40) + texts.word(41), {}},
             {"common_one_unit", texts.word(0), one_unit},
             {"common_1000_units", texts.word(0), scope},
             {"rare_100_units", texts.word(2900), {scope.begin(), scope.begin() + 100}},
             {"common_150_units", texts.word(0), {scope.begin(), scope.begin() + 150}}}) {
        const Page p = page(s, {.units = units, .words = words}, repeat);
        worst = std::max(worst, p.ms);
        std::printf(
            "desk search over %ld reports, %s word: %.1f ms (%zu rows)\n", n, label.c_str(), p.ms, p.rows);
        char buf[96];
        std::snprintf(buf, sizeof buf, " search_%s_ms=%.1f", label.c_str(), p.ms);
        figures += buf;
    }
    return worst;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: desk_bench DIR [--repeat K]\n");
        return 2;
    }
    const std::string db_path = std::string(argv[1]) + "/scale.db";
    const int repeat = argc >= 4 && std::string(argv[2]) == "--repeat" ? std::max(1, std::atoi(argv[3])) : 5;
    bench::Texts texts(7);
    const std::string zone = "Asia/Shanghai";
    {  // the schema of this build (report_search), the units' figures kept per period, then the bulk load
        store::SqliteOptions so;
        so.path = db_path;
        so.zone = zone;
        so.calendar = [z = zone] {
            return app::calendar_of(z);
        };
        const auto t0 = Steady::now();
        store::SqliteStore s(so);
        std::printf("opened (migrations, the units' figures of every report when first kept) in %.1f s\n",
                    ms_since(t0) / 1000);
        s.close();
    }
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    const long n = prepare(db, texts);
    long hits = 0;
    const std::string pair = texts.word(1).substr(0, 6);  // two characters of a common word
    const double baseline = scan_ms(db, pair, hits);
    sqlite3_close(db);

    store::SqliteOptions so;
    so.path = db_path;
    so.zone = zone;
    so.calendar = [z = zone] {
        return app::calendar_of(z);
    };
    store::SqliteStore s(so);
    const Page queue = page(s, {.status = "submitted"}, repeat);
    store::ReportFilter scoped{.status = "submitted"};
    for (int u = 0; u < 1000; ++u) {
        scoped.units.push_back("u" + std::to_string(u * 97));
    }
    const Page queue_scoped = page(s, scoped, repeat);
    std::printf(
        "desk queue, %d waiting of %ld: every unit %.1f ms (%zu rows, %zu bytes); a scope of 1,000 units "
        "%.1f ms (%zu rows)\n",
        10000,
        n,
        queue.ms,
        queue.rows,
        queue.bytes,
        queue_scoped.ms,
        queue_scoped.rows);
    std::string figures;
    const double worst = searches(s, texts, pair, scoped.units, n, repeat, figures);
    std::printf("baseline, a bare scan of every report's words for two characters: %.1f ms (%ld hits)\n",
                baseline,
                hits);
    const std::string src = LIAISON_SOURCE_DIR;
    const auto loaded = loaders::templates_in(src + "/templates/data");
    const auto roster = loaders::roster_file(std::string(argv[1]) + "/roster.jsonc");
    const usecase::Deps deps(loaded.set, roster.roster, nullptr);
    std::size_t ranked = 0;
    const double units_ms = units_page(s, deps, repeat, zone, ranked);
    // The baseline: the same comparison read from every report of the year (a zone the store keeps
    // no figures for: usecase::rankings falls back to the reports, as before migration 23).
    const double reports_ms = units_page(s, deps, repeat, "Etc/GMT-8", ranked);
    const double progress_ms = progress_page(s, deps, repeat);
    std::printf(
        "desk units compared over this year: %.1f ms (%zu units ranked over %ld reports); baseline, the same "
        "from the reports: %.1f ms\n本期进度 (%zu report types, each unit's state): %.1f ms\n",
        units_ms,
        ranked,
        n,
        reports_ms,
        deps.templates.all().size(),
        progress_ms);
    std::printf(
        "RESULT desk queue_ms=%.1f queue_scoped_ms=%.1f search_ms=%.1f scan_ms=%.1f units_ms=%.1f "
        "units_reports_ms=%.1f progress_ms=%.1f reports=%ld%s\n",
        queue.ms,
        queue_scoped.ms,
        worst,
        baseline,
        units_ms,
        reports_ms,
        progress_ms,
        n,
        figures.c_str());
    s.close();
    return 0;
}
