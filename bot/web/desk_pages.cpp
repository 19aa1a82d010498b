#include "bot/web/desk_pages.hpp"

#include "bot/web/html.hpp"
#include "bot/web/pages.hpp"
#include "handlers/catalog.hpp"

#include <algorithm>

namespace bot::web::desk_pages {
namespace {

using html::el;
using html::Node;
using html::text;
using pages::frame;

std::string m(std::string_view locale, std::string_view key, const handlers::Args& args = {}) {
    return handlers::msg(locale, key, args);
}

Node hidden(std::string name, std::string value) {
    return el("input", {{"type", "hidden"}, {"name", std::move(name)}, {"value", std::move(value)}});
}

/// A labelled list box; `any` (a catalogue key) first when given, with the empty value.
Node select(std::string_view locale,
            const std::string& name,
            std::string_view label_key,
            const std::vector<Option>& options,
            const std::string& chosen,
            std::string_view any = {}) {
    std::vector<Node> items;
    if (!any.empty()) {
        items.push_back(el("option", {{"value", ""}}, m(locale, any)));
    }
    for (const auto& o : options) {
        std::vector<html::Attr> attrs{{"value", o.value}};
        if (o.value == chosen) {
            attrs.push_back({"selected", "selected"});
        }
        items.push_back(el("option", std::move(attrs), o.label));
    }
    return el("label",
              {{"class", "pick"}},
              {el("span", {}, m(locale, label_key)), el("select", {{"name", name}}, std::move(items))});
}

Node input(std::string_view locale,
           const std::string& name,
           std::string_view label_key,
           std::string type,
           const std::string& value) {
    return el("label",
              {{"class", "pick"}},
              {el("span", {}, m(locale, label_key)),
               el("input", {{"type", std::move(type)}, {"name", name}, {"value", value}})});
}

std::vector<Option> states(std::string_view locale) {
    std::vector<Option> out;
    for (const char* s : {"submitted", "returned", "approved", "adopted", "withdrawn"}) {
        out.push_back({s, m(locale, std::string("state.") + s)});
    }
    return out;
}

Node filter_form(std::string_view locale, const Filter& f) {
    return el(
        "form",
        {{"method", "get"}, {"action", "/app/desk"}, {"class", "filter"}, {"role", "search"}},
        {input(locale, "q", "desk.words", "search", f.words),
         select(locale, "unit", "desk.unit", f.units, f.unit, "desk.all_units"),
         select(locale, "template", "desk.template", f.templates, f.template_id, "desk.all_templates"),
         select(locale, "status", "desk.status", states(locale), f.status, "desk.all_states"),
         select(locale,
                "marks",
                "desk.marks",
                {{"weak", m(locale, "desk.marks_weak")}, {"strong", m(locale, "desk.marks_strong")}},
                f.marks,
                "desk.marks_any"),
         input(locale, "from", "desk.from", "date", f.from),
         input(locale, "to", "desk.to", "date", f.to),
         el("label",
            {{"class", "option"}},
            {el("input",
                f.mine ? std::vector<html::Attr>{{"type", "checkbox"},
                                                 {"name", "mine"},
                                                 {"value", "1"},
                                                 {"checked", "checked"}}
                       : std::vector<html::Attr>{{"type", "checkbox"}, {"name", "mine"}, {"value", "1"}}),
             el("span", {}, m(locale, "desk.mine_only"))}),
         el("button", {{"type", "submit"}}, m(locale, "desk.filter"))});
}

Node row_of(std::string_view locale, const Row& r, bool pick) {
    const auto cell = [](std::string s) {
        return el("td", {}, std::move(s));
    };
    std::vector<Node> cells;
    if (pick) {
        cells.push_back(el("td",
                           {},
                           {el("input",
                               {{"type", "checkbox"},
                                {"name", "n"},
                                {"value", r.number},
                                {"aria-label", m(locale, "desk.pick", {{"number", r.number}})}})}));
    }
    cells.push_back(el("td", {}, {el("a", {{"href", "/app/desk/report/" + r.number}}, r.number)}));
    cells.push_back(el("td", {{"class", "title"}}, r.title));
    cells.push_back(cell(r.unit));
    cells.push_back(cell(r.author));
    cells.push_back(cell(r.kind));
    cells.push_back(cell(r.date));
    cells.push_back(el("td", {{"class", "state-" + r.status}}, m(locale, "state." + r.status)));
    cells.push_back(cell(std::to_string(r.revision)));
    cells.push_back(cell(r.marks));
    return el("tr", {}, std::move(cells));
}

/// The reports as a table; `pick`: a box on each line (the list's selection).
Node table_of(std::string_view locale, const std::vector<Row>& rows, bool pick = true) {
    std::vector<Node> head;
    if (pick) {
        head.push_back(el("th", {{"scope", "col"}}, m(locale, "desk.col_pick")));
    }
    for (const char* key : {"desk.col_number",
                            "desk.col_title",
                            "desk.col_unit",
                            "desk.col_author",
                            "desk.col_template",
                            "desk.col_date",
                            "desk.col_state",
                            "desk.col_revision",
                            "desk.col_marks"}) {
        head.push_back(el("th", {{"scope", "col"}}, m(locale, key)));
    }
    std::vector<Node> body;
    for (const auto& r : rows) {
        body.push_back(row_of(locale, r, pick));
    }
    return el(
        "div",
        {{"class", "scroll"}, {"tabindex", "0"}, {"role", "region"}, {"aria-label", m(locale, "desk.list")}},
        {el("table",
            {{"class", "desk"}},
            {el("caption", {}, m(locale, "desk.list")),
             el("thead", {}, {el("tr", {}, std::move(head))}),
             el("tbody", {}, std::move(body))})});
}

/// 通过 / 退回 with a comment / 采用 with a level and carrier: for the reports picked (the list) or
/// for one (`number`).
std::vector<Node> decision_fields(std::string_view locale, const std::vector<Option>& levels) {
    std::vector<Option> actions{{"approve", m(locale, "button.approve")},
                                {"return", m(locale, "button.return")},
                                {"adopt", m(locale, "button.adopt")}};
    std::vector<Node> out;
    out.push_back(select(locale, "action", "desk.action", actions, "approve"));
    out.push_back(el(
        "label",
        {{"class", "pick wide"}},
        {el("span", {}, m(locale, "desk.comment")), el("textarea", {{"name", "comment"}, {"rows", "2"}})}));
    out.push_back(select(locale, "level", "desk.level", levels, levels.empty() ? "" : levels.front().value));
    out.push_back(input(locale, "venue", "desk.venue", "text", ""));
    out.push_back(el("button", {{"type", "submit"}, {"class", "primary"}}, m(locale, "desk.apply")));
    return out;
}

}  // namespace

std::string list(std::string_view locale, const ListView& v) {
    std::vector<Node> content;
    content.push_back(el("nav",
                         {{"class", "desk-nav"}},
                         {el("a", {{"href", "/app/desk/units"}}, m(locale, "desk.units_title")),
                          el("a", {{"href", "/app/"}}, m(locale, "web.mine_title")),
                          el("a", {{"href", v.export_url}}, m(locale, "desk.export")),
                          el("a", {{"href", v.export_xlsx_url}}, m(locale, "desk.export_xlsx"))}));
    content.push_back(filter_form(locale, v.filter));
    if (v.rows.empty()) {
        content.push_back(el("p", {{"class", "empty"}, {"role", "status"}}, m(locale, "desk.none")));
    } else {
        std::vector<Node> form{hidden("csrf", v.csrf), table_of(locale, v.rows)};
        std::vector<Node> fields = decision_fields(locale, v.levels);
        form.push_back(el("fieldset", {{"class", "decide"}}, [&] {
            std::vector<Node> f;
            f.push_back(el("legend", {}, m(locale, "desk.for_picked")));
            for (auto& n : fields) {
                f.push_back(std::move(n));
            }
            return f;
        }()));
        content.push_back(el("form", {{"method", "post"}, {"action", "/app/desk/decide"}}, std::move(form)));
    }
    if (!v.next.empty()) {
        content.push_back(
            el("p", {}, {el("a", {{"href", v.next}, {"rel", "next"}}, m(locale, "desk.next"))}));
    }
    return frame(locale, m(locale, "desk.title"), std::move(content), false, true);
}

namespace {

/// Before and after of a changed answer: what went and what came marked.
Node compared(const handlers::desk::Change& c, bool before) {
    std::vector<Node> parts;
    parts.push_back(text(c.start));
    if (before && !c.removed.empty()) {
        parts.push_back(el("del", {}, c.removed));
    }
    if (!before && !c.added.empty()) {
        parts.push_back(el("ins", {}, c.added));
    }
    parts.push_back(text(c.end));
    return el("td", {{"class", "answer"}}, std::move(parts));
}

Node answers_of(std::string_view locale, const ReportView& v) {
    std::vector<Node> head{el("th", {{"scope", "col"}}, m(locale, "desk.col_item"))};
    if (v.compared > 0) {
        head.push_back(el(
            "th", {{"scope", "col"}}, m(locale, "desk.col_revision_n", {{"n", std::to_string(v.compared)}})));
    }
    head.push_back(
        el("th", {{"scope", "col"}}, m(locale, "desk.col_revision_n", {{"n", std::to_string(v.revision)}})));
    std::vector<Node> rows;
    for (const auto& a : v.answers) {
        std::vector<Node> cells{el("th", {{"scope", "row"}}, a.label)};
        if (v.compared > 0) {
            cells.push_back(compared(a.change, true));
            cells.push_back(compared(a.change, false));
        } else {
            cells.push_back(el("td", {{"class", "answer"}}, a.now));
        }
        rows.push_back(
            el("tr", {{"class", v.compared > 0 && !a.change.same() ? "changed" : "same"}}, std::move(cells)));
    }
    return el(
        "div",
        {{"class", "scroll"},
         {"tabindex", "0"},
         {"role", "region"},
         {"aria-label", m(locale, "desk.answers")}},
        {el("table",
            {{"class", "answers"}},
            {el("caption",
                {},
                v.compared > 0 ? m(locale,
                                   "desk.compare",
                                   {{"from", std::to_string(v.compared)}, {"to", std::to_string(v.revision)}})
                               : m(locale, "desk.answers")),
             el("thead", {}, {el("tr", {}, std::move(head))}),
             el("tbody", {}, std::move(rows))})});
}

Node trail_of(std::string_view locale, const std::vector<AuditRow>& trail) {
    std::vector<Node> head;
    for (const char* key : {"desk.col_when", "desk.col_who", "desk.col_what", "desk.col_detail"}) {
        head.push_back(el("th", {{"scope", "col"}}, m(locale, key)));
    }
    std::vector<Node> rows;
    for (const auto& e : trail) {
        rows.push_back(
            el("tr",
               {},
               {el("td", {}, e.at), el("td", {}, e.actor), el("td", {}, e.action), el("td", {}, e.detail)}));
    }
    return el(
        "div",
        {{"class", "scroll"}, {"tabindex", "0"}, {"role", "region"}, {"aria-label", m(locale, "desk.trail")}},
        {el("table",
            {{"class", "trail"}},
            {el("caption", {}, m(locale, "desk.trail")),
             el("thead", {}, {el("tr", {}, std::move(head))}),
             el("tbody", {}, std::move(rows))})});
}

}  // namespace

std::string report(std::string_view locale, const ReportView& v) {
    std::vector<Node> content;
    content.push_back(el("nav",
                         {{"class", "desk-nav"}},
                         {el("a", {{"href", "/app/desk"}}, m(locale, "desk.back")),
                          el("a", {{"href", "/app/"}}, m(locale, "web.mine_title"))}));
    content.push_back(el("p", {{"class", "meta"}}, v.meta));
    content.push_back(el("p", {{"class", "state state-" + v.status}}, m(locale, "state." + v.status)));
    if (!v.marks.empty()) {
        content.push_back(el("p", {{"class", "marks"}}, v.marks));
    }
    if (!v.nearest.empty()) {
        content.push_back(
            el("p",
               {{"class", "nearest"}},
               {text(m(locale, "desk.nearest", {{"percent", std::to_string(v.nearest_percent)}})),
                el("a", {{"href", "/app/desk/report/" + v.nearest}}, v.nearest)}));
    }
    if (v.revision > 1) {
        std::vector<Node> links;
        for (int r = 1; r < v.revision; ++r) {
            links.push_back(el("a",
                               {{"href", "/app/desk/report/" + v.number + "?compare=" + std::to_string(r)}},
                               m(locale, "desk.col_revision_n", {{"n", std::to_string(r)}})));
        }
        content.push_back(
            el("p",
               {{"class", "revisions"}},
               {el("span", {}, m(locale, "desk.compare_with")), el("span", {}, std::move(links))}));
    }
    content.push_back(answers_of(locale, v));
    if (!v.adoptions.empty()) {
        std::vector<Node> items;
        for (const auto& a : v.adoptions) {
            items.push_back(el("li", {}, a));
        }
        content.push_back(el("h2", {}, m(locale, "desk.adoptions")));
        content.push_back(el("ul", {}, std::move(items)));
    }
    std::vector<Node> form{hidden("csrf", v.csrf), hidden("n", v.number)};
    for (auto& n : decision_fields(locale, v.levels)) {
        form.push_back(std::move(n));
    }
    content.push_back(el("h2", {}, m(locale, "desk.decide")));
    content.push_back(el(
        "form", {{"method", "post"}, {"action", "/app/desk/decide"}, {"class", "decide"}}, std::move(form)));
    content.push_back(el("h2", {}, m(locale, "desk.assign")));
    if (!v.assignee.empty()) {
        content.push_back(el("p", {{"class", "meta"}}, m(locale, "desk.assignee", {{"name", v.assignee}})));
    }
    content.push_back(el("form",
                         {{"method", "post"}, {"action", "/app/desk/assign"}, {"class", "decide"}},
                         {hidden("csrf", v.csrf),
                          hidden("n", v.number),
                          select(locale, "to", "desk.assign_to", v.reviewers, ""),
                          el("button", {{"type", "submit"}}, m(locale, "desk.assign_apply"))}));
    content.push_back(trail_of(locale, v.trail));
    return frame(locale, v.title, std::move(content), false, true);
}

namespace {

/// The largest value of `bars`, at least 1 (what a bar's length is a share of).
int top_of(const std::vector<Bar>& bars) {
    int top = 1;
    for (const auto& b : bars) {
        top = std::max(top, b.value);
    }
    return top;
}

/// A chart: an image of `width` × `height` titled `title` (its accessible name), holding `parts`.
Node chart_svg(const std::string& id,
               const std::string& title,
               int width,
               int height,
               int font,
               std::vector<Node> parts) {
    parts.insert(parts.begin(), el("title", {{"id", id}}, title));
    return el("svg",
              {{"class", "chart"},
               {"viewbox", "0 0 " + std::to_string(width) + " " + std::to_string(height)},
               {"role", "img"},
               {"aria-labelledby", id},
               {"font-size", std::to_string(font)},
               {"fill", "#1f2329"}},
              std::move(parts));
}

/// Horizontal bars, one per line, labelled, with their values (drawn here: no script, no library).
/// An image: nothing in it is a link (the table under it has them).
Node bar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars) {
    constexpr int kRow = 26;
    constexpr int kLabel = 170;
    constexpr int kWidth = 400;
    const int top = top_of(bars);
    std::vector<Node> parts;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const int y = static_cast<int>(i) * kRow;
        const int w = b.value * kWidth / top;
        std::vector<Node> row{
            el("text",
               {{"x", std::to_string(kLabel - 8)}, {"y", std::to_string(y + 17)}, {"text-anchor", "end"}},
               b.label),
            el("rect",
               {{"x", std::to_string(kLabel)},
                {"y", std::to_string(y + 4)},
                {"width", std::to_string(std::max(w, 1))},
                {"height", std::to_string(kRow - 8)},
                {"fill", "#b4232a"}}),
            el("text",
               {{"x", std::to_string(kLabel + w + 6)}, {"y", std::to_string(y + 17)}},
               std::to_string(b.value))};
        parts.push_back(el("g", {}, std::move(row)));
    }
    return chart_svg(id, title, 640, std::max(1, static_cast<int>(bars.size())) * kRow, 13, std::move(parts));
}

