#include "bot/usecases/bindings.hpp"

#include "handlers/binding.hpp"

namespace bot::usecase {
namespace {

handlers::StoredBinding to_stored(const store::BindingRecord& b) {
    return {.id = b.id,
            .bot_id = b.bot_id,
            .user_id = b.user_id,
            .user_name = b.user_name,
            .person_id = b.person_id,
            .chat_id = b.chat_id,
            .state = b.state};
}

std::string label(std::int64_t id) {
    return "B" + std::to_string(id);
}

}  // namespace

result<std::optional<handlers::StoredBinding>> find_binding(store::Tx& tx, std::int64_t id) {
    auto found = tx.bindings().find(id);
    if (!found) {
        return found.error();
    }
    if (!*found) {
        return std::optional<handlers::StoredBinding>{};
    }
    handlers::StoredBinding b = to_stored(**found);
    // "Already has an account on this bot" holds at the decision, not only at the request.
    auto bound = tx.bindings().account_of(b.bot_id, b.person_id);
    if (!bound) {
        return bound.error();
    }
    b.person_bound_to = bound->value_or("");
    return std::optional<handlers::StoredBinding>{std::move(b)};
}

result<std::vector<handlers::StoredBinding>> pending_bindings(store::Tx& tx, std::size_t limit) {
    auto pending = tx.bindings().pending(limit);
    if (!pending) {
        return pending.error();
    }
    std::vector<handlers::StoredBinding> out;
    for (const auto& b : *pending) {
        out.push_back(to_stored(b));
    }
    return out;
}

result<std::int64_t> request_binding(store::Tx& tx,
                                     const Actor& actor,
                                     const store::BindingRecord& account,
                                     TimePoint now) {
    store::BindingRecord record = account;
    record.state = "pending";
    auto id = tx.bindings().request(record, now);
    if (!id) {
        return id.error();
    }
    auto audited = tx.audit().append(
        actor.entry(now, "binding.requested", label(*id), "", "person " + record.person_id));
    if (!audited) {
        return audited.error();
    }
    return *id;
}

result<void> decide_binding(store::Tx& tx,
                            const Actor& actor,
                            std::int64_t id,
                            bool approve,
                            const std::string& person_id,
                            TimePoint now) {
    auto decided = tx.bindings().decide(id, approve ? "approved" : "refused", actor.id, now);
    if (!decided) {
        return decided.error();
    }
    auto audited = tx.audit().append(actor.entry(
        now, approve ? "binding.approved" : "binding.refused", label(id), "", "person " + person_id));
    return audited ? result<void>{} : result<void>{audited.error()};
}

result<BindingDecided> decide_binding_request(const handlers::FlowContext& ctx,
                                              store::Tx& tx,
                                              const Actor& actor,
                                              std::int64_t id,
                                              bool approve,
                                              std::string_view locale) {
    auto found = find_binding(tx, id);
    if (!found) {
        return found.error();
    }
    if (!*found || actor.person == nullptr) {
        return BindingDecided{.line = handlers::msg(locale, "bind.not_found", {{"binding", label(id)}})};
    }
    const auto bot_locale = ctx.settings.bot_locales.find((*found)->bot_id);
    const std::string_view notice_locale = bot_locale != ctx.settings.bot_locales.end()
                                               ? std::string_view(bot_locale->second)
                                               : ctx.settings.locale;
    auto d = handlers::binding::rule(ctx, *actor.person, **found, approve, locale, notice_locale);
    BindingDecided out{.line = handlers::msg(locale, d.key, d.args), .decided = d.change.has_value()};
    if (!d.change) {
        return out;
    }
    if (auto recorded = decide_binding(tx, actor, id, approve, d.change->person_id, ctx.now); !recorded) {
        return recorded.error();
    }
    Message m = std::move(*d.notice);
    m.bot_id = (*found)->bot_id;
    m.chat_id = (*found)->chat_id;
    auto queued = tx.outbox().enqueue(store::OutboxMessage{.message = std::move(m)}, ctx.now);
    if (!queued) {
        return queued.error();
    }
    return out;
}

}  // namespace bot::usecase
