#pragma once

#include "adapters/registry.hpp"
#include "bot/config.hpp"
#include "bot/loaders.hpp"
#include "bot/router/router.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace bot::app {

/// Templates and roster as named by the configuration.
struct Domain {
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    std::vector<std::string> errors;    ///< "file: path: reason", every problem of both
    std::vector<std::string> warnings;  ///< valid but probably not meant (a unit nobody can remind)
    std::vector<std::string> phrases;   ///< 套话 (quality.phrases)
};

/// Platforms that can never post unasked: a chat reminded through one needs a `push` route.
inline bool never_pushes(const config::Config& cfg, std::string_view bot) {
    const config::BotConfig* b = cfg.bot(bot);
    const adapters::Platform* p = b != nullptr ? adapters::find_platform(b->platform) : nullptr;
    return p != nullptr && p->never_pushes;
}

/// What the configuration asks of a roster: every API token's person a coordinator on it, and a
/// route that can post unasked for every chat that gets reminders.
inline std::vector<std::string> roster_problems(const config::Config& cfg, const handlers::Roster& roster) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < roster.chats().size(); ++i) {
        const auto& chat = roster.chats()[i];
        const std::string where = cfg.roster + ": $.chats[" + std::to_string(i) + "]";
        if (!chat.push.empty() && never_pushes(cfg, chat.push)) {
            out.push_back(where + ".push: bot \"" + chat.push + "\" cannot post unasked either");
        } else if (!chat.units.empty() && never_pushes(cfg, chat.reminder_bot())) {
            out.push_back(where + ": chat \"" + chat.id + "\" gets reminders, but its bot \"" + chat.bot +
                          "\" is a WeCom AI bot, which cannot post unasked: add the group's robot as a bot " +
                          "(\"platform\": \"wecom_robot\") and name it here as \"push\"");
        }
    }
    for (std::size_t i = 0; i < cfg.api.tokens.size(); ++i) {
        const auto& t = cfg.api.tokens[i];
        const handlers::Person* p = t.person.empty() ? nullptr : roster.person_by_id(t.person);
        if (!t.person.empty() && (p == nullptr || !p->coordinates())) {
            out.push_back("$.api.tokens: token \"" + t.name + "\" acts as \"" + t.person +
                          "\", who is not a coordinator or admin in " + cfg.roster);
        }
    }
    return out;
}

/// Valid but probably not meant: chats of bots not configured here, units nobody can remind.
inline std::vector<std::string> roster_warnings(const config::Config& cfg,
                                                const templates::TemplateSet& templates,
                                                const handlers::Roster& roster) {
    std::vector<std::string> out;
    // Chats name the bot that posts there; a roster shared between installations may name bots
    // this one does not have: reminders to those chats are recorded as unroutable, not sent.
    for (std::size_t i = 0; i < roster.chats().size(); ++i) {
        const auto& chat = roster.chats()[i];
        if (!chat.bot.empty() && cfg.bot(chat.bot) == nullptr) {
            out.push_back(cfg.roster + ": $.chats[" + std::to_string(i) + "].bot: bot \"" + chat.bot +
                          "\" is not configured here, so nothing is posted to chat \"" + chat.id + "\"");
        }
        if (!chat.push.empty() && cfg.bot(chat.push) == nullptr) {
            out.push_back(cfg.roster + ": $.chats[" + std::to_string(i) + "].push: bot \"" + chat.push +
                          "\" is not configured here, so reminders to chat \"" + chat.id +
                          "\" are not posted");
        }
    }
    // Units that a ladder would remind but no chat with a bot reaches.
    for (const auto& tmpl : templates.all()) {
        if (tmpl.reminders.empty()) {
            continue;
        }
        for (const auto& unit : roster.units()) {
            if (unit.exempt || !tmpl.applies_to_unit(unit.id)) {
                continue;
            }
            if (roster.reporting_chat(tmpl, unit.id) == nullptr) {
                out.push_back("template " + tmpl.id + ": unit " + unit.id +
                              " has no chat with a \"bot\" in the roster, so it cannot be reminded");
            }
        }
    }
    return out;
}