/// Columns, one per month, their values above them and the months below.
Node column_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars) {
    constexpr int kHeight = 120;
    constexpr int kColumn = 50;
    const int top = top_of(bars);
    std::vector<Node> parts;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const int x = static_cast<int>(i) * kColumn + 10;
        const int h = b.value * kHeight / top;
        const int y = 20 + kHeight - h;
        parts.push_back(el("rect",
                           {{"x", std::to_string(x)},
                            {"y", std::to_string(y)},
                            {"width", std::to_string(kColumn - 14)},
                            {"height", std::to_string(std::max(h, 1))},
                            {"fill", "#b4232a"}}));
        parts.push_back(el("text",
                           {{"x", std::to_string(x + (kColumn - 14) / 2)},
                            {"y", std::to_string(y - 4)},
                            {"text-anchor", "middle"}},
                           std::to_string(b.value)));
        parts.push_back(el("text",
                           {{"x", std::to_string(x + (kColumn - 14) / 2)},
                            {"y", std::to_string(20 + kHeight + 16)},
                            {"text-anchor", "middle"}},
                           b.label));
    }
    return chart_svg(
        id, title, static_cast<int>(bars.size()) * kColumn + 20, kHeight + 44, 12, std::move(parts));
}

Node desk_nav(std::string_view locale) {
    return el("nav",
              {{"class", "desk-nav"}},
              {el("a", {{"href", "/app/desk"}}, m(locale, "desk.title")),
               el("a", {{"href", "/app/desk/progress"}}, m(locale, "desk.boards")),
               el("a", {{"href", "/app/desk/units"}}, m(locale, "desk.units_title")),
               el("a", {{"href", "/app/desk/digest"}}, m(locale, "desk.digest")),
               el("a", {{"href", "/app/desk/bindings"}}, m(locale, "desk.bindings")),
               el("a", {{"href", "/app/"}}, m(locale, "web.mine_title"))});
}

