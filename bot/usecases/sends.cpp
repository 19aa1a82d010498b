#include "bot/usecases/sends.hpp"

#include "bot/core/log.hpp"

#include <map>
#include <memory>

namespace bot::usecase {
namespace {

handlers::ReminderContext plain_context(const Deps& deps) {
    return {deps.roster,
            deps.coordinator_chats,
            deps.locale,
            [&deps](std::string_view bot) { return deps.bot_locale(bot); },
            [&deps](std::string_view bot) { return deps.direct_bots.count(bot) > 0; },
            [&deps](std::string_view bot) {
                const auto it = deps.bot_platforms.find(bot);
                return it == deps.bot_platforms.end() ? std::string() : it->second;
            }};
}

/// Accounts bound in chat (绑定), "person\x1fbot" → user id: reminders @-mention them.
using BoundAccounts = std::map<std::string, std::string, std::less<>>;

result<std::shared_ptr<const BoundAccounts>> bound_accounts(store::Tx& tx) {
    auto approved = tx.bindings().approved();
    if (!approved) {
        return approved.error();
    }
    auto out = std::make_shared<BoundAccounts>();
    for (const auto& b : *approved) {
        out->emplace(b.person_id + '\x1f' + b.bot_id, b.user_id);
    }
    return std::shared_ptr<const BoundAccounts>(std::move(out));
}

void log_not_queued(const handlers::Send& s, bool skip) {
    if (skip) {
        log::warn("scheduler")
            .kv("event", "send_skipped")
            .kv("key", s.key)
            .kv("reason", "past catch-up window");
        return;
    }
    log::warn("scheduler")
        .kv("event", "send_unroutable")
        .kv("key", s.key)
        .kv("bot", s.message.bot_id)
        .kv("reason", "the bot cannot post unasked (webhook without callback_url?)");
}

}  // namespace

result<handlers::ReminderContext> reminder_context(const Deps& deps, store::Tx& tx) {
    if (!deps.bound_accounts) {
        return plain_context(deps);
    }
    auto bound = bound_accounts(tx);
    if (!bound) {
        return bound.error();
    }
    handlers::ReminderContext ctx = plain_context(deps);
    if (!(*bound)->empty()) {
        ctx.bound_account = [bound = *bound](std::string_view person, std::string_view bot) {
            const auto it = bound->find(std::string(person) + '\x1f' + std::string(bot));
            return it == bound->end() ? std::string() : it->second;
        };
    }
    return ctx;
}

result<void> queue_sends(const Deps& deps,
                         store::Tx& tx,
                         const std::vector<handlers::Send>& sends,
                         bool skip,
                         TimePoint due,
                         TimePoint now,
                         SendCounts& counts) {
    for (const auto& s : sends) {
        const bool routable = deps.push_bots.count(s.message.bot_id) > 0;
        const char* state = skip ? "skipped" : routable ? "sent" : "unroutable";
        auto fresh = tx.schedule().decide_send(s.key, state, due, now, skip || !routable ? 0 : 1);
        if (!fresh) {
            return fresh.error();
        }
        if (!*fresh) {
            continue;  // decided before: by an earlier tick, a restart, or another process
        }
        if (skip || !routable) {
            ++(skip ? counts.skipped : counts.unroutable);
            log_not_queued(s, skip);
            continue;
        }
        if (auto queued = tx.outbox().enqueue({.message = s.message}, now); !queued) {
            return queued.error();
        }
        ++counts.queued;
    }
    return {};
}

result<int> post_to(const Deps& deps,
                    store::Tx& tx,
                    const std::vector<handlers::ChatTarget>& chats,
                    const std::string& key_prefix,
                    const std::function<Doc(std::string_view locale)>& doc,
                    TimePoint now) {
    std::vector<handlers::Send> sends;
    for (const auto& c : chats) {
        sends.push_back({key_prefix + "/" + c.bot + "/" + c.chat,
                         with_doc({.chat_id = c.chat, .bot_id = c.bot}, doc(deps.bot_locale(c.bot)))});
    }
    SendCounts counts;
    if (auto d = queue_sends(deps, tx, sends, false, now, now, counts); !d) {
        return d.error();
    }
    return counts.queued;
}

}  // namespace bot::usecase
