#include "handlers/desk.hpp"

#include "handlers/catalog.hpp"

#include <utf8proc.h>

namespace bot::handlers::desk {
namespace {

/// Whether `unit` is `chosen` or below it (parents followed; a cycle stops after the roster's size).
bool at_or_below(const Roster& roster, std::string_view unit, std::string_view chosen) {
    std::string_view at = unit;
    for (std::size_t hops = 0; hops <= roster.units().size(); ++hops) {
        if (at == chosen) {
            return true;
        }
        const Unit* u = roster.unit(at);
        if (u == nullptr || u->parent.empty()) {
            return false;
        }
        at = u->parent;
    }
    return false;
}

/// The byte offsets where each UTF-8 character of `s` starts, and its end.
std::vector<std::size_t> starts(std::string_view s) {
    std::vector<std::size_t> out;
    std::size_t i = 0;
    while (i < s.size()) {
        out.push_back(i);
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i),
                                        &cp);
        i += n > 0 ? static_cast<std::size_t>(n) : 1;
    }
    out.push_back(s.size());
    return out;
}

}  // namespace

Units units_for(const Roster& roster, const Person& person, std::string_view chosen) {
    if (!person.coordinates()) {
        return {};
    }
    const auto visible = roster.visible_units(&person);
    if (chosen.empty()) {
        if (!visible) {
            return {.every = true};
        }
        return {.units = std::vector<std::string>(visible->begin(), visible->end())};
    }
    Units out;
    for (const auto& u : roster.units()) {
        if ((!visible || visible->count(u.id) != 0) && at_or_below(roster, u.id, chosen)) {
            out.units.push_back(u.id);
        }
    }
    return out;
}

Change diff(std::string_view before, std::string_view after) {
    const auto a = starts(before);
    const auto b = starts(after);
    const std::size_t na = a.size() - 1;
    const std::size_t nb = b.size() - 1;
    const auto char_a = [&](std::size_t i) {
        return before.substr(a[i], a[i + 1] - a[i]);
    };
    const auto char_b = [&](std::size_t i) {
        return after.substr(b[i], b[i + 1] - b[i]);
    };
    std::size_t head = 0;
    while (head < na && head < nb && char_a(head) == char_b(head)) {
        ++head;
    }
    std::size_t tail = 0;
    while (tail < na - head && tail < nb - head && char_a(na - 1 - tail) == char_b(nb - 1 - tail)) {
        ++tail;
    }
    return Change{.start = std::string(before.substr(0, a[head])),
                  .removed = std::string(before.substr(a[head], a[na - tail] - a[head])),
                  .added = std::string(after.substr(b[head], b[nb - tail] - b[head])),
                  .end = std::string(before.substr(a[na - tail]))};
}

std::vector<const Person*> reviewers_of(const Roster& roster, std::string_view unit) {
    std::vector<const Person*> out;
    for (const auto& p : roster.people()) {
        if (p.coordinates() && roster.in_scope(p, unit)) {
            out.push_back(&p);
        }
    }
    return out;
}

std::string assign_refusal(const Roster& roster, const Person* by, std::string_view unit, const Person* to) {
    if (by != nullptr && !roster.in_scope(*by, unit)) {
        return "desk.no_report";
    }
    if (to == nullptr || !to->coordinates() || !roster.in_scope(*to, unit)) {
        return "desk.assign_not_reviewer";
    }
    return {};
}

std::string assign_rule(const Roster& roster, const Person* by, const StoredReport& r, const Person* to) {
    if (auto no = assign_refusal(roster, by, r.unit_id, to); !no.empty()) {
        return no;
    }
    return to->id == r.assignee ? "desk.assigned_already" : "";
}

std::optional<Message> assignment_notice(const FlowContext& ctx,
                                         const StoredReport& r,
                                         std::string_view by,
                                         const Person& to) {
    const auto& s = ctx.settings;
    const auto platform = s.bot_platforms.find(r.bot_id);
    const std::string account(
        to.account_on(r.bot_id, platform != s.bot_platforms.end() ? std::string_view(platform->second) : ""));
    if (account.empty() || s.direct_bots.count(r.bot_id) == 0) {
        return std::nullopt;
    }
    const auto bot_locale = s.bot_locales.find(r.bot_id);
    const std::string locale =
        locale_for(&to, bot_locale != s.bot_locales.end() ? std::string_view(bot_locale->second) : s.locale);
    const Unit* unit = ctx.roster.unit(r.unit_id);
    Message m{.mention_user_id = account, .mention_name = to.name};
    m.text = msg(locale,
                 "desk.assigned_notice",
                 {{"by", std::string(by)},
                  {"number", r.number},
                  {"title", r.title},
                  {"unit", unit != nullptr ? unit->name : r.unit_id}});
    m.bot_id = r.bot_id;
    m.direct = true;
    m.chat_id = "@" + account;
    return m;
}

