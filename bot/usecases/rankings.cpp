#include "bot/usecases/rankings.hpp"

#include "handlers/ranking.hpp"

#include <unordered_map>

namespace bot::usecase {

std::vector<handlers::UnitFigures> figures_of(std::vector<store::UnitStats> stats) {
    std::vector<handlers::UnitFigures> out;
    out.reserve(stats.size());
    for (auto& s : stats) {
        out.push_back({std::move(s.unit_id),
                       s.submitted,
                       s.on_time,
                       s.approved,
                       s.adopted,
                       s.points,
                       std::move(s.adopted_by_level)});
    }
    return out;
}

result<Ranking> rankings(const Deps& deps,
                         store::Tx& tx,
                         const handlers::Person* reader,
                         const handlers::RankingWindow& w) {
    // The figures kept per unit and calendar period when the store keeps them for the window's
    // zone (one row a unit); else every report of the window.
    auto kept =
        tx.reports().period_figures(w.zone, handlers::ranking::period_key(w), w.template_id, w.from, w.to);
    if (!kept) {
        return kept.error();
    }
    if (!*kept) {
        auto stats = tx.reports().unit_stats(w.from, w.to, w.template_id);
        if (!stats) {
            return stats.error();
        }
        auto quality = tx.reports().quality_between(w.from, w.to);
        if (!quality) {
            return quality.error();
        }
        *kept = store::PeriodFigures{std::move(*stats), std::move(*quality)};
    }
    // Each unit's figures by its roster position: one lookup a unit with figures, none a unit without.
    auto figures = figures_of(std::move((*kept)->stats));
    const auto& units = deps.roster.units();
    std::vector<handlers::UnitFigures*> at(units.size(), nullptr);
    for (auto& f : figures) {
        if (const std::size_t u = deps.roster.unit_position(f.unit_id); u < at.size()) {
            at[u] = &f;
        }
    }
    const auto compared = deps.roster.compared_units(reader);
    Ranking out;
    out.rows.reserve(compared ? compared->size() : units.size());
    for (std::size_t u = 0; u < units.size(); ++u) {
        if (units[u].exempt || (compared && compared->count(units[u].id) == 0)) {
            continue;
        }
        handlers::UnitFigures* f = at[deps.roster.first_of(u)];
        out.rows.push_back(f != nullptr ? std::move(*f) : handlers::UnitFigures{.unit_id = units[u].id});
        at[deps.roster.first_of(u)] = nullptr;  // a repeated id counts once, as before
    }
    handlers::ranking::order(out.rows, deps.roster);
    for (const auto& q : (*kept)->quality) {
        if (!compared || compared->count(q.unit_id) > 0) {
            out.quality.emplace(
                q.unit_id, handlers::quality::UnitMarks{q.reports, q.solid_sum, q.fresh_sum, q.with_figures});
        }
    }
    return out;
}

}  // namespace bot::usecase
