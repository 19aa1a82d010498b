// 审核把关: the review queue, a report in full, and the decisions on it — 通过, 退回 with a comment,
// 采用 at a level — and the author's 撤回. Pure: the router reads the report (and its history, or
// the queue) before, and stores the change and its audit entry after (docs/review.md).
#include "handlers/flow.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers::review {
namespace {

namespace text = templates::text;

std::string state_name(const Flow& f, std::string_view status) {
    return f.m("state." + std::string(status));
}

std::string unit_name(const Flow& f, std::string_view id) {
    const Unit* u = f.ctx.roster.unit(id);
    return u != nullptr ? u->name : std::string(id);
}

std::string age(const Flow& f, TimePoint since) {
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(f.ctx.now - since).count();
    return hours >= 24 ? f.m("age_days", {{"n", std::to_string(hours / 24)}})
                       : f.m("age_hours", {{"n", std::to_string(std::max<long>(0, hours))}});
}

/// "R-2026-0001 rest of the words" → the rest.
std::string after_number(const std::string& arg) {
    const auto space = arg.find(' ');
    return space == std::string::npos ? std::string() : text::trim(arg.substr(space + 1));
}

/// The report named by the command, if the sender may decide on it as a coordinator; else says why.
const StoredReport* decidable(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_" + std::string(c.spec->name)));
        return nullptr;
    }
    const auto& r = f.reads.report;
    if (!r) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return nullptr;
    }
    if (!f.ctx.roster.in_scope(*f.person, r->unit_id)) {
        f.say(f.m("review.out_of_scope", {{"number", r->number}, {"unit", unit_name(f, r->unit_id)}}));
        return nullptr;
    }
    return &*r;
}

/// Refuses a transition from the report's status that the state machine does not allow.
bool allowed_from(Flow& f,
                  const StoredReport& r,
                  std::initializer_list<std::string_view> from,
                  std::string_view action) {
    if (std::find(from.begin(), from.end(), r.status) != from.end()) {
        return true;
    }
    f.say(f.m("review.illegal",
              {{"number", r.number},
               {"state", state_name(f, r.status)},
               {"action", f.m("action." + std::string(action))}}));
    return false;
}

/// The author is told of a decision where the report was filed: here with an @-mention, or in
/// that chat through the outbox. Nobody when the author made it.
void tell_author(Flow& f, const StoredReport& r, std::string text) {
    if (f.person != nullptr && f.person->id == r.author_id) {
        return;
    }
    const Person* author = f.ctx.roster.person_by_id(r.author_id);
    const auto platform = f.ctx.settings.bot_platforms.find(r.bot_id);
    const std::string account =
        author == nullptr ? std::string()
        : r.bot_id == f.in.bot_id
            ? std::string(author->account_on(r.bot_id, f.in.platform))
            : std::string(author->account_on(
                  r.bot_id, platform != f.ctx.settings.bot_platforms.end() ? platform->second : ""));
    f.tell(r.bot_id,
           r.chat_id,
           {.mention_user_id = account, .mention_name = r.author_name, .text = std::move(text)});
}

}  // namespace

void queue(Flow& f, const Command& /*c*/) {
    if (f.reads.waiting.empty()) {
        f.say(f.m("review.queue_empty"));
        return;
    }
    std::string out = f.m("review.queue_header", {{"count", std::to_string(f.reads.waiting.size())}});
    for (std::size_t i = 0; i < f.reads.waiting.size(); ++i) {
        const auto& r = f.reads.waiting[i];
        out += "\n" + f.m("review.queue_line",
                          {{"i", std::to_string(i + 1)},
                           {"number", r.number},
                           {"unit", unit_name(f, r.unit_id)},
                           {"author", r.author_name},
                           {"title", r.title},
                           {"age", age(f, r.updated_at)},
                           {"revision", std::to_string(r.revision)}});
    }
    out += "\n" + f.m("review.queue_footer");
    f.say(out);
}

