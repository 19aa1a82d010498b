#include "bot/router/apply.hpp"

#include "bot/usecases/bindings.hpp"
#include "bot/usecases/remind.hpp"
#include "bot/usecases/reports.hpp"
#include "bot/usecases/web.hpp"
#include "templates/periods.hpp"

namespace bot::router::apply {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

/// Puts `value` where `slot` stands in a message: its text, its doc's lines and its buttons' links
/// (a report's number, a sign-in link: known only once the store has them).
void fill(Message& m, std::string_view slot, std::string_view value) {
    replace_all(m.text, slot, value);
    if (!m.doc) {
        return;
    }
    for (auto& section : m.doc->sections) {
        for (auto& line : section.lines) {
            replace_all(line, slot, value);
        }
    }
    for (auto& action : m.doc->actions) {
        replace_all(action.url, slot, value);
    }
}

/// A reply to the sender, @-mentioning them by their roster name when they have one.
void say(handlers::Effects& fx, const Step& step, std::string text) {
    fx.replies.push_back({.mention_user_id = step.event.user_id,
                          .mention_name = step.person != nullptr ? step.person->name : step.event.user_name,
                          .text = std::move(text)});
}

}  // namespace

usecase::Actor actor(const Step& step) {
    return {.person = step.person,
            .id = step.person != nullptr ? step.person->id : step.event.user_id,
            .account = step.event.bot_id + ":" + step.event.user_id,
            .role = step.person == nullptr ? "stranger" : handlers::role_name(step.person->role),
            .request_id = step.event.dedupe_key};
}

namespace {

/// One change of the event, applied with its audit entries: one overload per type of
/// handlers::Change, chosen by the visit in `change` below.
struct Applier {
    const Deps& deps;
    store::Tx& tx;
    const Step& step;
    handlers::Effects& fx;
    core::EventResult& out;

    /// 请假 / 销假 in the leaves table (not audited: a person's own leave).
    result<void> operator()(const handlers::LeaveChange& l) const {
        if (step.person == nullptr) {
            return {};
        }
        if (!l.end) {
            return tx.leaves().add(step.person->id, l.from, l.to, step.now);
        }
        const std::string today = templates::local_date(step.now, deps.settings.time_zone).iso();
        auto ended = l.covering.empty() ? tx.leaves().end(step.person->id, today)
                                        : tx.leaves().end_covering(step.person->id, today, l.covering);
        return ended ? result<void>{} : result<void>{ended.error()};
    }

    /// 催报: the use case's round (scope, rate limit, audit); its summary is the reply.
    result<void> operator()(const handlers::RemindRequest& r) const {
        if (deps.usecases == nullptr) {
            return {};
        }
        const usecase::RemindAsk ask{.templates = r.templates,
                                     .units = r.units,
                                     .limit_scope = "chat/" + step.event.bot_id + "/" + step.event.chat_id,
                                     .audit_target = step.event.chat_id};
        auto outcome = usecase::remind(*deps.usecases, tx, actor(step), ask, step.now, step.locale);
        if (!outcome) {
            return outcome.error();
        }
        for (auto& text : outcome->replies) {
            say(fx, step, std::move(text));
        }
        out.queued += static_cast<std::size_t>(outcome->queued);
        return {};
    }

    /// A new report or a revision (usecase::file_report: numbered, signed for 新, audited); its
    /// number and revision filled into the replies.
    result<void> operator()(const handlers::Submission& sub) const {
        auto filed = usecase::file_report(
            tx, actor(step), sub, step.event.bot_id, std::string(step.form_chat()), step.now);
        if (!filed) {
            return filed.error();
        }
        out.happened.push_back(sub.revises.empty()
                                   ? core::Happened{"report_submitted", filed->number, sub.template_id}
                                   : core::Happened{"report_revised", filed->number, filed->revision});
        const auto fill_number = [&filed](Message& m) {
            fill(m, handlers::kNumberSlot, filed->number);
            fill(m, handlers::kRevisionSlot, filed->revision);
        };
        for (auto& r : fx.replies) {
            fill_number(r);
        }
        // The same receipt sent privately, or to the group of a form filed privately (modes::settle).
        for (auto& c : fx.changes) {
            if (auto* n = std::get_if<handlers::Notice>(&c)) {
                fill_number(n->message);
            }
        }
        return {};
    }

