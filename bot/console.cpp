// liaison-bot console: the real engine and store, driven from stdin, one message per line.
#include "bot/app.hpp"
#include "bot/config.hpp"
#include "bot/core/log.hpp"
#include "bot/domain.hpp"
#include "bot/router/router.hpp"
#include "bot/runtime.hpp"
#include "bot/store/sqlite/store.hpp"
#include "handlers/catalog.hpp"

#include <algorithm>
#include <future>
#include <iostream>
#include <random>
#include <string>
#include <unistd.h>

namespace bot::app {
namespace {

std::string unescape_newlines(const std::string& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'n') {
            out += '\n';
            ++i;
        } else {
            out += line[i];
        }
    }
    return out;
}

const handlers::Person* find_person(const handlers::Roster& roster, const std::string& who) {
    const auto* p = roster.person_by_name(who);
    return p != nullptr ? p : roster.person_by_id(who);
}

std::string known_names(const handlers::Roster& roster) {
    std::string out;
    for (const auto& p : roster.people()) {
        out += (out.empty() ? "" : "、") + p.name;
    }
    return out;
}

/// /as NAME: speak as another person of the roster (or say who there is).
void switch_person(const handlers::Roster& roster,
                   const std::string& who,
                   const std::string& locale,
                   const handlers::Person*& person) {
    if (const auto* p = find_person(roster, who)) {
        person = p;
        std::cout << handlers::msg(locale, "console_as", {{"name", person->name}}) << "\n\n" << std::flush;
        return;
    }
    std::cout << handlers::msg(
                     locale, "console_unknown_person", {{"name", who}, {"names", known_names(roster)}})
              << "\n\n"
              << std::flush;
}

/// A line typed as `person` in `chat`: text (\n for line breaks) or "/attach FILE".
InboundEvent event_of(const std::string& line,
                      const handlers::Person& person,
                      const std::string& chat,
                      TimePoint now) {
    InboundEvent e;
    if (line.rfind("/attach ", 0) == 0) {
        e.attachments.push_back("file:" + line.substr(8));
    } else {
        e.text = unescape_newlines(line);
    }
    e.bot_id = "console";
    e.platform = std::string(handlers::kConsolePlatform);  // the operator speaks as a person id
    e.chat_id = chat;
    e.user_id = person.id;
    e.user_name = person.name;
    e.received_at = now;
    e.addressed = true;
    return e;
}

/// One message through the router and the store; prints the replies once committed.
void say(store::SqliteStore& store,
         const router::Deps& deps,
         InboundEvent e,
         TimePoint now,
         const std::string& locale) {
    auto out = std::make_shared<core::EventResult>();
    std::promise<result<void>> done;
    store.submit(
        router::process(deps, std::move(e), now, std::chrono::hours(24), core::ReplyRoute::inline_reply, out),
        [&done](result<void> r) { done.set_value(r); });
    const result<void> committed = done.get_future().get();
    if (!committed) {
        std::cout << handlers::msg(locale, "internal_error", {{"id", committed.error().message()}}) << "\n\n"
                  << std::flush;
        return;
    }
    core::log_committed(*out);
    for (const auto& r : out->replies) {
        // A reply to the chat (the digest) mentions nobody: no "@ " before it.
        std::cout << (r.mention_name.empty() ? "" : "@" + r.mention_name + " ") << r.text << "\n\n";
    }
    std::cout << std::flush;
}

}  // namespace

int console(const ConsoleOptions& options) {
    RuntimeOptions ro;
    ro.env = offline_env();  // the console never talks to a platform
    auto loaded = load_runtime(options.config_path, ro);
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    const Runtime& rt = *loaded.runtime;
    const config::Config& cfg = rt.cfg;
    // Warnings and errors only: the conversation is on stdout.
    log::set_level(std::max(log::parse_level(cfg.log_level).value_or(log::Level::info), log::Level::warn));
    const Domain& domain = rt.domain;
    const std::string& locale = cfg.conversation.locale;
    const handlers::Person* person = find_person(domain.roster, options.as);
    if (person == nullptr) {
        std::cerr << handlers::msg(locale,
                                   "console_unknown_person",
                                   {{"name", options.as}, {"names", known_names(domain.roster)}})
                  << "\n";
        return kExitStartup;
    }
    const router::Deps& deps = *rt.routing;
    store::SqliteStore store(store_options(cfg));
    if (auto signed_ = sign_stored_reports(rt, store); !signed_) {
        std::cerr << "liaison-bot: console: " << signed_.error().message() << "\n";
        return kExitStartup;
    }
    SystemClock clock;

    const auto* unit = domain.roster.unit(person->unit);
    std::cout << handlers::msg(locale,
                               "console_welcome",
                               {{"name", person->name},
                                {"unit", unit != nullptr ? unit->name : "-"},
                                {"chat", options.chat}})
              << "\n\n"
              << std::flush;
    std::random_device rd;
    const std::string run_id = std::to_string(rd()) + "-" + std::to_string(::getpid());
    std::uint64_t seq = 0;
    const bool interactive = ::isatty(STDIN_FILENO) != 0;
    std::string line;
    for (;;) {
        if (interactive) {
            std::cout << person->name << "> " << std::flush;
        }
        if (!std::getline(std::cin, line)) {
            break;
        }
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        if (line == "/quit" || line == "/exit") {
            break;
        }
        if (line.rfind("/as ", 0) == 0) {
            switch_person(domain.roster, line.substr(4), locale, person);
            continue;
        }
        InboundEvent e = event_of(line, *person, options.chat, clock.now());
        e.dedupe_key = "console:" + run_id + ":" + std::to_string(++seq);
        say(store, deps, std::move(e), clock.now(), locale);
    }
    store.close();
    return kExitOk;
}

}  // namespace bot::app
