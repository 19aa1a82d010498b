#include "bot/web/in_app.hpp"

#include "adapters/common/crypto.hpp"
#include "bot/core/log.hpp"
#include "bot/usecases/web.hpp"
#include "bot/web/pages.hpp"

namespace bot::web {
namespace {

constexpr std::string_view kIn = "/app/in/";
constexpr std::string_view kTelegram = "/app/tg/";
constexpr std::string_view kBack = "/back";
/// How long the platform may take to come back with a code.
constexpr std::chrono::minutes kStateTtl{10};

/// A bot id as it may appear in a path (the configuration's ids are of these characters).
bool plain_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
}

std::string random_hex(std::size_t bytes) {
    const std::string r = adapters::crypto::random_bytes(bytes);
    return adapters::crypto::to_hex(reinterpret_cast<const std::uint8_t*>(r.data()), r.size());
}

}  // namespace

/// What an exchange carries from one request to the next.
struct InAppSignIn::Exchange {
    std::string bot;
    const Adapter* adapter = nullptr;
    SignInExchange so_far;
    std::string previous;  ///< the browser's session cookie before, revoked on success
    std::string request_id;
    TimePoint now;
};

const Adapter* InAppSignIn::adapter_of(const std::string& bot) const {
    if (deps_.adapters == nullptr) {
        return nullptr;
    }
    const auto it = deps_.adapters->find(bot);
    return it == deps_.adapters->end() ? nullptr : it->second.get();
}

std::string InAppSignIn::redirect_of(const std::string& bot) const {
    return public_url_ + std::string(kIn) + bot + std::string(kBack);
}

InAppSignIn::InAppSignIn(const Deps& deps, bool secure, std::string origin, std::shared_ptr<Limiter> limiter)
    : deps_(deps), secure_(secure), origin_(std::move(origin)), limiter_(std::move(limiter)) {
    public_url_ = deps.public_url;
    while (!public_url_.empty() && public_url_.back() == '/') {
        public_url_.pop_back();
    }
}

std::optional<core::ApiCall> InAppSignIn::operator()(const HttpRequest& request, TimePoint now) const {
    const std::string& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path.starts_with(kIn) && get) {
        std::string_view rest = std::string_view(path).substr(kIn.size());
        const bool coming_back = rest.ends_with(kBack);
        if (coming_back) {
            rest.remove_suffix(kBack.size());
        }
        if (!plain_id(rest)) {
            return std::nullopt;
        }
        return coming_back ? back(request, std::string(rest), now) : start(std::string(rest));
    }
    if (path.starts_with(kTelegram) && plain_id(std::string_view(path).substr(kTelegram.size()))) {
        const std::string bot = path.substr(kTelegram.size());
        if (const Adapter* a = adapter_of(bot); a == nullptr || !a->signs_launch_data()) {
            return refuse(404, "web.in_app_none");
        }
        if (get) {
            return now_answer(html_page(200, pages::launch(deps_.locale, path)));
        }
        return request.method == "POST" ? std::optional(launched(request, bot, now)) : std::nullopt;
    }
    return std::nullopt;
}

core::ApiCall InAppSignIn::refuse(unsigned status, std::string_view text_key) const {
    return now_answer(notice(status, deps_.locale, "web.in_app_failed_title", text_key));
}

core::ApiCall InAppSignIn::start(const std::string& bot) const {
    const Adapter* adapter = adapter_of(bot);
    const std::string state = random_hex(16);
    const std::string url =
        adapter != nullptr ? adapter->sign_in_url(redirect_of(bot), state) : std::string();
    if (url.empty()) {
        return refuse(404, "web.in_app_none");
    }
    HttpResponse r = html_page(302, "");
    r.headers.emplace_back("Location", url);
    r.headers.emplace_back("Set-Cookie",
                           cookie(kStateCookie, state, std::string(kIn) + bot, kStateTtl, secure_));
    return now_answer(std::move(r));
}

core::ApiCall InAppSignIn::back(const HttpRequest& request, const std::string& bot, TimePoint now) const {
    const Adapter* found = adapter_of(bot);
    if (found == nullptr || found->sign_in_url("", "").empty()) {
        return refuse(404, "web.in_app_none");
    }
    if (!limiter_->allow(address_of(request.remote), now)) {
        return now_answer(notice(429, deps_.locale, "web.too_many_title", "web.too_many"));
    }
    const Adapter& adapter = *found;
    const std::string state = request.query_param("state").value_or("");
    const std::string expected = cookie_of(request, kStateCookie);
    const std::string code = request.query_param(std::string(adapter.sign_in_code_param())).value_or("");
    // The state proves the browser that comes back is the one sent (no sign-in forced on it).
    if (expected.empty() || code.empty() || code.size() > 1024 ||
        !adapters::crypto::constant_time_equal(state, expected)) {
        log::warn("web")
            .kv("req", request.request_id)
            .kv("event", "in_app_refused")
            .kv("bot", bot)
            .kv("reason", code.empty() ? "no code" : "state");
        return refuse(400, "web.in_app_failed");
    }
    auto x = std::make_shared<Exchange>();
    x->bot = bot;
    x->adapter = &adapter;
    x->so_far.code = code;
    x->so_far.redirect = redirect_of(bot);
    x->previous = cookie_of(request, kCookie);
    x->request_id = request.request_id;
    x->now = now;
    return next(std::move(x));
}

