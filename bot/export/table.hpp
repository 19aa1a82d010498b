#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/store.hpp"
#include "handlers/roster.hpp"
#include "templates/loader.hpp"

#include <string>
#include <string_view>
#include <vector>

/// An export as a table of typed cells (docs/review.md, "Export"): written as CSV (csv.hpp) or as
/// an .xlsx workbook (xlsx.hpp) from the same rows, so both say the same.
namespace bot::exporting {

/// One cell: text (a string in every spreadsheet, never a formula), a whole number, or a local
/// date and time. `text` is how CSV writes it.
struct Cell {
    enum class Kind { text, number, time };
    Kind kind = Kind::text;
    std::string text{};
    long long number = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;  ///< a time, in the zone

    static Cell of(std::string s);
    static Cell of(long long n);
    /// `t` in `zone` (UTC, said so, when the zone is unknown).
    static Cell at(TimePoint t, std::string_view zone);
};

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<Cell>> rows;
};

/// Reports, one per row: number, type, version, unit, author, title, status, on time, revision,
/// submitted and updated (local time in `zone`), 快 · 实 · 新, then one column per field — the fields
/// of every template present, in template order then field order, a field id once (headed by its
/// label).
Table reports_table(const std::vector<store::ReportRecord>& reports,
                    const templates::TemplateSet& templates,
                    const handlers::Roster& roster,
                    std::string_view locale,
                    std::string_view zone);

/// Per-unit figures (排名's): unit, parent, submitted, on time, approved, adopted, points, then one
/// column per adoption level. Every unit of the roster (or of `only`, when not empty) is a row,
/// zeros included, in roster order.
Table stats_table(const std::vector<store::UnitStats>& stats,
                  const handlers::Roster& roster,
                  const std::vector<std::pair<std::string, int>>& levels,
                  std::string_view locale,
                  const std::vector<std::string>& only = {});

}  // namespace bot::exporting
