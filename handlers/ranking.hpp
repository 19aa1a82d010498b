#pragma once

#include "handlers/effects.hpp"
#include "handlers/schedule.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

/// 比学赶超's arithmetic, shared by 排名 in chat, the digest and GET /api/v1/rankings.
namespace bot::handlers::ranking {

/// This month, quarter or year (`span`) around `now` in `zone`.
RankingWindow window_of(std::string_view zone, TimePoint now, std::string_view span);
/// The calendar period a window covers, as the store keeps units' figures: "2026-12", "2026-Q4", "2026".
std::string period_key(const RankingWindow& w);

/// Best first: points from adoptions, then approved, then submitted; ties in roster order.
void order(std::vector<UnitFigures>& rows, const Roster& roster);

/// Both ends of the standings: the first `ends` lines of units with points or approvals (a unit
/// with nothing leads nothing), and the last `ends` of the others.
struct Standings {
    std::vector<RankLine> top;
    std::vector<RankLine> bottom;
};

/// Every unit that is not exempt (only those of `scope`, when given) ranked by its figures in
/// `now` (units without any are ranked too, after, in roster order), each with its rank among the
/// units that had figures in `before` (0: it had none then). Only the lines at both ends are built:
/// the digest shows those, and building 100,000 lines cost more than ranking them.
Standings standings(const std::vector<UnitFigures>& now,
                    const std::vector<UnitFigures>& before,
                    const Roster& roster,
                    const std::set<std::string, std::less<>>* scope,
                    std::size_t ends);

}  // namespace bot::handlers::ranking
