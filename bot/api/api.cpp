// /api/v1: authentication, the route table, and what the routes share.
#include "adapters/common/crypto.hpp"
#include "bot/api/routes.hpp"
#include "bot/core/log.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace bot::api {

HttpResponse fail(unsigned status,
                  std::string_view code,
                  std::string_view message,
                  std::string_view request_id) {
    return HttpResponse::json(
        status, json{{"error", {{"code", code}, {"message", message}}}, {"request_id", request_id}}.dump());
}

core::ApiCall answer(HttpResponse r) {
    core::ApiCall c;
    c.immediate = std::move(r);
    return c;
}

core::ApiCall in_work(std::function<result<HttpResponse>(store::Tx&)> f) {
    core::ApiCall call;
    call.response = std::make_shared<HttpResponse>();
    call.work = [f = std::move(f), out = call.response](store::Tx& tx) -> result<void> {
        auto r = f(tx);
        if (!r) {
            return r.error();
        }
        *out = std::move(*r);
        return {};
    };
    return call;
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

std::optional<HttpResponse> only_keys(const json& body,
                                      std::initializer_list<std::string_view> allowed,
                                      const HttpRequest& request) {
    for (const auto& [key, value] : body.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            return fail(400, "bad_request", "unknown key " + key, request.request_id);
        }
    }
    return std::nullopt;
}

std::optional<HttpResponse> only_params(const HttpRequest& request,
                                        std::initializer_list<std::string_view> allowed) {
    std::string_view rest = request.query;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto name = percent_decode(pair.substr(0, pair.find('=')), true);
        if (!pair.empty() && (!name || std::find(allowed.begin(), allowed.end(), *name) == allowed.end())) {
            return fail(400, "bad_request", "unknown parameter " + name.value_or("?"), request.request_id);
        }
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> positive(std::string_view s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) {
        return std::nullopt;
    }
    return v;
}

json audit_json(const store::AuditEntry& e) {
    return json{{"id", e.id},
                {"at", iso_utc(e.at)},
                {"actor", e.actor_id},
                {"account", e.actor_account},
                {"role", e.role},
                {"action", e.action},
                {"target", e.target},
                {"before", e.before},
                {"after", e.after},
                {"request_id", e.request_id}};
}

exporting::Context export_context(const Deps& deps) {
    return {deps.usecases.templates,
            deps.usecases.roster,
            deps.routing.settings.adoption_levels,
            deps.locale,
            deps.zone};
}

exporting::Query query_of(const HttpRequest& request, std::string what) {
    const auto param = [&](std::string_view k) {
        return request.query_param(k).value_or("");
    };
    return {.what = std::move(what),
            .from = param("from"),
            .to = param("to"),
            .template_id = param("template"),
            .unit = param("unit"),
            .status = param("status"),
            .format = {}};
}

Acting acting(const Deps& deps, const Token& token, std::string_view request_id) {
    if (token.person.empty()) {
        return {};
    }
    const handlers::Person* p = deps.usecases.roster.person_by_id(token.person);
    if (p == nullptr || !p->coordinates()) {
        return {nullptr,
                fail(403,
                     "token_person_unknown",
                     "this token acts as \"" + token.person + "\", who is not a coordinator on the roster",
                     request_id)};
    }
    return {p, std::nullopt};
}

usecase::Actor actor_of(const Token& token, const handlers::Person* person, std::string_view request_id) {
    const bool admin = std::find(token.scopes.begin(), token.scopes.end(), "admin") != token.scopes.end();
    return {.person = person,
            .id = person != nullptr ? person->id : "api:" + token.name,
            .account = "api:" + token.name,
            .role = person != nullptr ? (person->role == handlers::Role::admin ? "admin" : "coordinator")
                    : admin           ? "admin"
                                      : "reviewer",
            .request_id = std::string(request_id)};
}

store::AuditEntry audit_who(const Token& token,
                            const handlers::Person* person,
                            TimePoint now,
                            std::string_view request_id) {
    return actor_of(token, person, request_id).entry(now, "", "", "", "");
}

