#include "bot/export/csv.hpp"

#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <date/date.h>
#include <date/tz.h>
#include <map>
#include <set>

namespace bot::exporting {
namespace {

std::string row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out += (i == 0 ? "" : ",") + cell(cells[i]);
    }
    return out + "\r\n";
}

std::string local_time(TimePoint t, std::string_view zone) {
    try {
        const date::zoned_time local{std::string(zone), std::chrono::floor<std::chrono::seconds>(t)};
        return date::format("%Y-%m-%d %H:%M:%S", local.get_local_time());
    } catch (const std::exception&) {
        return date::format("%Y-%m-%d %H:%M:%S UTC", std::chrono::floor<std::chrono::seconds>(t));
    }
}

}  // namespace

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

std::string reports_csv(const std::vector<store::ReportRecord>& reports,
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
    std::vector<std::string> header{m("export.number"),
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
        header.push_back(label);
    }
    std::string out(kBom);
    out += row(header);
    for (const auto& r : reports) {
        const auto* t = templates.find(r.template_id);
        const auto* u = roster.unit(r.unit_id);
        std::vector<std::string> cells{r.number,
                                       t != nullptr ? t->name.in(locale) : r.template_id,
                                       std::to_string(r.template_version),
                                       u != nullptr ? u->name : r.unit_id,
                                       r.author_name,
                                       r.title,
                                       handlers::msg(locale, "state." + r.status),
                                       m(r.on_time ? "export.yes" : "export.no"),
                                       std::to_string(r.revision),
                                       local_time(r.submitted_at, zone),
                                       local_time(r.updated_at, zone)};
        // 快 · 实 · 新 as assessed at submission (docs/quality.md); empty for reports from before.
        if (r.quality.empty()) {
            cells.insert(cells.end(), 5, std::string());
        } else {
            const auto q = handlers::quality::marks_from_json(r.quality);
            cells.push_back(q.fast < 0 ? std::string() : std::to_string(q.fast));
            cells.push_back(std::to_string(q.solid));
            cells.push_back(std::to_string(q.fresh));
            cells.push_back(m(q.figures ? "export.yes" : "export.no"));
            cells.push_back(q.nearest.empty() ? std::string()
                                              : q.nearest + " (" + std::to_string(q.nearest_percent) + "%)");
        }
        const auto values = nlohmann::json::parse(r.fields, nullptr, false);
        for (const auto& [id, label] : fields) {
            const bool has = values.is_object() && values.contains(id) && values[id].is_string();
            const templates::Field* field = t != nullptr ? t->field(id) : nullptr;
            if (field == nullptr) {
                field = field_of[id];
            }
            const std::string value = has ? values[id].get<std::string>() : std::string();
            cells.push_back(value.empty() ? value : handlers::shown_value(*field, value, roster, locale));
        }
        out += row(cells);
    }
    return out;
}

std::string stats_csv(const std::vector<store::UnitStats>& stats,
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
    std::vector<std::string> header{m("export.unit"),
                                    m("export.parent"),
                                    m("export.submitted"),
                                    m("export.on_time_count"),
                                    m("export.approved"),
                                    m("export.adopted"),
                                    m("export.points")};
    for (const auto& [level, points] : levels) {
        header.push_back(level);
    }
    std::string out(kBom);
    out += row(header);
    for (const auto& u : roster.units()) {
        if (!only.empty() && std::find(only.begin(), only.end(), u.id) == only.end()) {
            continue;
        }
        const auto it = by_unit.find(u.id);
        const store::UnitStats zero;
        const store::UnitStats& s = it != by_unit.end() ? *it->second : zero;
        const auto* parent = roster.unit(u.parent);
        std::vector<std::string> cells{u.name,
                                       parent != nullptr ? parent->name : "",
                                       std::to_string(s.submitted),
                                       std::to_string(s.on_time),
                                       std::to_string(s.approved),
                                       std::to_string(s.adopted),
                                       std::to_string(s.points)};
        for (const auto& [level, points] : levels) {
            const auto n = s.adopted_by_level.find(level);
            cells.push_back(std::to_string(n != s.adopted_by_level.end() ? n->second : 0));
        }
        out += row(cells);
    }
    return out;
}

}  // namespace bot::exporting
