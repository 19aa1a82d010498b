#include "bot/web/desk.hpp"

#include "adapters/common/crypto.hpp"
#include "bot/core/unicode.hpp"
#include "bot/export/csv.hpp"
#include "bot/export/xlsx.hpp"
#include "bot/usecases/bindings.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/rankings.hpp"
#include "bot/usecases/remind.hpp"
#include "bot/usecases/reports.hpp"
#include "bot/usecases/web.hpp"
#include "bot/web/desk_pages.hpp"
#include "bot/web/respond.hpp"
#include "handlers/binding.hpp"
#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"
#include "handlers/desk.hpp"
#include "handlers/quality.hpp"
#include "handlers/ranking.hpp"
#include "handlers/review.hpp"
#include "templates/periods.hpp"
#include "templates/validate.hpp"

#include <nlohmann/json.hpp>

namespace bot::web {
namespace {

constexpr std::size_t kPerPage = 50;
/// Rows of a CSV from the page; the CLI and the API page through any number.
constexpr std::size_t kExportMax = 10'000;
constexpr std::size_t kMaxPicked = 200;
constexpr std::size_t kMaxText = 2000;  ///< a comment or carrier, in characters

using Person = handlers::Person;

/// The desk's work for a signed-in coordinator: `fill` runs in the unit of work with the session
/// and the person; anyone else gets the sign-in page (401) or "only coordinators" (403).
using Fill = std::function<result<void>(store::Tx&, const store::WebSession&, const Person&, HttpResponse&)>;

core::ApiCall as_coordinator(const Deps& deps, const HttpRequest& request, TimePoint now, Fill fill) {
    return deferred([&deps, cookie = cookie_of(request, kCookie), now, fill = std::move(fill)](
                        store::Tx& tx, HttpResponse& out) {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (!s) {
            return result<void>(s.error());
        }
        const Person* person = *s ? deps.usecases.roster.person_by_id((*s)->person_id) : nullptr;
        if (person == nullptr) {
            out = notice(401, deps.locale, "web.sign_in_title", "web.sign_in_how");
            return result<void>{};
        }
        const std::string locale = person->locale.empty() ? deps.locale : person->locale;
        if (!person->coordinates()) {
            out = notice(403, locale, "desk.only_title", "desk.only");
            return result<void>{};
        }
        return fill(tx, **s, *person, out);
    });
}

/// A form posted on the desk: refused (403) from another site or without the session's CSRF token,
/// before anything is read; then `fill`, as as_coordinator.
core::ApiCall posted(
    const Deps& deps, const std::string& origin, const HttpRequest& request, TimePoint now, Fill fill) {
    if (!same_origin(request, origin)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    return as_coordinator(
        deps,
        request,
        now,
        [&deps, csrf = form_field(request.body, "csrf").value_or(""), fill = std::move(fill)](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            if (!adapters::crypto::constant_time_equal(csrf, s.csrf)) {
                const std::string locale = person.locale.empty() ? deps.locale : person.locale;
                out = notice(403, locale, "web.forbidden_title", "web.forbidden");
                return result<void>{};
            }
            return fill(tx, s, person, out);
        });
}

std::string locale_of(const Deps& deps, const Person& p) {
    return p.locale.empty() ? deps.locale : p.locale;
}

/// Every value of field `name` of a form body (a box ticked on several lines).
std::vector<std::string> form_values(std::string_view body, std::string_view name) {
    std::vector<std::string> out;
    while (!body.empty()) {
        const auto end = body.find('&');
        const std::string_view pair = body.substr(0, end);
        body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
        if (const auto v = form_field(pair, name)) {
            out.push_back(*v);
        }
    }
    return out;
}

/// A value typed into the page: valid UTF-8, cleaned, at most `max` characters.
std::string typed(std::string_view s, std::size_t max = 200) {
    if (!unicode::valid(s)) {
        return {};
    }
    std::string out = unicode::clean(s);
    return unicode::length(out) > max ? out.substr(0, unicode::utf8_floor(out, max * 3)) : out;
}

/// The list's filter as asked in the address, checked: what the store is asked, and the boxes.
struct Asked {
    store::ReportFilter filter;
    desk_pages::Filter shown;
    std::int64_t before = 0;
    bool nothing = false;  ///< a unit outside the scope: nothing to list
};

Asked asked(const Deps& deps, const HttpRequest& request, const Person& person, TimePoint now) {
    const auto param = [&request](std::string_view name) {
        return typed(request.query_param(name).value_or(""));
    };
    Asked a;
    auto& f = a.shown;
    f.unit = param("unit");
    f.template_id = param("template");
    // The queue by default: what waits for review; the form always says which state it wants.
    f.status = request.query_param("status") ? param("status") : "submitted";
    f.marks = param("marks");
    f.words = param("q");
    f.from = param("from");
    f.to = param("to");
    f.mine = param("mine") == "1";
    if (f.mine) {
        a.filter.assignee = person.id;
    }
    const auto units = handlers::desk::units_for(deps.usecases.roster, person, f.unit);
    a.nothing = units.none();
    a.filter.units = units.units;
    if (deps.usecases.templates.find(f.template_id) != nullptr) {
        a.filter.template_id = f.template_id;
    }
    for (const char* s : {"submitted", "returned", "approved", "adopted", "withdrawn"}) {
        if (f.status == s) {
            a.filter.status = s;
        }
    }
    if (f.marks == "weak" || f.marks == "strong") {
        a.filter.marks = f.marks;
    }
    a.filter.words = f.words;
    const auto today = templates::local_date(now, deps.zone);
    if (const auto d = templates::parse_date(f.from, today); d && !f.from.empty()) {
        a.filter.from = templates::at_local(deps.zone, *d, std::chrono::minutes(0));
    }
    if (const auto d = templates::parse_date(f.to, today); d && !f.to.empty()) {
        a.filter.to = templates::at_local(deps.zone, d->plus_days(1), std::chrono::minutes(0));
    }
    const auto before = request.query_param("before").value_or("");
    a.before = before.empty() || before.size() > 18 || !std::all_of(before.begin(), before.end(), ::isdigit)
                   ? 0
                   : std::stoll(before);
    const auto visible = deps.usecases.roster.visible_units(&person);
    for (const auto& u : deps.usecases.roster.units()) {
        if (!visible || visible->count(u.id) != 0) {
            f.units.push_back({u.id, u.name});
        }
    }
    const std::string locale = locale_of(deps, person);
    for (const auto& t : deps.usecases.templates.all()) {
        f.templates.push_back({t.id, t.name.in(locale)});
    }
    return a;
}

/// The address of the list with this filter (and `extra`, e.g. the next page's cursor).
std::string address(std::string_view path, const desk_pages::Filter& f, const std::string& extra = {}) {
    std::string out(path);
    out += "?status=" + percent_encode(f.status);
    if (f.mine) {
        out += "&mine=1";
    }
    for (const auto& [k, v] : {std::pair{"unit", &f.unit},
                               {"template", &f.template_id},
                               {"marks", &f.marks},
                               {"q", &f.words},
                               {"from", &f.from},
                               {"to", &f.to}}) {
        if (!v->empty()) {
            out += std::string("&") + k + "=" + percent_encode(*v);
        }
    }
    return out + extra;
}

std::string marks_text(std::string_view locale, const std::string& quality) {
    if (quality.empty()) {
        return {};
    }
    const auto marks = handlers::quality::marks_from_json(quality);
    return handlers::msg(locale,
                         "desk.marks_line",
                         {{"fast", marks.fast < 0 ? "—" : std::to_string(marks.fast)},
                          {"solid", std::to_string(marks.solid)},
                          {"fresh", std::to_string(marks.fresh)}});
}

desk_pages::Row row_of(const Deps& deps, std::string_view locale, const store::ReportRecord& r) {
    const auto* unit = deps.usecases.roster.unit(r.unit_id);
    const auto* t = deps.usecases.templates.find(r.template_id);
    return {.number = r.number,
            .title = r.title,
            .unit = unit != nullptr ? unit->name : r.unit_id,
            .author = r.author_name,
            .kind = t != nullptr ? t->name.in(locale) : r.template_id,
            .date = templates::local_date(r.submitted_at, deps.zone).iso(),
            .status = r.status,
            .marks = marks_text(locale, r.quality),
            .revision = r.revision};
}

std::vector<desk_pages::Option> levels_of(const Deps& deps) {
    std::vector<desk_pages::Option> out;
    for (const auto& [level, points] : deps.routing.settings.adoption_levels) {
        out.push_back({level, level});
    }
    return out;
}

}  // namespace

namespace {

/// The list as a file: CSV (its byte-order mark once), or an .xlsx workbook.
result<void> export_list(const Deps& deps,
                         const std::vector<store::ReportRecord>& rows,
                         const std::string& locale,
                         bool workbook,
                         HttpResponse& out) {
    const auto table =
        exporting::reports_table(rows, deps.usecases.templates, deps.usecases.roster, locale, deps.zone);
    if (!workbook) {
        out = HttpResponse::text(200, exporting::csv(table));
        out.content_type = "text/csv; charset=utf-8";
        out.headers.emplace_back("Content-Disposition", "attachment; filename=\"reports.csv\"");
    } else if (auto book = exporting::xlsx(table, handlers::msg(locale, "export.sheet_reports")); book) {
        out = HttpResponse::text(200, std::move(*book));
        out.content_type = std::string(exporting::kXlsxType);
        out.headers.emplace_back("Content-Disposition", "attachment; filename=\"reports.xlsx\"");
    } else {
        return book.error();
    }
    harden(out);
    return {};
}

}  // namespace

core::ApiCall Desk::list(const HttpRequest& request, TimePoint now, bool csv) const {
    return as_coordinator(
        deps_,
        request,
        now,
        [this, request, now, csv](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            Asked a = asked(deps_, request, person, now);
            std::vector<store::ReportRecord> rows;
            if (!a.nothing) {
                auto found = tx.reports().listing(a.filter, a.before, csv ? kExportMax : kPerPage + 1);
                if (!found) {
                    return result<void>(found.error());
                }
                rows = std::move(*found);
            }
            if (csv) {
                return export_list(
                    deps_, rows, locale, request.query_param("format").value_or("") == "xlsx", out);
            }
            desk_pages::ListView v;
            v.filter = a.shown;
            v.levels = levels_of(deps_);
            v.csrf = s.csrf;
            if (rows.size() > kPerPage) {
                rows.resize(kPerPage);
                v.next = address("/app/desk", a.shown, "&before=" + std::to_string(rows.back().id));
            }
            for (const auto& r : rows) {
                v.rows.push_back(row_of(deps_, locale, r));
            }
            v.export_url = address("/app/desk/export", a.shown);
            v.export_xlsx_url = address("/app/desk/export", a.shown, "&format=xlsx");
            out = html_page(200, desk_pages::list(locale, v));
            return result<void>{};
        });
}

namespace {

/// The answers of a report beside revision `compared` (0: none), in the template's order, then
/// any answer the template no longer has.
std::vector<desk_pages::Answer> answers_of(const templates::Template* t,
                                           const handlers::Roster& roster,
                                           std::string_view locale,
                                           const store::Revision* earlier,
                                           const store::ReportRecord& now) {
    const auto parse = [](const std::string& text) {
        std::map<std::string, std::string> out;
        const auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_object()) {
            for (const auto& [k, v] : j.items()) {
                out[k] = v.is_string() ? v.get<std::string>() : v.dump();
            }
        }
        return out;
    };
    auto current = parse(now.fields);
    auto before = earlier != nullptr ? parse(earlier->fields) : current;
    std::vector<desk_pages::Answer> out;
    // Answers as people read them: a choice's label, a unit's name, a percentage with its sign.
    const auto add = [&](const std::string& id, std::string label, const templates::Field* field = nullptr) {
        const auto shown = [&](const std::map<std::string, std::string>& from) {
            const auto it = from.find(id);
            return it == from.end()   ? std::string()
                   : field != nullptr ? handlers::shown_value(*field, it->second, roster, locale)
                                      : it->second;
        };
        const std::string was = shown(before);
        const std::string is = shown(current);
        if (was.empty() && is.empty()) {
            return;
        }
        out.push_back({std::move(label), handlers::desk::diff(was, is), is});
        before.erase(id);
        current.erase(id);
    };
    if (t != nullptr) {
        for (const auto& field : t->fields) {
            add(field.id, field.label.in(locale), &field);
        }
    }
    std::set<std::string> rest;
    for (const auto& [k, v] : current) {
        rest.insert(k);
    }
    for (const auto& [k, v] : before) {
        rest.insert(k);
    }
    for (const auto& id : rest) {
        add(id, id);
    }
    return out;
}

}  // namespace

core::ApiCall Desk::show(const HttpRequest& request, const std::string& number, TimePoint now) const {
    const std::string compare = request.query_param("compare").value_or("");
    return as_coordinator(
        deps_,
        request,
        now,
        [this, number, compare](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto found = tx.reports().find(number);
            if (!found) {
                return result<void>(found.error());
            }
            // Outside the scope a report is not found: the same page as for no report at all.
            if (!*found || !deps_.usecases.roster.in_scope(person, (*found)->unit_id)) {
                out = notice(404, locale, "web.not_found_title", "desk.not_found");
                return result<void>{};
            }
            const store::ReportRecord& r = **found;
            auto revisions = tx.reports().revisions(number);
            auto adoptions = tx.reports().adoptions(number);
            auto trail = tx.audit().of_target(number, 200);
            if (!revisions || !adoptions || !trail) {
                return result<void>(!revisions   ? revisions.error()
                                    : !adoptions ? adoptions.error()
                                                 : trail.error());
            }
            desk_pages::ReportView v;
            v.number = r.number;
            v.title = r.title.empty() ? r.number : r.title;
            const auto row = row_of(deps_, locale, r);
            v.meta = handlers::msg(locale,
                                   "desk.report_meta",
                                   {{"number", r.number},
                                    {"unit", row.unit},
                                    {"author", row.author},
                                    {"template", row.kind},
                                    {"date", row.date},
                                    {"revision", std::to_string(r.revision)}});
            v.status = r.status;
            v.marks = row.marks;
            if (!r.quality.empty()) {
                const auto marks = handlers::quality::marks_from_json(r.quality);
                v.nearest = marks.nearest;
                v.nearest_percent = marks.nearest_percent;
            }
            v.revision = r.revision;
            const store::Revision* earlier = nullptr;
            const int wanted = compare.empty() ? r.revision - 1 : std::atoi(compare.c_str());
            for (const auto& rev : *revisions) {
                if (rev.revision == wanted && wanted < r.revision) {
                    earlier = &rev;
                    v.compared = wanted;
                }
            }
            v.answers = answers_of(
                deps_.usecases.templates.find(r.template_id), deps_.usecases.roster, locale, earlier, r);
            for (const auto& a : *adoptions) {
                v.adoptions.push_back(handlers::msg(
                    locale,
                    "review.show_adoption",
                    {{"level", a.level}, {"points", std::to_string(a.points)}, {"venue", a.venue}}));
            }
            for (const auto& e : *trail) {
                const Person* who = deps_.usecases.roster.person_by_id(e.actor_id);
                const auto action = handlers::catalog_raw(locale, "history." + e.action);
                v.trail.push_back({templates::local_date(e.at, deps_.zone).iso(),
                                   who != nullptr ? who->name : e.actor_id,
                                   action.empty() ? e.action : std::string(action),
                                   e.after});
            }
            v.levels = levels_of(deps_);
            v.csrf = s.csrf;
            if (const Person* reviewer = deps_.usecases.roster.person_by_id(r.assignee)) {
                v.assignee = reviewer->name;
            }
            for (const Person* p : handlers::desk::reviewers_of(deps_.usecases.roster, r.unit_id)) {
                v.reviewers.push_back({p->id, p->name});
            }
            out = html_page(200, desk_pages::report(locale, v));
            return result<void>{};
        });
}

core::ApiCall Desk::decide(const HttpRequest& request, TimePoint now) const {
    std::vector<std::string> numbers = form_values(request.body, "n");
    if (numbers.size() > kMaxPicked) {
        numbers.resize(kMaxPicked);
    }
    handlers::review::Ask ask{.action = typed(form_field(request.body, "action").value_or(""))};
    if (ask.action == "return") {
        ask.comment = typed(form_field(request.body, "comment").value_or(""), kMaxText);
    } else if (ask.action == "adopt") {
        ask.level = typed(form_field(request.body, "level").value_or(""));
        ask.venue = typed(form_field(request.body, "venue").value_or(""), kMaxText);
    }
    const std::string back = numbers.size() == 1 ? "/app/desk/report/" + typed(numbers[0]) : "/app/desk";
    return posted(
        deps_,
        origin_,
        request,
        now,
        [this, numbers, ask, back, rid = request.request_id, now](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            const handlers::FlowContext ctx{now,
                                            deps_.usecases.templates,
                                            deps_.usecases.roster,
                                            deps_.locale,
                                            deps_.usecases.calendar,
                                            deps_.routing.settings};
            const usecase::Actor actor = usecase::web_actor(deps_.usecases, s, rid);
            std::vector<desk_pages::Outcome> lines;
            for (const auto& typed_number : numbers) {
                const std::string number = typed(typed_number, 32);
                auto found = usecase::find_report(tx, number, false);
                if (!found) {
                    return result<void>(found.error());
                }
                // Outside the scope exactly as for no report: the page learns nothing more.
                if (!*found || !deps_.usecases.roster.in_scope(person, (*found)->report.unit_id)) {
                    lines.push_back({handlers::msg(locale, "desk.no_report", {{"number", number}}), false});
                    continue;
                }
                auto decided = usecase::decide_review(ctx, tx, actor, **found, ask, locale);
                if (!decided) {
                    return result<void>(decided.error());
                }
                if (const auto* no = std::get_if<handlers::review::Refusal>(&*decided)) {
                    lines.push_back(
                        {handlers::msg(locale, "desk.refused", {{"number", number}, {"reason", no->text}}),
                         false});
                    continue;
                }
                const auto& change = std::get<handlers::ReviewChange>(*decided);
                const std::string key = change.repeat               ? "desk.repeat"
                                        : change.notice.has_value() ? "desk.done_told"
                                                                    : "desk.done";
                lines.push_back({handlers::msg(locale,
                                               key,
                                               {{"number", number},
                                                {"state", handlers::msg(locale, "state." + change.to)}}),
                                 true});
            }
            out = html_page(200, desk_pages::decided(locale, lines, back));
            return result<void>{};
        });
}

core::ApiCall Desk::assign(const HttpRequest& request, TimePoint now) const {
    const std::string number = typed(form_field(request.body, "n").value_or(""), 32);
    const std::string to = typed(form_field(request.body, "to").value_or(""));
    return posted(
        deps_,
        origin_,
        request,
        now,
        [this, number, to, rid = request.request_id, now](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto found = usecase::find_report(tx, number, false);
            if (!found) {
                return result<void>(found.error());
            }
            std::string line = handlers::msg(locale, "desk.no_report", {{"number", number}});
            bool ok = false;
            // Outside the scope exactly as for no report.
            if (*found && deps_.usecases.roster.in_scope(person, (*found)->report.unit_id)) {
                const handlers::FlowContext ctx{now,
                                                deps_.usecases.templates,
                                                deps_.usecases.roster,
                                                deps_.locale,
                                                deps_.usecases.calendar,
                                                deps_.routing.settings};
                auto done =
                    usecase::assign_report(ctx, tx, usecase::web_actor(deps_.usecases, s, rid), **found, to);
                if (!done) {
                    return result<void>(done.error());
                }
                const Person* reviewer = deps_.usecases.roster.person_by_id(to);
                ok = done->refusal.empty();
                line =
                    handlers::msg(locale,
                                  !ok            ? done->refusal
                                  : done->repeat ? "desk.assigned_already"
                                  : done->told   ? "desk.assigned"
                                                 : "desk.assigned_quiet",
                                  {{"number", number}, {"name", reviewer != nullptr ? reviewer->name : to}});
            }
            out = html_page(200, desk_pages::decided(locale, {{line, ok}}, "/app/desk/report/" + number));
            return result<void>{};
        });
}

namespace {

constexpr std::size_t kChartBars = 20;    ///< units in the points chart
constexpr std::size_t kTableUnits = 200;  ///< units in the comparison table; the rest are counted

desk_pages::UnitLine unit_line(const handlers::Roster& roster,
                               const desk_view::Levels& levels,
                               std::string_view locale,
                               const handlers::UnitFigures& r,
                               const usecase::Ranking& ranking) {
    const auto* u = roster.unit(r.unit_id);
    desk_pages::UnitLine line{.id = r.unit_id,
                              .name = u != nullptr ? u->name : r.unit_id,
                              .submitted = r.submitted,
                              .on_time = r.on_time,
                              .approved = r.approved,
                              .adopted = r.adopted,
                              .points = r.points,
                              .by_level = {},
                              .marks = {}};
    for (const auto& [level, points] : levels) {
        const auto n = r.adopted_by_level.find(level);
        line.by_level.push_back(n != r.adopted_by_level.end() ? n->second : 0);
    }
    if (const auto q = ranking.quality.find(r.unit_id); q != ranking.quality.end() && q->second.reports > 0) {
        const auto& m = q->second;
        line.marks =
            handlers::msg(locale,
                          "ranking.quality",
                          {{"solid", std::to_string((m.solid_sum + m.reports / 2) / m.reports)},
                           {"fresh", std::to_string((m.fresh_sum + m.reports / 2) / m.reports)},
                           {"share", std::to_string((100 * m.with_figures + m.reports / 2) / m.reports)}});
    }
    return line;
}

/// 本期进度 as 进度 reads it (usecase::boards, narrowed to the person's scope): the current period of
/// every report type that units owe.
}  // namespace

namespace desk_view {

result<std::vector<desk_pages::BoardLine>> board_lines(
    const usecase::Deps& deps, store::Tx& tx, const Person* reader, std::string_view locale, TimePoint now) {
    constexpr std::size_t kMissingShown = 20;
    std::vector<const templates::Template*> list;
    for (const auto& t : deps.templates.all()) {
        list.push_back(&t);
    }
    auto boards = usecase::boards(deps, tx, reader, list, now);
    if (!boards) {
        return boards.error();
    }
    std::vector<desk_pages::BoardLine> out;
    for (const auto& b : *boards) {
        if (b.board.expected == 0) {
            continue;  // a template that asks nothing of the units (先进典型推荐 without a quota)
        }
        desk_pages::BoardLine line{
            .template_id = b.tmpl->id,
            .kind = b.tmpl->name.in(locale),
            .period = handlers::period_label(locale, b.period.weekly, b.period.year, b.period.number),
            .done = b.board.done,
            .expected = b.board.expected,
            .missing = {},
            .more_missing = 0};
        for (const auto& u : b.board.units) {
            if (u.state != handlers::UnitState::missing) {
                continue;
            }
            if (line.missing.size() < kMissingShown) {
                line.missing.push_back(u.unit_name);
            } else {
                ++line.more_missing;
            }
        }
        out.push_back(std::move(line));
    }
    return out;
}

void compare(desk_pages::UnitsView& v,
             const handlers::Roster& roster,
             const Levels& levels,
             std::string_view locale,
             const usecase::Ranking& ranking) {
    for (const auto& r : ranking.rows) {
        if (v.units.size() == kTableUnits) {
            ++v.more;
            continue;
        }
        v.units.push_back(unit_line(roster, levels, locale, r, ranking));
        if (v.chart.size() < kChartBars && r.points > 0) {
            v.chart.push_back({v.units.back().name, r.points});
        }
    }
}

}  // namespace desk_view

core::ApiCall Desk::units(const HttpRequest& request, TimePoint now) const {
    std::string span = typed(request.query_param("span").value_or("month"));
    if (span != "month" && span != "quarter" && span != "year") {
        span = "month";
    }
    const std::string wanted = typed(request.query_param("template").value_or(""));
    return as_coordinator(
        deps_,
        request,
        now,
        [this, span, wanted, now](
            store::Tx& tx, const store::WebSession&, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto w = handlers::ranking::window_of(deps_.zone, now, span);
            if (deps_.usecases.templates.find(wanted) != nullptr) {
                w.template_id = wanted;
            }
            auto ranking = usecase::rankings(deps_.usecases, tx, &person, w);
            if (!ranking) {
                return result<void>(ranking.error());
            }
            desk_pages::UnitsView v{
                .span = span,
                .window = handlers::msg(locale,
                                        "ranking.window_" + span,
                                        {{"year", std::to_string(w.year)}, {"n", std::to_string(w.number)}}),
                .template_id = w.template_id,
                .templates = {},
                .levels = {},
                .units = {},
                .chart = {},
                .more = 0};
            for (const auto& t : deps_.usecases.templates.all()) {
                v.templates.push_back({t.id, t.name.in(locale)});
            }
            for (const auto& [level, points] : deps_.routing.settings.adoption_levels) {
                v.levels.push_back(level);
            }
            desk_view::compare(
                v, deps_.usecases.roster, deps_.routing.settings.adoption_levels, locale, *ranking);
            out = html_page(200, desk_pages::units(locale, v));
            return result<void>{};
        });
}

core::ApiCall Desk::progress(const HttpRequest& request, TimePoint now) const {
    return as_coordinator(
        deps_,
        request,
        now,
        [this, now](store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto boards = desk_view::board_lines(deps_.usecases, tx, &person, locale, now);
            if (!boards) {
                return result<void>(boards.error());
            }
            out = html_page(200, desk_pages::progress(locale, *boards, s.csrf));
            return result<void>{};
        });
}

core::ApiCall Desk::unit(const HttpRequest& request, const std::string& id, TimePoint now) const {
    return as_coordinator(
        deps_,
        request,
        now,
        [this, id, now](store::Tx& tx, const store::WebSession&, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            const handlers::Unit* u = deps_.usecases.roster.unit(id);
            if (u == nullptr || !deps_.usecases.roster.in_scope(person, id)) {
                out = notice(404, locale, "web.not_found_title", "desk.no_unit");
                return result<void>{};
            }
            // The last twelve months, oldest first, in the pages' zone.
            std::vector<handlers::desk::Span> months;
            auto w = handlers::ranking::window_of(deps_.zone, now, "month");
            for (int i = 0; i < 12; ++i) {
                months.insert(months.begin(), {w.from, w.to});
                w = handlers::ranking::window_of(deps_.zone, w.from - std::chrono::seconds(1), "month");
            }
            auto history = tx.reports().unit_history(id, months.front().from, months.back().to);
            auto reports = tx.reports().listing({.units = {id}}, 0, 20);
            if (!history || !reports) {
                return result<void>(!history ? history.error() : reports.error());
            }
            std::vector<TimePoint> adopted_at;
            std::vector<int> points;
            for (const auto& [at, p] : history->adopted) {
                adopted_at.push_back(at);
                points.push_back(p);
            }
            const auto submitted = handlers::desk::per_span(history->submitted, months);
            const auto earned = handlers::desk::per_span(adopted_at, months, points);
            desk_pages::UnitView v{
                .id = id, .name = u->name, .submitted = {}, .points = {}, .reports = {}, .marks = {}};
            for (std::size_t i = 0; i < months.size(); ++i) {
                const auto month = templates::local_date(months[i].from, deps_.zone);
                const std::string label =
                    handlers::msg(locale, "desk.month", {{"month", std::to_string(month.month)}});
                v.submitted.push_back({label, submitted[i]});
                v.points.push_back({label, earned[i]});
            }
            for (const auto& r : *reports) {
                v.reports.push_back(row_of(deps_, locale, r));
            }
            out = html_page(200, desk_pages::unit(locale, v));
            return result<void>{};
        });
}

core::ApiCall Desk::remind(const HttpRequest& request, TimePoint now) const {
    const std::string wanted = typed(form_field(request.body, "t").value_or(""));
    return posted(
        deps_,
        origin_,
        request,
        now,
        [this, wanted, rid = request.request_id, now](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            // 催报 as in chat and POST /api/v1/remind: the use case keeps to the person's scope and
            // to one round per remind_cooldown for the person's desk.
            usecase::RemindAsk ask{
                .templates = {}, .units = {}, .limit_scope = "web/" + person.id, .audit_target = "web"};
            for (const auto& t : deps_.usecases.templates.all()) {
                if (wanted.empty() || t.id == wanted) {
                    ask.templates.push_back(t.id);
                }
            }
            auto outcome = usecase::remind(
                deps_.usecases, tx, usecase::web_actor(deps_.usecases, s, rid), ask, now, locale);
            if (!outcome) {
                return result<void>(outcome.error());
            }
            std::vector<desk_pages::Outcome> lines;
            for (const auto& r : outcome->replies) {
                lines.push_back({r, outcome->refused == usecase::Reminded::Refused::none});
            }
            out = html_page(200, desk_pages::decided(locale, lines, "/app/desk/progress"));
            return result<void>{};
        });
}

core::ApiCall Desk::digest(const HttpRequest& request, TimePoint now) const {
    return as_coordinator(
        deps_,
        request,
        now,
        [this, now](store::Tx& tx, const store::WebSession&, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto doc = usecase::digest_doc(deps_.usecases, tx, now, locale, &person);
            if (!doc) {
                return result<void>(doc.error());
            }
            out = html_page(200, desk_pages::digest(locale, *doc));
            return result<void>{};
        });
}

core::ApiCall Desk::bindings(const HttpRequest& request, TimePoint now) const {
    constexpr std::size_t kShown = 200;
    return as_coordinator(
        deps_,
        request,
        now,
        [this](store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            auto pending = usecase::pending_bindings(tx, kShown);
            if (!pending) {
                return result<void>(pending.error());
            }
            const handlers::FlowContext ctx{TimePoint{},
                                            deps_.usecases.templates,
                                            deps_.usecases.roster,
                                            deps_.locale,
                                            deps_.usecases.calendar,
                                            deps_.routing.settings};
            std::vector<desk_pages::BindingRow> rows;
            for (const auto& b : *pending) {
                const Person* p = deps_.usecases.roster.person_by_id(b.person_id);
                if (!handlers::binding::in_reach(ctx, person, p)) {
                    continue;  // an officer outside the scope: not shown
                }
                const handlers::Unit* u = p != nullptr ? deps_.usecases.roster.unit(p->unit) : nullptr;
                const auto platform = deps_.routing.settings.bot_platforms.find(b.bot_id);
                rows.push_back({.id = b.id,
                                .label = "B" + std::to_string(b.id),
                                .user = b.user_name.empty() ? b.user_id : b.user_name,
                                .name = p != nullptr ? p->name : b.person_id,
                                .unit = u != nullptr ? u->name : "",
                                .platform = platform != deps_.routing.settings.bot_platforms.end()
                                                ? platform->second
                                                : b.bot_id});
            }
            out = html_page(200, desk_pages::bindings(locale, rows, s.csrf));
            return result<void>{};
        });
}

core::ApiCall Desk::bind(const HttpRequest& request, TimePoint now) const {
    const auto id = handlers::binding::parse_id(typed(form_field(request.body, "id").value_or(""), 20));
    const bool approve = form_field(request.body, "action").value_or("") == "approve";
    return posted(
        deps_,
        origin_,
        request,
        now,
        [this, id, approve, rid = request.request_id, now](
            store::Tx& tx, const store::WebSession& s, const Person& person, HttpResponse& out) {
            const std::string locale = locale_of(deps_, person);
            std::vector<desk_pages::Outcome> lines;
            if (!id) {
                lines.push_back({handlers::msg(locale, "bind.not_found", {{"binding", "?"}}), false});
            } else {
                const handlers::FlowContext ctx{now,
                                                deps_.usecases.templates,
                                                deps_.usecases.roster,
                                                deps_.locale,
                                                deps_.usecases.calendar,
                                                deps_.routing.settings};
                auto done = usecase::decide_binding_request(
                    ctx, tx, usecase::web_actor(deps_.usecases, s, rid), *id, approve, locale);
                if (!done) {
                    return result<void>(done.error());
                }
                lines.push_back({done->line, done->decided});
            }
            out = html_page(200, desk_pages::decided(locale, lines, "/app/desk/bindings"));
            return result<void>{};
        });
}

std::optional<core::ApiCall> Desk::operator()(const HttpRequest& request, TimePoint now) const {
    const std::string_view path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if ((path == "/app/desk" || path == "/app/desk/") && get) {
        return list(request, now, false);
    }
    if (path == "/app/desk/export" && get) {
        return list(request, now, true);
    }
    // The pages and forms at a fixed path: a GET (or HEAD) shows, a POST acts.
    struct Route {
        std::string_view path;
        bool post;
        core::ApiCall (Desk::*run)(const HttpRequest&, TimePoint) const;
    };
    static constexpr Route kRoutes[] = {
        {"/app/desk/decide", true, &Desk::decide},
        {"/app/desk/assign", true, &Desk::assign},
        {"/app/desk/units", false, &Desk::units},
        {"/app/desk/progress", false, &Desk::progress},
        {"/app/desk/remind", true, &Desk::remind},
        {"/app/desk/digest", false, &Desk::digest},
        {"/app/desk/bindings", false, &Desk::bindings},
        {"/app/desk/binding", true, &Desk::bind},
    };
    for (const auto& r : kRoutes) {
        if (path == r.path && (r.post ? request.method == "POST" : get)) {
            return (this->*r.run)(request, now);
        }
    }
    constexpr std::string_view kUnit = "/app/desk/unit/";
    if (path.starts_with(kUnit) && get) {
        return unit(request, std::string(path.substr(kUnit.size())), now);
    }
    constexpr std::string_view kReport = "/app/desk/report/";
    if (path.starts_with(kReport) && get) {
        return show(request, std::string(path.substr(kReport.size())), now);
    }
    if (path.starts_with("/app/desk")) {
        return now_answer(notice(404, deps_.locale, "web.not_found_title", "web.not_found"));
    }
    return std::nullopt;
}

}  // namespace bot::web
