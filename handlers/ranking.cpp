// 比学赶超: 排名 [月|季|年] [模板] — units compared over this month, quarter or year: points from
// adoptions first, then approved, then submitted. Pure: the router reads the figures for the
// window the plan computed.
#include "handlers/ranking.hpp"

#include "handlers/flow.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace bot::handlers::ranking {
namespace {

namespace text = templates::text;

constexpr std::size_t kListed = 20;  ///< lines of units with figures; the rest are counted

std::vector<std::string> words_of(std::string_view arg) {
    std::vector<std::string> out;
    std::string w;
    for (const char c : arg) {
        if (c == ' ') {
            if (!w.empty()) {
                out.push_back(std::move(w));
                w.clear();
            }
        } else {
            w += c;
        }
    }
    if (!w.empty()) {
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace

RankingWindow window(const FlowContext& ctx, std::string_view arg) {
    const std::string& zone = ctx.settings.time_zone;
    RankingWindow w;
    std::string span = "month";
    for (const auto& word : words_of(templates::text::normalize(arg))) {
        if (word == "月" || word == "本月" || word == "month") {
            span = "month";
        } else if (word == "季" || word == "本季" || word == "季度" || word == "quarter") {
            span = "quarter";
        } else if (word == "年" || word == "本年" || word == "全年" || word == "year") {
            span = "year";
        } else {
            std::vector<const templates::Template*> all;
            for (const auto& t : ctx.templates.all()) {
                all.push_back(&t);
            }
            if (const auto* t = form::pick_template(all, word)) {
                w.template_id = t->id;
            } else {
                w.unknown = word;  // named nothing: said so by show(), nothing is read
            }
        }
    }
    RankingWindow w2 = window_of(zone, ctx.now, span);
    w2.template_id = std::move(w.template_id);
    w2.unknown = std::move(w.unknown);
    return w2;
}

RankingWindow window_of(std::string_view zone, TimePoint now, std::string_view span) {
    const templates::LocalDate today = templates::local_date(now, zone);
    RankingWindow w;
    templates::LocalDate first{today.year, today.month, 1};
    templates::LocalDate next{today.year, today.month + 1, 1};
    if (span == "quarter") {
        const int q = (today.month - 1) / 3;
        first = {today.year, q * 3 + 1, 1};
        next = {today.year, q * 3 + 4, 1};
        w.number = q + 1;
    } else if (span == "year") {
        first = {today.year, 1, 1};
        next = {today.year + 1, 1, 1};
    } else {
        w.number = today.month;
    }
    w.span = span == "quarter" || span == "year" ? std::string(span) : "month";
    w.year = today.year;
    if (next.month > 12) {
        next = {next.year + 1, next.month - 12, 1};
    }
    w.from = templates::at_local(zone, first, std::chrono::minutes(0));
    w.to = templates::at_local(zone, next, std::chrono::minutes(0));
    w.zone = std::string(zone);
    return w;
}

std::string period_key(const RankingWindow& w) {
    const std::string year = std::to_string(w.year);
    if (w.span == "quarter") {
        return year + "-Q" + std::to_string(w.number);
    }
    if (w.span == "year") {
        return year;
    }
    return year + (w.number < 10 ? "-0" : "-") + std::to_string(w.number);
}

namespace {

/// A unit's place in the ranking, by its figures, its roster position and then its row.
struct Ranked {
    int points, approved, submitted;
    std::size_t position;
    std::size_t index;
};

/// Best first: points from adoptions, then approved, then submitted; ties in roster order.
void rank(std::vector<Ranked>& rows) {
    std::sort(rows.begin(), rows.end(), [](const Ranked& a, const Ranked& b) {
        if (a.points != b.points) {
            return a.points > b.points;
        }
        if (a.approved != b.approved) {
            return a.approved > b.approved;
        }
        if (a.submitted != b.submitted) {
            return a.submitted > b.submitted;
        }
        return a.position != b.position ? a.position < b.position : a.index < b.index;
    });
}

}  // namespace

void order(std::vector<UnitFigures>& rows, const Roster& roster) {
    // Each row's roster position looked up once: a comparison looking it up twice made ranking
    // 100,000 units cost millions of hash lookups.
    std::vector<Ranked> keys;
    keys.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        keys.push_back(
            {rows[i].points, rows[i].approved, rows[i].submitted, roster.unit_position(rows[i].unit_id), i});
    }
    rank(keys);
    std::vector<UnitFigures> sorted;
    sorted.reserve(rows.size());
    for (const auto& k : keys) {
        sorted.push_back(std::move(rows[k.index]));
    }
    rows = std::move(sorted);
}

Standings standings(const std::vector<UnitFigures>& now,
                    const std::vector<UnitFigures>& before,
                    const Roster& roster,
                    const std::set<std::string, std::less<>>* scope,
                    std::size_t ends) {
    const auto& units = roster.units();
    const auto counted = [&](std::size_t position) {
        return position < units.size() && !units[position].exempt &&
               (scope == nullptr || scope->count(units[position].id) > 0);
    };
    std::vector<Ranked> previous;
    for (const auto& f : before) {
        if (const std::size_t at = roster.unit_position(f.unit_id); counted(at)) {
            previous.push_back({f.points, f.approved, f.submitted, at, at});
        }
    }
    rank(previous);
    std::vector<int> previous_rank(units.size(), 0);  // by roster position
    for (std::size_t i = 0; i < previous.size(); ++i) {
        previous_rank[previous[i].position] = static_cast<int>(i) + 1;
    }
    std::vector<const UnitFigures*> figures(units.size(), nullptr);
    for (const auto& f : now) {
        if (const std::size_t at = roster.unit_position(f.unit_id); at < units.size()) {
            figures[at] = &f;
        }
    }
    std::vector<Ranked> rows;
    rows.reserve(units.size());
    for (std::size_t at = 0; at < units.size(); ++at) {
        if (counted(at)) {
            const UnitFigures* f = figures[at];
            rows.push_back(f != nullptr ? Ranked{f->points, f->approved, f->submitted, at, at}
                                        : Ranked{0, 0, 0, at, at});
        }
    }
    rank(rows);
    const auto line = [&](std::size_t i) {
        const Ranked& r = rows[i];
        return RankLine{units[r.position].name,
                        static_cast<int>(i) + 1,
                        previous_rank[r.position],
                        r.points,
                        r.approved,
                        r.submitted};
    };
    // 前列: units that lead with something (points or approvals) — a unit with nothing is never a
    // leader. 末位: the last `ends` of the others, whenever there are any (比学赶超 compares both
    // ends).
    Standings out;
    std::size_t top = 0;
    while (top < rows.size() && top < ends && (rows[top].points > 0 || rows[top].approved > 0)) {
        out.top.push_back(line(top++));
    }
    for (std::size_t i = std::max(top, rows.size() > ends ? rows.size() - ends : 0); i < rows.size(); ++i) {
        out.bottom.push_back(line(i));
    }
    return out;
}

void show(Flow& f, const Command& /*c*/) {
    const auto* asked = f.needs.find<read::Ranking>();
    if (asked == nullptr) {
        return;  // the row always declares its read
    }
    const RankingWindow& w = asked->window;
    if (!w.unknown.empty()) {
        f.say(f.m("ranking.unknown", {{"word", w.unknown}}));
        return;
    }
    // Read ordered, over the units the sender is compared with (usecase::rankings): listed are
    // those with figures in the window; the others are counted.
    std::vector<UnitFigures> rows;
    std::size_t silent = 0;
    for (const auto& r : f.reads.ranking) {
        if (r.submitted > 0 || r.approved > 0 || r.adopted > 0 || r.points > 0) {
            rows.push_back(r);
        } else {
            ++silent;
        }
    }
    const templates::Template* t = w.template_id.empty() ? nullptr : f.ctx.templates.find(w.template_id);
    std::string out = f.m("ranking.header",
                          {{"window",
                            f.m("ranking.window_" + w.span,
                                {{"year", std::to_string(w.year)}, {"n", std::to_string(w.number)}})},
                           {"template", t != nullptr ? t->name.in(f.locale) : f.m("ranking.all_templates")}});
    if (rows.empty()) {
        out += "\n" + f.m("ranking.empty");
    }
    for (std::size_t i = 0; i < rows.size() && i < kListed; ++i) {
        const auto& r = rows[i];
        const Unit* u = f.ctx.roster.unit(r.unit_id);
        std::string levels;
        for (const auto& [level, n] : r.adopted_by_level) {
            levels += (levels.empty() ? "" : " ") + level + " " + std::to_string(n);
        }
        out += "\n" + f.m("ranking.line",
                          {{"i", std::to_string(i + 1)},
                           {"unit", u != nullptr ? u->name : r.unit_id},
                           {"points", std::to_string(r.points)},
                           {"submitted", std::to_string(r.submitted)},
                           {"on_time", std::to_string(r.on_time)},
                           {"approved", std::to_string(r.approved)},
                           {"adopted", std::to_string(r.adopted)},
                           {"levels", levels.empty() ? "" : "(" + levels + ")"}});
        // 快 · 实 · 新 of its assessed reports in the window, and the share with figures.
        if (const auto q = f.reads.ranking_quality.find(r.unit_id);
            q != f.reads.ranking_quality.end() && q->second.reports > 0) {
            const auto& m = q->second;
            out +=
                " · " + f.m("ranking.quality",
                            {{"solid", std::to_string((m.solid_sum + m.reports / 2) / m.reports)},
                             {"fresh", std::to_string((m.fresh_sum + m.reports / 2) / m.reports)},
                             {"share", std::to_string((100 * m.with_figures + m.reports / 2) / m.reports)}});
        }
    }
    if (rows.size() > kListed) {
        out += "\n" + f.m("ranking.more", {{"count", std::to_string(rows.size() - kListed)}});
    }
    if (silent > 0) {
        out += "\n" + f.m("ranking.silent", {{"count", std::to_string(silent)}});
    }
    f.say(out);
}

}  // namespace bot::handlers::ranking
