#include "bot/web/web.hpp"

#include "adapters/common/crypto.hpp"
#include "bot/usecases/reports.hpp"
#include "bot/usecases/web.hpp"
#include "bot/web/pages.hpp"
#include "handlers/ranking.hpp"

#include <deque>
#include <map>
#include <memory>

namespace bot::web {
namespace {

/// What every page carries: a policy that allows nothing but this service's own files (no inline
/// script or style, nothing from elsewhere, not framed), no sniffing, no referrer (a sign-in link
/// never leaks to another site), never cached.
void harden(HttpResponse& r) {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    if (r.status != 200 || r.content_type.starts_with("text/html")) {
        r.headers.emplace_back("Cache-Control", "no-store");
    }
}

HttpResponse html_page(unsigned status, std::string body) {
    HttpResponse r{
        .status = status, .content_type = "text/html; charset=utf-8", .body = std::move(body), .headers = {}};
    harden(r);
    return r;
}

HttpResponse notice(unsigned status, std::string_view locale, std::string_view title, std::string_view text) {
    return html_page(status, pages::notice(locale, title, text));
}

/// The value of cookie `name` in the request's Cookie header, or empty.
std::string cookie_of(const HttpRequest& request, std::string_view name) {
    const auto header = request.header("cookie");
    if (!header) {
        return {};
    }
    std::string_view rest = *header;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        std::string_view pair = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
            return std::string(pair.substr(name.size() + 1));
        }
    }
    return {};
}

/// A field of an application/x-www-form-urlencoded body, or nullopt.
std::optional<std::string> form_field(std::string_view body, std::string_view name) {
    while (!body.empty()) {
        const auto end = body.find('&');
        const std::string_view pair = body.substr(0, end);
        body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return percent_decode(pair.substr(eq + 1), true);
        }
    }
    return std::nullopt;
}

/// At most `limit` sign-in attempts per address within `window`: a guessing browser is refused
/// long before it could matter (a token is 256 random bits). Touched on the I/O thread only.
class Limiter {
public:
    Limiter(std::size_t limit, std::chrono::minutes window) : limit_(limit), window_(window) {}
    bool allow(const std::string& remote, TimePoint now) {
        auto& times = seen_[remote];
        while (!times.empty() && now - times.front() >= window_) {
            times.pop_front();
        }
        if (times.size() >= limit_) {
            return false;
        }
        times.push_back(now);
        if (seen_.size() > 10'000) {  // a flood of addresses: forget the quiet ones
            std::erase_if(seen_, [&](const auto& kv) {
                return kv.second.empty() || now - kv.second.back() >= window_;
            });
        }
        return true;
    }

private:
    std::size_t limit_;
    std::chrono::minutes window_;
    std::map<std::string, std::deque<TimePoint>> seen_;
};

/// The address part of a remote "host:port" (or "[v6]:port").
std::string address_of(std::string_view remote) {
    const auto colon = remote.rfind(':');
    return std::string(colon == std::string_view::npos ? remote : remote.substr(0, colon));
}

/// The scheme and host of a URL ("https://a.example" of "https://a.example/x").
std::string origin_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return std::string(url);
    }
    const auto path = url.find('/', scheme + 3);
    return std::string(url.substr(0, path));
}

/// A unit of work that fills the response in the transaction (sent after the commit).
core::ApiCall deferred(std::function<result<void>(store::Tx&, HttpResponse&)> fill) {
    core::ApiCall call;
    call.response = std::make_shared<HttpResponse>();
    call.work = [fill = std::move(fill), response = call.response](store::Tx& tx) {
        return fill(tx, *response);
    };
    return call;
}

core::ApiCall now_answer(HttpResponse r) {
    core::ApiCall call;
    call.immediate = std::move(r);
    return call;
}

struct Router {
    Deps deps;
    bool secure;
    std::string origin;
    std::shared_ptr<Limiter> limiter;

    std::string locale_of(const handlers::Person* p) const {
        return p != nullptr && !p->locale.empty() ? p->locale : deps.locale;
    }

    std::string session_cookie(const std::string& value, std::chrono::seconds max_age) const {
        return std::string(kCookie) + "=" + value +
               "; Path=/app; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax" +
               (secure ? "; Secure" : "");
    }

    /// A POST from another site is refused: the browser names the page a form came from.
    bool same_origin(const HttpRequest& request) const {
        const auto o = request.header("origin");
        return !o || *o == origin;
    }

    core::ApiCall operator()(const HttpRequest& request, TimePoint now) const;
    core::ApiCall sign_in_page(const HttpRequest& request) const;
    core::ApiCall sign_in(const HttpRequest& request, TimePoint now) const;
    core::ApiCall home(const HttpRequest& request, TimePoint now) const;
    core::ApiCall sign_out(const HttpRequest& request, TimePoint now) const;
};

