#include "bot/usecases/digest.hpp"

#include "bot/usecases/boards.hpp"
#include "bot/usecases/rankings.hpp"
#include "handlers/ranking.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <set>

namespace bot::usecase {
namespace {

constexpr int kRankingDays = 30;
constexpr std::size_t kRankLines = 3;
constexpr std::size_t kAdoptedRead = 100;

/// The digest's adoptions of the last week and the units at both ends of the rankings.
result<handlers::DigestReview> digest_review(const Deps& deps,
                                             store::Tx& tx,
                                             TimePoint now,
                                             const std::set<std::string, std::less<>>* scope) {
    handlers::DigestReview out;
    out.window_days = kRankingDays;
    auto adopted = tx.reports().adopted_between(now - std::chrono::days(7), now, kAdoptedRead);
    if (!adopted) {
        return adopted.error();
    }
    for (auto& a : *adopted) {
        if (scope != nullptr && scope->count(a.unit_id) == 0) {
            continue;
        }
        const auto* unit = deps.roster.unit(a.unit_id);
        out.adopted.push_back({std::move(a.number),
                               std::move(a.title),
                               unit != nullptr ? unit->name : a.unit_id,
                               std::move(a.level),
                               a.points,
                               std::move(a.venue)});
    }
    const auto window = std::chrono::days(kRankingDays);
    auto windows = tx.reports().unit_stats_split(now - 2 * window, now - window, now);
    if (!windows) {
        return windows.error();
    }
    auto ends = handlers::ranking::standings(figures_of(std::move(windows->second)),
                                             figures_of(std::move(windows->first)),
                                             deps.roster,
                                             scope,
                                             kRankLines);
    out.top = std::move(ends.top);
    out.bottom = std::move(ends.bottom);
    // 快 · 实 · 新 of the week's reports; the units with the lowest 实 (at least two reports).
    auto quality = tx.reports().quality_between(now - std::chrono::days(7), now);
    if (!quality) {
        return quality.error();
    }
    long fast = 0;
    int fast_n = 0;
    long solid = 0;
    long fresh = 0;
    std::vector<std::pair<int, std::string>> by_solid;
    for (const auto& u : *quality) {
        if (scope != nullptr && scope->count(u.unit_id) == 0) {
            continue;
        }
        out.quality.reports += u.reports;
        out.quality.with_figures += u.with_figures;
        fast += u.fast_sum;
        fast_n += u.fast_n;
        solid += u.solid_sum;
        fresh += u.fresh_sum;
        if (u.reports >= 2) {
            const auto* unit = deps.roster.unit(u.unit_id);
            by_solid.emplace_back(static_cast<int>(u.solid_sum / u.reports),
                                  unit != nullptr ? unit->name : u.unit_id);
        }
    }
    if (out.quality.reports > 0) {
        const auto avg = [](long sum, int n) {
            return static_cast<int>((sum + n / 2) / n);
        };
        out.quality.fast = fast_n > 0 ? avg(fast, fast_n) : -1;
        out.quality.solid = avg(solid, out.quality.reports);
        out.quality.fresh = avg(fresh, out.quality.reports);
        std::sort(by_solid.begin(), by_solid.end());
        for (std::size_t i = 0; i < by_solid.size() && i < kRankLines && by_solid.size() > kRankLines; ++i) {
            out.quality.lowest.emplace_back(by_solid[i].second, by_solid[i].first);
        }
    }
    return out;
}

}  // namespace

namespace {

/// An event-driven template's month so far against the same days of the month before: how many of
/// `prev` were submitted by the same point of their month (day and time), and that many days.
std::pair<int, int> same_days(const templates::Template& tmpl,
                              const std::vector<store::ReportBrief>& prev,
                              TimePoint now,
                              const std::set<std::string, std::less<>>* scope) {
    const templates::LocalDate today = templates::local_date(now, tmpl.time_zone);
    const templates::LocalDate first{today.year, today.month, 1};
    const templates::LocalDate prev_first = today.month == 1
                                                ? templates::LocalDate{today.year - 1, 12, 1}
                                                : templates::LocalDate{today.year, today.month - 1, 1};
    const TimePoint start = templates::at_local(tmpl.time_zone, first, std::chrono::minutes(0));
    const TimePoint prev_start = templates::at_local(tmpl.time_zone, prev_first, std::chrono::minutes(0));
    const TimePoint cutoff = std::min(prev_start + (now - start), start);
    const int count =
        static_cast<int>(std::count_if(prev.begin(), prev.end(), [&](const store::ReportBrief& r) {
            return r.submitted_at < cutoff && (scope == nullptr || scope->count(r.unit_id) > 0);
        }));
    return {count, static_cast<int>(today.day)};
}

}  // namespace

result<Doc> digest_doc(
    const Deps& deps, store::Tx& tx, TimePoint now, std::string_view locale, const handlers::Person* reader) {
    const auto visible = deps.roster.visible_units(reader);
    const std::set<std::string, std::less<>>* scope = visible ? &*visible : nullptr;
    std::vector<handlers::DigestSection> sections;
    for (const auto& tmpl : deps.templates.all()) {
        handlers::DigestSection s;
        s.tmpl = &tmpl;
        s.period = handlers::digest_period(tmpl, now, deps.calendar);
        const auto prev = templates::previous_period(tmpl, s.period, deps.calendar);
        const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
        if (event && tmpl.cadence.quota <= 0) {
            // Only counts are shown: no board over every unit (100,000 of them at scale).
            auto rows = tx.reports().in_period(tmpl.id, s.period.key);
            auto prev_rows = tx.reports().period_states(tmpl.id, prev.key);
            if (!rows || !prev_rows) {
                return !rows ? rows.error() : prev_rows.error();
            }
            std::set<std::string> named;
            for (auto& r : *rows) {
                if (scope != nullptr && scope->count(r.unit_id) == 0) {
                    continue;
                }
                // The highlights name units: only those of the reports, not the whole roster.
                if (named.insert(r.unit_id).second) {
                    const auto* unit = deps.roster.unit(r.unit_id);
                    s.board.units.push_back({r.unit_id,
                                             unit != nullptr ? unit->name : r.unit_id,
                                             handlers::UnitState::on_time,
                                             0,
                                             {}});
                }
                s.reports.push_back({std::move(r.number),
                                     std::move(r.unit_id),
                                     r.on_time,
                                     std::move(r.title),
                                     {},
                                     std::move(r.status)});
            }
            std::tie(s.previous_count, s.compared_days) = same_days(tmpl, *prev_rows, now, scope);
            sections.push_back(std::move(s));
            continue;
        }
        auto board = load_board(deps, tx, tmpl, s.period, now, &s.reports);
        if (!board) {
            return board.error();
        }
        s.board = std::move(*board);
        const auto outside = [&](const handlers::ReportSummary& r) {
            return scope->count(r.unit_id) == 0;
        };
        if (scope != nullptr) {
            handlers::narrow(s.board, *scope);
            std::erase_if(s.reports, outside);
        }
        if (event) {
            // The trend of an event template is its count: the previous board is not needed.
            auto prev_rows = tx.reports().period_states(tmpl.id, prev.key);
            if (!prev_rows) {
                return prev_rows.error();
            }
            std::tie(s.previous_count, s.compared_days) = same_days(tmpl, *prev_rows, now, scope);
        } else {
            std::vector<handlers::ReportSummary> prev_reports;
            auto prev_board = load_board(deps, tx, tmpl, prev, now, &prev_reports, BoardReads::totals);
            if (!prev_board) {
                return prev_board.error();
            }
            s.previous = std::move(*prev_board);
            if (scope != nullptr) {
                handlers::narrow(s.previous, *scope);
                std::erase_if(prev_reports, outside);
            }
            s.previous_count = static_cast<int>(prev_reports.size());
        }
        sections.push_back(std::move(s));
    }
    auto review = digest_review(deps, tx, now, scope);
    if (!review) {
        return review.error();
    }
    const std::string zone = deps.digest ? deps.digest->zone : std::string(kDefaultTimeZone);
    // Titled by the week it covers: the weekly templates' period, else the week that ended yesterday.
    return handlers::digest_doc(
        sections, handlers::week_label(locale, now - std::chrono::hours(24), zone), locale, *review);
}

}  // namespace bot::usecase
