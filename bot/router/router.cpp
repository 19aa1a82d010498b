#include "bot/router/router.hpp"

#include "bot/core/unicode.hpp"
#include "bot/router/apply.hpp"
#include "bot/router/load.hpp"
#include "bot/router/pages.hpp"
#include "handlers/commands.hpp"

namespace bot::router {
namespace {

handlers::Incoming incoming(const InboundEvent& e) {
    handlers::Incoming in{e.chat_id,
                          e.user_id,
                          e.user_name,
                          e.text,
                          e.addressed,
                          e.attachments,
                          e.too_long,
                          e.bot_id,
                          e.platform};
    in.form = e.form;
    in.direct = e.direct;
    return in;
}

/// What load and decide made of a message: its plan, the effects to apply, and the key its session
/// is kept under (the person's private conversation for a form that goes on privately).
struct Decided {
    handlers::Plan plan;
    handlers::Effects fx;
    store::SessionKey key;
};

/// Load (the session, the bound account, what the command row declares) and decide (pure).
result<Decided> load_and_decide(const Deps& deps, const InboundEvent& event, TimePoint now, store::Tx& tx) {
    const handlers::FlowContext ctx = flow_context(deps, event.bot_id, now);
    handlers::Incoming in = incoming(event);
    const store::SessionKey key{event.bot_id, handlers::session_chat(ctx, in), event.user_id};
    auto session = load::session(tx, key, deps.sessions.get());
    if (!session) {
        return session.error();
    }
    // A sender the roster does not know may have been bound to a roster person in chat (绑定):
    // looked up for such senders only, so a rostered officer's message costs no read.
    if (deps.settings.allow_binding && deps.roster.person(in.bot_id, in.platform, in.user_id) == nullptr) {
        auto bound = tx.bindings().person_of(in.bot_id, in.user_id);
        if (!bound) {
            return bound.error();
        }
        in.bound_person = bound->value_or("");
    }
    Decided d{handlers::plan(in, *session, ctx), {}, key};
    auto reads = load::reads(deps, tx, d.plan, now);
    if (!reads) {
        return reads.error();
    }
    d.fx = handlers::decide(d.plan, *session, *reads, ctx);
    // A draft assessed without its earlier reports (a paste, 提交 before any preview): read them,
    // decide again. Once: the second decision's drafts are the same, their keys now read.
    auto again = load::similar_wanted(deps, tx, d.plan, d.fx, *reads);
    if (!again) {
        return again.error();
    }
    if (*again) {
        d.fx = handlers::decide(d.plan, *session, *reads, ctx);
    }
    return d;
}

/// Apply: each effect in the same transaction, the session last.
result<void> apply_effects(const Deps& deps,
                           const apply::Step& step,
                           const store::SessionKey& key,
                           handlers::Effects& fx,
                           core::EventResult& out,
                           store::Tx& tx) {
    // The changes in the order decided (a report's number before the replies that name it), the
    // session last.
    if (auto r = apply::changes(deps, tx, step, fx, out); !r) {
        return r;
    }
    return apply::session(tx, key, step.now, fx, deps.sessions.get());
}

/// load → decide → apply → shape the replies, for one event, inside its unit of work.
result<void> run(const Deps& deps,
                 const InboundEvent& event,
                 TimePoint now,
                 std::chrono::seconds ttl,
                 core::ReplyRoute route,
                 core::EventResult& out,
                 store::Tx& tx) {
    // A platform's retry of an event already committed changes nothing.
    auto fresh = load::remember(tx, event, now, ttl);
    if (!fresh || !*fresh) {
        out.duplicate = fresh && !*fresh;
        return fresh ? result<void>{} : result<void>{fresh.error()};
    }
    // A bot whose replies must fit one push (the WeCom AI bot): 继续 fetches the next waiting page.
    auto page = pages::answer_next(tx, deps.settings, event);
    if (!page) {
        return page.error();
    }
    if (*page) {
        handlers::Effects fx;
        fx.replies.push_back(std::move(**page));
        return apply::replies(tx, apply::Step{event, now, nullptr, deps.settings.locale}, route, fx, out);
    }
    auto decided = load_and_decide(deps, event, now, tx);
    if (!decided) {
        return decided.error();
    }
    auto& [plan, fx, key] = *decided;
    if (deps.observe) {
        deps.observe(plan, fx);
    }
    const apply::Step step{event, now, plan.person, plan.locale, plan.in.chat_id};
    if (auto r = apply_effects(deps, step, key, fx, out, tx); !r) {
        return r;
    }
    if (auto r = pages::shape(tx, deps.settings, event, fx, plan.locale, now); !r) {
        return r;
    }
    return apply::replies(tx, step, route, fx, out);
}

}  // namespace

std::optional<handlers::Session> SessionMemo::find(const store::SessionKey& key,
                                                   std::string_view text) const {
    const std::string k = key.flat();
    const std::lock_guard lock(mutex_);
    const auto it = kept_.find(k);
    if (it == kept_.end() || it->second.text != text) {
        return std::nullopt;
    }
    return it->second.session;
}

void SessionMemo::keep(const store::SessionKey& key, std::string text, const handlers::Session& session) {
    std::string k = key.flat();
    const std::lock_guard lock(mutex_);
    if (auto it = kept_.find(k); it != kept_.end()) {
        it->second = Kept{std::move(text), handlers::as_stored(session)};
        return;
    }
    if (kept_.size() >= kCapacity) {
        kept_.erase(kept_.begin());
    }
    kept_.emplace(std::move(k), Kept{std::move(text), handlers::as_stored(session)});
}

void SessionMemo::forget(const store::SessionKey& key) {
    const std::string k = key.flat();
    const std::lock_guard lock(mutex_);
    kept_.erase(k);
}

handlers::FlowContext flow_context(const Deps& deps, std::string_view bot_id, TimePoint now) {
    const auto& s = deps.settings;
    const auto bot_locale = s.bot_locales.find(bot_id);
    return handlers::FlowContext{now,
                                 deps.templates,
                                 deps.roster,
                                 bot_locale != s.bot_locales.end() ? bot_locale->second : s.locale,
                                 deps.calendar,
                                 s};
}

store::Work process(const Deps& deps,
                    InboundEvent event,
                    TimePoint now,
                    std::chrono::seconds ttl,
                    core::ReplyRoute route,
                    std::shared_ptr<core::EventResult> out) {
    // What people type is cleaned once, here, for every platform and the console: NFC, no
    // controls, no invisible or direction-changing characters (unicode::clean).
    event.text = unicode::clean(event.text);
    event.user_name = unicode::clean(event.user_name);
    if (event.form) {
        for (auto& [id, typed] : event.form->fields) {
            typed = unicode::clean(typed);
        }
    }
    return [&deps, event = std::move(event), now, ttl, route, out = std::move(out)](
               store::Tx& tx) -> result<void> {
        // A unit that fails is rolled back alone, so nothing partial of it may leak into `out`.
        core::EventResult attempt;
        auto r = run(deps, event, now, ttl, route, attempt, tx);
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
                   core::ReplyRoute route,
                   std::shared_ptr<core::EventResult> out) {
        return process(deps, std::move(event), now, ttl, route, std::move(out));
    };
}

}  // namespace bot::router