Node units_table(std::string_view locale, const UnitsView& v) {
    std::vector<Node> head;
    for (const char* key : {"desk.col_unit",
                            "desk.col_submitted",
                            "desk.col_on_time",
                            "desk.col_approved",
                            "desk.col_adopted",
                            "desk.col_points"}) {
        head.push_back(el("th", {{"scope", "col"}}, m(locale, key)));
    }
    for (const auto& level : v.levels) {
        head.push_back(el("th", {{"scope", "col"}}, level));
    }
    head.push_back(el("th", {{"scope", "col"}}, m(locale, "desk.col_marks")));
    std::vector<Node> rows;
    for (const auto& u : v.units) {
        std::vector<Node> cells{
            el("th", {{"scope", "row"}}, {el("a", {{"href", "/app/desk/unit/" + u.id}}, u.name)})};
        for (const int n : {u.submitted, u.on_time, u.approved, u.adopted, u.points}) {
            cells.push_back(el("td", {{"class", "number"}}, std::to_string(n)));
        }
        for (const int n : u.by_level) {
            cells.push_back(el("td", {{"class", "number"}}, std::to_string(n)));
        }
        cells.push_back(el("td", {}, u.marks));
        rows.push_back(el("tr", {}, std::move(cells)));
    }
    return el("div",
              {{"class", "scroll"},
               {"tabindex", "0"},
               {"role", "region"},
               {"aria-label", m(locale, "desk.units_table")}},
              {el("table",
                  {{"class", "units"}},
                  {el("caption", {}, m(locale, "desk.units_table")),
                   el("thead", {}, {el("tr", {}, std::move(head))}),
                   el("tbody", {}, std::move(rows))})});
}

