#pragma once

#include "bot/config.hpp"
#include "bot/conversation.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <string>
#include <vector>

namespace bot::app {

/// Templates and roster as named by the configuration.
struct Domain {
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    std::vector<std::string> errors;  ///< "file: path: reason", every problem of both
};

inline Domain load_domain(const config::Config& cfg) {
    Domain d;
    auto t = templates::load_directory(cfg.templates_dir);
    for (const auto& e : t.errors) {
        d.errors.push_back(e.to_string());
    }
    auto r = handlers::load_roster_file(cfg.roster);
    for (const auto& e : r.errors) {
        d.errors.push_back(e.to_string());
    }
    auto c = templates::load_calendar_file(cfg.calendar);
    for (const auto& e : c.errors) {
        d.errors.push_back(e.to_string());
    }
    d.calendar = std::move(c.calendar);
    d.templates = std::move(t.set);
    d.roster = std::move(r.roster);
    return d;
}

inline conversation::Deps conversation_deps(const config::Config& cfg, const Domain& d) {
    conversation::Deps deps{d.templates,
                            d.roster,
                            cfg.conversation.locale,
                            cfg.conversation.draft_after,
                            cfg.conversation.draft_ttl,
                            cfg.conversation.bot_names,
                            {},
                            &d.calendar};
    for (const auto& bot : cfg.bots) {
        if (!bot.locale.empty()) {
            deps.bot_locales.emplace(bot.id, bot.locale);
        }
    }
    return deps;
}

}  // namespace bot::app
