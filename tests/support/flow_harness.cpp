#include "tests/support/flow_harness.hpp"

#include "bot/loaders.hpp"

#include <future>
#include <stdexcept>

namespace bot::test {
namespace {

templates::TemplateSet shipped_templates() {
    auto t = loaders::templates_in(std::string(LIAISON_SOURCE_DIR) + "/templates/data");
    if (!t.errors.empty()) {
        throw std::runtime_error("the shipped templates do not load");
    }
    return std::move(t.set);
}

handlers::Roster demo_roster() {
    auto r = loaders::roster_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/roster.jsonc");
    if (!r.errors.empty()) {
        throw std::runtime_error("the demo roster does not load");
    }
    return std::move(r.roster);
}

}  // namespace

FlowHarness::FlowHarness()
    : now(shanghai(2026, 11, 25, 10, 0)),
      templates(shipped_templates()),
      roster(demo_roster()),
      calendar(loaders::calendar_file(std::string(LIAISON_SOURCE_DIR) + "/seeds/calendar-cn.jsonc").calendar),
      usecases_(templates, roster, &calendar),
      deps_{templates, roster, handlers::default_settings()} {
    deps_.calendar = &calendar;
    deps_.settings.push_bots = {"demo"};  // a webhook bot with a callback_url: it can post unasked
    usecases_.push_bots = {"demo"};
    usecases_.bot_platforms = {{"demo", "webhook"}};
    deps_.usecases = &usecases_;
    deps_.observe = [this](const handlers::Plan& plan, const handlers::Effects& fx) {
        needed = plan.needs;
        last = fx;
        if (const auto* sub = fx.find<handlers::Submission>()) {
            submitted.push_back(*sub);
        }
    };
    store::SqliteOptions options;
    options.path = ":memory:";
    store_ = std::make_unique<store::SqliteStore>(std::move(options));
}

FlowHarness::~FlowHarness() = default;

std::string FlowHarness::user_id_of(const std::string& user) const {
    // A person id: the message comes from their account on the demo bot. Anyone else is a
    // stranger with that user id.
    const handlers::Person* p = roster.person_by_id(user);
    const std::string_view account = p != nullptr ? p->account_on("demo", "webhook") : std::string_view();
    return account.empty() ? user : std::string(account);
}

std::vector<store::OutboxMessage> FlowHarness::take_outbox() {
    std::vector<store::OutboxMessage> out;
    const auto r = in_tx([&](store::Tx& tx) -> result<void> {
        auto rows = tx.outbox().claim_due(now + std::chrono::hours(24 * 365), 1000);
        if (!rows) {
            return rows.error();
        }
        out = std::move(*rows);
        return {};
    });
    if (!r) {
        throw std::runtime_error("cannot read the outbox: " + r.error().message());
    }
    return out;
}

result<void> FlowHarness::in_tx(store::Work work) {
    std::promise<result<void>> done;
    store_->submit(std::move(work), [&done](result<void> r) { done.set_value(r); });
    return done.get_future().get();
}

HttpResponse FlowHarness::api(const std::string& method,
                              const std::string& path,
                              const std::string& body,
                              const std::string& person) {
    api::Deps deps{.usecases = usecases_,
                   .routing = deps_,
                   .tokens = {{"admin", "t-admin", {"admin"}}, {"desk", "t-person", {"admin"}, person}},
                   .digest_chats = {},
                   .locale = locale,
                   .zone = "Asia/Shanghai",
                   .reload_roster = {}};
    HttpRequest req;
    req.method = method;
    req.target = path;
    const auto q = path.find('?');
    req.path = path.substr(0, q);
    req.query = q == std::string::npos ? "" : path.substr(q + 1);
    req.headers.emplace_back("authorization", person.empty() ? "Bearer t-admin" : "Bearer t-person");
    req.headers.emplace_back("content-type", "application/json");
    req.body = body;
    req.request_id = "api-" + std::to_string(++seq_);
    const core::ApiCall call = api::handler(deps)(req, now);
    if (call.immediate) {
        return *call.immediate;
    }
    if (auto r = in_tx(call.work); !r) {
        throw std::runtime_error("the API's unit of work failed: " + r.error().message());
    }
    return *call.response;
}

std::string FlowHarness::say_privately(const std::string& user, const std::string& text) {
    direct_ = true;
    return say(user, text, "dm-" + user_id_of(user));
}

std::string FlowHarness::post_form(const std::string& user, FormPost form, const std::string& chat) {
    form_ = std::move(form);
    return say(user, "", chat);
}

std::string FlowHarness::file_weekly(const std::string& user, const std::string& title) {
    say(user, "填报 工作进度周报");
    for (const std::string& m : {title,
                                 std::string("60%"),
                                 std::string("推进中"),
                                 std::string("完成土建,启动安装"),
                                 std::string("跳过")}) {
        say(user, m);
    }
    const std::string done = say(user, "提交");
    const auto at = done.find("R-2026-");
    return at == std::string::npos ? "" : done.substr(at, 11);
}

std::string FlowHarness::say(const std::string& user,
                             const std::string& text,
                             const std::string& chat,
                             bool addressed,
                             std::vector<std::string> attachments) {
    const handlers::Person* p = roster.person_by_id(user);
    InboundEvent e;
    e.bot_id = "demo";
    e.platform = "webhook";
    e.chat_id = chat;
    e.user_id = user_id_of(user);
    e.user_name = p != nullptr ? p->name : user;
    e.text = text;
    e.dedupe_key = "harness-" + std::to_string(++seq_);
    e.received_at = now;
    e.addressed = addressed;
    e.attachments = std::move(attachments);
    e.form = std::exchange(form_, std::nullopt);
    e.direct = std::exchange(direct_, false);
    deps_.settings.locale = locale;
    last = {};
    needed = {};
    auto out = std::make_shared<core::EventResult>();
    if (auto r = in_tx(
            router::process(deps_, e, now, std::chrono::hours(24), core::ReplyRoute::inline_reply, out));
        !r) {
        throw std::runtime_error("the unit of work failed: " + r.error().message());
    }
    committed = *out;
    std::string joined;
    for (const auto& m : committed.replies) {
        // Only a decision (a binding, a review) made in the chat of the one it concerns answers
        // someone else: them.
        if (m.mention_user_id != e.user_id && !m.mention_user_id.empty() &&
            last.find<handlers::BindingChange>() == nullptr &&
            last.find<handlers::ReviewChange>() == nullptr) {
            throw std::runtime_error("a reply that @-mentions someone else than the sender");
        }
        joined += (joined.empty() ? "" : "\n---\n") + m.text;
    }
    return joined;
}

const handlers::Session* FlowHarness::session(const std::string& user, const std::string& chat) {
    std::optional<std::string> state;
    const store::SessionKey key{"demo", chat, user_id_of(user)};
    auto r = in_tx([&](store::Tx& tx) -> result<void> {
        auto loaded = tx.sessions().load(key);
        if (!loaded) {
            return loaded.error();
        }
        state = *loaded;
        return {};
    });
    if (!r) {
        throw std::runtime_error("cannot read the session: " + r.error().message());
    }
    session_.reset();
    if (state) {
        session_ = handlers::session_from_json(*state);
    }
    return session_ ? &*session_ : nullptr;
}

}  // namespace bot::test