/// GET /app/signin?t=…: a page that signs in by POST (a chat app fetching the link for a preview
/// does not use it up); its script submits the form at once, a button does without script.
core::ApiCall Router::sign_in_page(const HttpRequest& request) const {
    const std::string token = request.query_param("t").value_or("");
    if (token.empty()) {
        return now_answer(notice(400, deps.locale, "web.link_invalid_title", "web.link_invalid"));
    }
    return now_answer(html_page(200, pages::sign_in(deps.locale, token)));
}

core::ApiCall Router::sign_in(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    if (!limiter->allow(address_of(request.remote), now)) {
        return now_answer(notice(429, deps.locale, "web.too_many_title", "web.too_many"));
    }
    const std::string token = form_field(request.body, "t").value_or("");
    const std::string previous = cookie_of(request, kCookie);
    return deferred([this, token, previous, rid = request.request_id, now](store::Tx& tx, HttpResponse& out) {
        auto in = usecase::open_sign_in(deps.usecases, tx, token, previous, rid, now);
        if (!in) {
            return result<void>(in.error());
        }
        if (!*in) {
            out = notice(410, deps.locale, "web.link_invalid_title", "web.link_invalid");
            return result<void>{};
        }
        out = html_page(303, "");
        out.headers.emplace_back("Location", "/app/");
        out.headers.emplace_back(
            "Set-Cookie",
            session_cookie((*in)->cookie,
                           std::chrono::duration_cast<std::chrono::seconds>(deps.usecases.web.idle)));
        return result<void>{};
    });
}

core::ApiCall Router::home(const HttpRequest& request, TimePoint now) const {
    const std::string cookie = cookie_of(request, kCookie);
    return deferred([this, cookie, now](store::Tx& tx, HttpResponse& out) {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (!s) {
            return result<void>(s.error());
        }
        if (!*s) {
            out = notice(401, deps.locale, "web.sign_in_title", "web.sign_in_how");
            return result<void>{};
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        const auto since = handlers::ranking::window_of(deps.zone, now, "month").from;
        auto reports = usecase::mine(tx, (*s)->person_id, since, handlers::kMineListed);
        if (!reports) {
            return result<void>(reports.error());
        }
        out = html_page(
            200,
            pages::mine(
                locale_of(person), person->name, *reports, deps.usecases.templates, (*s)->csrf, deps.zone));
        return result<void>{};
    });
}

core::ApiCall Router::sign_out(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    const std::string cookie = cookie_of(request, kCookie);
    const std::string csrf = form_field(request.body, "csrf").value_or("");
    return deferred([this, cookie, csrf, rid = request.request_id, now](store::Tx& tx, HttpResponse& out) {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (!s) {
            return result<void>(s.error());
        }
        if (!*s || !adapters::crypto::constant_time_equal(csrf, (*s)->csrf)) {
            out = notice(403, deps.locale, "web.forbidden_title", "web.forbidden");
            return result<void>{};
        }
        const auto actor = usecase::web_actor(deps.usecases, **s, rid);
        if (auto done = usecase::sign_out(tx, actor, cookie, now); !done) {
            return done;
        }
        out = notice(200, locale_of(actor.person), "web.signed_out_title", "web.signed_out");
        out.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
        return result<void>{};
    });
}

core::ApiCall Router::operator()(const HttpRequest& request, TimePoint now) const {
    const std::string& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == pages::kStylesheet && get) {
        HttpResponse css{.status = 200,
                         .content_type = "text/css; charset=utf-8",
                         .body = std::string(pages::stylesheet()),
                         .headers = {}};
        harden(css);
        return now_answer(std::move(css));
    }
    if (path == pages::kScript && get) {
        HttpResponse js{.status = 200,
                        .content_type = "text/javascript; charset=utf-8",
                        .body = std::string(pages::script()),
                        .headers = {}};
        harden(js);
        return now_answer(std::move(js));
    }
    if (path == "/app/signin") {
        return get ? sign_in_page(request)
               : request.method == "POST"
                   ? sign_in(request, now)
                   : now_answer(notice(405, deps.locale, "web.not_found_title", "web.not_found"));
    }
    if ((path == "/app" || path == "/app/") && get) {
        return home(request, now);
    }
    if (path == "/app/signout" && request.method == "POST") {
        return sign_out(request, now);
    }
    return now_answer(notice(404, deps.locale, "web.not_found_title", "web.not_found"));
}

}  // namespace

core::ApiHandler handler(const Deps& deps) {
    auto router = std::make_shared<Router>(
        Router{.deps = deps,
               .secure = deps.public_url.starts_with("https://"),
               .origin = origin_of(deps.public_url),
               .limiter = std::make_shared<Limiter>(deps.sign_in_attempts, deps.sign_in_window)});
    return [router](const HttpRequest& request, TimePoint now) {
        return (*router)(request, now);
    };
}

}  // namespace bot::web
