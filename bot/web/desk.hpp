#pragma once

#include "bot/usecases/rankings.hpp"
#include "bot/web/desk_pages.hpp"
#include "bot/web/web.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The coordinators' desk under /app/desk (docs/desk.md): the list in a person's scope with filters
/// and search, a report with its revisions side by side, decisions one at a time or for a
/// selection, the list as CSV, units compared, 本期进度 with 催报, 周报, binding requests. A front
/// door over the same use cases as chat and the API.
namespace bot::web {

/// What the desk's pages show, from what the use cases read: also what bench/desk_bench renders.
namespace desk_view {

using Levels = std::vector<std::pair<std::string, int>>;  ///< review.adoption_levels

/// 本期进度 as 进度 reads it (usecase::boards, narrowed to `reader`'s scope; null: every unit): the
/// current period of every report type that units owe, the first twenty missing units named.
result<std::vector<desk_pages::BoardLine>> board_lines(const usecase::Deps& deps,
                                                       store::Tx& tx,
                                                       const handlers::Person* reader,
                                                       std::string_view locale,
                                                       TimePoint now);

/// 单位比较 of `ranking` into `v`: the first 200 units in the table (the rest counted), the points of
/// the first 20 with any in the chart, each unit's adoptions by level and its 实 · 新.
void compare(desk_pages::UnitsView& v,
             const handlers::Roster& roster,
             const Levels& levels,
             std::string_view locale,
             const usecase::Ranking& ranking);

}  // namespace desk_view

class Desk {
public:
    /// `origin`: the pages' own scheme and host (a POST from elsewhere is refused).
    Desk(const Deps& deps, std::string origin) : deps_(deps), origin_(std::move(origin)) {}

    /// The answer to a request under /app/desk; nullopt for any other path.
    std::optional<core::ApiCall> operator()(const HttpRequest& request, TimePoint now) const;

private:
    core::ApiCall list(const HttpRequest& request, TimePoint now, bool csv) const;
    core::ApiCall show(const HttpRequest& request, const std::string& number, TimePoint now) const;
    core::ApiCall decide(const HttpRequest& request, TimePoint now) const;
    core::ApiCall assign(const HttpRequest& request, TimePoint now) const;
    core::ApiCall units(const HttpRequest& request, TimePoint now) const;
    core::ApiCall progress(const HttpRequest& request, TimePoint now) const;
    core::ApiCall remind(const HttpRequest& request, TimePoint now) const;
    core::ApiCall digest(const HttpRequest& request, TimePoint now) const;
    core::ApiCall bindings(const HttpRequest& request, TimePoint now) const;
    core::ApiCall bind(const HttpRequest& request, TimePoint now) const;
    core::ApiCall unit(const HttpRequest& request, const std::string& id, TimePoint now) const;

    Deps deps_;
    std::string origin_;
};

}  // namespace bot::web