/// 本期进度: each report type's current period, done of expected with a bar, and who is missing.
Node boards_of(std::string_view locale, const std::vector<BoardLine>& boards, const std::string& csrf) {
    std::vector<Node> items;
    for (const auto& b : boards) {
        const std::string line = m(locale,
                                   "desk.board_line",
                                   {{"template", b.kind},
                                    {"period", b.period},
                                    {"done", std::to_string(b.done)},
                                    {"expected", std::to_string(b.expected)}});
        std::vector<Node> parts{el("p", {{"class", "title"}}, line),
                                el("progress",
                                   {{"max", std::to_string(std::max(b.expected, 1))},
                                    {"value", std::to_string(b.done)},
                                    {"aria-label", line}})};
        if (!b.missing.empty()) {
            std::string names;
            for (const auto& n : b.missing) {
                names += (names.empty() ? "" : "、") + n;
            }
            parts.push_back(el("p",
                               {{"class", "meta"}},
                               m(locale,
                                 b.more_missing > 0 ? "desk.board_missing_more" : "desk.board_missing",
                                 {{"units", names}, {"count", std::to_string(b.more_missing)}})));
            parts.push_back(
                el("form",
                   {{"method", "post"}, {"action", "/app/desk/remind"}, {"class", "inline"}},
                   {hidden("csrf", csrf),
                    hidden("t", b.template_id),
                    el("button", {{"type", "submit"}}, m(locale, "desk.remind", {{"template", b.kind}}))}));
        }
        items.push_back(el("li", {}, std::move(parts)));
    }
    return el("ul", {{"class", "reports boards"}}, std::move(items));
}

}  // namespace

