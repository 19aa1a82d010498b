#pragma once

#include "bot/core/event.hpp"
#include "bot/core/http.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

/// What every page's answer is made of (the pages of bot/web/web.cpp and the platforms' sign-in
/// of bot/web/in_app.cpp): hardened HTML responses, cookies and form fields read from a request,
/// the sign-in limiter, and the two shapes of an answer (at once, or filled in a unit of work).
namespace bot::web {

/// What every page carries: a policy that allows nothing but this service's own files (no inline
/// script or style, nothing from elsewhere, not framed), no sniffing, a referrer only to this
/// service itself (a sign-in link never leaks to another site; with none at all, browsers send
/// "Origin: null" on the page's own forms, which the Origin check rightly refuses), never cached.
void harden(HttpResponse& r);

/// A hardened HTML page.
HttpResponse html_page(unsigned status, std::string body);

/// A hardened page that only says something (pages::notice).
HttpResponse notice(unsigned status, std::string_view locale, std::string_view title, std::string_view text);

/// The value of cookie `name` in the request's Cookie header, or empty.
std::string cookie_of(const HttpRequest& request, std::string_view name);

/// A field of an application/x-www-form-urlencoded body, or nullopt.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

/// The address part of a remote "host:port" (or "[v6]:port").
std::string address_of(std::string_view remote);

/// The scheme and host of a URL ("https://a.example" of "https://a.example/x").
std::string origin_of(std::string_view url);

/// Whether a POST may be taken: its Origin header, when it has one, is `origin` (the browser names
/// the page a form came from; another site's is refused).
bool same_origin(const HttpRequest& request, std::string_view origin);

/// A unit of work that fills the response in the transaction (sent after the commit).
core::ApiCall deferred(std::function<result<void>(store::Tx&, HttpResponse&)> fill);

/// An answer given at once, without the store.
core::ApiCall now_answer(HttpResponse r);

/// A cookie for the pages' paths: HttpOnly, SameSite=Lax, Secure when `secure` (https).
std::string cookie(std::string_view name,
                   const std::string& value,
                   std::string_view path,
                   std::chrono::seconds max_age,
                   bool secure);

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

}  // namespace bot::web
