// Submitted reports (reports), their revisions (report_revisions) and numbers (report_counters).
#include "bot/core/hash.hpp"
#include "bot/core/search.hpp"
#include "bot/store/sqlite/tx.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>

namespace bot::store::sqlite {
namespace {

/// 新: the newest reports read per band key (SqliteReports::similar).
constexpr std::int64_t kReportsPerBand = 16;

/// The columns read_report() reads, in its order.
#define LIAISON_REPORT_COLUMNS                                                                         \
    "id, number, template_id, template_version, period_key, unit_id, author_id, author_name, bot_id, " \
    "chat_id, title, fields, status, on_time, revision, submitted_at, updated_at, quality, assignee"

/// A row of LIAISON_REPORT_COLUMNS.
ReportRecord read_report(const Stmt& st) {
    ReportRecord r;
    r.id = st.i64(0);
    r.number = st.text(1);
    r.template_id = st.text(2);
    r.template_version = st.i32(3);
    r.period_key = st.text(4);
    r.unit_id = st.text(5);
    r.author_id = st.text(6);
    r.author_name = st.text(7);
    r.bot_id = st.text(8);
    r.chat_id = st.text(9);
    r.title = st.text(10);
    r.fields = st.text(11);
    r.status = st.text(12);
    r.on_time = st.flag(13);
    r.revision = st.i32(14);
    r.submitted_at = st.time(15);
    r.updated_at = st.time(16);
    r.quality = st.text(17);
    r.assignee = st.text(18);
    return r;
}

}  // namespace

result<ReportRecord> SqliteReports::insert(ReportRecord r, int year) {
    // 1. Next number of the year.
    int n = 0;
    {
        auto counter = db_.prepare("insert_report counter",
                                   "INSERT INTO report_counters(year, last) VALUES (?1, 1) "
                                   "ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
                                   year);
        if (!counter) {
            return counter.error();
        }
        auto row = counter->next();
        if (!row || !*row) {
            return db_.fail("insert_report counter");
        }
        n = counter->i32(0);
    }
    char number[32];
    std::snprintf(number, sizeof number, "R-%04d-%04d", year, n);
    r.number = number;
    r.revision = 1;
    if (r.status.empty()) {
        r.status = "submitted";
    }
    // 2. The report and its first revision.
    auto inserted = db_.run(
        "insert_report",
        "INSERT INTO reports(number, template_id, template_version, period_key, unit_id, author_id, "
        "author_name, bot_id, chat_id, title, fields, status, on_time, revision, submitted_at, updated_at, "
        "quality) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16)",
        r.number,
        r.template_id,
        r.template_version,
        r.period_key,
        r.unit_id,
        r.author_id,
        r.author_name,
        r.bot_id,
        r.chat_id,
        r.title,
        r.fields,
        r.status,
        r.on_time,
        r.revision,
        r.submitted_at,
        r.quality);
    if (!inserted) {
        return inserted.error();
    }
    r.id = db_.last_insert_rowid();
    r.updated_at = r.submitted_at;
    if (auto kept = keep_revision(r, r.submitted_at); !kept) {
        return kept.error();
    }
    if (auto indexed = index_words(r); !indexed) {
        return indexed.error();
    }
    return r;
}

result<std::optional<ReportRecord>> SqliteReports::find(std::string_view number) {
    auto st = db_.prepare(
        "find_report", "SELECT " LIAISON_REPORT_COLUMNS " FROM reports WHERE number = ?1", number);
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    return *row ? std::optional<ReportRecord>(read_report(*st)) : std::nullopt;
}

result<void> SqliteReports::index_words(const ReportRecord& r) {
    // The search row of the report, replaced with each revision (FTS5: a new row for the rowid).
    const std::string words = search::report_text(r.title, r.author_name, r.fields);
    return db_.run(
        "index_words", "INSERT OR REPLACE INTO report_search(rowid, body) VALUES (?1, ?2)", r.id, words);
}

result<void> SqliteReports::keep_revision(const ReportRecord& r, TimePoint at) {
    return db_.run("keep_revision",
                   "INSERT INTO report_revisions(report_id, revision, fields, title, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
                   r.id,
                   r.revision,
                   r.fields,
                   r.title,
                   at);
}

result<std::vector<ReportBrief>> SqliteReports::in_period(std::string_view template_id,
                                                          std::string_view period_key) {
    return period_rows(template_id, period_key, true);
}

result<std::vector<ReportBrief>> SqliteReports::period_states(std::string_view template_id,
                                                              std::string_view period_key) {
    return period_rows(template_id, period_key, false);
}

result<std::vector<ReportBrief>> SqliteReports::period_rows(std::string_view template_id,
                                                            std::string_view period_key,
                                                            bool texts) {
    // In the index's order, sorted by id here: with ORDER BY id SQLite sorted every row of the
    // period in a temporary B-tree, 0.21 s against 0.07 s for a week of 100,000 reports (twice per
    // digest). The ids are sorted, and each row moved once into its place: sorting the rows
    // themselves moved their four strings at every swap.
    auto st =
        texts
            ? db_.prepare(
                  "period_reports",
                  "SELECT id, unit_id, on_time, status, submitted_at, number, author_id, title FROM reports "
                  "WHERE template_id = ?1 AND period_key = ?2 AND status != 'withdrawn'",
                  template_id,
                  period_key)
            : db_.prepare("period_states",
                          "SELECT id, unit_id, on_time, status, submitted_at FROM reports "
                          "WHERE template_id = ?1 AND period_key = ?2 AND status != 'withdrawn'",
                          template_id,
                          period_key);
    if (!st) {
        return st.error();
    }
    std::vector<ReportBrief> rows;
    auto read = st->each([&rows, texts](const Stmt& r) {
        ReportBrief b;
        b.id = r.i64(0);
        b.unit_id = r.text(1);
        b.on_time = r.flag(2);
        b.status = r.text(3);
        b.submitted_at = r.time(4);
        if (texts) {
            b.number = r.text(5);
            b.author_id = r.text(6);
            b.title = r.text(7);
        }
        rows.push_back(std::move(b));
    });
    if (!read) {
        return read.error();
    }
    std::vector<std::pair<std::int64_t, std::size_t>> order;
    order.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        order.emplace_back(rows[i].id, i);
    }
    std::sort(order.begin(), order.end());
    std::vector<ReportBrief> out;
    out.reserve(rows.size());
    for (const auto& [id, i] : order) {
        out.push_back(std::move(rows[i]));
    }
    return out;
}