std::string units(std::string_view locale, const UnitsView& v) {
    std::vector<Node> content{desk_nav(locale)};
    std::vector<Node> spans;
    for (const char* span : {"month", "quarter", "year"}) {
        std::vector<html::Attr> attrs{{"href",
                                       std::string("/app/desk/units?span=") + span +
                                           (v.template_id.empty() ? "" : "&template=" + v.template_id)}};
        if (v.span == span) {
            attrs.push_back({"aria-current", "page"});
        }
        spans.push_back(el("a", std::move(attrs), m(locale, std::string("desk.span_") + span)));
    }
    content.push_back(el("p", {{"class", "desk-nav"}}, std::move(spans)));
    content.push_back(
        el("form",
           {{"method", "get"}, {"action", "/app/desk/units"}, {"class", "filter"}},
           {hidden("span", v.span),
            select(locale, "template", "desk.template", v.templates, v.template_id, "desk.all_templates"),
            el("button", {{"type", "submit"}}, m(locale, "desk.filter"))}));
    content.push_back(el("h2", {}, m(locale, "desk.points_chart", {{"window", v.window}})));
    content.push_back(
        v.chart.empty()
            ? el("p", {{"class", "empty"}}, m(locale, "desk.no_units"))
            : bar_chart("points-chart", m(locale, "desk.points_chart", {{"window", v.window}}), v.chart));
    content.push_back(units_table(locale, v));
    if (v.more > 0) {
        content.push_back(
            el("p", {{"class", "meta"}}, m(locale, "desk.units_more", {{"count", std::to_string(v.more)}})));
    }
    return frame(locale, m(locale, "desk.units_title"), std::move(content), false, true);
}

