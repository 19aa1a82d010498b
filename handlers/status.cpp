#include "handlers/status.hpp"

#include "handlers/catalog.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bot::handlers {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

}  // namespace

StatusBoard status_board(const templates::Template& tmpl,
                         const Roster& roster,
                         const std::vector<ReportSummary>& reports,
                         const std::set<std::string, std::less<>>& on_leave) {
    StatusBoard board;
    const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
    // One pass over the reports and one over the units, by the units' positions in the roster:
    // linear, and no map or allocation per unit (a board over 100,000 units, twice per digest).
    struct Tally {
        int count = 0;
        bool any_on_time = false;
        std::uint32_t first = kNone;  ///< the unit's latest report; `next` links the earlier ones
    };
    const std::size_t n_units = roster.units().size();
    std::vector<Tally> tallies(n_units);
    std::vector<std::uint32_t> next(reports.size(), kNone);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const std::size_t u = roster.unit_position(reports[i].unit_id);
        if (u == n_units) {
            continue;  // a unit no longer in the roster
        }
        Tally& t = tallies[u];
        ++t.count;
        t.any_on_time = t.any_on_time || reports[i].on_time;
        next[i] = t.first;
        t.first = static_cast<std::uint32_t>(i);
    }
    board.units.reserve(roster.units().size());
    for (std::size_t u = 0; u < roster.units().size(); ++u) {
        const Unit& unit = roster.units()[u];
        if (!tmpl.applies_to_unit(unit.id)) {
            continue;
        }
        UnitStatus s{unit.id, unit.name, UnitState::missing, 0, {}};
        const Tally& t = tallies[roster.first_of(u)];  // a repeated id: the first's
        s.count = t.count;
        const bool any_on_time = t.any_on_time;
        if (unit.exempt) {
            s.state = UnitState::exempt;
        } else if (event && tmpl.cadence.quota <= 0) {
            s.state = UnitState::not_owed;
        } else if (event) {
            s.state = s.count >= tmpl.cadence.quota ? UnitState::on_time : UnitState::missing;
        } else if (s.count > 0) {
            s.state = any_on_time ? UnitState::on_time : UnitState::late;
        }
        const bool unit_done = s.state == UnitState::on_time || s.state == UnitState::late;
        bool all_away = true;
        for (const std::uint32_t officer : roster.officers_of(u)) {
            const Person& p = roster.people()[officer];
            OfficerState os = OfficerState::missing;
            bool own = false;
            for (std::uint32_t r = t.first; r != kNone && !own; r = next[r]) {
                own = reports[r].author_id == p.id;
            }
            if (unit.exempt) {
                os = OfficerState::exempt;
            } else if (own && (unit_done || !event)) {
                os = OfficerState::reported;
            } else if (unit_done) {
                os = OfficerState::covered;
            } else if (on_leave.count(p.id) > 0) {
                os = OfficerState::on_leave;
            }
            all_away = all_away && os == OfficerState::on_leave;
            s.officers.push_back({&p, os});
        }
        if (s.state == UnitState::missing && !s.officers.empty() && all_away) {
            s.state = UnitState::on_leave;
        }
        if (expected_of(s.state)) {
            ++board.expected;
            board.done += s.state == UnitState::on_time || s.state == UnitState::late ? 1 : 0;
        }
        board.units.push_back(std::move(s));
    }
    return board;
}

void narrow(StatusBoard& board, const std::set<std::string, std::less<>>& units) {
    std::erase_if(board.units, [&](const UnitStatus& u) { return units.count(u.unit_id) == 0; });
    board.done = 0;
    board.expected = 0;
    for (const auto& u : board.units) {
        if (expected_of(u.state)) {
            ++board.expected;
            board.done += u.state == UnitState::on_time || u.state == UnitState::late ? 1 : 0;
        }
    }
}

Doc status_doc(const StatusBoard& board,
               const templates::Template& tmpl,
               const templates::Period& period,
               std::string_view locale) {
    const std::string label = period_label(locale, period.weekly, period.year, period.number);
    const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
    int total = 0;
    for (const auto& u : board.units) {
        total += u.count;
    }
    const bool owed = !event || tmpl.cadence.quota > 0;
    DocSection out{.heading = msg(locale,
                                  !event ? "status_header"
                                  : owed ? "status_header_quota"
                                         : "status_header_count",
                                  {{"template", tmpl.name.in(locale)},
                                   {"period", label},
                                   {"done", std::to_string(board.done)},
                                   {"expected", std::to_string(board.expected)},
                                   {"quota", std::to_string(tmpl.cadence.quota)},
                                   {"count", std::to_string(total)}})};
    if (event) {
        std::string counts;
        for (const auto& u : board.units) {
            counts += (counts.empty() ? "" : " · ") + u.unit_name + " " + std::to_string(u.count);
        }
        out.lines.push_back(std::move(counts));
        return {.sections = {std::move(out)}};
    }
    for (const auto& [state, key] : {std::pair{UnitState::on_time, "status_on_time"},
                                     std::pair{UnitState::late, "status_late"},
                                     std::pair{UnitState::missing, "status_missing"},
                                     std::pair{UnitState::on_leave, "status_on_leave"},
                                     std::pair{UnitState::exempt, "status_exempt"}}) {
        std::string names;
        for (const auto& u : board.units) {
            if (u.state == state) {
                names += (names.empty() ? "" : "、") + u.unit_name;
            }
        }
        if (!names.empty()) {
            out.lines.push_back(msg(locale, key, {{"units", names}}));
        }
    }
    return {.sections = {std::move(out)}};
}

std::string render_status(const StatusBoard& board,
                          const templates::Template& tmpl,
                          const templates::Period& period,
                          std::string_view locale) {
    return plain_text(status_doc(board, tmpl, period, locale));
}

}  // namespace bot::handlers
