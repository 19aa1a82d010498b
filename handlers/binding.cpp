// 绑定 姓名 / 同意绑定 B3 / 拒绝绑定 B3: an account the roster does not know asks to be a roster
// officer; a coordinator approves or refuses. Pure, like every row of the command table: the
// router stores the request (numbering it) and the decision, and reads a request for deciding.
#include "handlers/binding.hpp"

#include "handlers/flow.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers::binding {
namespace {

namespace text = templates::text;

std::string label(std::int64_t id) {
    return "B" + std::to_string(id);
}

std::string unit_name(const Flow& f, const Person& p) {
    const Unit* u = f.ctx.roster.unit(p.unit);
    return u != nullptr ? u->name : p.unit;
}

/// The person `name` (a roster name or person id); nullptr with the reason said when there is
/// not exactly one.
const Person* named(Flow& f, const std::string& name) {
    if (const Person* p = f.ctx.roster.person_by_id(name)) {
        return p;
    }
    const auto& people = f.ctx.roster.people();
    const auto n = std::count_if(people.begin(), people.end(), [&](const Person& p) {
        return text::normalize(p.name) == text::normalize(name);
    });
    if (n == 0) {
        f.say(f.m("bind.unknown", {{"name", name}}));
        return nullptr;
    }
    if (n > 1) {
        f.say(f.m("bind.ambiguous", {{"name", name}}));
        return nullptr;
    }
    return &*std::find_if(people.begin(), people.end(), [&](const Person& p) {
        return text::normalize(p.name) == text::normalize(name);
    });
}

}  // namespace

bool in_reach(const FlowContext& ctx, const Person& decider, const Person* p) {
    return p == nullptr || p->coordinates() || ctx.roster.in_scope(decider, p->unit);
}

Decision rule(const FlowContext& ctx,
              const Person& decider,
              const StoredBinding& b,
              bool approve,
              std::string_view locale,
              std::string_view notice_locale) {
    const Person* p = ctx.roster.person_by_id(b.person_id);
    const auto unit_of = [&ctx](const Person& person) {
        const Unit* u = ctx.roster.unit(person.unit);
        return u != nullptr ? u->name : person.unit;
    };
    if (!in_reach(ctx, decider, p)) {
        return {.key = "bind.not_found", .args = {{"binding", label(b.id)}}};
    }
    if (b.state != "pending") {
        return {
            .key = "bind.decided",
            .args = {{"binding", label(b.id)},
                     {"state",
                      msg(locale, b.state == "approved" ? "bind.state_approved" : "bind.state_refused")}}};
    }
    if (approve && (p == nullptr || p->coordinates())) {
        // The roster changed since the request.
        return {.key = "bind.unknown", .args = {{"name", b.person_id}}};
    }
    const std::string name = p != nullptr ? p->name : b.person_id;
    const std::string user = b.user_name.empty() ? b.user_id : b.user_name;
    // Another account of this bot became this officer's since the request was made: bound in chat
    // (approved meanwhile), or given by the roster (reloaded meanwhile).
    const auto platform = ctx.settings.bot_platforms.find(b.bot_id);
    const bool in_roster =
        p != nullptr &&
        !p->account_on(b.bot_id, platform != ctx.settings.bot_platforms.end() ? platform->second : "")
             .empty();
    const bool bound = !b.person_bound_to.empty() && b.person_bound_to != b.user_id;
    if (approve && (bound || in_roster)) {
        return {.key = "bind.has_account_now", .args = {{"binding", label(b.id)}, {"name", name}}};
    }
    Decision d{.key = approve ? "bind.approved" : "bind.refused",
               .args = {{"binding", label(b.id)}, {"user", user}, {"name", name}}};
    d.change = BindingChange{.id = b.id, .person_id = b.person_id, .approve = approve};
    d.notice = Message{
        .mention_user_id = b.user_id,
        .mention_name = user,
        .text = msg(notice_locale,
                    approve ? "bind.approved_notice" : "bind.refused_notice",
                    {{"binding", label(b.id)}, {"name", name}, {"unit", p != nullptr ? unit_of(*p) : ""}})};
    return d;
}

std::optional<std::int64_t> parse_id(std::string_view arg) {
    const std::string folded = text::normalize(arg);
    std::string_view s = folded;
    if (!s.empty() && (s.front() == 'b' || s.front() == 'B')) {
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 15 || !std::all_of(s.begin(), s.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        })) {
        return std::nullopt;
    }
    return std::stoll(std::string(s));
}

void request(Flow& f, const Command& c) {
    if (f.person != nullptr) {
        f.say(f.m("bind.already", {{"name", f.person->name}}));
        return;
    }
    if (!f.ctx.settings.allow_binding) {
        f.say(f.m("bind.disabled"));
        return;
    }
    if (c.arg.empty()) {
        f.say(f.m("bind.usage"));
        return;
    }
    const Person* p = named(f, c.arg);
    if (p == nullptr) {
        return;
    }
    // Coordinators see every unit: their accounts come from the roster only.
    if (p->coordinates()) {
        f.say(f.m("bind.coordinator"));
        return;
    }
    if (!p->account_on(f.in.bot_id, f.in.platform).empty()) {
        f.say(f.m("bind.has_account", {{"name", p->name}}));
        return;
    }
    f.fx.changes.emplace_back(BindingChange{.id = 0, .person_id = p->id, .approve = false});
    f.say(f.m("bind.requested",
              {{"binding", std::string(kBindingSlot)},
               {"user", f.in.user_name.empty() ? f.in.user_id : f.in.user_name},
               {"name", p->name},
               {"unit", unit_name(f, *p)}}));
}

namespace {

void decide(Flow& f, const Command& c, bool approve) {
    if (c.arg.empty()) {
        std::string lines;
        for (const auto& b : f.reads.pending_bindings) {
            const Person* p = f.ctx.roster.person_by_id(b.person_id);
            if (!in_reach(f.ctx, *f.person, p)) {
                continue;  // an officer outside the decider's scope
            }
            lines += "\n" + f.m("bind.pending_line",
                                {{"binding", label(b.id)},
                                 {"user", b.user_name.empty() ? b.user_id : b.user_name},
                                 {"name", p != nullptr ? p->name : b.person_id},
                                 {"unit", p != nullptr ? unit_name(f, *p) : ""}});
        }
        f.say(lines.empty() ? f.m("bind.none_pending") : f.m("bind.pending_header") + lines);
        return;
    }
    const auto id = parse_id(c.arg);
    if (!id || !f.reads.binding || f.reads.binding->id != *id) {
        f.say(f.m("bind.not_found", {{"binding", c.arg}}));
        return;
    }
    auto d = rule(f.ctx, *f.person, *f.reads.binding, approve, f.locale, f.locale);
    f.say(f.m(d.key, d.args));
    if (d.change) {
        f.fx.changes.emplace_back(std::move(*d.change));
        // The requester is told where they asked: here with an @-mention, or through the outbox.
        f.tell(f.reads.binding->bot_id, f.reads.binding->chat_id, std::move(*d.notice));
    }
}

}  // namespace

void approve(Flow& f, const Command& c) {
    decide(f, c, true);
}

void refuse(Flow& f, const Command& c) {
    decide(f, c, false);
}

}  // namespace bot::handlers::binding