std::vector<Message> arrival_notices(const FlowContext& ctx, const Submission& sub, std::string_view bot_id) {
    std::vector<Message> out;
    const auto& s = ctx.settings;
    if (s.direct_bots.count(bot_id) == 0) {
        return out;
    }
    const auto platform = s.bot_platforms.find(bot_id);
    const auto bot_locale = s.bot_locales.find(bot_id);
    const Unit* unit = ctx.roster.unit(sub.unit_id);
    const templates::Template* t = ctx.templates.find(sub.template_id);
    for (const auto& p : ctx.roster.people()) {
        if (p.notices != Person::Notices::each || !p.coordinates() || p.id == sub.author_id ||
            !ctx.roster.in_scope(p, sub.unit_id)) {
            continue;
        }
        const std::string account(p.account_on(
            bot_id, platform != s.bot_platforms.end() ? std::string_view(platform->second) : ""));
        if (account.empty()) {
            continue;
        }
        const std::string locale = locale_for(
            &p, bot_locale != s.bot_locales.end() ? std::string_view(bot_locale->second) : s.locale);
        Message m{.mention_user_id = account, .mention_name = p.name};
        m.text = msg(locale,
                     sub.revises.empty() ? "desk.arrived" : "desk.arrived_revision",
                     {{"unit", unit != nullptr ? unit->name : sub.unit_id},
                      {"author", sub.author_name},
                      {"template", t != nullptr ? t->name.in(locale) : sub.template_id},
                      {"title", sub.title},
                      {"number", sub.revises.empty() ? std::string(kNumberSlot) : sub.revises},
                      {"revision", std::string(kRevisionSlot)}});
        m.bot_id = std::string(bot_id);
        m.direct = true;
        m.chat_id = "@" + account;
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Send> hourly_notices(const std::string& key_prefix,
                                 const std::vector<Arrival>& arrived,
                                 const std::string& since,
                                 const ReminderContext& ctx) {
    constexpr std::size_t kListed = 5;
    std::vector<Send> out;
    for (const auto& p : ctx.roster.people()) {
        if (p.notices != Person::Notices::hourly || !p.coordinates()) {
            continue;
        }
        std::vector<const Arrival*> theirs;  // newest first
        for (auto it = arrived.rbegin(); it != arrived.rend(); ++it) {
            if (it->author_id != p.id && ctx.roster.in_scope(p, it->unit_id)) {
                theirs.push_back(&*it);
            }
        }
        if (theirs.empty()) {
            continue;
        }
        const std::string& bot = theirs.front()->bot_id;
        std::string account(p.account_on(bot, ctx.platform_of ? ctx.platform_of(bot) : std::string()));
        if (account.empty() && ctx.bound_account) {
            account = ctx.bound_account(p.id, bot);
        }
        if (account.empty() || !ctx.can_direct || !ctx.can_direct(bot)) {
            continue;  // the desk and the daily line still show them
        }
        const std::string locale = locale_for(&p, ctx.bot_locale ? ctx.bot_locale(bot) : ctx.locale);
        std::string list;
        for (std::size_t i = 0; i < theirs.size() && i < kListed; ++i) {
            const Unit* unit = ctx.roster.unit(theirs[i]->unit_id);
            list += (i == 0 ? "" : msg(locale, "desk.list_separator")) +
                    msg(locale,
                        "desk.hourly_item",
                        {{"number", theirs[i]->number},
                         {"title", theirs[i]->title},
                         {"unit", unit != nullptr ? unit->name : theirs[i]->unit_id}});
        }
        Message m{.chat_id = "@" + account, .mention_user_id = account, .mention_name = p.name};
        m.text = msg(locale,
                     theirs.size() > kListed ? "desk.hourly_more" : "desk.hourly",
                     {{"since", since}, {"count", std::to_string(theirs.size())}, {"list", list}});
        m.bot_id = bot;
        m.direct = true;
        out.push_back({key_prefix + "/person:" + p.id, std::move(m)});
    }
    return out;
}

std::vector<int> per_span(const std::vector<TimePoint>& times,
                          const std::vector<Span>& spans,
                          const std::vector<int>& weights) {
    std::vector<int> out(spans.size(), 0);
    for (std::size_t i = 0; i < times.size(); ++i) {
        for (std::size_t k = 0; k < spans.size(); ++k) {
            if (times[i] >= spans[k].from && times[i] < spans[k].to) {
                out[k] += i < weights.size() ? weights[i] : 1;
                break;
            }
        }
    }
    return out;
}

}  // namespace bot::handlers::desk
