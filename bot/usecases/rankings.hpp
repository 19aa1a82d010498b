#pragma once

#include "bot/usecases/deps.hpp"
#include "handlers/effects.hpp"

#include <map>
#include <string>
#include <vector>

/// 比学赶超: units compared over a month, quarter or year — 排名 in chat, GET /api/v1/rankings and
/// (both ends) the digest.
namespace bot::usecase {

/// The store's per-unit figures as the handlers read them.
std::vector<handlers::UnitFigures> figures_of(std::vector<store::UnitStats> stats);

struct Ranking {
    /// Every unit `reader` compares (Roster::compared_units) that is not exempt, best first
    /// (handlers::ranking::order); a unit without figures in the window has a row of zeros.
    std::vector<handlers::UnitFigures> rows;
    /// Per unit, the marks of the window's assessed reports (快 · 实 · 新).
    std::map<std::string, handlers::quality::UnitMarks> quality;
};

/// The ranking of window `w` (its template only, when it names one) as `reader` compares units.
result<Ranking> rankings(const Deps& deps,
                         store::Tx& tx,
                         const handlers::Person* reader,
                         const handlers::RankingWindow& w);

}  // namespace bot::usecase
