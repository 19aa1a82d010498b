#pragma once

#include "bot/core/defaults.hpp"
#include "bot/core/event.hpp"
#include "bot/router/router.hpp"
#include "bot/usecases/deps.hpp"

#include <string>

/// The pages under /app (docs/web.md): a third front door next to chat and /api/v1, over the same
/// use cases. Signed in by a one-time link asked for in chat (网页填报); a session cookie after.
namespace bot::web {

struct Deps {
    const usecase::Deps& usecases;
    const router::Deps& routing;         ///< the conversation a report's form goes through, as a message
    core::EventProcessor process;        ///< router::processor(routing)
    std::string public_url;              ///< web.public_url: https there sets the cookie Secure
    std::string locale{kDefaultLocale};  ///< when the person has none
    std::string zone{kDefaultTimeZone};  ///< where dates on the pages are
    std::size_t sign_in_attempts = 20;   ///< per address per window, then 429
    std::chrono::minutes sign_in_window{10};
    /// The bots, for the platforms' in-app sign-in (/app/in/<bot>, /app/tg/<bot>); none: off.
    const AdapterMap* adapters = nullptr;
};

/// Every route under /app.
core::ApiHandler handler(const Deps& deps);

/// The name of the session cookie.
inline constexpr std::string_view kCookie = "liaison_session";

/// The name of the cookie that holds an in-app sign-in's OAuth state until the platform comes back.
inline constexpr std::string_view kStateCookie = "liaison_oauth";

}  // namespace bot::web