inline Domain load_domain(const config::Config& cfg) {
    Domain d;
    auto t = loaders::templates_in(cfg.templates_dir);
    for (const auto& e : t.errors) {
        d.errors.push_back(e.to_string());
    }
    auto r = loaders::roster_file(cfg.roster);
    for (const auto& e : r.errors) {
        d.errors.push_back(e.to_string());
    }
    auto c = loaders::calendar_file(cfg.calendar);
    for (const auto& e : c.errors) {
        d.errors.push_back(e.to_string());
    }
    d.calendar = std::move(c.calendar);
    auto phrases = cfg.quality.phrases.empty() ? handlers::quality::Phrases{}
                                               : loaders::phrases_file(cfg.quality.phrases);
    for (const auto& e : phrases.errors) {
        d.errors.push_back(e);
    }
    d.phrases = std::move(phrases.phrases);
    d.templates = std::move(t.set);
    d.roster = std::move(r.roster);
    if (r.errors.empty()) {
        for (auto& e : roster_problems(cfg, d.roster)) {
            d.errors.push_back(std::move(e));
        }
    }
    d.warnings = roster_warnings(cfg, d.templates, d.roster);
    return d;
}

/// Adapters for the configured bots (bot/app.cpp).
AdapterMap make_adapters(const config::Config& cfg);

/// The scheduler's view of the configuration; `adapters` say which bots can post unasked and which
/// can message people privately.
inline usecase::Deps scheduler_deps(const config::Config& cfg, const Domain& d, const AdapterMap& adapters) {
    usecase::Deps s(d.templates, d.roster, &d.calendar);
    s.quiet = {cfg.scheduler.quiet_from, cfg.scheduler.quiet_to};
    s.catch_up = cfg.scheduler.catch_up;
    s.lease = cfg.scheduler.lease;
    s.remind_cooldown = cfg.scheduler.remind_cooldown;
    for (const auto& c : cfg.scheduler.coordinator_chats) {
        s.coordinator_chats.push_back({c.bot, c.chat});
    }
    if (!cfg.scheduler.digest_chats.empty()) {
        s.digest = handlers::DigestRule{
            cfg.scheduler.digest_weekday, cfg.scheduler.digest_time, cfg.scheduler.digest_time_zone};
        for (const auto& c : cfg.scheduler.digest_chats) {
            s.digest_chats.push_back({c.bot, c.chat});
        }
    }
    s.locale = cfg.conversation.locale;
    s.calendar_file = cfg.calendar;
    s.web = {.link_ttl = cfg.web.link_ttl,
             .idle = cfg.web.idle,
             .upload_bytes = std::size_t{cfg.web.upload_max_kb} * 1024,
             .uploads_per_day = 100};
    s.bound_accounts = cfg.conversation.allow_binding;
    if (cfg.review.waiting_after.count() > 0) {
        s.review_waiting = usecase::Deps::ReviewWaiting{
            cfg.review.waiting_after, cfg.review.waiting_time, cfg.scheduler.digest_time_zone};
    }
    for (const auto& bot : cfg.bots) {
        if (!bot.locale.empty()) {
            s.bot_locales.emplace(bot.id, bot.locale);
        }
        s.bot_platforms.emplace(bot.id, bot.platform);
    }
    for (const auto& [id, adapter] : adapters) {
        if (adapter->pushes()) {
            s.push_bots.insert(id);
        }
        if (adapter->direct_messages()) {
            s.direct_bots.insert(id);
        }
        if (std::string link = adapter->deep_link(""); !link.empty()) {
            s.deep_links.emplace(id, std::move(link));
        }
    }
    return s;
}

inline router::Deps router_deps(const config::Config& cfg,
                                const Domain& d,
                                const usecase::Deps* scheduling = nullptr) {
    router::Deps deps{d.templates, d.roster, {}, &d.calendar, scheduling};
    auto& s = deps.settings;
    if (scheduling != nullptr) {
        s.direct_bots = scheduling->direct_bots;
        s.push_bots = scheduling->push_bots;
        s.deep_links = scheduling->deep_links;
    }
    s.locale = cfg.conversation.locale;
    s.draft_after = cfg.conversation.draft_after;
    s.allow_binding = cfg.conversation.allow_binding;
    s.adoption_levels = cfg.review.adoption_levels;
    for (const auto& bot : cfg.bots) {
        s.bot_platforms.emplace(bot.id, bot.platform);
        if (const auto* p = adapters::find_platform(bot.platform); p != nullptr && p->reply_page_bytes > 0) {
            s.page_bytes.emplace(bot.id, p->reply_page_bytes);
        }
    }
    s.draft_ttl = cfg.conversation.draft_ttl;
    s.web_url = cfg.web.public_url;
    s.web_link_ttl = cfg.web.link_ttl;
    s.quality.empty_phrases = d.phrases;
    s.quality.near_threshold = cfg.quality.similar_percent / 100.0;
    s.bot_names = cfg.conversation.bot_names;
    s.time_zone = cfg.scheduler.digest_time_zone;
    for (const auto& bot : cfg.bots) {
        if (!bot.locale.empty()) {
            s.bot_locales.emplace(bot.id, bot.locale);
        }
    }
    return deps;
}

}  // namespace bot::app
