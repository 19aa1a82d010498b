#pragma once

#include "bot/core/errors.hpp"
#include "bot/export/table.hpp"

#include <string>
#include <string_view>

/// An export as an Office Open XML workbook (.xlsx), written by libxlsxwriter: one sheet named
/// `sheet`, the header row frozen and bold, each column as wide as its widest cell (a Chinese
/// character counts two), numbers as numbers, times as dates ("yyyy-mm-dd hh:mm:ss"), and every
/// text cell a string — a value beginning with "=" is text, never a formula.
namespace bot::exporting {

/// The workbook's bytes; errc::store_failure when it cannot be written (its temporary file).
result<std::string> xlsx(const Table& table, std::string_view sheet);

/// application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
inline constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace bot::exporting