result<ReportRecord> SqliteReports::revise(std::string_view number,
                                           std::string_view fields,
                                           std::string_view title,
                                           TimePoint now,
                                           std::string_view status,
                                           std::string_view quality) {
    auto found = find(number);
    if (!found) {
        return found.error();
    }
    if (!*found) {
        return errc::not_found;
    }
    ReportRecord r = std::move(**found);
    r.revision += 1;
    r.fields = std::string(fields);
    r.title = std::string(title);
    r.status = std::string(status);
    r.updated_at = now;
    r.quality = std::string(quality);
    auto updated = db_.run("revise_report",
                           "UPDATE reports SET fields = ?2, title = ?3, revision = ?4, status = ?6, "
                           "updated_at = ?5, quality = ?7 WHERE id = ?1",
                           r.id,
                           r.fields,
                           r.title,
                           r.revision,
                           now,
                           r.status,
                           r.quality);
    if (!updated) {
        return updated.error();
    }
    candidates_.clear();  // its title and status as a candidate of similar()
    if (auto kept = keep_revision(r, now); !kept) {
        return kept.error();
    }
    if (auto indexed = index_words(r); !indexed) {
        return indexed.error();
    }
    return r;
}

result<bool> SqliteReports::set_status(std::string_view number,
                                       std::string_view from,
                                       std::string_view to,
                                       TimePoint now) {
    auto changed =
        db_.exec("set_report_status",
                 "UPDATE reports SET status = ?3, updated_at = ?4 WHERE number = ?1 AND status = ?2",
                 number,
                 from,
                 to,
                 now);
    if (!changed) {
        return error_of<bool>(changed);
    }
    if (*changed > 0) {
        candidates_.clear();  // withdrawn ones are no candidates of similar()
    }
    return *changed == 1;
}

result<std::vector<ReportRecord>> SqliteReports::of_author(std::string_view author_id,
                                                           TimePoint since,
                                                           std::size_t limit) {
    return all_rows(db_.prepare("author_reports",
                                "SELECT " LIAISON_REPORT_COLUMNS
                                " FROM reports INDEXED BY reports_author WHERE author_id = ?1 "
                                "AND (submitted_at >= ?2 OR status IN ('submitted', 'returned')) "
                                "ORDER BY id DESC LIMIT ?3",
                                author_id,
                                since,
                                limit),
                    read_report);
}

result<std::vector<ReportRecord>> SqliteReports::waiting(std::span<const std::string> units,
                                                         std::size_t limit) {
    // The units as a JSON array: a scope of a district may hold thousands.
    const std::string unit_list = nlohmann::json(std::vector<std::string>(units.begin(), units.end())).dump();
    const bool all = units.empty();
    return all_rows(
        db_.prepare(
            "waiting_reports",
            "SELECT " LIAISON_REPORT_COLUMNS
            " FROM reports INDEXED BY reports_waiting WHERE status = 'submitted' "
            "AND (?1 OR unit_id IN (SELECT value FROM json_each(?2))) ORDER BY updated_at, id LIMIT ?3",
            all,
            unit_list,
            limit),
        read_report);
}

