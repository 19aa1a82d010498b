#pragma once

#include "bot/core/store.hpp"
#include "handlers/roster.hpp"
#include "templates/loader.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

/// What an export takes (liaison-bot export, GET /api/v1/export/…): checked once, read in one unit
/// of work that also writes its audit entry.
namespace bot::exporting {

/// As typed: dates are local (YYYY-MM-DD, both included; empty: this month so far).
struct Query {
    std::string what;  ///< reports or stats
    std::string from{};
    std::string to{};
    std::string template_id{};
    std::string unit{};    ///< this unit and every unit below it
    std::string status{};  ///< reports only
    std::string format{};  ///< csv (the default) or xlsx
};

/// A checked query.
struct Plan {
    bool reports = true;
    bool xlsx = false;  ///< an .xlsx workbook, else CSV
    store::ReportFilter filter{};
    std::string target{};  ///< "reports 2026-11-01..2026-11-30 template=…": the audit entry's target
};

/// What a query is checked against and rendered with.
struct Context {
    const templates::TemplateSet& templates;
    const handlers::Roster& roster;
    const std::vector<std::pair<std::string, int>>& levels;
    std::string locale;
    std::string zone;
};

/// Why a query is refused, in English (for the CLI and the API).
struct Refused {
    std::string why;
    bool out_of_scope = false;  ///< a unit outside the coordinator's scope (else a malformed query)
};

/// The plan, or why the query is refused. `scope`: the coordinator whose units bound the export
/// (null: every unit).
std::variant<Plan, Refused> plan(const Query& q,
                                 const Context& c,
                                 TimePoint now,
                                 const handlers::Person* scope);

struct Output {
    std::string bytes;  ///< the file: CSV (UTF-8 with its byte-order mark) or an .xlsx workbook
    std::size_t rows = 0;
};

/// The file's media type and extension for `p`: text/csv and "csv", or the workbook's and "xlsx".
std::string_view media_type(const Plan& p);
std::string_view extension(const Plan& p);

/// Reads what `p` selects and records the export in the audit log as `who` did it (its action,
/// target and after are filled in here).
result<Output> run(store::Tx& tx, const Plan& p, const Context& c, store::AuditEntry who);

}  // namespace bot::exporting
