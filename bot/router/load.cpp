#include "bot/router/load.hpp"

#include "bot/core/log.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

namespace bot::router::load {

handlers::StoredReport to_stored(const store::ReportRecord& r) {
    handlers::StoredReport s{.number = r.number,
                             .template_id = r.template_id,
                             .template_version = r.template_version,
                             .author_id = r.author_id,
                             .status = r.status,
                             .revision = r.revision,
                             .fields = {},
                             .unit_id = r.unit_id,
                             .author_name = r.author_name,
                             .title = r.title,
                             .bot_id = r.bot_id,
                             .chat_id = r.chat_id,
                             .submitted_at = r.submitted_at,
                             .updated_at = r.updated_at,
                             .quality = r.quality};
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

namespace {

result<void> report(store::Tx& tx, const handlers::Needs& needs, handlers::Reads& out) {
    auto found = tx.reports().find(needs.report);
    if (!found) {
        return found.error();
    }
    if (*found) {
        out.report = to_stored(**found);
    }
    if (!out.report) {
        return {};
    }
    // Its adoptions: 查看 shows them, 采用 does not count the same one twice.
    auto adopted = tx.reports().adoptions(needs.report);
    if (!adopted) {
        return adopted.error();
    }
    for (const auto& a : *adopted) {
        out.adoptions.push_back({a.level, a.points, a.venue});
    }
    if (needs.history) {
        auto lines = tx.audit().of_target(needs.report, 50);
        if (!lines) {
            return lines.error();
        }
        for (const auto& e : *lines) {
            out.history.push_back({e.at, e.actor_id, e.action, e.after});
        }
    }
    return {};
}

/// 审核: the submitted reports of the sender's scope, oldest first.
result<void> waiting(const Deps& deps, store::Tx& tx, const handlers::Plan& plan, handlers::Reads& out) {
    if (plan.person == nullptr || !plan.person->coordinates()) {
        return {};
    }
    const bool everything = plan.person->role == handlers::Role::admin || plan.person->scope.empty();
    const std::vector<std::string> units =
        everything ? std::vector<std::string>{} : deps.roster.units_in_scope(*plan.person);
    if (!everything && units.empty()) {
        return {};
    }
    auto found = tx.reports().waiting(units, handlers::kWaitingListed);
    if (!found) {
        return found.error();
    }
    for (const auto& r : *found) {
        out.waiting.push_back(to_stored(r));
    }
    return {};
}

/// The boards as the scheduler sees them (reports and leave), so 进度 and reminders agree.
result<void> boards(
    const Deps& deps, store::Tx& tx, const handlers::Needs& needs, TimePoint now, handlers::Reads& out) {
    const scheduler::Deps fallback(deps.templates, deps.roster, deps.calendar);
    const scheduler::Deps& sched = deps.scheduling != nullptr ? *deps.scheduling : fallback;
    for (const auto& id : needs.boards) {
        const auto* t = deps.templates.find(id);
        if (t == nullptr) {
            continue;
        }
        auto board = scheduler::load_board(sched, tx, *t, templates::period_for(*t, now, deps.calendar), now);
        if (!board) {
            return board.error();
        }
        out.boards.push_back(std::move(*board));
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

/// 范文 of template `of` ("?word": none named): a coordinator with a scope learns from their
/// units; everyone else from all of them.
result<void> exemplars(const Deps& deps,
                       store::Tx& tx,
                       const handlers::Plan& plan,
                       const std::string& of,
                       handlers::Reads& out) {
    out.exemplars_of = of;
    if (of.empty() || of[0] == '?') {
        return {};
    }
    const handlers::Person* p = plan.person;
    std::vector<std::string> units;
    const bool all = p == nullptr || p->role != handlers::Role::coordinator || p->scope.empty();
    if (!all) {
        units = deps.roster.units_in_scope(*p);
    }
    auto found = tx.reports().exemplars(of, all, units, handlers::kExemplarsListed);
    if (!found) {
        return found.error();
    }
    out.exemplars.clear();
    for (const auto& r : *found) {
        out.exemplars.push_back(load::to_stored(r));
    }
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
        if (auto r = boards(deps, tx, needs, now, out); !r) {
            return r.error();
        }
    }
    if (needs.digest && deps.scheduling != nullptr) {
        // A coordinator with a scope reads the digest of their units (周报), as 进度 and 审核.
        const handlers::Person* p = plan.person;
        std::optional<std::set<std::string, std::less<>>> scope;
        if (p != nullptr && p->role == handlers::Role::coordinator && !p->scope.empty()) {
            const auto units = deps.roster.units_in_scope(*p);
            scope.emplace(units.begin(), units.end());
        }
        auto doc = scheduler::digest_doc(*deps.scheduling, tx, now, plan.locale, scope ? &*scope : nullptr);
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
        const auto& w = *needs.ranking;
        auto stats = tx.reports().unit_stats(
            w.from, w.to, !w.template_id.empty() && w.template_id[0] == '?' ? "" : w.template_id);
        if (!stats) {
            return stats.error();
        }
        out.ranking = scheduler::figures_of(std::move(*stats));
        auto quality = tx.reports().quality_between(w.from, w.to);
        if (!quality) {
            return quality.error();
        }
        for (const auto& q : *quality) {
            out.ranking_quality.emplace(
                q.unit_id, handlers::quality::UnitMarks{q.reports, q.solid_sum, q.fresh_sum, q.with_figures});
        }
    }
    if (needs.waiting) {
        if (auto r = waiting(deps, tx, plan, out); !r) {
            return r.error();
        }
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
            out.mine.push_back(to_stored(r));
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
