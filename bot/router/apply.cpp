#include "bot/router/apply.hpp"

#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

namespace bot::router::apply {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

/// A reply to the sender, @-mentioning them by their roster name when they have one.
void say(handlers::Effects& fx, const Step& step, std::string text) {
    fx.replies.push_back({.mention_user_id = step.event.user_id,
                          .mention_name = step.person != nullptr ? step.person->name : step.event.user_name,
                          .text = std::move(text)});
}

store::ReportRecord record_of(const handlers::Submission& sub, const Step& step) {
    return {.template_id = sub.template_id,
            .template_version = sub.template_version,
            .period_key = sub.period_key,
            .unit_id = sub.unit_id,
            .author_id = sub.author_id,
            .author_name = sub.author_name,
            .bot_id = step.event.bot_id,
            .chat_id = step.event.chat_id,
            .title = sub.title,
            .fields = nlohmann::json(sub.fields).dump(),
            .status = sub.status,
            .on_time = sub.on_time,
            .submitted_at = step.now,
            .quality = sub.quality};
}

}  // namespace

result<void> leave(const Deps& deps, store::Tx& tx, const Step& step, const handlers::Effects& fx) {
    if (!fx.leave || step.person == nullptr) {
        return {};
    }
    if (!fx.leave->end) {
        return tx.leaves().add(step.person->id, fx.leave->from, fx.leave->to, step.now);
    }
    const std::string today = templates::local_date(step.now, deps.settings.time_zone).iso();
    auto ended = fx.leave->covering.empty()
                     ? tx.leaves().end(step.person->id, today)
                     : tx.leaves().end_covering(step.person->id, today, fx.leave->covering);
    return ended ? result<void>{} : result<void>{ended.error()};
}

result<void> remind(
    const Deps& deps, store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out) {
    if (!fx.remind || deps.scheduling == nullptr) {
        return {};
    }
    auto outcome = scheduler::remind_now(*deps.scheduling,
                                         tx,
                                         "chat/" + step.event.bot_id + "/" + step.event.chat_id,
                                         fx.remind->templates,
                                         fx.remind->units,
                                         step.now,
                                         step.locale);
    if (!outcome) {
        return outcome.error();
    }
    for (auto& r : outcome->replies) {
        say(fx, step, std::move(r));
    }
    out.queued += static_cast<std::size_t>(outcome->queued);
    return {};
}

result<void> report(store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out) {
    if (!fx.submission) {
        return {};
    }
    const auto& sub = *fx.submission;
    std::string number;
    std::string revision;
    if (sub.revises.empty()) {
        auto inserted = tx.reports().insert(record_of(sub, step), sub.year);
        if (!inserted) {
            return inserted.error();
        }
        number = inserted->number;
        revision = "1";
        out.happened.push_back({"report_submitted", number, sub.template_id});
    } else {
        auto revised = tx.reports().revise(
            sub.revises, nlohmann::json(sub.fields).dump(), sub.title, step.now, sub.status, sub.quality);
        if (!revised) {
            return revised.error();
        }
        number = revised->number;
        revision = std::to_string(revised->revision);
        out.happened.push_back({"report_revised", number, revision});
    }
    if (!sub.signature.empty()) {
        const auto bands = handlers::quality::band_keys(sub.signature);
        if (auto signed_ = tx.reports().set_signature(
                number, sub.signature.exact, handlers::quality::to_blob(sub.signature), bands);
            !signed_) {
            return signed_;
        }
    }
    for (auto& r : fx.replies) {
        replace_all(r.text, handlers::kNumberSlot, number);
        replace_all(r.text, handlers::kRevisionSlot, revision);
    }
    return {};
}

