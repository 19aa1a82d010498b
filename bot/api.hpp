#pragma once

#include "bot/core/defaults.hpp"
#include "bot/core/event.hpp"
#include "bot/scheduler/scheduler.hpp"

#include <string>
#include <vector>

/// The operators' HTTP API (docs/api.md): status, remind and digest, behind a bearer token.
namespace bot::api {

struct Deps {
    const scheduler::Deps& scheduling;
    std::string token;                               ///< compared in constant time
    std::vector<handlers::ChatTarget> digest_chats;  ///< POST /api/v1/digest posts here by default
    std::string locale{kDefaultLocale};              ///< of the texts in answers
};

/// GET /api/v1/status[?template=ID], POST /api/v1/remind, POST /api/v1/digest.
core::ApiHandler handler(const Deps& deps);

}  // namespace bot::api
