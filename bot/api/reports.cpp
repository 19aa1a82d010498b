// GET /api/v1/reports (filtered, a page at a time), GET /api/v1/reports/{number} (with revisions,
// adoptions and audit trail), POST /api/v1/reports/{number}/approve|return|adopt.
#include "bot/usecases/reports.hpp"

#include "bot/api/routes.hpp"
#include "bot/core/unicode.hpp"
#include "bot/export/query.hpp"
#include "handlers/catalog.hpp"
#include "handlers/review.hpp"

namespace bot::api {
namespace {

constexpr std::size_t kDefaultPage = 50;
constexpr std::size_t kMaxPage = 200;
constexpr std::size_t kMaxTextChars = 2000;  ///< a comment or a venue

json fields_of(const std::string& stored) {
    auto j = json::parse(stored, nullptr, false);
    return j.is_object() ? j : json::object();
}

json report_json(const store::ReportRecord& r, const handlers::Roster& roster) {
    const handlers::Unit* unit = roster.unit(r.unit_id);
    return json{{"number", r.number},
                {"template", r.template_id},
                {"template_version", r.template_version},
                {"period", r.period_key},
                {"unit", {{"id", r.unit_id}, {"name", unit != nullptr ? unit->name : r.unit_id}}},
                {"author", {{"id", r.author_id}, {"name", r.author_name}}},
                {"title", r.title},
                {"status", r.status},
                {"on_time", r.on_time},
                {"revision", r.revision},
                {"submitted_at", iso_utc(r.submitted_at)},
                {"updated_at", iso_utc(r.updated_at)},
                {"fields", fields_of(r.fields)},
                {"quality", r.quality.empty() ? json(nullptr) : json::parse(r.quality, nullptr, false)}};
}

/// The report a route names, with the coordinator the token acts as — or the answer refusing it
/// (the token's person gone, no such report).
struct Reached {
    const handlers::Person* person = nullptr;
    std::optional<store::ReportRecord> report{};
    std::optional<HttpResponse> refused{};
};

result<Reached> reach(
    const Deps& deps, const Token& token, store::Tx& tx, const std::string& number, const std::string& rid) {
    const Acting who = acting(deps, token, rid);
    if (who.refused) {
        return Reached{.refused = who.refused};
    }
    auto found = tx.reports().find(number);
    if (!found) {
        return found.error();
    }
    // Outside a person-bound token's scope a report is simply not found: neither its existence
    // nor its unit is told.
    const auto visible = deps.usecases.roster.visible_units(who.person);
    if (!*found || (visible && visible->count((*found)->unit_id) == 0)) {
        return Reached{.refused = fail(404, "report_not_found", "no report " + number, rid)};
    }
    return Reached{.person = who.person, .report = std::move(**found)};
}

/// A refused decision as the API answers it; outside the scope, exactly like a missing report.
HttpResponse refused(const handlers::review::Refusal& no, const std::string& number, const std::string& rid) {
    using Why = handlers::review::Refusal::Why;
    switch (no.why) {
        case Why::out_of_scope:
            return fail(404, "report_not_found", "no report " + number, rid);
        case Why::illegal_transition:
            return fail(409, "illegal_transition", no.text, rid);
        case Why::needs_comment:
            return fail(400, "comment_required", no.text, rid);
        case Why::unknown_level:
            return fail(400, "unknown_level", no.text, rid);
        case Why::unknown_action:
            break;
    }
    return fail(404, "not_found", no.text, rid);
}

}  // namespace

core::ApiCall list_reports(const Call& c) {
    const auto& req = c.request;
    const std::string rid = req.request_id;
    if (auto bad = only_params(req, {"template", "unit", "status", "from", "to", "after", "limit"})) {
        return answer(std::move(*bad));
    }
    const auto param = [&](std::string_view k) {
        return req.query_param(k).value_or("");
    };
    const auto after = positive(param("after").empty() ? "0" : param("after"));
    const auto limit = positive(param("limit").empty() ? std::to_string(kDefaultPage) : param("limit"));
    if (!after) {
        return answer(fail(400, "bad_request", "after is the \"next\" of the previous page", rid));
    }
    if (!limit || *limit < 1 || *limit > static_cast<std::int64_t>(kMaxPage)) {
        return answer(fail(400, "bad_request", "limit is 1 to " + std::to_string(kMaxPage), rid));
    }
    const exporting::Query q = query_of(c.request, "reports");
    const Deps& deps = c.deps;
    const Token& token = c.token;
    return in_work(
        [&deps, &token, q, rid, after = *after, limit = static_cast<std::size_t>(*limit), now = c.now](
            store::Tx& tx) -> result<HttpResponse> {
            const Acting who = acting(deps, token, rid);
            if (who.refused) {
                return *who.refused;
            }
            auto planned = exporting::plan(q, export_context(deps), now, who.person);
            if (const auto* no = std::get_if<exporting::Refused>(&planned)) {
                return fail(no->out_of_scope ? 403 : 400,
                            no->out_of_scope ? "out_of_scope" : "bad_request",
                            no->why,
                            rid);
            }
            auto filter = std::get<exporting::Plan>(planned).filter;
            if (q.from.empty()) {
                filter.from = TimePoint{};  // a listing without dates covers every report
            }
            if (q.to.empty()) {
                filter.to = TimePoint::max();
            }
            auto page = tx.reports().matching(filter, after, limit);
            if (!page) {
                return page.error();
            }
            json list = json::array();
            for (const auto& r : *page) {
                list.push_back(report_json(r, deps.usecases.roster));
            }
            const json next = page->size() == limit ? json(std::to_string(page->back().id)) : json(nullptr);
            return HttpResponse::json(200, json{{"reports", list}, {"next", next}}.dump());
        });
}

core::ApiCall one_report(const Call& c) {
    const Deps& deps = c.deps;
    const Token& token = c.token;
    const std::string rid = c.request.request_id;
    return in_work([&deps, &token, rid, number = c.params[0]](store::Tx& tx) -> result<HttpResponse> {
        auto reached = reach(deps, token, tx, number, rid);
        if (!reached || reached->refused) {
            return reached ? *reached->refused : result<HttpResponse>(reached.error());
        }
        const auto& r = *reached->report;
        json out = report_json(r, deps.usecases.roster);
        auto revisions = tx.reports().revisions(number);
        auto adoptions = tx.reports().adoptions(number);
        auto trail = tx.audit().of_target(number, 500);
        if (!revisions || !adoptions || !trail) {
            return !revisions ? revisions.error() : !adoptions ? adoptions.error() : trail.error();
        }
        out["revisions"] = json::array();
        for (const auto& v : *revisions) {
            out["revisions"].push_back({{"revision", v.revision},
                                        {"title", v.title},
                                        {"fields", fields_of(v.fields)},
                                        {"at", iso_utc(v.at)}});
        }
        out["adoptions"] = json::array();
        for (const auto& a : *adoptions) {
            out["adoptions"].push_back({{"level", a.level},
                                        {"points", a.points},
                                        {"venue", a.venue},
                                        {"by", a.adopted_by},
                                        {"at", iso_utc(a.adopted_at)}});
        }
        out["audit"] = json::array();
        for (const auto& e : *trail) {
            out["audit"].push_back(audit_json(e));
        }
        return HttpResponse::json(200, out.dump());
    });
}

namespace {

/// What a decision on a report does once it is reached: the flow context, who acts, the report.
using OnReport = std::function<result<HttpResponse>(
    const handlers::FlowContext&, store::Tx&, const usecase::Actor&, const usecase::FoundReport&)>;

/// A decision on the report `c` names, in one unit of work: the token's reach (outside a
/// person-bound token's scope a report is not found), the report with its adoptions, then `decide`.
core::ApiCall on_report(const Call& c, OnReport decide) {
    const Deps& deps = c.deps;
    const Token& token = c.token;
    return in_work([&deps, &token, rid = c.request.request_id, number = c.params[0], now = c.now, decide](
                       store::Tx& tx) -> result<HttpResponse> {
        auto reached = reach(deps, token, tx, number, rid);
        if (!reached || reached->refused) {
            return reached ? *reached->refused : result<HttpResponse>(reached.error());
        }
        auto found = usecase::find_report(tx, number, false);
        if (!found || !*found) {
            return found ? result<HttpResponse>(errc::store_failure) : result<HttpResponse>(found.error());
        }
        const handlers::FlowContext ctx{now,
                                        deps.usecases.templates,
                                        deps.usecases.roster,
                                        deps.locale,
                                        deps.usecases.calendar,
                                        deps.routing.settings};
        return decide(ctx, tx, actor_of(token, reached->person, rid), **found);
    });
}

/// POST /api/v1/reports/{number}/assign {"to": "<person id>"}: 分派, as on the desk and in chat.
core::ApiCall assign(const Call& c) {
    const std::string rid = c.request.request_id;
    const auto body = body_object(c.request);
    if (!body) {
        return answer(fail(400, "bad_request", "body must be a JSON object", rid));
    }
    if (auto bad = only_keys(*body, {"to"}, c.request)) {
        return answer(std::move(*bad));
    }
    if (!body->contains("to") || !(*body)["to"].is_string()) {
        return answer(
            fail(400, "bad_request", "to must be the person id of a coordinator of the report's unit", rid));
    }
    const std::string to = unicode::clean((*body)["to"].get<std::string>());
    return on_report(c,
                     [to, rid, &locale = c.deps.locale, &name = c.token.name](
                         const handlers::FlowContext& ctx,
                         store::Tx& tx,
                         const usecase::Actor& who,
                         const usecase::FoundReport& found) -> result<HttpResponse> {
                         const std::string& number = found.report.number;
                         auto done = usecase::assign_report(ctx, tx, who, found, to, name);
                         if (!done) {
                             return done.error();
                         }
                         if (!done->refusal.empty()) {
                             const bool absent = done->refusal == "desk.no_report";
                             return fail(absent ? 404 : 400,
                                         absent ? "report_not_found" : "not_a_reviewer",
                                         handlers::msg(locale, done->refusal, {{"number", number}}),
                                         rid);
                         }
                         json out{{"number", number}, {"assignee", to}};
                         if (done->repeat) {
                             out["repeat"] = true;  // theirs already: nothing changed, nobody told again
                         } else {
                             out["reviewer_told"] = done->told;
                         }
                         return HttpResponse::json(200, out.dump());
                     });
}

}  // namespace

core::ApiCall decide(const Call& c) {
    const std::string rid = c.request.request_id;
    const std::string& decision = c.params[1];
    if (decision == "assign") {
        return assign(c);
    }
    if (decision != "approve" && decision != "return" && decision != "adopt") {
        return answer(
            fail(404, "not_found", "decisions are approve, return and adopt; assign gives the review", rid));
    }
    const auto body = body_object(c.request);
    if (!body) {
        return answer(fail(400, "bad_request", "body must be a JSON object", rid));
    }
    handlers::review::Ask ask{.action = decision};
    const auto text = [&](std::string_view key, std::string& out) -> std::optional<HttpResponse> {
        if (!body->contains(key)) {
            return std::nullopt;
        }
        const auto& v = (*body)[std::string(key)];
        if (!v.is_string() || !unicode::valid(v.get_ref<const std::string&>())) {
            return fail(400, "bad_request", std::string(key) + " must be a UTF-8 string", rid);
        }
        out = unicode::clean(v.get_ref<const std::string&>());
        if (unicode::length(out) > kMaxTextChars) {
            return fail(400,
                        "bad_request",
                        std::string(key) + " is longer than " + std::to_string(kMaxTextChars) + " characters",
                        rid);
        }
        return std::nullopt;
    };
    std::optional<HttpResponse> bad;
    if (decision == "approve") {
        bad = only_keys(*body, {}, c.request);
    } else if (decision == "return") {
        bad = only_keys(*body, {"comment"}, c.request);
        bad = bad ? bad : text("comment", ask.comment);
    } else {
        bad = only_keys(*body, {"level", "venue"}, c.request);
        bad = bad ? bad : text("level", ask.level);
        bad = bad ? bad : text("venue", ask.venue);
    }
    if (bad) {
        return answer(std::move(*bad));
    }
    return on_report(
        c,
        [ask, rid, &locale = c.deps.locale](const handlers::FlowContext& ctx,
                                            store::Tx& tx,
                                            const usecase::Actor& who,
                                            const usecase::FoundReport& found) -> result<HttpResponse> {
            const std::string& number = found.report.number;
            auto decided = usecase::decide_review(ctx, tx, who, found, ask, locale);
            if (!decided) {
                return decided.error();
            }
            if (const auto* no = std::get_if<handlers::review::Refusal>(&*decided)) {
                return refused(*no, number, rid);
            }
            const auto& change = std::get<handlers::ReviewChange>(*decided);
            json out{{"number", change.number},
                     {"status", change.repeat ? found.report.status : change.to},
                     {"points", change.points}};
            // The same adoption again is answered with it (nothing changed); otherwise the answer says
            // whether the author was told (the bot they filed through can post unasked).
            if (change.repeat) {
                out["repeat"] = true;
            } else {
                out["author_told"] = change.notice.has_value();
            }
            return HttpResponse::json(200, out.dump());
        });
}

}  // namespace bot::api
