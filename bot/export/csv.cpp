#include "bot/export/csv.hpp"

#include <algorithm>

namespace bot::exporting {
namespace {

/// Whether a spreadsheet may read `v` as a formula: its first character after any spaces (ASCII,
/// no-break, ideographic) is = + - @ (or their full-width forms), a tab or a carriage return.
bool formula_like(std::string_view v) {
    static constexpr std::string_view kSpaces[] = {" ", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\xAF"};
    bool skipped = true;
    while (skipped && !v.empty()) {
        skipped = false;
        for (const auto sp : kSpaces) {
            if (v.starts_with(sp)) {
                v.remove_prefix(sp.size());
                skipped = true;
            }
        }
    }
    if (v.empty()) {
        return false;
    }
    static constexpr std::string_view kTriggers[] = {"=",
                                                     "+",
                                                     "-",
                                                     "@",
                                                     "\t",
                                                     "\r",
                                                     "\xEF\xBC\x9D" /* ＝ */,
                                                     "\xEF\xBC\x8B" /* ＋ */,
                                                     "\xEF\xBC\x8D" /* － */,
                                                     "\xEF\xBC\xA0" /* ＠ */};
    return std::any_of(
        std::begin(kTriggers), std::end(kTriggers), [&](std::string_view t) { return v.starts_with(t); });
}

}  // namespace

std::string cell(std::string_view value) {
    std::string v(value);
    if (formula_like(v)) {
        v.insert(v.begin(), '\'');
    }
    // Quoted when it holds a separator of any locale (, or ;), a quote or a line break.
    if (v.find_first_of(",;\"\r\n") == std::string::npos) {
        return v;
    }
    std::string quoted = "\"";
    for (const char c : v) {
        quoted += c == '"' ? "\"\"" : std::string(1, c);
    }
    return quoted + "\"";
}

std::string csv(const Table& table) {
    const auto row = [](const auto& cells, const auto& text_of) {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += (i == 0 ? "" : ",") + cell(text_of(cells[i]));
        }
        return out + "\r\n";
    };
    std::string out(kBom);
    out += row(table.header, [](const std::string& h) -> const std::string& { return h; });
    for (const auto& r : table.rows) {
        out += row(r, [](const Cell& c) -> const std::string& { return c.text; });
    }
    return out;
}

std::string reports_csv(const std::vector<store::ReportRecord>& reports,
                        const templates::TemplateSet& templates,
                        const handlers::Roster& roster,
                        std::string_view locale,
                        std::string_view zone) {
    return csv(reports_table(reports, templates, roster, locale, zone));
}

std::string stats_csv(const std::vector<store::UnitStats>& stats,
                      const handlers::Roster& roster,
                      const std::vector<std::pair<std::string, int>>& levels,
                      std::string_view locale,
                      const std::vector<std::string>& only) {
    return csv(stats_table(stats, roster, levels, locale, only));
}

}  // namespace bot::exporting
