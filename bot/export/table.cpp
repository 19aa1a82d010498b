#include "bot/export/table.hpp"

#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"
#include "handlers/quality.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <date/date.h>
#include <date/tz.h>
#include <map>
#include <set>

namespace bot::exporting {

Cell Cell::of(std::string s) {
    Cell c;
    c.text = std::move(s);
    return c;
}

Cell Cell::of(long long n) {
    Cell c;
    c.kind = Kind::number;
    c.number = n;
    c.text = std::to_string(n);
    return c;
}

Cell Cell::at(TimePoint t, std::string_view zone) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
    Cell c;
    date::local_seconds local;
    try {
        local = date::zoned_time{std::string(zone), seconds}.get_local_time();
        c.text = date::format("%Y-%m-%d %H:%M:%S", local);
    } catch (const std::exception&) {
        local = date::local_seconds{seconds.time_since_epoch()};
        c.text = date::format("%Y-%m-%d %H:%M:%S UTC", seconds);
    }
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss hms{local - day};
    c.kind = Kind::time;
    c.year = static_cast<int>(ymd.year());
    c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    c.hour = static_cast<int>(hms.hours().count());
    c.minute = static_cast<int>(hms.minutes().count());
    c.second = static_cast<int>(hms.seconds().count());
    return c;
}

Table reports_table(const std::vector<store::ReportRecord>& reports,
                    const templates::TemplateSet& templates,
                    const handlers::Roster& roster,
                    std::string_view locale,
                    std::string_view zone) {
    const auto m = [&](std::string_view key) {
        return handlers::msg(locale, key);
    };
    // Field columns: of the templates present, in the set's order, each field id once.
    std::set<std::string> present;
    for (const auto& r : reports) {
        present.insert(r.template_id);
    }
    std::vector<std::pair<std::string, std::string>> fields;  // id, header
    std::map<std::string, const templates::Field*> field_of;  // id → its first declaration
    std::set<std::string> seen;
    for (const auto& t : templates.all()) {
        if (present.count(t.id) == 0) {
            continue;
        }
        for (const auto& f : t.fields) {
            if (f.id == "title") {
                continue;  // the 标题 column already holds it
            }
            if (seen.insert(f.id).second) {
                fields.emplace_back(f.id, f.label.in(locale));
                field_of[f.id] = &f;
            }
        }
    }
    Table out;
    out.header = {m("export.number"),
                  m("export.type"),
                  m("export.template_version"),
                  m("export.unit"),
                  m("export.author"),
                  m("export.title"),
                  m("export.status"),
                  m("export.on_time"),
                  m("export.revision"),
                  m("export.submitted_at"),
                  m("export.updated_at"),
                  m("export.fast"),
                  m("export.solid"),
                  m("export.fresh"),
                  m("export.figures"),
                  m("export.similar_to")};
    for (const auto& [id, label] : fields) {
        out.header.push_back(label);
    }
    for (const auto& r : reports) {
        const auto* t = templates.find(r.template_id);
        const auto* u = roster.unit(r.unit_id);
        std::vector<Cell> cells{Cell::of(r.number),
                                Cell::of(t != nullptr ? t->name.in(locale) : r.template_id),
                                Cell::of(static_cast<long long>(r.template_version)),
                                Cell::of(u != nullptr ? u->name : r.unit_id),
                                Cell::of(r.author_name),
                                Cell::of(r.title),
                                Cell::of(handlers::msg(locale, "state." + r.status)),
                                Cell::of(m(r.on_time ? "export.yes" : "export.no")),
                                Cell::of(static_cast<long long>(r.revision)),
                                Cell::at(r.submitted_at, zone),
                                Cell::at(r.updated_at, zone)};
        // 快 · 实 · 新 as assessed at submission (docs/quality.md); empty for reports from before.
        if (r.quality.empty()) {
            cells.insert(cells.end(), 5, Cell{});
        } else {
            const auto q = handlers::quality::marks_from_json(r.quality);
            cells.push_back(q.fast < 0 ? Cell{} : Cell::of(static_cast<long long>(q.fast)));
            cells.push_back(Cell::of(static_cast<long long>(q.solid)));
            cells.push_back(Cell::of(static_cast<long long>(q.fresh)));
            cells.push_back(Cell::of(m(q.figures ? "export.yes" : "export.no")));
            cells.push_back(Cell::of(q.nearest.empty()
                                         ? std::string()
                                         : q.nearest + " (" + std::to_string(q.nearest_percent) + "%)"));
        }
        const auto values = nlohmann::json::parse(r.fields, nullptr, false);
        for (const auto& [id, label] : fields) {
            const bool has = values.is_object() && values.contains(id) && values[id].is_string();
            const templates::Field* field = t != nullptr ? t->field(id) : nullptr;
            if (field == nullptr) {
                field = field_of[id];
            }
            const std::string value = has ? values[id].get<std::string>() : std::string();
            cells.push_back(
                Cell::of(value.empty() ? value : handlers::shown_value(*field, value, roster, locale)));
        }
        out.rows.push_back(std::move(cells));
    }
    return out;
}

Table stats_table(const std::vector<store::UnitStats>& stats,
                  const handlers::Roster& roster,
                  const std::vector<std::pair<std::string, int>>& levels,
                  std::string_view locale,
                  const std::vector<std::string>& only) {
    const auto m = [&](std::string_view key) {
        return handlers::msg(locale, key);
    };
    std::map<std::string, const store::UnitStats*> by_unit;
    for (const auto& s : stats) {
        by_unit[s.unit_id] = &s;
    }
    Table out;
    out.header = {m("export.unit"),
                  m("export.parent"),
                  m("export.submitted"),
                  m("export.on_time_count"),
                  m("export.approved"),
                  m("export.adopted"),
                  m("export.points")};
    for (const auto& [level, points] : levels) {
        out.header.push_back(level);
    }
    for (const auto& u : roster.units()) {
        if (!only.empty() && std::find(only.begin(), only.end(), u.id) == only.end()) {
            continue;
        }
        const auto it = by_unit.find(u.id);
        const store::UnitStats zero;
        const store::UnitStats& s = it != by_unit.end() ? *it->second : zero;
        const auto* parent = roster.unit(u.parent);
        std::vector<Cell> cells{Cell::of(u.name),
                                Cell::of(parent != nullptr ? parent->name : ""),
                                Cell::of(static_cast<long long>(s.submitted)),
                                Cell::of(static_cast<long long>(s.on_time)),
                                Cell::of(static_cast<long long>(s.approved)),
                                Cell::of(static_cast<long long>(s.adopted)),
                                Cell::of(static_cast<long long>(s.points))};
        for (const auto& [level, points] : levels) {
            const auto n = s.adopted_by_level.find(level);
            cells.push_back(Cell::of(static_cast<long long>(n != s.adopted_by_level.end() ? n->second : 0)));
        }
        out.rows.push_back(std::move(cells));
    }
    return out;
}

}  // namespace bot::exporting