void show(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_show"));
        return;
    }
    const auto& r = f.reads.report;
    if (!r) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return;
    }
    if (f.person == nullptr ||
        (f.person->id != r->author_id && !f.ctx.roster.in_scope(*f.person, r->unit_id))) {
        f.say(f.m("review.not_visible", {{"number", r->number}}));
        return;
    }
    std::string out = f.m("review.show_header",
                          {{"number", r->number},
                           {"title", r->title},
                           {"unit", unit_name(f, r->unit_id)},
                           {"author", r->author_name},
                           {"state", state_name(f, r->status)},
                           {"revision", std::to_string(r->revision)}});
    if (const auto* t = f.ctx.templates.find(r->template_id)) {
        for (const auto& field : t->fields) {
            if (const auto it = r->fields.find(field.id); it != r->fields.end() && !it->second.empty()) {
                out += "\n" + field.label.in(f.locale) + ":" + form::shown(f, field, it->second);
            }
        }
    }
    for (const auto& a : f.reads.adoptions) {
        out += "\n" + f.m("review.show_adoption",
                          {{"level", a.level}, {"points", std::to_string(a.points)}, {"venue", a.venue}});
    }
    for (const auto& h : f.reads.history) {
        const Person* who = f.ctx.roster.person_by_id(h.actor);
        out +=
            "\n" +
            f.m("review.show_history",
                {{"age", age(f, h.at)},
                 {"who", who != nullptr ? who->name : h.actor},
                 {"action", f.m("history." + h.action)},
                 // The comment of a return, the level of an adoption; the rest says itself.
                 {"detail", h.action == "report.returned" || h.action == "report.adopted" ? h.after : ""}});
    }
    f.say(out);
}

void approve(Flow& f, const Command& c) {
    const StoredReport* r = decidable(f, c);
    if (r == nullptr || !allowed_from(f, *r, {"submitted"}, "approve")) {
        return;
    }
    f.fx.review =
        ReviewChange{.number = r->number, .action = "approved", .from = r->status, .to = "approved"};
    f.say(f.m("review.approved", {{"number", r->number}, {"title", r->title}, {"author", r->author_name}}));
    tell_author(f, *r, f.m("review.approved_notice", {{"number", r->number}, {"title", r->title}}));
}

void send_back(Flow& f, const Command& c) {
    const StoredReport* r = decidable(f, c);
    if (r == nullptr || !allowed_from(f, *r, {"submitted"}, "return")) {
        return;
    }
    const std::string comment = after_number(c.arg);
    if (comment.empty()) {
        f.say(f.m("review.return_needs_comment", {{"number", r->number}}));
        return;
    }
    f.fx.review = ReviewChange{
        .number = r->number, .action = "returned", .from = r->status, .to = "returned", .comment = comment};
    f.say(f.m("review.returned", {{"number", r->number}, {"title", r->title}, {"author", r->author_name}}));
    tell_author(
        f,
        *r,
        f.m("review.returned_notice", {{"number", r->number}, {"title", r->title}, {"comment", comment}}));
}

void adopt(Flow& f, const Command& c) {
    const StoredReport* r = decidable(f, c);
    if (r == nullptr || !allowed_from(f, *r, {"approved", "adopted"}, "adopt")) {
        return;
    }
    const std::string rest = after_number(c.arg);
    const std::string level = rest.substr(0, rest.find(' '));
    const std::string venue = after_number(rest);
    const auto& levels = f.ctx.settings.adoption_levels;
    const auto found =
        std::find_if(levels.begin(), levels.end(), [&](const auto& l) { return l.first == level; });
    if (found == levels.end()) {
        std::string names;
        for (const auto& l : levels) {
            names += (names.empty() ? "" : "、") + l.first;
        }
        f.say(f.m("review.adopt_level", {{"number", r->number}, {"levels", names}}));
        return;
    }
    f.fx.review = ReviewChange{.number = r->number,
                               .action = "adopted",
                               .from = r->status,
                               .to = "adopted",
                               .level = found->first,
                               .points = found->second,
                               .venue = venue};
    const Args args{{"number", r->number},
                    {"title", r->title},
                    {"level", found->first},
                    {"points", std::to_string(found->second)},
                    {"venue", venue.empty() ? "" : f.m("review.venue", {{"venue", venue}})},
                    {"unit", unit_name(f, r->unit_id)}};
    f.say(f.m("review.adopted", args));
    tell_author(f, *r, f.m("review.adopted_notice", args));
}

void withdraw(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_withdraw"));
        return;
    }
    const auto& r = f.reads.report;
    if (!r) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return;
    }
    if (f.person->id != r->author_id) {
        f.say(f.m("review.withdraw_not_yours", {{"number", r->number}}));
        return;
    }
    if (!allowed_from(f, *r, {"submitted", "returned"}, "withdraw")) {
        return;
    }
    f.fx.review =
        ReviewChange{.number = r->number, .action = "withdrawn", .from = r->status, .to = "withdrawn"};
    f.say(f.m("review.withdrawn", {{"number", r->number}, {"title", r->title}}));
}

}  // namespace bot::handlers::review