result<std::vector<ReportRecord>> SqliteReports::arrived(TimePoint from, TimePoint to, std::size_t limit) {
    return all_rows(db_.prepare("arrived_reports",
                                "SELECT " LIAISON_REPORT_COLUMNS
                                " FROM reports INDEXED BY reports_waiting WHERE status = 'submitted' "
                                "AND updated_at >= ?1 AND updated_at < ?2 ORDER BY updated_at, id LIMIT ?3",
                                from,
                                to,
                                limit),
                    read_report);
}

result<void> SqliteReports::adopt(std::string_view number, const Adoption& a) {
    return db_.run("adopt_report",
                   "INSERT INTO adoptions(report_id, level, points, venue, adopted_by, adopted_at) "
                   "SELECT id, ?2, ?3, ?4, ?5, ?6 FROM reports WHERE number = ?1",
                   number,
                   a.level,
                   a.points,
                   a.venue,
                   a.adopted_by,
                   a.adopted_at);
}

result<std::vector<Adoption>> SqliteReports::adoptions(std::string_view number) {
    auto st = db_.prepare("report_adoptions",
                          "SELECT a.level, a.points, a.venue, a.adopted_by, a.adopted_at FROM adoptions a "
                          "JOIN reports r ON r.id = a.report_id WHERE r.number = ?1 ORDER BY a.id",
                          number);
    if (!st) {
        return st.error();
    }
    std::vector<Adoption> out;
    auto each = st->each([&out](const Stmt& r) {
        out.push_back({r.text(0), r.i32(1), r.text(2), r.text(3), r.time(4)});
    });
    if (!each) {
        return each.error();
    }
    return out;
}

result<std::vector<AdoptedReport>> SqliteReports::adopted_between(TimePoint from,
                                                                  TimePoint to,
                                                                  std::size_t limit) {
    return all_rows(
        db_.prepare("adopted_between",
                    "SELECT r.number, r.title, r.unit_id, a.level, a.points, a.venue, a.adopted_at "
                    "FROM adoptions a JOIN reports r ON r.id = a.report_id "
                    "WHERE a.adopted_at >= ?1 AND a.adopted_at < ?2 ORDER BY a.adopted_at, a.id LIMIT ?3",
                    from,
                    to,
                    static_cast<std::int64_t>(limit)),
        [](const Stmt& r) {
            return AdoptedReport{r.text(0), r.text(1), r.text(2), r.text(3), r.i32(4), r.text(5), r.time(6)};
        });
}

result<std::vector<Revision>> SqliteReports::revisions(std::string_view number) {
    return all_rows(
        db_.prepare("report_revisions",
                    "SELECT v.revision, v.title, v.fields, v.created_at FROM report_revisions v "
                    "JOIN reports r ON r.id = v.report_id WHERE r.number = ?1 ORDER BY v.revision",
                    number),
        [](const Stmt& r) {
            return Revision{r.i32(0), r.text(1), r.text(2), r.time(3)};
        });
}

/// The conditions of a ReportFilter but its words, over reports' columns: ?2 from, ?3 to, ?4 the
/// template, ?5 the status, ?6 every unit, ?7 the units (a JSON array), ?9 the marks, ?11 the
/// assignee.
#define LIAISON_FILTER                                                                                      \
    " submitted_at >= ?2 AND submitted_at < ?3 AND (?4 = '' OR template_id = ?4) "                          \
    "AND (?5 = '' OR status = ?5) AND (?6 OR unit_id IN (SELECT value FROM json_each(?7))) "                \
    "AND (?9 = '' OR (quality != '' AND CASE ?9 "                                                           \
    "WHEN 'weak' THEN json_extract(quality, '$.solid') < 60 OR json_extract(quality, '$.fresh') < 60 "      \
    "  OR json_extract(quality, '$.fast') BETWEEN 0 AND 59 "                                                \
    "WHEN 'strong' THEN json_extract(quality, '$.solid') >= 80 AND json_extract(quality, '$.fresh') >= 80 " \
    "  AND (json_extract(quality, '$.fast') < 0 OR json_extract(quality, '$.fast') >= 80) "                 \
    "ELSE 0 END)) AND (?11 = '' OR assignee = ?11) "

namespace {

/// A filter's parameters as bound: the units as a JSON array (a district's scope may hold
/// thousands), the FTS5 expression of its words. Kept until the statement has run.
struct Bound {
    explicit Bound(const ReportFilter& f)
        : units(nlohmann::json(f.units).dump()),
          match(f.words.empty() ? "" : search::match_expression(f.words)) {}
    std::string units;
    std::string match;
};

/// A statement of `sql` over a filter's parameters (LIAISON_FILTER), ?1 the cursor, ?8 the limit,
/// ?10 the FTS5 expression of its words.
result<Stmt> filtered(Db& db,
                      const char* op,
                      const char* sql,
                      const ReportFilter& f,
                      const Bound& b,
                      std::int64_t cursor,
                      std::size_t limit) {
    return db.prepare(op,
                      sql,
                      cursor,
                      f.from,
                      f.to,
                      f.template_id,
                      f.status,
                      f.units.empty(),
                      b.units,
                      limit,
                      f.marks,
                      b.match,
                      f.assignee);
}

}  // namespace