core::ApiCall InAppSignIn::next(std::shared_ptr<Exchange> x) const {
    const Adapter& a = *x->adapter;
    const auto failed = [this, x](std::string_view why, std::string_view key, unsigned status) {
        log::warn("web")
            .kv("req", x->request_id)
            .kv("event", "in_app_refused")
            .kv("bot", x->bot)
            .kv("reason", why);
        return refuse(status, key);
    };
    core::ApiCall call;
    if (a.sign_in_app_token() && x->so_far.app_token.empty()) {
        const auto token = a.token_request();
        if (!token) {
            return failed("no app token", "web.in_app_none", 404);
        }
        call.fetch = *token;
        call.then = [this, x, failed](result<core::Fetched> f) {
            auto t = f ? x->adapter->parse_token(f->status, f->body) : result<AccessToken>(f.error());
            if (!t) {
                return failed("app token refused", "web.in_app_unreachable", 502);
            }
            x->so_far.app_token = t->value;
            return next(x);
        };
        return call;
    }
    auto step = a.sign_in_step(x->so_far);
    if (!step) {
        return failed(step.error().message(), "web.in_app_failed", 403);
    }
    if (!step->request) {
        return finish(x->bot,
                      a,
                      step->user_id,
                      std::string(a.platform()) + " oauth",
                      x->previous,
                      x->request_id,
                      x->now);
    }
    call.fetch = std::move(*step->request);
    call.then = [this, x, failed](result<core::Fetched> f) {
        if (!f) {
            return failed(f.error().message(), "web.in_app_unreachable", 502);
        }
        x->so_far.answers.emplace_back(f->status, std::move(f->body));
        return next(x);
    };
    return call;
}

core::ApiCall InAppSignIn::launched(const HttpRequest& request, const std::string& bot, TimePoint now) const {
    if (!same_origin(request, origin_)) {
        return now_answer(notice(403, deps_.locale, "web.forbidden_title", "web.forbidden"));
    }
    if (!limiter_->allow(address_of(request.remote), now)) {
        return now_answer(notice(429, deps_.locale, "web.too_many_title", "web.too_many"));
    }
    const Adapter* adapter = adapter_of(bot);
    if (adapter == nullptr) {
        return refuse(404, "web.in_app_none");
    }
    const auto user = adapter->verify_launch_data(
        form_field(request.body, "d").value_or(""),
        now,
        std::chrono::duration_cast<std::chrono::seconds>(deps_.usecases.web.link_ttl));
    if (!user) {
        log::warn("web")
            .kv("req", request.request_id)
            .kv("event", "in_app_refused")
            .kv("bot", bot)
            .kv("reason", user.error().message());
        return refuse(user.error() == errc::invalid_argument ? 404 : 403,
                      user.error() == errc::invalid_argument ? "web.in_app_none" : "web.in_app_failed");
    }
    return finish(bot,
                  *adapter,
                  *user,
                  std::string(adapter->platform()) + " launch data",
                  cookie_of(request, kCookie),
                  request.request_id,
                  now);
}

core::ApiCall InAppSignIn::finish(const std::string& bot,
                                  const Adapter& adapter,
                                  const std::string& user,
                                  const std::string& via,
                                  const std::string& previous,
                                  const std::string& request_id,
                                  TimePoint now) const {
    const auto platform = deps_.routing.settings.bot_platforms.find(bot);
    const std::string name = platform != deps_.routing.settings.bot_platforms.end() ? platform->second : "";
    const std::string private_chat = adapter.private_chat_of(user);
    return deferred([this, bot, user, name, private_chat, via, previous, request_id, now](store::Tx& tx,
                                                                                          HttpResponse& out) {
        const store::SessionKey account{bot, "", user};
        auto in = usecase::platform_sign_in(
            deps_.usecases, tx, account, name, private_chat, via, previous, request_id, now);
        if (!in) {
            return result<void>(in.error());
        }
        if (!*in) {
            log::warn("web")
                .kv("req", request_id)
                .kv("event", "in_app_refused")
                .kv("bot", bot)
                .kv("reason", "not on the roster");
            out = notice(403, deps_.locale, "web.in_app_failed_title", "web.not_on_roster");
            return result<void>{};
        }
        out = html_page(303, "");
        out.headers.emplace_back("Location", "/app/");
        out.headers.emplace_back(
            "Set-Cookie",
            cookie(kCookie,
                   (*in)->cookie,
                   "/app",
                   std::chrono::duration_cast<std::chrono::seconds>(deps_.usecases.web.idle),
                   secure_));
        out.headers.emplace_back(
            "Set-Cookie", cookie(kStateCookie, "", "/app/in/" + bot, std::chrono::seconds(0), secure_));
        return result<void>{};
    });
}

}  // namespace bot::web
