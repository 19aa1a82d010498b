#pragma once

#include "bot/export/table.hpp"

#include <string>
#include <string_view>
#include <vector>

/// CSV for spreadsheets (liaison-bot export, the API): UTF-8 with a byte-order mark so that Excel
/// and WPS read Chinese correctly, RFC 4180 (CRLF, quotes doubled, a cell quoted when it holds a
/// comma, quote or line break), and no cell a spreadsheet would run as a formula.
namespace bot::exporting {

/// One cell: a value beginning with = + - @, a tab or a carriage return is prefixed with ' (the
/// spreadsheet shows it as text, not as a formula), then quoted where RFC 4180 needs it.
std::string cell(std::string_view value);

/// The start of every export file: the UTF-8 byte-order mark.
inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// `table` as CSV: the byte-order mark, the header, a line per row (each cell's text).
std::string csv(const Table& table);

/// csv(reports_table(…)).
std::string reports_csv(const std::vector<store::ReportRecord>& reports,
                        const templates::TemplateSet& templates,
                        const handlers::Roster& roster,
                        std::string_view locale,
                        std::string_view zone);

/// csv(stats_table(…)).
std::string stats_csv(const std::vector<store::UnitStats>& stats,
                      const handlers::Roster& roster,
                      const std::vector<std::pair<std::string, int>>& levels,
                      std::string_view locale,
                      const std::vector<std::string>& only = {});

}  // namespace bot::exporting
