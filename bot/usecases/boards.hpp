#pragma once

#include "bot/usecases/deps.hpp"
#include "handlers/status.hpp"
#include "templates/periods.hpp"

#include <vector>

/// The status boards: who has reported for a period, who is late, missing or away — the read
/// model of 进度, GET /api/v1/status, the reminders and the digest.
namespace bot::usecase {

/// What a board reads of each report: everything it shows, or what its totals need (the digest's
/// previous period: no numbers, authors or titles).
enum class BoardReads { all, totals };

/// The status board of `tmpl` for `period` as stored now (reports and leave at `now`), over every
/// unit. `reports` (optional) receives the period's reports.
result<handlers::StatusBoard> load_board(const Deps& deps,
                                         store::Tx& tx,
                                         const templates::Template& tmpl,
                                         const templates::Period& period,
                                         TimePoint now,
                                         std::vector<handlers::ReportSummary>* reports = nullptr,
                                         BoardReads reads = BoardReads::all);

/// A template's board of its current period.
struct Board {
    const templates::Template* tmpl = nullptr;
    templates::Period period;
    handlers::StatusBoard board;
};

/// 进度 and GET /api/v1/status: the current period's board of each of `list`, narrowed to the
/// units `reader` sees (Roster::visible_units; counts recomputed).
result<std::vector<Board>> boards(const Deps& deps,
                                  store::Tx& tx,
                                  const handlers::Person* reader,
                                  const std::vector<const templates::Template*>& list,
                                  TimePoint now);

}  // namespace bot::usecase
