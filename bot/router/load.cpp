#include "bot/router/load.hpp"

#include "bot/core/log.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/rankings.hpp"
#include "bot/usecases/reports.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

namespace bot::router::load {

namespace {

/// What the use cases read with: the router's, or (a bare router: tests, tools) one made of its own
/// in `fallback`, only then.
const usecase::Deps& services(const Deps& router, std::optional<usecase::Deps>& fallback) {
    if (router.usecases != nullptr) {
        return *router.usecases;
    }
    return fallback.emplace(router.templates, router.roster, router.calendar);
}

result<void> report(store::Tx& tx, const handlers::Needs& needs, handlers::Reads& out) {
    auto found = usecase::find_report(tx, needs.report, needs.history);
    if (!found) {
        return found.error();
    }
    if (*found) {
        out.report = std::move((*found)->report);
        out.adoptions = std::move((*found)->adoptions);
        out.history = std::move((*found)->history);
    }
    return {};
}

/// The boards as the scheduler sees them (reports and leave), so 进度 and reminders agree; only the
/// units the sender sees.
result<void> boards(
    const Deps& deps, store::Tx& tx, const handlers::Plan& plan, TimePoint now, handlers::Reads& out) {
    std::vector<const templates::Template*> list;
    for (const auto& id : plan.needs.boards) {
        if (const auto* t = deps.templates.find(id)) {
            list.push_back(t);
        }
    }
    std::optional<usecase::Deps> fallback;
    auto found = usecase::boards(services(deps, fallback), tx, plan.person, list, now);
    if (!found) {
        return found.error();
    }
    for (auto& b : *found) {
        out.boards.push_back(std::move(b.board));
    }
    return {};
}

handlers::StoredBinding to_stored(const store::BindingRecord& b) {
    return {.id = b.id,
            .bot_id = b.bot_id,
            .user_id = b.user_id,
            .user_name = b.user_name,
            .person_id = b.person_id,
            .chat_id = b.chat_id,
            .state = b.state};
}

result<void> bindings(store::Tx& tx, const handlers::Needs& needs, handlers::Reads& out) {
    if (needs.binding != 0) {
        auto found = tx.bindings().find(needs.binding);
        if (!found) {
            return found.error();
        }
        if (*found) {
            out.binding = to_stored(**found);
            // "Already has an account on this bot" holds at the decision, not only at the request.
            auto bound = tx.bindings().account_of(out.binding->bot_id, out.binding->person_id);
            if (!bound) {
                return bound.error();
            }
            out.binding->person_bound_to = bound->value_or("");
        }
    }
    if (needs.pending_bindings) {
        auto pending = tx.bindings().pending(handlers::kPendingBindingsListed);
        if (!pending) {
            return pending.error();
        }
        for (const auto& b : *pending) {
            out.pending_bindings.push_back(to_stored(b));
        }
    }
    return {};
}

/// 新: the earlier reports sharing the most LSH bands (`keys`, sorted) with a draft.
result<void> similar(store::Tx& tx,
                     const std::vector<std::int64_t>& keys,
                     const std::string& exclude,
                     handlers::Reads& out) {
    auto found = tx.reports().similar(keys, exclude, handlers::quality::kCandidates);
    if (!found) {
        return found.error();
    }
    out.similar.clear();
    for (auto& s : *found) {
        if (auto sig = handlers::quality::from_blob(s.exact, s.minhash)) {
            out.similar.push_back({std::move(s.number), std::move(s.title), std::move(s.unit_id), *sig});
        }
    }
    out.similar_keys = keys;
    return {};
}

/// 范文 of template `of` ("?word": none named), among the units the sender is compared with.
result<void> exemplars(const Deps& deps,
                       store::Tx& tx,
                       const handlers::Plan& plan,
                       const std::string& of,
                       handlers::Reads& out) {
    out.exemplars_of = of;
    if (of.empty() || of[0] == '?') {
        return {};
    }
    std::optional<usecase::Deps> fallback;
    auto found =
        usecase::exemplars(services(deps, fallback), tx, plan.person, of, handlers::kExemplarsListed);
    if (!found) {
        return found.error();
    }
    out.exemplars = std::move(*found);
    return {};
}

/// 排名: the window's figures per unit the sender is compared with, ordered, with their marks.
result<void> ranking(const Deps& deps, store::Tx& tx, const handlers::Plan& plan, handlers::Reads& out) {
    handlers::RankingWindow w = *plan.needs.ranking;
    if (!w.template_id.empty() && w.template_id[0] == '?') {
        w.template_id.clear();  // named nothing: show() says so
    }
    std::optional<usecase::Deps> fallback;
    auto found = usecase::rankings(services(deps, fallback), tx, plan.person, w);
    if (!found) {
        return found.error();
    }
    out.ranking = std::move(found->rows);
    out.ranking_quality = std::move(found->quality);
    return {};
}

}  // namespace

result<bool> remember(store::Tx& tx, const InboundEvent& event, TimePoint now, std::chrono::seconds ttl) {
    return tx.events().remember(event.dedupe_key, now, now + ttl);
}

result<std::optional<handlers::Session>> session(store::Tx& tx,
                                                 const store::SessionKey& key,
                                                 const SessionMemo* memo) {
    auto loaded = tx.sessions().load(key);
    if (!loaded) {
        return loaded.error();
    }
    std::optional<handlers::Session> session;
    if (*loaded) {
        if (memo != nullptr) {
            if (auto kept = memo->find(key, **loaded)) {
                return kept;
            }
        }
        session = handlers::session_from_json(**loaded);
        if (!session) {
            log::warn("conversation")
                .kv("event", "unreadable_session")
                .kv("chat", key.chat_id)
                .kv("user", key.user_id);
        }
    }
    return session;
}

result<handlers::Reads> reads(const Deps& deps, store::Tx& tx, const handlers::Plan& plan, TimePoint now) {
    const handlers::Needs& needs = plan.needs;
    handlers::Reads out;
    if (!needs.report.empty()) {
        if (auto r = report(tx, needs, out); !r) {
            return r.error();
        }
    }
    if (!needs.boards.empty()) {
        if (auto r = boards(deps, tx, plan, now, out); !r) {
            return r.error();
        }
    }
    if (needs.digest && deps.usecases != nullptr) {
        // A coordinator with a scope reads the digest of their units (周报), as 进度 and 审核.
        auto doc = usecase::digest_doc(*deps.usecases, tx, now, plan.locale, plan.person);
        if (!doc) {
            return doc.error();
        }
        out.digest = std::move(*doc);
    }
    if (!needs.similar.empty()) {
        if (auto r = similar(tx, needs.similar, needs.similar_exclude, out); !r) {
            return r.error();
        }
    }
    if (!needs.exemplars.empty()) {
        if (auto r = exemplars(deps, tx, plan, needs.exemplars, out); !r) {
            return r.error();
        }
    }
    if (needs.ranking) {
        if (auto r = ranking(deps, tx, plan, out); !r) {
            return r.error();
        }
    }
    if (needs.waiting && plan.person != nullptr && plan.person->coordinates()) {
        std::optional<usecase::Deps> fallback;
        auto found = usecase::waiting(services(deps, fallback), tx, plan.person, handlers::kWaitingListed);
        if (!found) {
            return found.error();
        }
        out.waiting = std::move(*found);
    }
    if (needs.binding != 0 || needs.pending_bindings) {
        if (auto r = bindings(tx, needs, out); !r) {
            return r.error();
        }
    }
    if (needs.mine && plan.person != nullptr) {
        auto found = tx.reports().of_author(plan.person->id, *needs.mine, handlers::kMineListed);
        if (!found) {
            return found.error();
        }
        for (const auto& r : *found) {
            out.mine.push_back(usecase::to_stored(r));
        }
    }
    if (needs.open_leave && plan.person != nullptr) {
        const auto today = templates::local_date(now, deps.settings.time_zone).iso();
        auto open = tx.leaves().open_count(plan.person->id, today);
        if (!open) {
            return open.error();
        }
        out.open_leaves = *open;
    }
    return out;
}

result<bool> similar_wanted(const Deps& deps,
                            store::Tx& tx,
                            const handlers::Plan& plan,
                            const handlers::Effects& fx,
                            handlers::Reads& reads) {
    if (fx.similar_wanted.empty()) {
        return false;
    }
    std::set<std::int64_t> keys(reads.similar_keys.begin(), reads.similar_keys.end());
    keys.insert(fx.similar_wanted.begin(), fx.similar_wanted.end());
    if (auto r = similar(tx, {keys.begin(), keys.end()}, fx.similar_exclude, reads); !r) {
        return result<bool>(boost::system::in_place_error, r.error());
    }
    const auto* t = deps.templates.find(fx.similar_template);
    if (t != nullptr && t->quality.hints && reads.exemplars_of != t->id) {
        if (auto r = exemplars(deps, tx, plan, t->id, reads); !r) {
            return result<bool>(boost::system::in_place_error, r.error());
        }
    }
    return true;
}

}  // namespace bot::router::load
