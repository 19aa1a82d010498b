#pragma once

#include "bot/web/respond.hpp"
#include "bot/web/web.hpp"

#include <memory>
#include <optional>
#include <string>

/// Signing in to the pages inside a platform's own app (docs/web.md, "In-app sign-in"), the second
/// way in next to a link asked for in chat:
///
///   GET  /app/in/<bot>        sends the browser to the platform's OAuth page (WeCom, DingTalk,
///                             Feishu) with a random state, kept in a short cookie;
///   GET  /app/in/<bot>/back   the platform comes back with a code: the state is checked, the code
///                             exchanged for the platform's user id (the adapter builds and reads
///                             each request, the server performs them: ApiCall::fetch), and the
///                             person with that account signed in;
///   GET  /app/tg/<bot>        a Telegram Mini App's page: its script posts the launch data;
///   POST /app/tg/<bot>        the launch data verified by the adapter, the person signed in.
///
/// Either way the session is opened by the same use case as a link's (usecase::platform_sign_in).
namespace bot::web {

class InAppSignIn {
public:
    InAppSignIn(const Deps& deps, bool secure, std::string origin, std::shared_ptr<Limiter> limiter);

    /// The answer to one of the paths above; nullopt for any other path.
    std::optional<core::ApiCall> operator()(const HttpRequest& request, TimePoint now) const;

private:
    /// The platform's page, with the state cookie.
    core::ApiCall start(const std::string& bot) const;
    /// The platform came back: the state checked, then the exchange.
    core::ApiCall back(const HttpRequest& request, const std::string& bot, TimePoint now) const;
    /// A Mini App's launch data.
    core::ApiCall launched(const HttpRequest& request, const std::string& bot, TimePoint now) const;

    struct Exchange;
    /// The next step of an exchange: the app's token, a request of the adapter's, or the session.
    core::ApiCall next(std::shared_ptr<Exchange> x) const;
    /// The session of the platform's user `user` of `bot` (the use case decides who that is).
    core::ApiCall finish(const std::string& bot,
                         const Adapter& adapter,
                         const std::string& user,
                         const std::string& via,
                         const std::string& previous,
                         const std::string& request_id,
                         TimePoint now) const;
    core::ApiCall refuse(unsigned status, std::string_view text_key) const;
    /// The bot's adapter, or nullptr.
    const Adapter* adapter_of(const std::string& bot) const;
    /// Where the platform sends the browser back with its code.
    std::string redirect_of(const std::string& bot) const;

    Deps deps_;
    bool secure_;
    std::string origin_;
    std::string public_url_;  ///< without a trailing slash
    std::shared_ptr<Limiter> limiter_;
};

}  // namespace bot::web
