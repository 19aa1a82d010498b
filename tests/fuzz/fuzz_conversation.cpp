// The conversation, pure: up to 16 messages (separated by the byte 0x1E; each message's first byte
// picks the sender) through handlers::plan and handlers::decide with the shipped templates and the
// demo roster, the session kept between them as the store keeps it (JSON). This reaches the
// command table, the form, the one-shot "label: value" parser and every field validator.
#include "bot/core/unicode.hpp"
#include "bot/loaders.hpp"
#include "handlers/commands.hpp"
#include "handlers/session.hpp"
#include "handlers/status.hpp"
#include "tests/fuzz/fuzz.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace {

using namespace bot;

struct World {
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    World() {
        auto t = loaders::templates_in(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
        auto r = loaders::roster_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/roster.jsonc");
        if (!t.errors.empty() || !r.errors.empty()) {
            throw std::runtime_error("the shipped templates or the demo roster do not load");
        }
        templates = std::move(t.set);
        roster = std::move(r.roster);
        calendar =
            loaders::calendar_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc").calendar;
    }
};

const World& world() {
    static const World w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const World& w = world();
    const char* const users[] = {"u-zhangsan", "u-sunhong", "u-qianqi", "stranger"};
    std::map<std::string, handlers::Session> sessions;
    TimePoint now{std::chrono::seconds(1'795'000'000)};
    const std::string_view input = fuzz_bytes(data, size);
    std::size_t start = 0;
    for (int n = 0; n < 16 && start < input.size(); ++n) {
        const auto end = std::min(input.find('\x1e', start), input.size());
        const std::string_view message = input.substr(start, end - start);
        start = end + 1;
        if (message.empty()) {
            continue;
        }
        const std::string user = users[static_cast<unsigned char>(message[0]) % 4];
        handlers::Incoming in{
            "demo-group", user, user, unicode::clean(message.substr(1)), true, {}, false, "demo", "webhook"};
        std::optional<handlers::Session> stored;
        if (auto it = sessions.find(user); it != sessions.end()) {
            stored = handlers::session_from_json(handlers::to_json(it->second));
            LIAISON_FUZZ_CHECK(stored.has_value());
        }
        handlers::FlowContext ctx{now, w.templates, w.roster, "zh-CN"};
        ctx.calendar = &w.calendar;
        const handlers::Plan plan = handlers::plan(in, stored, ctx);
        handlers::Reads reads;  // as the router reads them: nothing stored yet
        reads.digest = Doc{.title = "【周报】"};
        const auto* boards = plan.needs.find<handlers::read::Boards>();
        for (const auto& id : boards != nullptr ? boards->templates : std::vector<std::string>{}) {
            reads.boards.push_back(handlers::status_board(*w.templates.find(id), w.roster, {}, {}));
        }
        const handlers::Effects fx = handlers::decide(plan, stored, reads, ctx);
        for (const auto& r : fx.replies) {
            // Everything said is clean text, but for the number slots the router fills in.
            std::string said = r.text;
            for (const auto slot : {handlers::kNumberSlot, handlers::kRevisionSlot}) {
                for (auto pos = said.find(slot); pos != std::string::npos; pos = said.find(slot)) {
                    said.erase(pos, slot.size());
                }
            }
            LIAISON_FUZZ_CHECK(unicode::is_clean(said));
        }
        if (fx.op == handlers::SessionOp::save) {
            const auto* t = w.templates.find(fx.session.template_id);
            LIAISON_FUZZ_CHECK(fx.session.stage == handlers::Stage::choosing || t != nullptr);
            LIAISON_FUZZ_CHECK(t == nullptr || fx.session.field_index <= t->fields.size());
            sessions[user] = fx.session;
        } else if (fx.op == handlers::SessionOp::erase) {
            sessions.erase(user);
        }
        now += std::chrono::minutes(3);
    }
    return 0;
}
