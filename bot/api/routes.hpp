#pragma once

// Internal to bot/api/: what the route files share. Not included elsewhere.

#include "bot/api/api.hpp"
#include "bot/core/http.hpp"
#include "bot/export/query.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::api {

using json = nlohmann::json;

/// What a token may do; each includes the ones before it.
enum class Scope { read = 1, review = 2, admin = 3 };

/// One authenticated request, as a route sees it.
struct Call {
    const Deps& deps;
    const Token& token;
    const HttpRequest& request;
    TimePoint now;
    std::vector<std::string> params;  ///< the {…} segments of the route's path, in order
};

/// The JSON error every route answers with: {"error": {"code", "message"}, "request_id"}.
HttpResponse fail(unsigned status,
                  std::string_view code,
                  std::string_view message,
                  std::string_view request_id);

/// An answer known without the store.
core::ApiCall answer(HttpResponse r);

/// An answer computed in one unit of work on the store thread — where the roster may be read
/// (a reload swaps it there). A 4xx computed there commits nothing.
core::ApiCall in_work(std::function<result<HttpResponse>(store::Tx&)> f);

std::string iso_utc(TimePoint t);

/// The JSON object of a request body; an empty body is an empty object; nullopt otherwise.
std::optional<json> body_object(const HttpRequest& request);

/// Refuses keys of `body` not in `allowed` (400 naming the first).
std::optional<HttpResponse> only_keys(const json& body,
                                      std::initializer_list<std::string_view> allowed,
                                      const HttpRequest& request);

/// Refuses query parameters not in `allowed` (400 naming the first).
std::optional<HttpResponse> only_params(const HttpRequest& request,
                                        std::initializer_list<std::string_view> allowed);

/// A non-negative decimal integer (a cursor, a limit).
std::optional<std::int64_t> positive(std::string_view s);

/// An audit entry as every route shows it.
json audit_json(const store::AuditEntry& e);

/// What exports and listings are checked against and rendered with.
exporting::Context export_context(const Deps& deps);

/// An export or listing query from the request's parameters.
exporting::Query query_of(const HttpRequest& request, std::string what);

/// The roster coordinator a token acts as (call inside a unit of work): nullptr for a token
/// without a person (every unit); a 403 answer when the roster no longer has that coordinator.
struct Acting {
    const handlers::Person* person = nullptr;
    std::optional<HttpResponse> refused{};
};
Acting acting(const Deps& deps, const Token& token, std::string_view request_id);

/// Who acts through the API: `token`, acting as `person` (nullptr: a token without a person).
usecase::Actor actor_of(const Token& token, const handlers::Person* person, std::string_view request_id);

/// The audit entry's who for a change made through the API by `token` (acting as `person`).
store::AuditEntry audit_who(const Token& token,
                            const handlers::Person* person,
                            TimePoint now,
                            std::string_view request_id);

// operations.cpp
core::ApiCall status(const Call& c);
core::ApiCall remind(const Call& c);
core::ApiCall digest(const Call& c);
// reports.cpp
core::ApiCall list_reports(const Call& c);
core::ApiCall one_report(const Call& c);
core::ApiCall decide(const Call& c);
// admin.cpp
core::ApiCall rankings(const Call& c);
core::ApiCall roster(const Call& c);
core::ApiCall reload_roster(const Call& c);
core::ApiCall audit_log(const Call& c);
core::ApiCall export_csv(const Call& c);

}  // namespace bot::api
