#pragma once

#include "bot/web/web.hpp"

#include <optional>
#include <string>

/// The coordinators' desk under /app/desk (docs/desk.md): the list in a person's scope with filters
/// and search, a report with its revisions side by side, decisions one at a time or for a
/// selection, the list as CSV, units compared, 本期进度 with 催报, 周报, binding requests. A front
/// door over the same use cases as chat and the API.
namespace bot::web {

class Desk {
public:
    /// `origin`: the pages' own scheme and host (a POST from elsewhere is refused).
    Desk(const Deps& deps, std::string origin) : deps_(deps), origin_(std::move(origin)) {}

    /// The answer to a request under /app/desk; nullopt for any other path.
    std::optional<core::ApiCall> operator()(const HttpRequest& request, TimePoint now) const;

private:
    core::ApiCall list(const HttpRequest& request, TimePoint now, bool csv) const;
    core::ApiCall show(const HttpRequest& request, const std::string& number, TimePoint now) const;
    core::ApiCall decide(const HttpRequest& request, TimePoint now) const;
    core::ApiCall assign(const HttpRequest& request, TimePoint now) const;
    core::ApiCall units(const HttpRequest& request, TimePoint now) const;
    core::ApiCall progress(const HttpRequest& request, TimePoint now) const;
    core::ApiCall remind(const HttpRequest& request, TimePoint now) const;
    core::ApiCall digest(const HttpRequest& request, TimePoint now) const;
    core::ApiCall bindings(const HttpRequest& request, TimePoint now) const;
    core::ApiCall bind(const HttpRequest& request, TimePoint now) const;
    core::ApiCall unit(const HttpRequest& request, const std::string& id, TimePoint now) const;

    Deps deps_;
    std::string origin_;
};

}  // namespace bot::web
