#include "bot/web/respond.hpp"

#include "bot/web/pages.hpp"

namespace bot::web {

void harden(HttpResponse& r) {
    r.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
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

std::string address_of(std::string_view remote) {
    const auto colon = remote.rfind(':');
    return std::string(colon == std::string_view::npos ? remote : remote.substr(0, colon));
}

std::string origin_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return std::string(url);
    }
    const auto path = url.find('/', scheme + 3);
    return std::string(url.substr(0, path));
}

bool same_origin(const HttpRequest& request, std::string_view origin) {
    const auto o = request.header("origin");
    return !o || *o == origin;
}

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

std::string cookie(std::string_view name,
                   const std::string& value,
                   std::string_view path,
                   std::chrono::seconds max_age,
                   bool secure) {
    return std::string(name) + "=" + value + "; Path=" + std::string(path) +
           "; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax" +
           (secure ? "; Secure" : "");
}

}  // namespace bot::web