result<void> binding(store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out) {
    if (fx.binding) {
        const auto& b = *fx.binding;
        if (b.id == 0) {
            const store::BindingRecord record{.bot_id = step.event.bot_id,
                                              .user_id = step.event.user_id,
                                              .user_name = step.event.user_name,
                                              .person_id = b.person_id,
                                              .chat_id = step.event.chat_id,
                                              .state = "pending"};
            auto id = tx.bindings().request(record, step.now);
            if (!id) {
                return id.error();
            }
            const std::string label = "B" + std::to_string(*id);
            for (auto& r : fx.replies) {
                replace_all(r.text, handlers::kBindingSlot, label);
            }
            out.happened.push_back({"binding_requested", label, b.person_id});
        } else {
            const std::string by = step.person != nullptr ? step.person->id : step.event.user_id;
            auto decided = tx.bindings().decide(b.id, b.approve ? "approved" : "refused", by, step.now);
            if (!decided) {
                return decided.error();
            }
            out.happened.push_back({b.approve ? "binding_approved" : "binding_refused",
                                    "B" + std::to_string(b.id),
                                    b.person_id});
        }
    }
    return {};
}

result<void> decision(store::Tx& tx, const handlers::ReviewChange& r, const std::string& by, TimePoint now) {
    if (r.repeat) {
        return {};
    }
    if (r.action == "adopted") {
        const store::Adoption adoption{
            .level = r.level, .points = r.points, .venue = r.venue, .adopted_by = by, .adopted_at = now};
        if (auto a = tx.reports().adopt(r.number, adoption); !a) {
            return a;
        }
    }
    auto moved = tx.reports().set_status(r.number, r.from, r.to, now);
    if (!moved) {
        return moved.error();
    }
    if (!*moved) {
        return errc::store_failure;  // changed since it was read in this very unit: cannot happen
    }
    return {};
}

std::string review_audit_after(const handlers::ReviewChange& r) {
    if (!r.comment.empty()) {
        return r.comment;
    }
    if (!r.level.empty()) {
        return r.level + (r.venue.empty() ? "" : " " + r.venue);
    }
    return r.to;
}

result<void> review(store::Tx& tx, const Step& step, const handlers::Effects& fx, core::EventResult& out) {
    if (!fx.review || fx.review->repeat) {
        return {};
    }
    const auto& r = *fx.review;
    if (auto d = decision(tx, r, step.person != nullptr ? step.person->id : "", step.now); !d) {
        return d;
    }
    out.happened.push_back({"report_" + r.action, r.number, r.to});
    return {};
}

result<void> notices(store::Tx& tx, const Step& step, const handlers::Effects& fx, core::EventResult& out) {
    for (const auto& m : fx.notices) {
        if (auto queued = tx.outbox().enqueue(store::OutboxMessage{.message = m}, step.now); !queued) {
            return queued.error();
        }
        ++out.queued;
    }
    return {};
}

namespace {

const char* role_of(const handlers::Person* p) {
    return p == nullptr ? "stranger" : handlers::role_name(p->role);
}

}  // namespace

result<void> audit(store::Tx& tx,
                   const Step& step,
                   const handlers::Effects& fx,
                   const core::EventResult& out) {
    const auto entry = [&](std::string action, std::string target, std::string before, std::string after) {
        return store::AuditEntry{.at = step.now,
                                 .actor_id = step.person != nullptr ? step.person->id : step.event.user_id,
                                 .actor_account = step.event.bot_id + ":" + step.event.user_id,
                                 .role = role_of(step.person),
                                 .action = std::move(action),
                                 .target = std::move(target),
                                 .before = std::move(before),
                                 .after = std::move(after),
                                 .request_id = step.event.dedupe_key};
    };
    std::vector<store::AuditEntry> entries;
    for (const auto& h : out.happened) {
        if (h.event == "report_submitted") {
            entries.push_back(
                entry("report.submitted", h.number, "", fx.submission ? fx.submission->status : ""));
        } else if (h.event == "report_revised") {
            entries.push_back(entry("report.resubmitted", h.number, "", "revision " + h.detail));
        } else if (h.event == "binding_requested" || h.event == "binding_approved" ||
                   h.event == "binding_refused") {
            entries.push_back(entry("binding." + h.event.substr(8), h.number, "", "person " + h.detail));
        }
    }
    if (fx.review && !fx.review->repeat) {
        const auto& r = *fx.review;
        entries.push_back(entry("report." + r.action, r.number, r.from, review_audit_after(r)));
    }
    if (fx.remind) {
        entries.push_back(
            entry("remind.manual", step.event.chat_id, "", std::to_string(out.queued) + " queued"));
    }
    for (const auto& e : entries) {
        if (auto appended = tx.audit().append(e); !appended) {
            return appended.error();
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
