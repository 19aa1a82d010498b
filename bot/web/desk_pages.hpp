#pragma once

#include "bot/core/doc.hpp"
#include "handlers/desk.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The coordinators' desk as HTML, from data (pure, like pages.hpp): every text from the message
/// catalogue, every value through bot/web/html.hpp (escaped by construction).
namespace bot::web::desk_pages {

/// An entry of a list box: its value and what it shows.
struct Option {
    std::string value;
    std::string label;
};

/// The list's filter as asked (values as typed), and what its boxes offer.
struct Filter {
    std::string unit, template_id, status, from, to, marks, words;
    bool mine = false;  ///< only reports whose review is given to the person
    std::vector<Option> units, templates;
};

/// A report as one line of the list.
struct Row {
    std::string number, title, unit, author, kind, date, status, marks;
    int revision = 1;
};

struct ListView {
    Filter filter;
    std::vector<Row> rows;
    std::vector<Option> levels;  ///< 采用's levels
    std::string csrf;
    std::string next;             ///< the address of the next page; empty on the last
    std::string export_url;       ///< the same filter as CSV
    std::string export_xlsx_url;  ///< … and as an .xlsx workbook
};

/// 审核台: the filter, the list with a box per report, and what to do with those picked.
std::string list(std::string_view locale, const ListView& v);

/// One answer of a report, as of two revisions (the same twice when there is nothing to compare).
struct Answer {
    std::string label;
    handlers::desk::Change change;  ///< before → now
    std::string now;
};

struct AuditRow {
    std::string at, actor, action, detail;
};

struct ReportView {
    std::string number, title, meta, status, marks;
    std::string nearest;  ///< the most similar earlier report's number, or empty
    int nearest_percent = 0;
    int revision = 1;
    int compared = 0;  ///< the revision compared with the current one; 0: none
    std::vector<Answer> answers;
    std::vector<std::string> adoptions;
    std::vector<AuditRow> trail;
    std::vector<Option> levels;
    std::string csrf;
    std::string assignee;           ///< the reviewer's name, or empty
    std::vector<Option> reviewers;  ///< who its review may be given to
};

/// A report: its answers (beside an earlier revision, what changed marked), its marks and the
/// similar earlier report, its adoptions and audit trail, and the decisions on it.
std::string report(std::string_view locale, const ReportView& v);

/// A bar of a chart: what it is and its value.
struct Bar {
    std::string label;
    int value = 0;
};

/// A unit's line in the comparison: its figures over the window.
struct UnitLine {
    std::string id, name;
    int submitted = 0, on_time = 0, approved = 0, adopted = 0, points = 0;
    std::vector<int> by_level;  ///< adoptions per level, in the order of UnitsView::levels
    std::string marks;          ///< 快 · 实 · 新 averages, or empty
};

/// A report type's current period, as 进度 shows it: how many units reported of how many, and the
/// first of those still missing.
struct BoardLine {
    std::string template_id;  ///< what 催报 names
    std::string kind, period;
    int done = 0, expected = 0;
    std::vector<std::string> missing;  ///< unit names, at most 20
    int more_missing = 0;
};

struct UnitsView {
    std::string span;    ///< month, quarter or year
    std::string window;  ///< what the window is, said ("2026 年 12 月")
    std::string template_id;
    std::vector<Option> templates;
    std::vector<std::string> levels;
    std::vector<UnitLine> units;  ///< best first
    std::vector<Bar> chart;       ///< the first units by points
    int more = 0;                 ///< units compared but not in the table
};

/// 单位比较: the units of the scope compared over a month, quarter or year — a bar chart of points,
/// adoptions by level, each unit a link to its page. Charts are SVG drawn by the server (no script,
/// nothing loaded).
std::string units(std::string_view locale, const UnitsView& v);

/// 本期进度: each report type's current period in the scope, done of expected with a bar, and the
/// first units still missing (as 进度 in chat); 催报 for a type with units missing (a form with
/// `csrf`, as 催报 in chat).
std::string progress(std::string_view locale, const std::vector<BoardLine>& boards, const std::string& csrf);

/// 周报: the digest over the person's scope, as 周报 shows it in chat (its title, then each section).
std::string digest(std::string_view locale, const Doc& doc);

/// A pending request to bind a chat account to a roster officer (绑定; docs/identity.md).
struct BindingRow {
    std::int64_t id = 0;
    std::string label;  ///< "B3"
    std::string user;   ///< the account's name (or id) as the platform gave it
    std::string name;   ///< the officer it asks to be
    std::string unit;
    std::string platform;
};

/// 绑定申请: the pending requests within the person's scope, each with 同意 / 拒绝 (forms with `csrf`).
std::string bindings(std::string_view locale, const std::vector<BindingRow>& rows, const std::string& csrf);

struct UnitView {
    std::string id, name;
    std::vector<Bar> submitted;  ///< per month, the last twelve, oldest first
    std::vector<Bar> points;     ///< per month, the same months
    std::vector<Row> reports;    ///< its newest reports
    std::string marks;           ///< this year's 快 · 实 · 新 averages, or empty
};

/// A unit: its trend over twelve months (reports and points per month) and its newest reports.
std::string unit(std::string_view locale, const UnitView& v);

/// What a decision did, report by report (`ok`: made; else why not).
struct Outcome {
    std::string line;
    bool ok = false;
};
std::string decided(std::string_view locale, const std::vector<Outcome>& lines, const std::string& back);

}  // namespace bot::web::desk_pages
