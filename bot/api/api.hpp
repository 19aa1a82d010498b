#pragma once

#include "bot/core/defaults.hpp"
#include "bot/core/event.hpp"
#include "bot/router/router.hpp"
#include "bot/usecases/deps.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

/// The HTTP API under /api/v1 (docs/api.md): the status board, reminders and the digest for
/// operators; reports, review decisions, rankings, the roster, the audit log and exports for
/// coordinators' tools — behind bearer tokens with scopes.
namespace bot::api {

/// A configured bearer token (api.token, api.tokens).
struct Token {
    std::string name;
    std::string value;  ///< compared in constant time, never logged
    std::vector<std::string> scopes;
    std::string person{};  ///< acts as this roster coordinator, inside their scope
};

/// What a roster reload did: nothing changed when `errors` is not empty.
struct RosterReload {
    std::vector<std::string> errors;    ///< "file: path: reason"
    std::vector<std::string> warnings;  ///< valid but probably not meant
    std::size_t units = 0;
    std::size_t people = 0;
};

struct Deps {
    const usecase::Deps& usecases;  ///< the use cases' dependencies (roster, templates, settings)
    const router::Deps& routing;    ///< review rules' settings (levels, platforms)
    std::vector<Token> tokens;
    std::vector<handlers::ChatTarget> digest_chats;  ///< POST /api/v1/digest posts here by default
    std::string locale{kDefaultLocale};              ///< of the texts in answers and exports
    std::string zone{kDefaultTimeZone};              ///< where dates in queries are
    /// The unit of work that reloads the roster file: read and checked first, swapped in only
    /// when valid, recorded in the audit log as `who` did it. Empty: reloading is not offered.
    std::function<store::Work(store::AuditEntry who, std::shared_ptr<RosterReload> out)> reload_roster{};
};

/// Every route of /api/v1 (docs/api.md). Authenticates first: without a valid token, 401 whatever
/// the path.
core::ApiHandler handler(const Deps& deps);

}  // namespace bot::api
