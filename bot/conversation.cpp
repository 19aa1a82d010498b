#include "bot/conversation.hpp"

#include "bot/core/log.hpp"
#include "handlers/catalog.hpp"
#include "handlers/report_flow.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

namespace bot::conversation {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

handlers::StoredReport to_stored(const store::ReportRecord& r) {
    handlers::StoredReport s;
    s.number = r.number;
    s.template_id = r.template_id;
    s.template_version = r.template_version;
    s.author_id = r.author_id;
    s.status = r.status;
    s.revision = r.revision;
    const auto j = nlohmann::json::parse(r.fields, nullptr, false);
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            if (v.is_string()) {
                s.fields[k] = v.get<std::string>();
            }
        }
    }
    return s;
}

result<void> run(const Deps& deps,
                 const InboundEvent& event,
                 TimePoint now,
                 std::chrono::seconds ttl,
                 core::Delivery delivery,
                 core::EventResult& out,
                 store::Tx& tx) {
    // 1. Deduplicate: a platform's retry of an event already committed changes nothing.
    auto fresh = tx.remember_event(event.dedupe_key, now, now + ttl);
    if (!fresh) {
        return fresh.error();
    }
    if (!*fresh) {
        out.duplicate = true;
        return {};
    }
    // 2. The conversation's state, as stored by the previous message.
    const store::SessionKey key{event.bot_id, event.chat_id, event.user_id};
    auto loaded = tx.load_session(key);
    if (!loaded) {
        return loaded.error();
    }
    std::optional<handlers::Session> session;
    if (*loaded) {
        session = handlers::session_from_json(**loaded);
        if (!session) {
            log::warn("conversation")
                .kv("event", "unreadable_session")
                .kv("chat", event.chat_id)
                .kv("user", event.user_id);
        }
    }
    // 3. The pure part.
    const handlers::Incoming in{
        event.chat_id, event.user_id, event.user_name, event.text, event.addressed, event.attachments};
    const auto bot_locale = deps.bot_locales.find(event.bot_id);
    const handlers::FlowContext ctx{now,
                                    deps.templates,
                                    deps.roster,
                                    bot_locale != deps.bot_locales.end() ? bot_locale->second : deps.locale,
                                    deps.draft_after,
                                    deps.draft_ttl,
                                    deps.bot_names,
                                    deps.calendar,
                                    deps.time_zone};
    handlers::Effects fx = handlers::handle(in, session, ctx);
    if (!fx.open_report.empty()) {
        auto found = tx.find_report(fx.open_report);
        if (!found) {
            return found.error();
        }
        std::optional<handlers::StoredReport> stored;
        if (*found) {
            stored = to_stored(**found);
        }
        fx = handlers::open_revision(in, stored, fx.open_report, ctx);
    }
    if (!fx.status_of.empty()) {
        // The boards as the scheduler sees them (reports and leave), so 进度 and reminders agree.
        const scheduler::Deps fallback(deps.templates, deps.roster, deps.calendar);
        const scheduler::Deps& sched = deps.scheduling != nullptr ? *deps.scheduling : fallback;
        std::vector<const templates::Template*> list;
        std::vector<handlers::StatusBoard> boards;
        for (const auto& id : fx.status_of) {
            const auto* t = deps.templates.find(id);
            if (t == nullptr) {
                continue;
            }
            auto board =
                scheduler::load_board(sched, tx, *t, templates::period_for(*t, now, deps.calendar), now);
            if (!board) {
                return board.error();
            }
            list.push_back(t);
            boards.push_back(std::move(*board));
        }
        fx = handlers::status_replies(in, list, boards, ctx);
    }
    // Coordinator actions and leave, in the same transaction as the event.
    const std::string& reply_locale = bot_locale != deps.bot_locales.end() ? bot_locale->second : deps.locale;
    const handlers::Person* person = deps.roster.person(event.user_id);
    const std::string& person_locale =
        person != nullptr && !person->locale.empty() ? person->locale : reply_locale;
    const auto say = [&](std::string text) {
        fx.replies.push_back(
            {std::move(text), event.user_id, person != nullptr ? person->name : event.user_name});
    };
    if (fx.remind && deps.scheduling != nullptr) {
        auto outcome = scheduler::remind_now(*deps.scheduling,
                                             tx,
                                             "chat/" + event.bot_id + "/" + event.chat_id,
                                             fx.remind->templates,
                                             fx.remind->units,
                                             now,
                                             person_locale);
        if (!outcome) {
            return outcome.error();
        }
        for (auto& r : outcome->replies) {
            say(std::move(r));
        }
        out.queued += static_cast<std::size_t>(outcome->queued);
    }
    if (fx.digest && deps.scheduling != nullptr) {
        auto text = scheduler::digest_text(*deps.scheduling, tx, now, person_locale);
        if (!text) {
            return text.error();
        }
        fx.replies.push_back({std::move(*text), "", ""});
    }
    if (fx.leave && person != nullptr) {
        if (fx.leave->end) {
            auto ended = tx.end_leave(person->id, templates::local_date(now, deps.time_zone).iso());
            if (!ended) {
                return ended.error();
            }
            const bool roster_leave =
                std::any_of(person->leave.begin(), person->leave.end(), [&](const handlers::Leave& l) {
                    return l.covers(templates::local_date(now, deps.time_zone));
                });
            if (*ended == 0 && !roster_leave) {
                fx.replies.clear();
                say(handlers::msg(person_locale, "leave_none"));
            }
        } else if (auto added = tx.add_leave(person->id, fx.leave->from, fx.leave->to, now); !added) {
            return added;
        }
    }
    // 4. The report, which gives the replies their number.
    if (fx.submission) {
        const auto& sub = *fx.submission;
        const std::string fields = nlohmann::json(sub.fields).dump();
        std::string number;
        std::string revision;
        if (sub.revises.empty()) {
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
            rec.fields = fields;
            rec.on_time = sub.on_time;
            rec.submitted_at = now;
            auto inserted = tx.insert_report(std::move(rec), sub.year);
            if (!inserted) {
                return inserted.error();
            }
            number = inserted->number;
            revision = "1";
            log::info("conversation")
                .kv("event", "report_submitted")
                .kv("number", number)
                .kv("template", sub.template_id);
        } else {
            auto revised = tx.revise_report(sub.revises, fields, sub.title, now);
            if (!revised) {
                return revised.error();
            }
            number = revised->number;
            revision = std::to_string(revised->revision);
            log::info("conversation")
                .kv("event", "report_revised")
                .kv("number", number)
                .kv("revision", revision);
        }
        for (auto& r : fx.replies) {
            replace_all(r.text, "{number}", number);
            replace_all(r.text, "{revision}", revision);
        }
    }
    // 5. The session's new state.
    if (fx.op == handlers::SessionOp::save) {
        if (auto saved = tx.save_session(key, handlers::to_json(fx.session), now); !saved) {
            return saved;
        }
    } else if (fx.op == handlers::SessionOp::erase) {
        if (auto erased = tx.delete_session(key); !erased) {
            return erased;
        }
    }
    // 6. The replies: rows in the outbox, committed with everything above, or handed back.
    for (auto& r : fx.replies) {
        OutgoingMessage m{event.chat_id, r.mention_user_id, r.mention_name, std::move(r.text), {}, false};
        if (delivery == core::Delivery::outbox) {
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

}  // namespace

store::Work process(const Deps& deps,
                    InboundEvent event,
                    TimePoint now,
                    std::chrono::seconds ttl,
                    core::Delivery delivery,
                    std::shared_ptr<core::EventResult> out) {
    return [&deps, event = std::move(event), now, ttl, delivery, out = std::move(out)](
               store::Tx& tx) -> result<void> {
        // A unit that fails is rolled back alone, so nothing partial of it may leak into `out`.
        core::EventResult attempt;
        auto r = run(deps, event, now, ttl, delivery, attempt, tx);
        if (r) {
            *out = std::move(attempt);
        }
        return r;
    };
}

core::EventProcessor processor(const Deps& deps) {
    return [&deps](InboundEvent event,
                   TimePoint now,
                   std::chrono::seconds ttl,
                   core::Delivery delivery,
                   std::shared_ptr<core::EventResult> out) {
        return process(deps, std::move(event), now, ttl, delivery, std::move(out));
    };
}

}  // namespace bot::conversation
