#include "tests/support/flow_harness.hpp"

#include <stdexcept>

namespace bot::test {

FlowHarness::FlowHarness() : now(shanghai(2026, 11, 25, 10, 0)) {
    auto t = templates::load_directory(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
    auto r = handlers::load_roster_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/roster.jsonc");
    if (!t.errors.empty() || !r.errors.empty()) {
        throw std::runtime_error("shipped templates or roster do not load");
    }
    templates = std::move(t.set);
    roster = std::move(r.roster);
    calendar =
        templates::load_calendar_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc").calendar;
}

std::string FlowHarness::say(const std::string& user,
                             const std::string& text,
                             const std::string& chat,
                             bool addressed,
                             std::vector<std::string> attachments) {
    const handlers::Person* p = roster.person(user);
    const handlers::Incoming in{
        chat, user, p != nullptr ? p->name : user, text, addressed, std::move(attachments)};
    const std::string key = chat + "|" + user;
    std::optional<handlers::Session> s;
    if (auto it = sessions.find(key); it != sessions.end()) {
        // Through JSON, as the store keeps it.
        s = handlers::session_from_json(handlers::to_json(it->second));
    }
    handlers::FlowContext ctx{now, templates, roster, locale};
    ctx.calendar = &calendar;
    const handlers::Plan plan = handlers::plan(in, s, ctx);
    needed = plan.needs;
    last = handlers::decide(plan, s, handlers::Reads{}, ctx);
    if (last.submission) {
        submitted.push_back(*last.submission);
    }
    if (last.op == handlers::SessionOp::save) {
        sessions[key] = last.session;
    } else if (last.op == handlers::SessionOp::erase) {
        sessions.erase(key);
    }
    std::string out;
    for (const auto& r : last.replies) {
        if (r.mention_user_id != user) {
            throw std::runtime_error("a reply that does not @-mention the officer it is for");
        }
        out += (out.empty() ? "" : "\n---\n") + r.text;
    }
    return out;
}

const handlers::Session* FlowHarness::session(const std::string& user, const std::string& chat) const {
    const auto it = sessions.find(chat + "|" + user);
    return it == sessions.end() ? nullptr : &it->second;
}

}  // namespace bot::test