result<std::vector<ReportRecord>> SqliteReports::matching(const ReportFilter& f,
                                                          std::int64_t after,
                                                          std::size_t limit) {
    const Bound b(f);
    if (f.words.empty()) {
        return all_rows(
            filtered(db_,
                     "matching_reports",
                     "SELECT " LIAISON_REPORT_COLUMNS " FROM reports WHERE id > ?1 AND" LIAISON_FILTER
                     "AND ?10 = '' ORDER BY id LIMIT ?8",
                     f,
                     b,
                     after,
                     limit),
            read_report);
    }
    if (b.match.empty()) {
        return std::vector<ReportRecord>{};
    }
    return all_rows(filtered(db_,
                             "matching_reports words",
                             "SELECT " LIAISON_REPORT_COLUMNS
                             " FROM report_search JOIN reports ON reports.id = report_search.rowid "
                             "WHERE report_search MATCH ?10 AND report_search.rowid > ?1 AND" LIAISON_FILTER
                             "ORDER BY report_search.rowid LIMIT ?8",
                             f,
                             b,
                             after,
                             limit),
                    read_report);
}

result<bool> SqliteReports::few_in_scope(std::span<const std::string> units, const std::string& unit_list) {
    // Counting a scope of at most kFewUnits units reads their index entries only.
    constexpr std::size_t kFewUnits = 1000;
    constexpr std::int64_t kFewReports = 1000;
    if (units.empty() || units.size() > kFewUnits) {
        return false;
    }
    auto st =
        db_.prepare("few_in_scope",
                    "SELECT count(*) FROM (SELECT 1 FROM reports INDEXED BY reports_unit WHERE unit_id IN "
                    "(SELECT value FROM json_each(?1)) LIMIT ?2)",
                    unit_list,
                    kFewReports + 1);
    if (!st) {
        return error_of<bool>(st);
    }
    auto row = st->next();
    if (!row || !*row) {
        return row ? result<bool>(errc::store_failure) : error_of<bool>(row);
    }
    return st->i64(0) <= kFewReports;
}

result<std::vector<ReportRecord>> SqliteReports::listing(const ReportFilter& f,
                                                         std::int64_t before,
                                                         std::size_t limit) {
    const std::int64_t below = before > 0 ? before : std::numeric_limits<std::int64_t>::max();
    const Bound b(f);
    if (!f.words.empty()) {
        if (b.match.empty()) {
            return std::vector<ReportRecord>{};
        }
        // A scope of few reports (a 街道's coordinator): its reports, each checked for the words —
        // through the index's order, a common word would pass every match of every other unit.
        auto few = few_in_scope(f.units, b.units);
        if (!few) {
            return few.error();
        }
        if (*few) {
            return all_rows(
                filtered(db_,
                         "listing words in units",
                         "SELECT " LIAISON_REPORT_COLUMNS
                         " FROM reports INDEXED BY reports_unit WHERE unit_id IN (SELECT value FROM "
                         "json_each(?7)) AND id < ?1 AND" LIAISON_FILTER
                         "AND EXISTS (SELECT 1 FROM report_search WHERE report_search MATCH ?10 AND "
                         "report_search.rowid = reports.id) ORDER BY id DESC LIMIT ?8",
                         f,
                         b,
                         below,
                         limit),
                read_report);
        }
        // Newest first through the index's own rowid order: a common word stops at `limit` matches.
        return all_rows(
            filtered(db_,
                     "listing words",
                     "SELECT " LIAISON_REPORT_COLUMNS
                     " FROM report_search JOIN reports ON reports.id = report_search.rowid "
                     "WHERE report_search MATCH ?10 AND report_search.rowid < ?1 AND" LIAISON_FILTER
                     "ORDER BY report_search.rowid DESC LIMIT ?8",
                     f,
                     b,
                     below,
                     limit),
            read_report);
    }
    if (!f.status.empty()) {  // the queue: one status, newest first, through (status, id)
        return all_rows(filtered(db_,
                                 "listing status",
                                 "SELECT " LIAISON_REPORT_COLUMNS
                                 " FROM reports INDEXED BY reports_status WHERE status = ?5 AND id < ?1 "
                                 "AND" LIAISON_FILTER "AND ?10 = '' ORDER BY id DESC LIMIT ?8",
                                 f,
                                 b,
                                 below,
                                 limit),
                        read_report);
    }
    return all_rows(filtered(db_,
                             "listing",
                             "SELECT " LIAISON_REPORT_COLUMNS " FROM reports WHERE id < ?1 AND" LIAISON_FILTER
                             "AND ?10 = '' ORDER BY id DESC LIMIT ?8",
                             f,
                             b,
                             below,
                             limit),
                    read_report);
}