std::string progress(std::string_view locale, const std::vector<BoardLine>& boards, const std::string& csrf) {
    std::vector<Node> content{desk_nav(locale)};
    content.push_back(boards.empty() ? el("p", {{"class", "empty"}}, m(locale, "desk.no_boards"))
                                     : boards_of(locale, boards, csrf));
    return frame(locale, m(locale, "desk.boards"), std::move(content), false, true);
}

std::string digest(std::string_view locale, const Doc& doc) {
    // The chat's text marks ("■ " before a heading, "· " before an item) are the page's own
    // headings and list bullets here.
    const auto unmarked = [](std::string_view text, std::string_view mark) {
        return std::string(text.starts_with(mark) ? text.substr(mark.size()) : text);
    };
    std::vector<Node> content{desk_nav(locale)};
    for (const auto& s : doc.sections) {
        if (!s.heading.empty()) {
            content.push_back(el("h2", {}, unmarked(s.heading, "\xE2\x96\xA0 ")));
        }
        std::vector<Node> lines;
        for (const auto& line : s.lines) {
            lines.push_back(el("li", {}, unmarked(line, "\xC2\xB7 ")));
        }
        if (!lines.empty()) {
            content.push_back(el("ul", {{"class", "digest"}}, std::move(lines)));
        }
    }
    return frame(
        locale, doc.title.empty() ? m(locale, "desk.digest") : doc.title, std::move(content), false, true);
}

