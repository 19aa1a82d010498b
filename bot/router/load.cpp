#include "bot/router/load.hpp"

#include "bot/core/log.hpp"
#include "bot/usecases/bindings.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/rankings.hpp"
#include "bot/usecases/reports.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

namespace bot::router::load {

namespace {

/// One overload per kind of read a command declares (handlers::read::*), each filling its part of
/// `Reads` in the event's transaction; a read the use cases also serve goes through them.
struct Reader {
    const Deps& deps;
    store::Tx& tx;
    const handlers::Plan& plan;
    TimePoint now;
    handlers::Reads& out;
    std::optional<usecase::Deps> fallback{};

    /// What the use cases read with: the router's, or (a bare router: tests, tools) one made of its
    /// own, only then.
    const usecase::Deps& services() {
        if (deps.usecases != nullptr) {
            return *deps.usecases;
        }
        if (!fallback) {
            fallback.emplace(deps.templates, deps.roster, deps.calendar);
        }
        return *fallback;
    }

    result<void> operator()(const handlers::read::Report& r) {
        auto found = usecase::find_report(tx, r.number, r.history);
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

    /// The boards as the scheduler sees them (reports and leave), so 进度 and reminders agree; only
    /// the units the sender sees.
    result<void> operator()(const handlers::read::Boards& r) {
        std::vector<const templates::Template*> list;
        for (const auto& id : r.templates) {
            if (const auto* t = deps.templates.find(id)) {
                list.push_back(t);
            }
        }
        auto found = usecase::boards(services(), tx, plan.person, list, now);
        if (!found) {
            return found.error();
        }
        for (auto& b : *found) {
            out.boards.push_back(std::move(b.board));
        }
        return {};
    }

    /// A coordinator with a scope reads the digest of their units (周报), as 进度 and 审核.
    result<void> operator()(const handlers::read::Digest& /*r*/) {
        if (deps.usecases == nullptr) {
            return {};  // no scheduler composes it (a bare router): 周报 says so
        }
        auto doc = usecase::digest_doc(*deps.usecases, tx, now, plan.locale, plan.person);
        if (!doc) {
            return doc.error();
        }
        out.digest = std::move(*doc);
        return {};
    }

    result<void> operator()(const handlers::read::OpenLeave& /*r*/) {
        if (plan.person == nullptr) {
            return {};
        }
        const auto today = templates::local_date(now, deps.settings.time_zone).iso();
        auto open = tx.leaves().open_count(plan.person->id, today);
        if (!open) {
            return open.error();
        }
        out.open_leaves = *open;
        return {};
    }

    result<void> operator()(const handlers::read::Waiting& /*r*/) {
        if (plan.person == nullptr || !plan.person->coordinates()) {
            return {};
        }
        auto found = usecase::waiting(services(), tx, plan.person, handlers::kWaitingListed);
        if (!found) {
            return found.error();
        }
        out.waiting = std::move(*found);
        return {};
    }

    /// 排名: the window's figures per unit the sender is compared with, ordered, with their marks.
    result<void> operator()(const handlers::read::Ranking& r) {
        if (!r.window.unknown.empty()) {
            return {};  // named no template: show() says so
        }
        auto found = usecase::rankings(services(), tx, plan.person, r.window);
        if (!found) {
            return found.error();
        }
        out.ranking = std::move(found->rows);
        out.ranking_quality = std::move(found->quality);
        return {};
    }

    result<void> operator()(const handlers::read::Binding& r) {
        if (r.id == 0) {
            auto pending = usecase::pending_bindings(tx, handlers::kPendingBindingsListed);
            if (!pending) {
                return pending.error();
            }
            out.pending_bindings = std::move(*pending);
            return {};
        }
        auto found = usecase::find_binding(tx, r.id);
        if (!found) {
            return found.error();
        }
        out.binding = std::move(*found);
        return {};
    }

    /// 新: the earlier reports sharing the most LSH bands (`keys`, sorted) with a draft.
    result<void> operator()(const handlers::read::Similar& r) {
        auto found = tx.reports().similar(r.keys, r.exclude, handlers::quality::kCandidates);
        if (!found) {
            return found.error();
        }
        out.similar.clear();
        for (auto& s : *found) {
            if (auto sig = handlers::quality::from_blob(s.exact, s.minhash)) {
                out.similar.push_back({std::move(s.number), std::move(s.title), std::move(s.unit_id), *sig});
            }
        }
        out.similar_keys = r.keys;
        return {};
    }

    /// 范文 of a template, among the units the sender is compared with.
    result<void> operator()(const handlers::read::Exemplars& r) {
        out.exemplars_of = r.template_id;
        if (r.template_id.empty()) {
            return {};
        }
        auto found =
            usecase::exemplars(services(), tx, plan.person, r.template_id, handlers::kExemplarsListed);
        if (!found) {
            return found.error();
        }
        out.exemplars = std::move(*found);
        return {};
    }

    result<void> operator()(const handlers::read::Mine& r) {
        if (plan.person == nullptr) {
            return {};
        }
        auto found = usecase::mine(tx, plan.person->id, r.since, handlers::kMineListed);
        if (!found) {
            return found.error();
        }
        out.mine = std::move(*found);
        return {};
    }
};

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
    handlers::Reads out;
    Reader reader{deps, tx, plan, now, out};
    for (const auto& r : plan.needs.list) {
        if (auto done = std::visit(reader, r); !done) {
            return done.error();
        }
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
    Reader reader{deps, tx, plan, TimePoint{}, reads};  // 新 and 范文 do not depend on the time
    if (auto r = reader(handlers::read::Similar{{keys.begin(), keys.end()}, fx.similar_exclude}); !r) {
        return result<bool>(boost::system::in_place_error, r.error());
    }
    const auto* t = deps.templates.find(fx.similar_template);
    if (t != nullptr && t->quality.hints && reads.exemplars_of != t->id) {
        if (auto r = reader(handlers::read::Exemplars{t->id}); !r) {
            return result<bool>(boost::system::in_place_error, r.error());
        }
    }
    return true;
}

}  // namespace bot::router::load
