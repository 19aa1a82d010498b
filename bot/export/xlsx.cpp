#include "bot/export/xlsx.hpp"

#include "bot/export/scratch.hpp"

#include <algorithm>
#include <cstdio>
#include <xlsxwriter.h>

namespace bot::exporting {
namespace {

/// How many columns of a spreadsheet `s` takes: a character of three or four UTF-8 bytes (Chinese,
/// full-width forms) two, any other one.
std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        i += len;
    }
    return w;
}

/// Writes `table` into the open workbook's one sheet.
void write_sheet(lxw_workbook* wb, const Table& table, std::string_view sheet) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, std::string(sheet).c_str());
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    lxw_format* when = workbook_add_format(wb);
    format_set_num_format(when, "yyyy-mm-dd hh:mm:ss");
    std::vector<std::size_t> widths(table.header.size(), 0);
    const auto widen = [&widths](std::size_t col, std::size_t w) {
        if (col < widths.size()) {
            widths[col] = std::max(widths[col], w);
        }
    };
    for (std::size_t c = 0; c < table.header.size(); ++c) {
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.header[c].c_str(), head);
        widen(c, display_width(table.header[c]));
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
            const Cell& cell = table.rows[r][c];
            const auto col = static_cast<lxw_col_t>(c);
            if (cell.kind == Cell::Kind::number) {
                worksheet_write_number(ws, row, col, static_cast<double>(cell.number), nullptr);
            } else if (cell.kind == Cell::Kind::time) {
                lxw_datetime t{cell.year,
                               static_cast<uint8_t>(cell.month),
                               static_cast<uint8_t>(cell.day),
                               static_cast<uint8_t>(cell.hour),
                               static_cast<uint8_t>(cell.minute),
                               static_cast<double>(cell.second)};
                worksheet_write_datetime(ws, row, col, &t, when);
            } else if (!cell.text.empty()) {
                worksheet_write_string(
                    ws, row, col, cell.text.c_str(), nullptr);  // a string, never a formula
            }
            widen(c, display_width(cell.text));
        }
    }
    for (std::size_t c = 0; c < widths.size(); ++c) {
        const double w = static_cast<double>(std::clamp<std::size_t>(widths[c] + 2, 8, 60));
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

}  // namespace

result<std::string> xlsx(const Table& table, std::string_view sheet) {
    const std::string path = scratch_file("liaison-export-");
    if (path.empty()) {
        return errc::store_failure;
    }
    lxw_workbook* wb = workbook_new(path.c_str());
    if (wb == nullptr) {
        std::remove(path.c_str());
        return errc::store_failure;
    }
    write_sheet(wb, table, sheet);
    const lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
    auto bytes = take_file(path);
    if (closed != LXW_NO_ERROR || !bytes) {
        return errc::store_failure;
    }
    return std::move(*bytes);
}

}  // namespace bot::exporting
