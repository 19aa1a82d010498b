#include "bot/router/apply.hpp"

#include "handlers/catalog.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace bot::router::apply {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

std::string locale_of(const Deps& deps, const InboundEvent& event, const handlers::Person* person) {
    const auto bot = deps.settings.bot_locales.find(event.bot_id);
    return handlers::locale_for(person, bot != deps.settings.bot_locales.end() ? bot->second : deps.settings.locale);
}

/// A reply to the sender, @-mentioning them by their roster name when they have one.
void say(handlers::Effects& fx, const InboundEvent& event, const handlers::Person* person, std::string text) {
    fx.replies.push_back({std::move(text), event.user_id, person != nullptr ? person->name : event.user_name});
}

store::ReportRecord record_of(const handlers::Submission& sub, const InboundEvent& event, TimePoint now) {
    store::ReportRecord rec;
    rec.template_id = sub.template_id;
    rec.template_version = sub.template_version;
    rec.period_key = sub.period_key;
    rec.unit_id = sub.unit_id;
    rec.author_id = sub.author_id;
    rec.author_name = sub.author_name;
    rec.bot_id = event.bot_id;
    rec.chat_id = event.chat_id;
    rec.title = sub.title;
    rec.fields = nlohmann::json(sub.fields).dump();
    rec.on_time = sub.on_time;
    rec.submitted_at = now;
    return rec;
}

}  // namespace

result<void> leave(const Deps& deps, store::Tx& tx, const InboundEvent& event, TimePoint now, handlers::Effects& fx) {
    const handlers::Person* person = deps.roster.person(event.user_id);
    if (!fx.leave || person == nullptr) {
        return {};
    }
    if (!fx.leave->end) {
        return tx.add_leave(person->id, fx.leave->from, fx.leave->to, now);
    }
    const auto today = templates::local_date(now, deps.settings.time_zone);
    auto ended = tx.end_leave(person->id, today.iso());
    if (!ended) {
        return ended.error();
    }
    const bool roster_leave = std::any_of(
        person->leave.begin(), person->leave.end(), [&](const handlers::Leave& l) { return l.covers(today); });
    if (*ended == 0 && !roster_leave) {
        fx.replies.clear();
        say(fx, event, person, handlers::msg(locale_of(deps, event, person), "leave_none"));
    }
    return {};
}

result<void> remind(const Deps& deps,
                    store::Tx& tx,
                    const InboundEvent& event,
                    TimePoint now,
                    handlers::Effects& fx,
                    core::EventResult& out) {
    if (!fx.remind || deps.scheduling == nullptr) {
        return {};
    }
    const handlers::Person* person = deps.roster.person(event.user_id);
    auto outcome = scheduler::remind_now(*deps.scheduling,
                                         tx,
                                         "chat/" + event.bot_id + "/" + event.chat_id,
                                         fx.remind->templates,
                                         fx.remind->units,
                                         now,
                                         locale_of(deps, event, person));
    if (!outcome) {
        return outcome.error();
    }
    for (auto& r : outcome->replies) {
        say(fx, event, person, std::move(r));
    }
    out.queued += static_cast<std::size_t>(outcome->queued);
    return {};
}

result<void> report(store::Tx& tx,
                    const InboundEvent& event,
                    TimePoint now,
                    handlers::Effects& fx,
                    core::EventResult& out) {
    if (!fx.submission) {
        return {};
    }
    const auto& sub = *fx.submission;
    std::string number;
    std::string revision;
    if (sub.revises.empty()) {
        auto inserted = tx.insert_report(record_of(sub, event, now), sub.year);
        if (!inserted) {
            return inserted.error();
        }
        number = inserted->number;
        revision = "1";
        out.happened.push_back({"report_submitted", number, sub.template_id});
    } else {
        auto revised = tx.revise_report(sub.revises, nlohmann::json(sub.fields).dump(), sub.title, now);
        if (!revised) {
            return revised.error();
        }
        number = revised->number;
        revision = std::to_string(revised->revision);
        out.happened.push_back({"report_revised", number, revision});
    }
    for (auto& r : fx.replies) {
        replace_all(r.text, "{number}", number);
        replace_all(r.text, "{revision}", revision);
    }
    return {};
}

result<void> session(store::Tx& tx, const store::SessionKey& key, TimePoint now, const handlers::Effects& fx) {
    switch (fx.op) {
        case handlers::SessionOp::save:
            return tx.save_session(key, handlers::to_json(fx.session), now);
        case handlers::SessionOp::erase:
            return tx.delete_session(key);
        case handlers::SessionOp::keep:
            break;
    }
    return {};
}

result<void> replies(store::Tx& tx,
                     const InboundEvent& event,
                     TimePoint now,
                     core::ReplyRoute route,
                     handlers::Effects& fx,
                     core::EventResult& out) {
    for (auto& r : fx.replies) {
        OutgoingMessage m{event.chat_id, r.mention_user_id, r.mention_name, std::move(r.text), {}, false};
        if (route == core::ReplyRoute::outbox) {
            store::OutboxMessage row;
            row.bot_id = event.bot_id;
            row.chat_id = m.chat_id;
            row.mention_user_id = m.mention_user_id;
            row.mention_name = m.mention_name;
            row.text = m.text;
            row.context = event.reply_context;
            if (auto queued = tx.enqueue_message(row, now); !queued) {
                return queued.error();
            }
            ++out.queued;
        }
        out.replies.push_back(std::move(m));
    }
    return {};
}

}  // namespace bot::router::apply
