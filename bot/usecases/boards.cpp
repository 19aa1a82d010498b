#include "bot/usecases/boards.hpp"

#include <algorithm>
#include <set>

namespace bot::usecase {

result<handlers::StatusBoard> load_board(const Deps& deps,
                                         store::Tx& tx,
                                         const templates::Template& tmpl,
                                         const templates::Period& period,
                                         TimePoint now,
                                         std::vector<handlers::ReportSummary>* reports,
                                         BoardReads reads) {
    auto rows = reads == BoardReads::all ? tx.reports().in_period(tmpl.id, period.key)
                                         : tx.reports().period_states(tmpl.id, period.key);
    if (!rows) {
        return rows.error();
    }
    std::vector<handlers::ReportSummary> summaries;
    summaries.reserve(rows->size());
    for (auto& r : *rows) {
        summaries.push_back({std::move(r.number),
                             std::move(r.unit_id),
                             r.on_time,
                             std::move(r.title),
                             std::move(r.author_id),
                             std::move(r.status)});
    }
    // On leave now, or when the period was due: on Monday, last week's board shows an officer who
    // was away on Friday as 请假, not as 未报 (their leave is over by now).
    const templates::LocalDate today = templates::local_date(now, tmpl.time_zone);
    auto stored = tx.leaves().on_day(today.iso());
    std::optional<templates::LocalDate> due_day;
    if (period.due && *period.due < now) {
        due_day = templates::local_date(*period.due, tmpl.time_zone);
        if (*due_day == today) {
            due_day.reset();
        }
    }
    if (stored && due_day) {
        auto then = tx.leaves().on_day(due_day->iso());
        if (!then) {
            return then.error();
        }
        stored->insert(stored->end(), then->begin(), then->end());
    }
    if (!stored) {
        return stored.error();
    }
    std::set<std::string, std::less<>> on_leave(stored->begin(), stored->end());
    for (const auto& p : deps.roster.people()) {
        if (std::any_of(p.leave.begin(), p.leave.end(), [&](const handlers::Leave& l) {
                return l.covers(today) || (due_day && l.covers(*due_day));
            })) {
            on_leave.insert(p.id);
        }
    }
    auto board = handlers::status_board(tmpl, deps.roster, summaries, on_leave);
    if (reports != nullptr) {
        *reports = std::move(summaries);
    }
    return board;
}

result<std::vector<Board>> boards(const Deps& deps,
                                  store::Tx& tx,
                                  const handlers::Person* reader,
                                  const std::vector<const templates::Template*>& list,
                                  TimePoint now) {
    const auto visible = deps.roster.visible_units(reader);
    std::vector<Board> out;
    for (const auto* t : list) {
        Board b{.tmpl = t, .period = templates::period_for(*t, now, deps.calendar), .board = {}};
        auto board = load_board(deps, tx, *t, b.period, now);
        if (!board) {
            return board.error();
        }
        b.board = std::move(*board);
        if (visible) {
            handlers::narrow(b.board, *visible);
        }
        out.push_back(std::move(b));
    }
    return out;
}

}  // namespace bot::usecase