result<bool> SqliteReports::assign(std::string_view number, std::string_view person_id) {
    if (auto r =
            db_.run("assign_report", "UPDATE reports SET assignee = ?2 WHERE number = ?1", number, person_id);
        !r) {
        return error_of<bool>(r);
    }
    return db_.changes() > 0;
}

result<UnitHistory> SqliteReports::unit_history(std::string_view unit_id, TimePoint from, TimePoint to) {
    UnitHistory out;
    auto submitted =
        all_rows(db_.prepare("unit_history reports",
                             "SELECT submitted_at FROM reports INDEXED BY reports_unit WHERE unit_id = ?1 "
                             "AND submitted_at >= ?2 AND submitted_at < ?3 AND status != 'withdrawn'",
                             unit_id,
                             from,
                             to),
                 [](const Stmt& r) { return r.time(0); });
    if (!submitted) {
        return submitted.error();
    }
    out.submitted = std::move(*submitted);
    auto adopted =
        all_rows(db_.prepare("unit_history adoptions",
                             "SELECT a.adopted_at, a.points FROM adoptions a JOIN reports r ON r.id = "
                             "a.report_id WHERE r.unit_id = ?1 AND a.adopted_at >= ?2 AND a.adopted_at < ?3",
                             unit_id,
                             from,
                             to),
                 [](const Stmt& r) { return std::pair<TimePoint, int>(r.time(0), r.i32(1)); });
    if (!adopted) {
        return adopted.error();
    }
    out.adopted = std::move(*adopted);
    return out;
}

namespace {

/// The adoptions of [from, to) (of `template_id`, or all: ''), counted into each unit's stats.
result<void> add_adoptions(Db& db,
                           std::map<std::string, UnitStats>& by_unit,
                           TimePoint from,
                           TimePoint to,
                           std::string_view template_id) {
    auto adopted =
        db.prepare("unit_stats adoptions",
                   "SELECT r.unit_id, a.level, count(*), sum(a.points) FROM adoptions a "
                   "JOIN reports r ON r.id = a.report_id WHERE a.adopted_at >= ?1 AND a.adopted_at < ?2 "
                   "AND (?3 = '' OR r.template_id = ?3) GROUP BY r.unit_id, a.level",
                   from,
                   to,
                   template_id);
    if (!adopted) {
        return adopted.error();
    }
    return adopted->each([&by_unit](const Stmt& r) {
        UnitStats& u = by_unit[r.text(0)];
        u.adopted += r.i32(2);
        u.points += r.i32(3);
        u.adopted_by_level[r.text(1)] += r.i32(2);
    });
}

std::vector<UnitStats> stats_of(std::map<std::string, UnitStats> by_unit) {
    std::vector<UnitStats> out;
    out.reserve(by_unit.size());
    for (auto& [unit, stats] : by_unit) {
        stats.unit_id = unit;
        out.push_back(std::move(stats));
    }
    return out;
}

}  // namespace

result<std::vector<UnitStats>> SqliteReports::unit_stats(TimePoint from,
                                                         TimePoint to,
                                                         std::string_view template_id) {
    std::map<std::string, UnitStats> by_unit;
    auto submitted =
        db_.prepare("unit_stats reports",
                    "SELECT unit_id, count(*), sum(on_time), sum(status IN ('approved', 'adopted')) "
                    "FROM reports WHERE status != 'withdrawn' AND submitted_at >= ?1 AND submitted_at < ?2 "
                    "AND (?3 = '' OR template_id = ?3) GROUP BY unit_id",
                    from,
                    to,
                    template_id);
    if (!submitted) {
        return submitted.error();
    }
    auto each = submitted->each([&by_unit](const Stmt& r) {
        UnitStats& u = by_unit[r.text(0)];
        u.submitted = r.i32(1);
        u.on_time = r.i32(2);
        u.approved = r.i32(3);
    });
    if (!each) {
        return each.error();
    }
    if (auto added = add_adoptions(db_, by_unit, from, to, template_id); !added) {
        return added.error();
    }
    return stats_of(std::move(by_unit));
}

