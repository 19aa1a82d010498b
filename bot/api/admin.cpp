// GET /api/v1/rankings, GET /api/v1/roster, POST /api/v1/roster/reload, GET /api/v1/audit and
// GET /api/v1/export/{reports|stats}.{csv|xlsx}.
#include "bot/api/routes.hpp"
#include "bot/export/query.hpp"
#include "bot/usecases/rankings.hpp"
#include "handlers/ranking.hpp"

#include <algorithm>

namespace bot::api {
namespace {

constexpr std::size_t kAuditPage = 100;
constexpr std::size_t kMaxAuditPage = 1000;

/// Whether the token's person (if any) sees unit `id`.
bool sees(const handlers::Roster& roster, const handlers::Person* person, std::string_view id) {
    return person == nullptr || roster.in_scope(*person, id);
}

}  // namespace

core::ApiCall rankings(const Call& c) {
    const std::string rid = c.request.request_id;
    if (auto bad = only_params(c.request, {"span", "template"})) {
        return answer(std::move(*bad));
    }
    const std::string span = c.request.query_param("span").value_or("month");
    if (span != "month" && span != "quarter" && span != "year") {
        return answer(fail(400, "bad_request", "span is month, quarter or year", rid));
    }
    const std::string template_id = c.request.query_param("template").value_or("");
    if (!template_id.empty() && c.deps.usecases.templates.find(template_id) == nullptr) {
        return answer(fail(404, "unknown_template", "no template \"" + template_id + "\"", rid));
    }
    const Deps& deps = c.deps;
    const Token& token = c.token;
    return in_work([&deps, &token, rid, span, template_id, now = c.now](
                       store::Tx& tx) -> result<HttpResponse> {
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        const auto& roster = deps.usecases.roster;
        handlers::RankingWindow w = handlers::ranking::window_of(deps.zone, now, span);
        w.template_id = template_id;
        auto ranked = usecase::rankings(deps.usecases, tx, who.person, w);
        if (!ranked) {
            return ranked.error();
        }
        json units = json::array();
        for (std::size_t i = 0; i < ranked->rows.size(); ++i) {
            const auto& r = ranked->rows[i];
            const handlers::Unit* u = roster.unit(r.unit_id);
            json unit{{"rank", i + 1},
                      {"id", r.unit_id},
                      {"name", u != nullptr ? u->name : r.unit_id},
                      {"submitted", r.submitted},
                      {"on_time", r.on_time},
                      {"approved", r.approved},
                      {"adopted", r.adopted},
                      {"points", r.points},
                      {"adopted_by_level", r.adopted_by_level},
                      {"quality", nullptr}};
            // 快 · 实 · 新 of its assessed reports in the window, as 排名 shows them in chat.
            if (const auto q = ranked->quality.find(r.unit_id);
                q != ranked->quality.end() && q->second.reports > 0) {
                const auto& m = q->second;
                const auto avg = [&](long sum) {
                    return (sum + m.reports / 2) / m.reports;
                };
                unit["quality"] = {{"reports", m.reports},
                                   {"solid", avg(m.solid_sum)},
                                   {"fresh", avg(m.fresh_sum)},
                                   {"with_figures", m.with_figures}};
            }
            units.push_back(std::move(unit));
        }
        return HttpResponse::json(200,
                                  json{{"span", w.span},
                                       {"from", iso_utc(w.from)},
                                       {"to", iso_utc(w.to)},
                                       {"template", template_id.empty() ? json(nullptr) : json(template_id)},
                                       {"units", units}}
                                      .dump());
    });
}

core::ApiCall roster(const Call& c) {
    if (auto bad = only_params(c.request, {})) {
        return answer(std::move(*bad));
    }
    const Deps& deps = c.deps;
    const Token& token = c.token;
    return in_work([&deps, &token, rid = c.request.request_id](store::Tx&) -> result<HttpResponse> {
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        const auto& roster = deps.usecases.roster;
        json units = json::array();
        for (const auto& u : roster.units()) {
            if (sees(roster, who.person, u.id)) {
                units.push_back({{"id", u.id},
                                 {"name", u.name},
                                 {"parent", u.parent.empty() ? json(nullptr) : json(u.parent)},
                                 {"exempt", u.exempt}});
            }
        }
        json people = json::array();
        for (const auto& p : roster.people()) {
            const bool visible = p.units.empty()
                                     ? who.person == nullptr
                                     : std::any_of(p.units.begin(), p.units.end(), [&](const auto& u) {
                                           return sees(roster, who.person, u);
                                       });
            if (visible) {
                people.push_back({{"id", p.id},
                                  {"name", p.name},
                                  {"role", handlers::role_name(p.role)},
                                  {"units", p.units},
                                  {"scope", p.scope}});
            }
        }
        return HttpResponse::json(200, json{{"units", units}, {"people", people}}.dump());
    });
}

core::ApiCall reload_roster(const Call& c) {
    const std::string rid = c.request.request_id;
    if (!c.deps.reload_roster) {
        return answer(fail(501, "not_offered", "this service cannot reload its roster", rid));
    }
    if (!c.request.body.empty() && !body_object(c.request)) {
        return answer(fail(400, "bad_request", "body must be empty or a JSON object", rid));
    }
    auto outcome = std::make_shared<RosterReload>();
    store::Work reload = c.deps.reload_roster(audit_who(c.token, nullptr, c.now, rid), outcome);
    return in_work([reload = std::move(reload), outcome, rid](store::Tx& tx) -> result<HttpResponse> {
        if (auto r = reload(tx); !r) {
            return r.error();
        }
        if (!outcome->errors.empty()) {
            HttpResponse r =
                fail(422, "roster_invalid", "the roster file has problems; the old roster stays", rid);
            auto j = json::parse(r.body);
            j["problems"] = outcome->errors;
            r.body = j.dump();
            return r;
        }
        return HttpResponse::json(
            200,
            json{{"units", outcome->units}, {"people", outcome->people}, {"warnings", outcome->warnings}}
                .dump());
    });
}

core::ApiCall audit_log(const Call& c) {
    const std::string rid = c.request.request_id;
    if (auto bad = only_params(c.request, {"after", "limit", "target"})) {
        return answer(std::move(*bad));
    }
    const auto after = positive(c.request.query_param("after").value_or("0"));
    const auto limit = positive(c.request.query_param("limit").value_or(std::to_string(kAuditPage)));
    if (!after) {
        return answer(fail(400, "bad_request", "after is the \"next\" of the previous page", rid));
    }
    if (!limit || *limit < 1 || *limit > static_cast<std::int64_t>(kMaxAuditPage)) {
        return answer(fail(400, "bad_request", "limit is 1 to " + std::to_string(kMaxAuditPage), rid));
    }
    const std::string target = c.request.query_param("target").value_or("");
    return in_work([after = *after, limit = static_cast<std::size_t>(*limit), target](
                       store::Tx& tx) -> result<HttpResponse> {
        auto page = target.empty() ? tx.audit().page(after, limit) : tx.audit().of_target(target, limit);
        if (!page) {
            return page.error();
        }
        json entries = json::array();
        for (const auto& e : *page) {
            entries.push_back(audit_json(e));
        }
        const json next =
            target.empty() && page->size() == limit ? json(std::to_string(page->back().id)) : json(nullptr);
        return HttpResponse::json(200, json{{"entries", entries}, {"next", next}}.dump());
    });
}

core::ApiCall export_csv(const Call& c) {
    const std::string rid = c.request.request_id;
    std::string what = c.params[0];
    std::string format = "csv";
    if (what.ends_with(".csv")) {
        what.resize(what.size() - 4);
    } else if (what.ends_with(".xlsx")) {
        what.resize(what.size() - 5);
        format = "xlsx";
    }
    if (what != "reports" && what != "stats") {
        return answer(
            fail(404, "not_found", "export reports.csv, stats.csv, reports.xlsx or stats.xlsx", rid));
    }
    if (auto bad = only_params(c.request, {"from", "to", "template", "unit", "status"})) {
        return answer(std::move(*bad));
    }
    const auto param = [&](std::string_view k) {
        return c.request.query_param(k).value_or("");
    };
    if (what == "stats" && !param("status").empty()) {
        return answer(fail(400, "bad_request", "status filters reports only", rid));
    }
    exporting::Query q = query_of(c.request, what);
    q.format = format;
    const Deps& deps = c.deps;
    const Token& token = c.token;
    return in_work([&deps, &token, q, rid, now = c.now](store::Tx& tx) -> result<HttpResponse> {
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        const exporting::Context context = export_context(deps);
        auto planned = exporting::plan(q, context, now, who.person);
        if (const auto* no = std::get_if<exporting::Refused>(&planned)) {
            return fail(no->out_of_scope ? 403 : 400,
                        no->out_of_scope ? "out_of_scope" : "bad_request",
                        no->why,
                        rid);
        }
        const auto& plan = std::get<exporting::Plan>(planned);
        auto written = exporting::run(tx, plan, context, audit_who(token, who.person, now, rid));
        if (!written) {
            return written.error();
        }
        HttpResponse r = HttpResponse::text(200, std::move(written->bytes));
        r.content_type = std::string(exporting::media_type(plan));
        std::string name = plan.target.substr(0, plan.target.find(' ', q.what.size() + 1));
        std::replace(name.begin(), name.end(), ' ', '-');
        r.headers.emplace_back(
            "Content-Disposition",
            "attachment; filename=\"" + name + "." + std::string(exporting::extension(plan)) + "\"");
        return r;
    });
}

}  // namespace bot::api
