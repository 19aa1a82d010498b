#pragma once

#include "handlers/roster.hpp"
#include "templates/model.hpp"
#include "templates/periods.hpp"

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
};

enum class UnitState { on_time, late, missing, exempt };

struct UnitStatus {
    std::string unit_id;
    std::string unit_name;
    UnitState state = UnitState::missing;
    int count = 0;  ///< reports this period (event-driven templates count against the quota)
};

struct StatusBoard {
    std::vector<UnitStatus> units;  ///< the units the template applies to, in roster order
    int done = 0;                   ///< units that reported (periodic) or met the quota (event-driven)
    int expected = 0;               ///< units not exempt
};

StatusBoard status_board(const templates::Template& tmpl,
                         const Roster& roster,
                         const std::vector<ReportSummary>& reports);

/// The board as a chat message in `locale`.
std::string render_status(const StatusBoard& board,
                          const templates::Template& tmpl,
                          const templates::Period& period,
                          std::string_view locale);

}  // namespace bot::handlers
