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
    auto stats = tx.reports().unit_stats(w.from, w.to, w.template_id);
    if (!stats) {
        return stats.error();
    }
    std::unordered_map<std::string, handlers::UnitFigures> by_unit;
    for (auto& f : figures_of(std::move(*stats))) {
        std::string id = f.unit_id;
        by_unit.emplace(std::move(id), std::move(f));
    }
    const auto compared = deps.roster.compared_units(reader);
    Ranking out;
    for (const auto& u : deps.roster.units()) {
        if (u.exempt || (compared && compared->count(u.id) == 0)) {
            continue;
        }
        const auto it = by_unit.find(u.id);
        out.rows.push_back(it != by_unit.end() ? std::move(it->second)
                                               : handlers::UnitFigures{.unit_id = u.id});
    }
    handlers::ranking::order(out.rows, deps.roster);
    auto quality = tx.reports().quality_between(w.from, w.to);
    if (!quality) {
        return quality.error();
    }
    for (const auto& q : *quality) {
        if (!compared || compared->count(q.unit_id) > 0) {
            out.quality.emplace(
                q.unit_id, handlers::quality::UnitMarks{q.reports, q.solid_sum, q.fresh_sum, q.with_figures});
        }
    }
    return out;
}

}  // namespace bot::usecase