result<std::optional<PeriodFigures>> SqliteReports::period_figures(std::string_view zone,
                                                                   std::string_view period,
                                                                   std::string_view template_id,
                                                                   TimePoint from,
                                                                   TimePoint to) {
    auto kept =
        db_.text_of("figures of period",
                    "SELECT zone FROM calendar_zone WHERE EXISTS (SELECT 1 FROM calendar WHERE period = ?1)",
                    period);
    if (!kept) {
        return kept.error();
    }
    if (!*kept || **kept != zone) {
        return std::optional<PeriodFigures>();
    }
    // The period's rows of the template and, for 快 · 实 · 新 (counted over every template, as
    // quality_between does), of every template ('').
    auto rows = db_.prepare("period_figures",
                            "SELECT unit_id, template_id, submitted, on_time, approved, q_reports, q_fast_n, "
                            "q_fast, q_solid, q_fresh, q_figures FROM unit_figures "
                            "WHERE period = ?1 AND template_id IN (?2, '')",
                            period,
                            template_id);
    if (!rows) {
        return rows.error();
    }
    // One row a unit: no map (100,000 units a year). By unit id, as unit_stats gives them.
    PeriodFigures out;
    auto each = rows->each([&](const Stmt& r) {
        if (r.view(1) == template_id && r.i32(2) > 0) {
            UnitStats u;
            u.unit_id = r.text(0);
            u.submitted = r.i32(2);
            u.on_time = r.i32(3);
            u.approved = r.i32(4);
            out.stats.push_back(std::move(u));
        }
        if (r.view(1).empty() && r.i32(5) > 0) {
            out.quality.push_back({r.text(0), r.i32(5), r.i32(6), r.i64(7), r.i64(8), r.i64(9), r.i32(10)});
        }
    });
    if (!each) {
        return each.error();
    }
    const auto by_id = [](const UnitStats& a, const UnitStats& b) {
        return a.unit_id < b.unit_id;
    };
    if (!std::is_sorted(out.stats.begin(), out.stats.end(), by_id)) {
        std::sort(out.stats.begin(), out.stats.end(), by_id);
    }
    // The adoptions (few) on their unit's row, or on a row of its own: adopted in the period,
    // submitted before it.
    std::map<std::string, UnitStats> adopted;
    if (auto added = add_adoptions(db_, adopted, from, to, template_id); !added) {
        return added.error();
    }
    const std::size_t submitted = out.stats.size();
    for (auto& [unit, a] : adopted) {
        a.unit_id = unit;
        const auto end = out.stats.begin() + static_cast<std::ptrdiff_t>(submitted);
        const auto it = std::lower_bound(out.stats.begin(), end, a, by_id);
        if (it != end && it->unit_id == unit) {
            it->adopted = a.adopted;
            it->points = a.points;
            it->adopted_by_level = std::move(a.adopted_by_level);
        } else {
            out.stats.push_back(std::move(a));
        }
    }
    std::inplace_merge(out.stats.begin(),
                       out.stats.begin() + static_cast<std::ptrdiff_t>(submitted),
                       out.stats.end(),
                       by_id);
    return std::optional<PeriodFigures>(std::move(out));
}