namespace {

Scope scope_of(const Token& t) {
    Scope best = Scope::read;
    for (const auto& s : t.scopes) {
        const Scope one = s == "admin" ? Scope::admin : s == "review" ? Scope::review : Scope::read;
        best = std::max(best, one);
    }
    return best;
}

const char* scope_name(Scope s) {
    switch (s) {
        case Scope::read:
            return "read";
        case Scope::review:
            return "review";
        case Scope::admin:
            return "admin";
    }
    return "read";
}

struct Route {
    std::string_view method;
    std::string_view pattern;  ///< "/api/v1/reports/{number}": a {…} segment matches one segment
    Scope scope;
    core::ApiCall (*run)(const Call&);
};

constexpr Route kRoutes[] = {
    {"GET", "/api/v1/status", Scope::read, status},
    {"GET", "/api/v1/reports", Scope::read, list_reports},
    {"GET", "/api/v1/reports/{number}", Scope::read, one_report},
    {"POST", "/api/v1/reports/{number}/{decision}", Scope::review, decide},
    {"GET", "/api/v1/rankings", Scope::read, rankings},
    {"GET", "/api/v1/roster", Scope::read, roster},
    {"GET", "/api/v1/export/{what}", Scope::read, export_csv},
    {"POST", "/api/v1/remind", Scope::review, remind},
    {"POST", "/api/v1/digest", Scope::admin, digest},
    {"POST", "/api/v1/roster/reload", Scope::admin, reload_roster},
    {"GET", "/api/v1/audit", Scope::admin, audit_log},
};

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const auto part = path.substr(0, slash);
        if (!part.empty()) {
            out.push_back(part);
        }
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return out;
}

/// The {…} segments when `path` matches `pattern`.
std::optional<std::vector<std::string>> match(std::string_view pattern, std::string_view path) {
    const auto want = segments(pattern);
    const auto got = segments(path);
    if (want.size() != got.size() || path.back() == '/') {
        return std::nullopt;
    }
    std::vector<std::string> params;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].front() == '{') {
            params.emplace_back(got[i]);
        } else if (want[i] != got[i]) {
            return std::nullopt;
        }
    }
    return params;
}

/// The configured token `presented` is, comparing against every one in constant time.
const Token* find_token(const Deps& deps, std::string_view presented) {
    const Token* found = nullptr;
    for (const auto& t : deps.tokens) {
        if (adapters::crypto::constant_time_equal(presented, t.value) && found == nullptr) {
            found = &t;
        }
    }
    return found;
}

}  // namespace

core::ApiHandler handler(const Deps& deps) {
    return [&deps](const HttpRequest& request, TimePoint now) -> core::ApiCall {
        // Authenticate before anything else: without a token, no route is revealed.
        const auto auth = request.header("authorization");
        constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive (RFC 9110 §11.1)
        const Token* token = auth && auth->size() > kBearer.size() &&
                                     boost::algorithm::iequals(auth->substr(0, kBearer.size()), kBearer)
                                 ? find_token(deps, auth->substr(kBearer.size()))
                                 : nullptr;
        if (token == nullptr) {
            log::warn("api").kv("req", request.request_id).kv("rejected", auth ? "wrong token" : "no token");
            HttpResponse r = fail(401, "unauthorized", "missing or wrong bearer token", request.request_id);
            r.headers.emplace_back("WWW-Authenticate", "Bearer");
            return answer(std::move(r));
        }
        std::string allowed;
        for (const auto& route : kRoutes) {
            auto params = match(route.pattern, request.path);
            if (!params) {
                continue;
            }
            if (route.method != request.method) {
                allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
                continue;
            }
            if (scope_of(*token) < route.scope) {
                log::warn("api")
                    .kv("req", request.request_id)
                    .kv("token", token->name)
                    .kv("rejected", "scope")
                    .kv("route", route.pattern);
                return answer(
                    fail(403,
                         "forbidden",
                         "token \"" + token->name + "\" lacks the " + scope_name(route.scope) + " scope",
                         request.request_id));
            }
            return route.run(Call{deps, *token, request, now, std::move(*params)});
        }
        if (!allowed.empty()) {
            HttpResponse r = fail(405, "method_not_allowed", "method not allowed", request.request_id);
            r.headers.emplace_back("Allow", allowed);
            return answer(std::move(r));
        }
        return answer(fail(404, "not_found", "no such endpoint", request.request_id));
    };
}

}  // namespace bot::api