    /// 绑定 姓名 (a new request, its number B<id> filled into the replies) or a coordinator's
    /// decision on a request: the use cases store and audit either.
    result<void> operator()(const handlers::BindingChange& b) const {
        if (b.id != 0) {
            if (auto d = usecase::decide_binding(tx, actor(step), b.id, b.approve, b.person_id, step.now);
                !d) {
                return d;
            }
            out.happened.push_back({b.approve ? "binding_approved" : "binding_refused",
                                    "B" + std::to_string(b.id),
                                    b.person_id});
            return {};
        }
        const store::BindingRecord account{.bot_id = step.event.bot_id,
                                           .user_id = step.event.user_id,
                                           .user_name = step.event.user_name,
                                           .person_id = b.person_id,
                                           .chat_id = step.event.chat_id};
        auto id = usecase::request_binding(tx, actor(step), account, step.now);
        if (!id) {
            return id.error();
        }
        const std::string label = "B" + std::to_string(*id);
        for (auto& r : fx.replies) {
            fill(r, handlers::kBindingSlot, label);
        }
        out.happened.push_back({"binding_requested", label, b.person_id});
        return {};
    }

    /// 通过 / 退回 / 采用 / 撤回: the use case records the decision (status, adoption, audit entry,
    /// the author's notice).
    result<void> operator()(const handlers::ReviewChange& r) const {
        if (r.repeat) {
            return {};
        }
        if (auto d = usecase::record_decision(tx, actor(step), r, step.now); !d) {
            return d;
        }
        out.queued += (r.notice ? 1U : 0U) + (r.news ? 1U : 0U);
        out.happened.push_back({"report_" + r.action, r.number, r.to});
        return {};
    }

    /// 分派: the use case records it (reviewer, notice, audit entry).
    result<void> operator()(const handlers::Assignment& a) const {
        if (auto d = usecase::record_assignment(tx, actor(step), a, step.now); !d) {
            return d;
        }
        out.queued += a.notice ? 1U : 0U;
        out.happened.push_back({"report_assigned", a.number, a.to_id});
        return {};
    }

    /// 网页填报: the link's token stored (hashed) and audited by the use case; the private message
    /// with the link goes through the outbox.
    result<void> operator()(const handlers::SignInRequest& r) const {
        if (deps.usecases == nullptr || step.person == nullptr || deps.settings.web_url.empty()) {
            return {};
        }
        const store::SessionKey chat{step.event.bot_id, std::string(step.form_chat()), step.event.user_id};
        auto token = usecase::issue_sign_in(*deps.usecases, tx, actor(step), step.person->id, chat, step.now);
        if (!token) {
            return token.error();
        }
        Message m = r.message;
        fill(m, handlers::kLinkSlot, deps.settings.web_url + "/app/signin?t=" + *token);
        return (*this)(handlers::Notice{std::move(m)});
    }

    /// A message to another chat, through the outbox.
    result<void> operator()(const handlers::Notice& n) const {
        if (auto queued = tx.outbox().enqueue(store::OutboxMessage{.message = n.message}, step.now);
            !queued) {
            return queued.error();
        }
        ++out.queued;
        return {};
    }
};

}  // namespace

result<void> changes(
    const Deps& deps, store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out) {
    const Applier apply{deps, tx, step, fx, out};
    // A change may add replies (催报's summary): the list of changes itself stays as decided.
    for (const auto& c : fx.changes) {
        if (auto r = std::visit(apply, c); !r) {
            return r;
        }
    }
    return {};
}

result<void> session(store::Tx& tx,
                     const store::SessionKey& key,
                     TimePoint now,
                     const handlers::Effects& fx,
                     SessionMemo* memo) {
    switch (fx.op) {
        case handlers::SessionOp::save: {
            std::string text = handlers::to_json(fx.session);
            if (auto saved = tx.sessions().save(key, text, now); !saved) {
                return saved;
            }
            if (memo != nullptr) {
                memo->keep(key, std::move(text), fx.session);
            }
            return {};
        }
        case handlers::SessionOp::erase:
            if (memo != nullptr) {
                memo->forget(key);
            }
            return tx.sessions().erase(key);
        case handlers::SessionOp::keep:
            break;
    }
    return {};
}

result<void> replies(
    store::Tx& tx, const Step& step, core::ReplyRoute route, handlers::Effects& fx, core::EventResult& out) {
    const InboundEvent& event = step.event;
    for (auto& m : fx.replies) {
        m.bot_id = event.bot_id;
        m.chat_id = event.chat_id;
        if (route == core::ReplyRoute::outbox) {
            const store::OutboxMessage row{
                .message = m, .context = event.reply_context, .queue = event.reply_queue};
            if (auto queued = tx.outbox().enqueue(row, step.now); !queued) {
                return queued.error();
            }
            ++out.queued;
        }
        out.replies.push_back(std::move(m));
    }
    return {};
}

}  // namespace bot::router::apply