std::string bindings(std::string_view locale, const std::vector<BindingRow>& rows, const std::string& csrf) {
    std::vector<Node> content{desk_nav(locale)};
    if (rows.empty()) {
        content.push_back(el("p", {{"class", "empty"}}, m(locale, "bind.none_pending")));
        return frame(locale, m(locale, "desk.bindings"), std::move(content), false, true);
    }
    std::vector<Node> items;
    for (const auto& r : rows) {
        const auto decide = [&](const char* action, const char* key) {
            return el("form",
                      {{"method", "post"}, {"action", "/app/desk/binding"}, {"class", "inline"}},
                      {hidden("csrf", csrf),
                       hidden("id", std::to_string(r.id)),
                       hidden("action", action),
                       el("button", {{"type", "submit"}}, m(locale, key))});
        };
        items.push_back(
            el("li",
               {},
               {el("p",
                   {{"class", "title"}},
                   m(locale,
                     "bind.pending_line",
                     {{"binding", r.label}, {"user", r.user}, {"name", r.name}, {"unit", r.unit}})),
                el("p", {{"class", "meta"}}, r.platform),
                decide("approve", "desk.bind_approve"),
                decide("refuse", "desk.bind_refuse")}));
    }
    content.push_back(el("ul", {{"class", "reports"}}, std::move(items)));
    return frame(locale, m(locale, "desk.bindings"), std::move(content), false, true);
}

std::string unit(std::string_view locale, const UnitView& v) {
    std::vector<Node> content{desk_nav(locale)};
    if (!v.marks.empty()) {
        content.push_back(el("p", {{"class", "marks"}}, v.marks));
    }
    content.push_back(el("h2", {}, m(locale, "desk.trend_submitted")));
    content.push_back(column_chart("trend-submitted", m(locale, "desk.trend_submitted"), v.submitted));
    content.push_back(el("h2", {}, m(locale, "desk.trend_points")));
    content.push_back(column_chart("trend-points", m(locale, "desk.trend_points"), v.points));
    content.push_back(el("h2", {}, m(locale, "desk.unit_reports")));
    content.push_back(v.reports.empty() ? el("p", {{"class", "empty"}}, m(locale, "desk.none"))
                                        : table_of(locale, v.reports, false));
    return frame(locale, v.name, std::move(content), false, true);
}

std::string decided(std::string_view locale, const std::vector<Outcome>& lines, const std::string& back) {
    std::vector<Node> items;
    for (const auto& l : lines) {
        items.push_back(el("li", {{"class", l.ok ? "ok" : "refused"}}, l.line));
    }
    std::vector<Node> content;
    content.push_back(
        items.empty()
            ? el("p", {{"role", "status"}}, m(locale, "desk.none_picked"))
            : el("div", {{"role", "status"}}, {el("ul", {{"class", "outcomes"}}, std::move(items))}));
    content.push_back(el("p", {}, {el("a", {{"href", back}}, m(locale, "desk.back"))}));
    return frame(locale, m(locale, "desk.results_title"), std::move(content), false, true);
}

}  // namespace bot::web::desk_pages
