#pragma once

#include "handlers/effects.hpp"

#include <string_view>
#include <vector>

/// 比学赶超's arithmetic, shared by 排名 in chat, the digest and GET /api/v1/rankings.
namespace bot::handlers::ranking {

/// This month, quarter or year (`span`) around `now` in `zone`.
RankingWindow window_of(std::string_view zone, TimePoint now, std::string_view span);

/// Best first: points from adoptions, then approved, then submitted; ties in roster order.
void order(std::vector<UnitFigures>& rows, const Roster& roster);

}  // namespace bot::handlers::ranking
