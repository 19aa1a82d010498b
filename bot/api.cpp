#include "bot/api.hpp"

#include "adapters/common/crypto.hpp"
#include "bot/core/log.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace bot::api {
namespace {

using json = nlohmann::json;

HttpResponse error(unsigned status, std::string_view reason, std::string_view request_id) {
    return HttpResponse::error(status, reason, request_id);
}

core::ApiCall answer(HttpResponse r) {
    core::ApiCall c;
    c.immediate = std::move(r);
    return c;
}

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

std::string iso_utc(TimePoint t) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    const std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// The JSON object of a request body; an empty body is an empty object.
std::optional<json> body_object(const HttpRequest& request) {
    if (request.body.empty()) {
        return json::object();
    }
    auto j = json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return std::nullopt;
    }
    return j;
}

core::ApiCall status(const Deps& deps, const HttpRequest& request, TimePoint now) {
    std::vector<const templates::Template*> list;
    const auto wanted = request.query_param("template");
    for (const auto& t : deps.scheduling.templates.all()) {
        if (!wanted || *wanted == t.id) {
            list.push_back(&t);
        }
    }
    if (wanted && list.empty()) {
        return answer(error(404, "unknown template", request.request_id));
    }
    core::ApiCall call;
    call.response = std::make_shared<HttpResponse>();
    call.work = [&deps, list, now, out = call.response](store::Tx& tx) -> result<void> {
        json templates = json::array();
        for (const auto* t : list) {
            const auto period = templates::period_for(*t, now, deps.scheduling.calendar);
            auto board = scheduler::load_board(deps.scheduling, tx, *t, period, now);
            if (!board) {
                return board.error();
            }
            json units = json::array();
            for (const auto& u : board->units) {
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
                       {"done", board->done},
                       {"expected", board->expected},
                       {"units", units}};
            const auto anchor = templates::reminder_anchor(*t, period, deps.scheduling.calendar);
            entry["due"] = anchor ? json(iso_utc(*anchor)) : json(nullptr);
            templates.push_back(std::move(entry));
        }
        *out = HttpResponse::json(200, json{{"templates", templates}}.dump());
        return {};
    };
    return call;
}

core::ApiCall remind(const Deps& deps, const HttpRequest& request, TimePoint now) {
    const auto body = body_object(request);
    if (!body) {
        return answer(error(400, "body must be a JSON object", request.request_id));
    }
    std::vector<std::string> template_ids;
    std::vector<std::string> units;
    if (body->contains("template")) {
        const auto& t = (*body)["template"];
        if (!t.is_string() || deps.scheduling.templates.find(t.get<std::string>()) == nullptr) {
            return answer(error(400, "unknown template", request.request_id));
        }
        template_ids.push_back(t.get<std::string>());
    } else {
        for (const auto& t : deps.scheduling.templates.all()) {
            template_ids.push_back(t.id);
        }
    }
    if (body->contains("units")) {
        const auto& us = (*body)["units"];
        if (!us.is_array() || us.size() > 1000) {
            return answer(error(400, "units must be an array of unit ids", request.request_id));
        }
        for (const auto& u : us) {
            if (!u.is_string() || deps.scheduling.roster.unit(u.get<std::string>()) == nullptr) {
                return answer(error(400, "unknown unit", request.request_id));
            }
            units.push_back(u.get<std::string>());
        }
    }
    for (const auto& [key, value] : body->items()) {
        if (key != "template" && key != "units") {
            return answer(error(400, "unknown key " + key, request.request_id));
        }
    }
    core::ApiCall call;
    call.response = std::make_shared<HttpResponse>();
    call.work = [&deps, template_ids, units, now, out = call.response](store::Tx& tx) -> result<void> {
        auto outcome =
            scheduler::remind_now(deps.scheduling, tx, "api", template_ids, units, now, deps.locale);
        if (!outcome) {
            return outcome.error();
        }
        if (outcome->too_soon) {
            *out = HttpResponse::json(
                429, json{{"error", "too soon"}, {"retry_after_s", outcome->too_soon->count()}}.dump());
            out->headers.emplace_back("Retry-After", std::to_string(outcome->too_soon->count()));
            return {};
        }
        *out = HttpResponse::json(
            200,
            json{{"queued", outcome->queued}, {"people", outcome->people}, {"summary", outcome->replies}}
                .dump());
        return {};
    };
    return call;
}

