// GET /api/v1/status, POST /api/v1/remind, POST /api/v1/digest: the operators' routes.
#include "bot/api/routes.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/remind.hpp"
#include "bot/usecases/sends.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <map>

namespace bot::api {
namespace {

std::string_view state_name(handlers::UnitState s) {
    switch (s) {
        case handlers::UnitState::on_time:
            return "on_time";
        case handlers::UnitState::late:
            return "late";
        case handlers::UnitState::missing:
            return "missing";
        case handlers::UnitState::exempt:
            return "exempt";
        case handlers::UnitState::on_leave:
            return "on_leave";
        case handlers::UnitState::not_owed:
            return "not_owed";
    }
    return "missing";
}

std::string_view officer_state_name(handlers::OfficerState s) {
    switch (s) {
        case handlers::OfficerState::reported:
            return "reported";
        case handlers::OfficerState::covered:
            return "covered";
        case handlers::OfficerState::missing:
            return "missing";
        case handlers::OfficerState::on_leave:
            return "on_leave";
        case handlers::OfficerState::exempt:
            return "exempt";
    }
    return "missing";
}

}  // namespace

core::ApiCall status(const Call& c) {
    const Deps& deps = c.deps;
    std::vector<const templates::Template*> list;
    const auto wanted = c.request.query_param("template");
    for (const auto& t : deps.usecases.templates.all()) {
        if (!wanted || *wanted == t.id) {
            list.push_back(&t);
        }
    }
    if (wanted && list.empty()) {
        return answer(fail(404, "unknown_template", "no template \"" + *wanted + "\"", c.request.request_id));
    }
    const Token& token = c.token;
    const std::string rid = c.request.request_id;
    return in_work([&deps, &token, rid, list, now = c.now](store::Tx& tx) -> result<HttpResponse> {
        // A person-bound token sees the units of its person's scope, as 进度 in chat.
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        auto boards = usecase::boards(deps.usecases, tx, who.person, list, now);
        if (!boards) {
            return boards.error();
        }
        json templates = json::array();
        for (const auto& [t, period, board] : *boards) {
            json units = json::array();
            for (const auto& u : board.units) {
                json officers = json::array();
                for (const auto& o : u.officers) {
                    officers.push_back({{"id", o.person->id},
                                        {"name", o.person->name},
                                        {"state", officer_state_name(o.state)}});
                }
                units.push_back({{"id", u.unit_id},
                                 {"name", u.unit_name},
                                 {"state", state_name(u.state)},
                                 {"reports", u.count},
                                 {"officers", officers}});
            }
            json entry{{"id", t->id},
                       {"name", t->name.zh},
                       {"period", period.key},
                       {"done", board.done},
                       {"expected", board.expected},
                       {"units", units}};
            const auto anchor = templates::reminder_anchor(*t, period, deps.usecases.calendar);
            entry["due"] = anchor ? json(iso_utc(*anchor)) : json(nullptr);
            templates.push_back(std::move(entry));
        }
        return HttpResponse::json(200, json{{"templates", templates}}.dump());
    });
}

core::ApiCall remind(const Call& c) {
    const Deps& deps = c.deps;
    const std::string rid = c.request.request_id;
    const auto body = body_object(c.request);
    if (!body) {
        return answer(fail(400, "bad_request", "body must be a JSON object", rid));
    }
    if (auto bad = only_keys(*body, {"template", "units"}, c.request)) {
        return answer(std::move(*bad));
    }
    std::vector<std::string> template_ids;
    std::vector<std::string> units;
    if (body->contains("template")) {
        const auto& t = (*body)["template"];
        if (!t.is_string() || deps.usecases.templates.find(t.get<std::string>()) == nullptr) {
            return answer(fail(400, "unknown_template", "unknown template", rid));
        }
        template_ids.push_back(t.get<std::string>());
    } else {
        for (const auto& t : deps.usecases.templates.all()) {
            template_ids.push_back(t.id);
        }
    }
    if (body->contains("units")) {
        const auto& us = (*body)["units"];
        if (!us.is_array() || us.size() > 1000 ||
            !std::all_of(us.begin(), us.end(), [](const json& u) { return u.is_string(); })) {
            return answer(fail(400, "bad_request", "units must be an array of unit ids", rid));
        }
        for (const auto& u : us) {
            units.push_back(u.get<std::string>());
        }
    }
    const Token& token = c.token;
    return in_work([&deps, &token, template_ids, units, rid, now = c.now](
                       store::Tx& tx) -> result<HttpResponse> {
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        const usecase::RemindAsk ask{
            .templates = template_ids, .units = units, .limit_scope = "api", .audit_target = "api"};
        auto outcome =
            usecase::remind(deps.usecases, tx, actor_of(token, who.person, rid), ask, now, deps.locale);
        if (!outcome) {
            return outcome.error();
        }
        using Refused = usecase::Reminded::Refused;
        switch (outcome->refused) {
            case Refused::unknown_unit:
                return fail(400, "unknown_unit", "unknown unit \"" + outcome->unit + "\"", rid);
            case Refused::out_of_scope:
                return fail(
                    403, "out_of_scope", "unit \"" + outcome->unit + "\" is outside the token's scope", rid);
            case Refused::too_soon: {
                const auto wait = std::to_string(outcome->wait->count());
                HttpResponse r =
                    fail(429,
                         "too_soon",
                         "reminded less than scheduler.remind_cooldown_min ago; retry after " + wait + " s",
                         rid);
                r.headers.emplace_back("Retry-After", wait);
                return r;
            }
            case Refused::none:
                break;
        }
        return HttpResponse::json(
            200,
            json{{"queued", outcome->queued}, {"people", outcome->people}, {"summary", outcome->replies}}
                .dump());
    });
}

core::ApiCall digest(const Call& c) {
    const Deps& deps = c.deps;
    const std::string rid = c.request.request_id;
    const auto body = body_object(c.request);
    if (!body) {
        return answer(fail(400, "bad_request", "body must be a JSON object", rid));
    }
    if (auto bad = only_keys(*body, {"chats"}, c.request)) {
        return answer(std::move(*bad));
    }
    std::vector<handlers::ChatTarget> chats = deps.digest_chats;
    if (body->contains("chats")) {
        chats.clear();
        const auto& cs = (*body)["chats"];
        constexpr std::string_view kShape = "chats must be an array of {\"bot\", \"chat\"}";
        if (!cs.is_array() || cs.size() > 100) {
            return answer(fail(400, "bad_request", kShape, rid));
        }
        for (const auto& ch : cs) {
            if (!ch.is_object() || !ch.contains("bot") || !ch.contains("chat") || !ch["bot"].is_string() ||
                !ch["chat"].is_string() || ch["chat"].get<std::string>().empty() || ch.size() != 2) {
                return answer(fail(400, "bad_request", kShape, rid));
            }
            if (deps.usecases.push_bots.count(ch["bot"].get<std::string>()) == 0) {
                return answer(fail(
                    400, "cannot_push", "bot cannot post unasked: " + ch["bot"].get<std::string>(), rid));
            }
            chats.push_back({ch["bot"].get<std::string>(), ch["chat"].get<std::string>()});
        }
    }
    if (chats.empty()) {
        return answer(
            fail(400, "no_chats", "no chats: configure scheduler.digest.chats or pass \"chats\"", rid));
    }
    const Token& token = c.token;
    return in_work([&deps, &token, rid, chats, now = c.now](store::Tx& tx) -> result<HttpResponse> {
        // A person-bound token's digest covers the units of its person's scope, as 周报 in chat.
        const Acting who = acting(deps, token, rid);
        if (who.refused) {
            return *who.refused;
        }
        std::map<std::string, Doc, std::less<>> docs;
        for (const auto& locale : {std::string("zh-CN"), std::string("en")}) {
            auto d = usecase::digest_doc(deps.usecases, tx, now, locale, who.person);
            if (!d) {
                return d.error();
            }
            docs[locale] = std::move(*d);
        }
        const std::string prefix =
            "digest-now/" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
        auto queued = usecase::post_to(
            deps.usecases,
            tx,
            chats,
            prefix,
            [&](std::string_view locale) { return docs[std::string(locale)]; },
            now);
        if (!queued) {
            return queued.error();
        }
        return HttpResponse::json(200,
                                  json{{"queued", *queued}, {"text", plain_text(docs[deps.locale])}}.dump());
    });
}

}  // namespace bot::api