result<std::pair<std::vector<UnitStats>, std::vector<UnitStats>>> SqliteReports::unit_stats_split(
    TimePoint from, TimePoint mid, TimePoint to) {
    // One pass over the window's part of the covering index (reports_window), in time order: the
    // rows read do not grow with the years stored. Each row's three flags are read and counted here
    // (SQLite's sum() per column and row cost three times as much: 1.3 s for 890,000 rows), in
    // small counters by the unit's number (Interner); the adoptions, few, go straight to their UnitStats.
    struct Counts {
        int submitted = 0;
        int on_time = 0;
        int approved = 0;
    };
    Interner units;                             // unit id → number
    std::vector<std::array<Counts, 2>> counts;  // by unit number: the first window, the second
    const auto unit_at = [&](std::string_view id) -> std::uint32_t {
        const std::uint32_t n = units.number(id);
        if (n == counts.size()) {
            counts.emplace_back();
        }
        return n;
    };
    auto submitted = db_.prepare(
        "unit_stats_split reports",
        "SELECT unit_id, submitted_at, on_time, "
        "CASE status WHEN 'withdrawn' THEN 2 WHEN 'approved' THEN 1 WHEN 'adopted' THEN 1 ELSE 0 END "
        "FROM reports INDEXED BY reports_window WHERE submitted_at >= ?1 AND submitted_at < ?2",
        from,
        to);
    if (!submitted) {
        return submitted.error();
    }
    const std::int64_t second_from =
        std::chrono::duration_cast<std::chrono::milliseconds>(mid.time_since_epoch()).count();
    auto each = submitted->each([&](const Stmt& r) {
        const int status = r.i32(3);
        if (status == 2) {
            return;  // withdrawn
        }
        Counts& c = counts[unit_at(r.view(0))][r.i64(1) >= second_from ? 1 : 0];
        ++c.submitted;
        c.on_time += r.i32(2) != 0 ? 1 : 0;
        c.approved += status;
    });
    if (!each) {
        return each.error();
    }
    auto adopted =
        db_.prepare("unit_stats_split adoptions",
                    "SELECT r.unit_id, a.level, a.adopted_at < ?2, count(*), sum(a.points) FROM adoptions a "
                    "JOIN reports r ON r.id = a.report_id WHERE a.adopted_at >= ?1 AND a.adopted_at < ?3 "
                    "GROUP BY r.unit_id, a.level, a.adopted_at < ?2",
                    from,
                    mid,
                    to);
    if (!adopted) {
        return adopted.error();
    }
    std::map<std::uint32_t, std::array<UnitStats, 2>> adoptions;  // by unit number
    each = adopted->each([&](const Stmt& r) {
        // The unit may be new here: adopted in the window, submitted before it.
        UnitStats& u = adoptions[unit_at(r.view(0))][r.i32(2) != 0 ? 0 : 1];
        u.adopted += r.i32(3);
        u.points += r.i32(4);
        u.adopted_by_level[r.text(1)] += r.i32(3);
    });
    if (!each) {
        return each.error();
    }
    const std::vector<std::string>& ids = units.strings();
    std::vector<std::uint32_t> order(ids.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(
        order.begin(), order.end(), [&ids](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
    std::pair<std::vector<UnitStats>, std::vector<UnitStats>> out;
    for (const std::uint32_t i : order) {
        const auto found = adoptions.find(i);
        for (std::size_t half = 0; half < 2; ++half) {
            UnitStats s = found == adoptions.end() ? UnitStats{} : std::move(found->second[half]);
            const Counts& c = counts[i][half];
            if (c.submitted == 0 && s.adopted == 0) {
                continue;
            }
            s.unit_id = ids[i];
            s.submitted = c.submitted;
            s.on_time = c.on_time;
            s.approved = c.approved;
            (half == 0 ? out.first : out.second).push_back(std::move(s));
        }
    }
    return out;
}

result<void> SqliteReports::set_signature(std::string_view number,
                                          std::uint64_t exact,
                                          std::string_view minhash,
                                          std::span<const std::int64_t> bands) {
    auto id = db_.text_of("signature_report_id", "SELECT id FROM reports WHERE number = ?1", number);
    if (!id) {
        return id.error();
    }
    if (!*id) {
        return errc::not_found;
    }
    const std::int64_t report = std::stoll(**id);
    candidates_.erase(report);
    // A revision replaces the signature: its old band rows go first (their keys are kept with it).
    auto old = db_.prepare(
        "signature_old_bands", "SELECT bands FROM report_signatures WHERE report_id = ?1", report);
    if (!old) {
        return old.error();
    }
    std::string old_bands;
    if (auto row = old->next(); !row) {
        return row.error();
    } else if (*row) {
        old_bands = old->blob(0);
    }
    for (std::size_t i = 0; i + 8 <= old_bands.size(); i += 8) {
        std::int64_t key = 0;
        std::memcpy(&key, old_bands.data() + i, 8);
        if (auto r = db_.run("signature_drop_band",
                             "DELETE FROM report_bands WHERE bucket = ?1 AND report_id = ?2",
                             key,
                             report);
            !r) {
            return r;
        }
    }
    std::string keys(bands.size() * 8, '\0');
    for (std::size_t i = 0; i < bands.size(); ++i) {
        std::memcpy(keys.data() + i * 8, &bands[i], 8);
    }
    if (auto r =
            db_.run("signature_upsert",
                    "INSERT INTO report_signatures(report_id, exact, minhash, bands) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT(report_id) DO UPDATE SET exact = ?2, minhash = ?3, bands = ?4",
                    report,
                    static_cast<std::int64_t>(exact),
                    Blob{minhash},
                    Blob{keys});
        !r) {
        return r;
    }
    for (const std::int64_t key : bands) {
        if (auto r = db_.run("signature_band",
                             "INSERT OR IGNORE INTO report_bands(bucket, report_id) VALUES (?1, ?2)",
                             key,
                             report);
            !r) {
            return r;
        }
    }
    return {};
}

result<std::vector<SimilarReport>> SqliteReports::similar(std::span<const std::int64_t> bands,
                                                          std::string_view exclude,
                                                          std::size_t limit) {
    // Each key is one backward walk of the band index, newest reports first, at most
    // kReportsPerBand of them: a key that thousands of reports share (a template answered alike
    // week after week) says little, and reading all of them made every preview cost as much as
    // the store is large (bench/run: 59 % of the server's CPU). The newest copies still come first.
    std::unordered_map<std::int64_t, int> shared;
    for (const std::int64_t key : bands) {
        auto st = db_.prepare("band_reports",
                              "SELECT report_id FROM report_bands WHERE bucket = ?1 "
                              "ORDER BY report_id DESC LIMIT ?2",
                              key,
                              kReportsPerBand);
        if (!st) {
            return st.error();
        }
        if (auto read = st->each([&shared](const Stmt& r) { ++shared[r.i64(0)]; }); !read) {
            return read.error();
        }
    }
    std::vector<std::pair<std::int64_t, int>> ranked(shared.begin(), shared.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first > b.first;
    });
    // Read one more than asked: the excluded report may be among them.
    ranked.resize(std::min(ranked.size(), limit + 1));
    if (ranked.empty()) {
        return std::vector<SimilarReport>{};
    }
    // Full: forgotten before the look-up, so that none of its candidates goes with them.
    if (candidates_.size() + ranked.size() > kCandidatesKept) {
        candidates_.clear();
    }
    std::vector<std::int64_t> missing;
    for (const auto& [id, n] : ranked) {
        if (!candidates_.contains(id)) {
            missing.push_back(id);
        }
    }
    if (!missing.empty()) {
        const std::string ids = nlohmann::json(missing).dump();
        auto st = db_.prepare("similar_reports",
                              "SELECT r.id, r.number, r.title, r.unit_id, s.exact, s.minhash, "
                              "r.status = 'withdrawn' "
                              "FROM json_each(?1) j JOIN reports r ON r.id = j.value "
                              "JOIN report_signatures s ON s.report_id = r.id",
                              ids);
        if (!st) {
            return st.error();
        }
        auto read = st->each([this](const Stmt& r) {
            candidates_.insert_or_assign(
                r.i64(0),
                Candidate{
                    SimilarReport{
                        r.text(1), r.text(2), r.text(3), static_cast<std::uint64_t>(r.i64(4)), r.blob(5), 0},
                    r.i64(6) != 0});
        });
        if (!read) {
            candidates_.clear();
            return read.error();
        }
    }
    std::vector<SimilarReport> out;
    for (const auto& [id, n] : ranked) {
        const auto it = candidates_.find(id);
        if (it == candidates_.end() || it->second.withdrawn || it->second.report.number == exclude) {
            continue;
        }
        if (out.size() < limit) {
            out.push_back(it->second.report);
            out.back().shared = n;
        }
    }
    return out;
}

result<std::vector<ReportRecord>> SqliteReports::exemplars(std::string_view template_id,
                                                           bool all,
                                                           std::span<const std::string> units,
                                                           std::size_t limit) {
    const std::string unit_list = nlohmann::json(std::vector<std::string>(units.begin(), units.end())).dump();
    return all_rows(db_.prepare("exemplar_reports",
                                "SELECT " LIAISON_REPORT_COLUMNS " FROM reports "
                                "WHERE template_id = ?1 AND status IN ('adopted', 'approved') "
                                "AND (?2 OR unit_id IN (SELECT value FROM json_each(?3))) "
                                "ORDER BY status = 'adopted' DESC, updated_at DESC, id DESC LIMIT ?4",
                                template_id,
                                all,
                                unit_list,
                                limit),
                    read_report);
}

result<std::vector<UnitQuality>> SqliteReports::quality_between(TimePoint from, TimePoint to) {
    return all_rows(
        db_.prepare(
            "quality_between",
            "SELECT unit_id, count(*), "
            "  count(CASE WHEN json_extract(quality, '$.fast') >= 0 THEN 1 END), "
            "  coalesce(sum(CASE WHEN json_extract(quality, '$.fast') >= 0 "
            "                    THEN json_extract(quality, '$.fast') END), 0), "
            "  coalesce(sum(json_extract(quality, '$.solid')), 0), "
            "  coalesce(sum(json_extract(quality, '$.fresh')), 0), "
            "  coalesce(sum(json_extract(quality, '$.figures')), 0) "
            "FROM reports INDEXED BY reports_window "
            "WHERE submitted_at >= ?1 AND submitted_at < ?2 AND status != 'withdrawn' AND quality != '' "
            "GROUP BY unit_id",
            from,
            to),
        [](const Stmt& r) {
            return UnitQuality{r.text(0), r.i32(1), r.i32(2), r.i64(3), r.i64(4), r.i64(5), r.i32(6)};
        });
}

result<std::vector<ReportRecord>> SqliteReports::unsigned_reports(std::int64_t after_id, std::size_t limit) {
    return all_rows(db_.prepare("unsigned_reports",
                                "SELECT " LIAISON_REPORT_COLUMNS " FROM reports r WHERE r.id > ?1 "
                                "AND NOT EXISTS (SELECT 1 FROM report_signatures s WHERE s.report_id = r.id) "
                                "ORDER BY id LIMIT ?2",
                                after_id,
                                limit),
                    read_report);
}

result<std::int64_t> SqliteReports::last_report_id() {
    auto id = db_.text_of("last_report_id", "SELECT coalesce(max(id), 0) FROM reports");
    if (!id) {
        return id.error();
    }
    return *id ? std::stoll(**id) : 0;
}

}  // namespace bot::store::sqlite
