#include "handlers/status.hpp"

#include "handlers/catalog.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace bot::handlers {

StatusBoard status_board(const templates::Template& tmpl,
                         const Roster& roster,
                         const std::vector<ReportSummary>& reports,
                         const std::set<std::string, std::less<>>& on_leave) {
    StatusBoard board;
    const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
    // One pass over the reports and one over the people, indexed by unit: linear in the roster and
    // the period's reports (a board over 100,000 units must not be quadratic).
    struct Tally {
        int count = 0;
        bool any_on_time = false;
        std::vector<std::string_view> authors;
    };
    std::unordered_map<std::string_view, Tally> by_unit;
    by_unit.reserve(reports.size());
    for (const auto& r : reports) {
        Tally& t = by_unit[r.unit_id];
        ++t.count;
        t.any_on_time = t.any_on_time || r.on_time;
        t.authors.push_back(r.author_id);
    }
    std::unordered_map<std::string_view, std::vector<const Person*>> officers_of;
    for (const auto& p : roster.people()) {
        if (p.role == Role::officer && !p.unit.empty()) {
            officers_of[p.unit].push_back(&p);
        }
    }
    board.units.reserve(roster.units().size());
    for (const auto& unit : roster.units()) {
        if (!tmpl.applies_to_unit(unit.id)) {
            continue;
        }
        UnitStatus s{unit.id, unit.name, UnitState::missing, 0, {}};
        const auto tally = by_unit.find(unit.id);
        const Tally none;
        const Tally& t = tally != by_unit.end() ? tally->second : none;
        s.count = t.count;
        const bool any_on_time = t.any_on_time;
        if (unit.exempt) {
            s.state = UnitState::exempt;
        } else if (event) {
            s.state = s.count >= std::max(1, tmpl.cadence.quota) ? UnitState::on_time : UnitState::missing;
        } else if (s.count > 0) {
            s.state = any_on_time ? UnitState::on_time : UnitState::late;
        }
        const bool unit_done = s.state == UnitState::on_time || s.state == UnitState::late;
        bool all_away = true;
        static const std::vector<const Person*> kNobody;
        const auto officers = officers_of.find(unit.id);
        for (const Person* officer : officers != officers_of.end() ? officers->second : kNobody) {
            const Person& p = *officer;
            OfficerState os = OfficerState::missing;
            const bool own = std::find(t.authors.begin(), t.authors.end(), p.id) != t.authors.end();
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
        if (s.state != UnitState::exempt) {
            ++board.expected;
            board.done += s.state == UnitState::on_time || s.state == UnitState::late ? 1 : 0;
        }
        board.units.push_back(std::move(s));
    }
    return board;
}

std::string render_status(const StatusBoard& board,
                          const templates::Template& tmpl,
                          const templates::Period& period,
                          std::string_view locale) {
    const std::string label = period_label(locale, period.weekly, period.year, period.number);
    const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
    std::string out = msg(locale,
                          event ? "status_header_quota" : "status_header",
                          {{"template", tmpl.name.in(locale)},
                           {"period", label},
                           {"done", std::to_string(board.done)},
                           {"expected", std::to_string(board.expected)},
                           {"quota", std::to_string(std::max(1, tmpl.cadence.quota))}});
    if (event) {
        std::string counts;
        for (const auto& u : board.units) {
            counts += (counts.empty() ? "" : " · ") + u.unit_name + " " + std::to_string(u.count);
        }
        return out + "\n" + counts;
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
            out += "\n" + msg(locale, key, {{"units", names}});
        }
    }
    return out;
}

}  // namespace bot::handlers
