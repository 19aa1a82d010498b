#pragma once

#include "bot/core/doc.hpp"
#include "handlers/roster.hpp"
#include "templates/model.hpp"
#include "templates/periods.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

/// Who has reported what in a period: the coordinators' status board. Pure.
namespace bot::handlers {

/// What the board needs of a stored report.
struct ReportSummary {
    std::string number;
    std::string unit_id;
    bool on_time = true;
    std::string title = {};
    std::string author_id = {};
    std::string status = {};  ///< the review state (docs/review.md); highlights are approved ones
};

/// on_leave: nothing reported and every officer of the unit is on leave. not_owed: an event-driven
/// template without a quota (先进典型推荐) asks nothing of the unit: its reports are counted, nothing
/// is missing, nobody is reminded.
enum class UnitState { on_time, late, missing, exempt, on_leave, not_owed };

/// Whether a unit in `state` counts in a board's `expected` (exempt units and units owing nothing
/// do not).
inline bool expected_of(UnitState state) {
    return state != UnitState::exempt && state != UnitState::not_owed;
}

/// Where one officer stands: reported (themselves), covered (a colleague reported for the unit),
/// missing, on leave, or exempt (the unit is).
enum class OfficerState { reported, covered, missing, on_leave, exempt };

struct OfficerStatus {
    const Person* person = nullptr;
    OfficerState state = OfficerState::missing;
};

struct UnitStatus {
    std::string unit_id;
    std::string unit_name;
    UnitState state = UnitState::missing;
    int count = 0;  ///< reports this period (event-driven templates count against the quota)
    std::vector<OfficerStatus> officers;
};

struct StatusBoard {
    std::vector<UnitStatus> units;  ///< the units the template applies to, in roster order
    int done = 0;                   ///< units that reported (periodic) or met the quota (event-driven)
    int expected = 0;               ///< units not exempt
};

/// `on_leave`: ids of the people on leave at the moment the board is for.
StatusBoard status_board(const templates::Template& tmpl,
                         const Roster& roster,
                         const std::vector<ReportSummary>& reports,
                         const std::set<std::string, std::less<>>& on_leave = {});

/// The board of `units` only (a coordinator's scope): the others removed, done and expected
/// counted again.
void narrow(StatusBoard& board, const std::set<std::string, std::less<>>& units);

/// The board as a chat message in `locale`: one section, the header as its heading and a line
/// per state (units on time, late, missing…).
Doc status_doc(const StatusBoard& board,
               const templates::Template& tmpl,
               const templates::Period& period,
               std::string_view locale);

/// plain_text(status_doc(…)).
std::string render_status(const StatusBoard& board,
                          const templates::Template& tmpl,
                          const templates::Period& period,
                          std::string_view locale);

}  // namespace bot::handlers