core::ApiCall digest(const Deps& deps, const HttpRequest& request, TimePoint now) {
    const auto body = body_object(request);
    if (!body) {
        return answer(error(400, "body must be a JSON object", request.request_id));
    }
    std::vector<handlers::ChatTarget> chats = deps.digest_chats;
    if (body->contains("chats")) {
        chats.clear();
        const auto& cs = (*body)["chats"];
        if (!cs.is_array() || cs.size() > 100) {
            return answer(error(400, "chats must be an array of {\"bot\", \"chat\"}", request.request_id));
        }
        for (const auto& c : cs) {
            if (!c.is_object() || !c.contains("bot") || !c.contains("chat") || !c["bot"].is_string() ||
                !c["chat"].is_string() || c["chat"].get<std::string>().empty() || c.size() != 2) {
                return answer(
                    error(400, "chats must be an array of {\"bot\", \"chat\"}", request.request_id));
            }
            if (deps.scheduling.push_bots.count(c["bot"].get<std::string>()) == 0) {
                return answer(error(
                    400, "bot cannot post unasked: " + c["bot"].get<std::string>(), request.request_id));
            }
            chats.push_back({c["bot"].get<std::string>(), c["chat"].get<std::string>()});
        }
    }
    if (chats.empty()) {
        return answer(
            error(400, "no chats: configure scheduler.digest.chats or pass \"chats\"", request.request_id));
    }
    core::ApiCall call;
    call.response = std::make_shared<HttpResponse>();
    call.work = [&deps, chats, now, out = call.response](store::Tx& tx) -> result<void> {
        std::map<std::string, std::string, std::less<>> texts;
        for (const auto& locale : {std::string("zh-CN"), std::string("en")}) {
            auto t = scheduler::digest_text(deps.scheduling, tx, now, locale);
            if (!t) {
                return t.error();
            }
            texts[locale] = std::move(*t);
        }
        const std::string prefix =
            "digest-now/" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
        auto queued = scheduler::post_to(
            deps.scheduling,
            tx,
            chats,
            prefix,
            [&](std::string_view locale) { return texts[std::string(locale)]; },
            now);
        if (!queued) {
            return queued.error();
        }
        *out = HttpResponse::json(200, json{{"queued", *queued}, {"text", texts[deps.locale]}}.dump());
        return {};
    };
    return call;
}

}  // namespace

core::ApiHandler handler(const Deps& deps) {
    return [&deps](const HttpRequest& request, TimePoint now) -> core::ApiCall {
        // Authenticate before anything else: without the token, no route is revealed.
        const auto auth = request.header("authorization");
        constexpr std::string_view kBearer = "Bearer ";
        const bool ok = auth && auth->size() > kBearer.size() && auth->substr(0, kBearer.size()) == kBearer &&
                        adapters::crypto::constant_time_equal(auth->substr(kBearer.size()), deps.token);
        if (!ok) {
            log::warn("api").kv("req", request.request_id).kv("rejected", auth ? "wrong token" : "no token");
            HttpResponse r = error(401, "missing or wrong bearer token", request.request_id);
            r.headers.emplace_back("WWW-Authenticate", "Bearer");
            return answer(std::move(r));
        }
        const auto route = [&](std::string_view path, std::string_view method) {
            return request.path == path && request.method == method;
        };
        if (route("/api/v1/status", "GET")) {
            return status(deps, request, now);
        }
        if (route("/api/v1/remind", "POST")) {
            return remind(deps, request, now);
        }
        if (route("/api/v1/digest", "POST")) {
            return digest(deps, request, now);
        }
        for (const auto& [path, method] : {std::pair{"/api/v1/status", "GET"},
                                           std::pair{"/api/v1/remind", "POST"},
                                           std::pair{"/api/v1/digest", "POST"}}) {
            if (request.path == path) {
                HttpResponse r = error(405, "method not allowed", request.request_id);
                r.headers.emplace_back("Allow", method);
                return answer(std::move(r));
            }
        }
        return answer(error(404, "not found", request.request_id));
    };
}

}  // namespace bot::api
