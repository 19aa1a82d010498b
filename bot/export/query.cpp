#include "bot/export/query.hpp"

#include "bot/export/csv.hpp"
#include "bot/export/xlsx.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"
#include "templates/validate.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace bot::exporting {

std::variant<Plan, Refused> plan(const Query& q,
                                 const Context& c,
                                 TimePoint now,
                                 const handlers::Person* scope) {
    if (q.what != "reports" && q.what != "stats") {
        return Refused{"export reports or stats"};
    }
    const templates::LocalDate today = templates::local_date(now, c.zone);
    const auto day = [&](const std::string& text, const templates::LocalDate& fallback) {
        return text.empty() ? std::optional<templates::LocalDate>(fallback)
                            : templates::parse_date(text, today);
    };
    const auto from = day(q.from, templates::LocalDate{today.year, today.month, 1});
    const auto to = day(q.to, today);
    if (!from || !to || to->iso() < from->iso()) {
        return Refused{"from and to are dates such as 2026-11-01, to not before from"};
    }
    if (!q.format.empty() && q.format != "csv" && q.format != "xlsx") {
        return Refused{"format is csv or xlsx"};
    }
    Plan p;
    p.reports = q.what == "reports";
    p.xlsx = q.format == "xlsx";
    p.filter.from = templates::at_local(c.zone, *from, std::chrono::minutes(0));
    p.filter.to = templates::at_local(c.zone, to->plus_days(1), std::chrono::minutes(0));
    if (!q.template_id.empty() && c.templates.find(q.template_id) == nullptr) {
        return Refused{"no template \"" + q.template_id + "\""};
    }
    p.filter.template_id = q.template_id;
    constexpr std::array<std::string_view, 5> kStatuses{
        "submitted", "returned", "approved", "adopted", "withdrawn"};
    if (!q.status.empty() && std::find(kStatuses.begin(), kStatuses.end(), q.status) == kStatuses.end()) {
        return Refused{"status is one of submitted, returned, approved, adopted, withdrawn"};
    }
    p.filter.status = q.status;
    // The units the token's person sees (Roster::visible_units, as every other door); a unit
    // parameter narrows to it and every unit below.
    const auto visible = c.roster.visible_units(scope);
    if (!q.unit.empty()) {
        if (c.roster.unit(q.unit) == nullptr) {
            return Refused{"no unit \"" + q.unit + "\""};
        }
        if (visible && visible->count(q.unit) == 0) {
            return Refused{"unit \"" + q.unit + "\" is outside the units " + scope->id + " coordinates",
                           true};
        }
        handlers::Person subtree;  // a coordinator of that unit sees it and every unit below
        subtree.role = handlers::Role::coordinator;
        subtree.scope = {q.unit};
        p.filter.units = c.roster.units_in_scope(subtree);
    } else if (visible) {
        p.filter.units.assign(visible->begin(), visible->end());
    }
    p.target = q.what + " " + from->iso() + ".." + to->iso() +
               (q.template_id.empty() ? "" : " template=" + q.template_id) +
               (q.unit.empty() ? "" : " unit=" + q.unit) + (q.status.empty() ? "" : " status=" + q.status);
    return p;
}

namespace {

/// One audit entry per account, export and query per kExportAuditWindow: a reader repeating an
/// export cannot grow the database without bound. The repeats are counted and the next entry says
/// how many there were.
constexpr std::chrono::minutes kExportAuditWindow{10};

result<void> audit_coalesced(store::Tx& tx, store::AuditEntry who) {
    const std::string key = "export.audited/" + who.actor_account + "/" + who.action + "/" + who.target;
    auto last = tx.schedule().load_value(key);
    if (!last) {
        return last.error();
    }
    const auto ms = [](TimePoint t) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    };
    long long at = 0;
    long long repeats = 0;
    if (*last && std::sscanf((*last)->c_str(), "%lld,%lld", &at, &repeats) == 2 &&
        ms(who.at) - at < std::chrono::milliseconds(kExportAuditWindow).count() && ms(who.at) >= at) {
        return tx.schedule().save_value(key, std::to_string(at) + "," + std::to_string(repeats + 1), who.at);
    }
    if (repeats > 0) {
        who.after += " (+" + std::to_string(repeats) + " repeats before, not recorded one by one)";
    }
    if (auto appended = tx.audit().append(who); !appended) {
        return appended.error();
    }
    return tx.schedule().save_value(key, std::to_string(ms(who.at)) + ",0", who.at);
}

}  // namespace

std::string_view media_type(const Plan& p) {
    return p.xlsx ? kXlsxType : std::string_view("text/csv; charset=utf-8");
}

std::string_view extension(const Plan& p) {
    return p.xlsx ? "xlsx" : "csv";
}

result<Output> run(store::Tx& tx, const Plan& p, const Context& c, store::AuditEntry who) {
    Output out;
    Table table;
    std::size_t counted = 0;  // what the audit entry says: reports, or units with figures
    if (p.reports) {
        std::vector<store::ReportRecord> reports;
        for (std::int64_t after = 0;;) {
            auto page = tx.reports().matching(p.filter, after, 1000);
            if (!page) {
                return page.error();
            }
            if (page->empty()) {
                break;
            }
            after = page->back().id;
            reports.insert(reports.end(), page->begin(), page->end());
        }
        out.rows = counted = reports.size();
        table = reports_table(reports, c.templates, c.roster, c.locale, c.zone);
    } else {
        auto stats = tx.reports().unit_stats(p.filter.from, p.filter.to, p.filter.template_id);
        if (!stats) {
            return stats.error();
        }
        counted = stats->size();
        out.rows = p.filter.units.empty() ? c.roster.units().size() : p.filter.units.size();
        table = stats_table(*stats, c.roster, c.levels, c.locale, p.filter.units);
    }
    if (!p.xlsx) {
        out.bytes = csv(table);
    } else if (auto book = xlsx(
                   table, handlers::msg(c.locale, p.reports ? "export.sheet_reports" : "export.sheet_stats"));
               book) {
        out.bytes = std::move(*book);
    } else {
        return book.error();
    }
    who.action = p.reports ? "export.reports" : "export.stats";
    who.target = p.target;
    who.after = std::to_string(counted) + (p.reports ? " reports" : " units with figures");
    if (auto recorded = audit_coalesced(tx, std::move(who)); !recorded) {
        return recorded.error();
    }
    return out;
}

}  // namespace bot::exporting
