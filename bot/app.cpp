// The composition root: the only place that knows the concrete classes and wires them together.
#include "bot/app.hpp"

#include "adapters/registry.hpp"
#include "bot/api/api.hpp"
#include "bot/config.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain.hpp"
#include "bot/export/query.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/server.hpp"
#include "bot/outbox/worker.hpp"
#include "bot/runtime.hpp"
#include "bot/scheduler/timers.hpp"
#include "bot/store/sqlite/backup.hpp"
#include "bot/store/sqlite/store.hpp"
#include "bot/usecases/web.hpp"
#include "bot/web/web.hpp"
#include "templates/periods.hpp"
#include "templates/validate.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <date/date.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <malloc.h>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace bot::app {
namespace {

namespace asio = boost::asio;

/// This process logs at the configuration's level, with its secrets redacted from every line.
void apply_logging(const config::Config& cfg) {
    log::set_level(log::parse_level(cfg.log_level).value_or(log::Level::info));
    for (const auto& secret : cfg.secret_values()) {
        log::add_secret(secret);
    }
}

/// The outbox worker's options: metrics and each bot's rate limit.
outbox::WorkerOptions worker_options(const config::Config& cfg, Metrics& metrics) {
    outbox::WorkerOptions wo;
    wo.metrics = &metrics;
    // This process's name on the rows it claims: another `serve` on the same store leaves them be.
    wo.holder = scheduler::process_holder();
    for (const auto& bot : cfg.bots) {
        if (bot.rate_per_minute > 0) {
            wo.rate_per_minute.emplace(bot.id, bot.rate_per_minute);
        }
    }
    return wo;
}

/// Runs an io_context on a thread of its own until stop() (or destruction) joins it.
struct ThreadRunner {
    explicit ThreadRunner(asio::io_context& io)
        : ioc(io), work(asio::make_work_guard(io)), thread([&io] { io.run(); }) {}
    ~ThreadRunner() { stop(); }
    void stop() {
        work.reset();
        ioc.stop();
        if (thread.joinable()) {
            thread.join();
        }
    }
    asio::io_context& ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::thread thread;
};

/// Closes the store when it goes out of scope.
struct StoreCloser {
    store::SqliteStore& store;
    ~StoreCloser() { store.close(); }
};

/// What `serve` prints once it listens: where, what it loaded, and how to try it.
void print_banner(const std::string& config_path,
                  const config::Config& cfg,
                  const Domain& domain,
                  std::uint16_t port) {
    const std::string scheme = cfg.server.tls ? "https" : "http";
    const std::string host =
        cfg.server.host.find(':') != std::string::npos ? "[" + cfg.server.host + "]" : cfg.server.host;
    const std::string base = scheme + "://" + host + ":" + std::to_string(port);
    std::cout << "liaison-bot " << LIAISON_VERSION << " listening on " << base << "\n"
              << "  config: " << config_path << "\n"
              << "  store:  " << cfg.store.driver << " " << cfg.store.path << "\n"
              << "  templates: " << domain.templates.all().size() << " from " << cfg.templates_dir
              << ", roster: " << domain.roster.people().size() << " people from " << cfg.roster << "\n";
    for (const auto& bot : cfg.bots) {
        std::cout << "  bot:    " << bot.id << " (" << bot.platform << ") at " << base << "/hooks/" << bot.id
                  << "\n";
    }
    std::cout << "Try:\n"
              << "  curl " << base << "/healthz\n"
              << "  curl " << base << "/readyz\n"
              << "  curl " << base << "/metrics\n"
              << "Stop with Ctrl-C or SIGTERM.\n"
              << std::flush;
    log::info("app").kv("event", "started").kv("listen", base).kv("bots", cfg.bots.size());
}

/// SIGINT/SIGTERM in `serve`: the first stops gracefully — the timers, then the server's requests
/// (their messages are committed), then the worker's delivery in flight; what is still pending
/// stays in the outbox for the next start. A second signal stops the io_context at once.
class Stopper {
public:
    Stopper(asio::io_context& ioc,
            net::Server& server,
            outbox::Worker& worker,
            std::vector<scheduler::Every*> timers,
            std::function<void()> on_stop)
        : ioc_(ioc),
          signals_(ioc, SIGINT, SIGTERM),
          server_(server),
          worker_(worker),
          timers_(std::move(timers)),
          on_stop_(std::move(on_stop)) {
        wait();
    }

private:
    void wait() {
        signals_.async_wait([this](boost::system::error_code ec, int signo) {
            if (!ec) {
                on_signal(signo);
            }
        });
    }
    void on_signal(int signo) {
        if (stopping_) {
            log::warn("app").kv("event", "second_signal").kv("signal", signo).kv("action", "stop now");
            ioc_.stop();
            return;
        }
        stopping_ = true;
        log::info("app").kv("event", "stopping").kv("signal", signo);
        for (auto* t : timers_) {
            t->stop();
        }
        on_stop_();
        wait();  // a second signal stops at once
        server_.shutdown(
            [this] { worker_.stop([this] { asio::post(ioc_, [this] { signals_.cancel(); }); }); });
    }

    asio::io_context& ioc_;
    asio::signal_set signals_;
    net::Server& server_;
    outbox::Worker& worker_;
    std::vector<scheduler::Every*> timers_;
    std::function<void()> on_stop_;
    bool stopping_ = false;
};

/// SIGHUP: the roster file is read again and swapped in when valid (docs/operations.md). The
/// outcome goes to the log; the old roster stays on any problem.
class RosterReloader {
public:
    RosterReloader(asio::io_context& ioc, store::SqliteStore& store, Runtime& rt, const Clock& clock)
        : signals_(ioc, SIGHUP), store_(store), rt_(rt), clock_(clock) {
        wait();
    }
    void stop() { signals_.cancel(); }

private:
    void wait() {
        signals_.async_wait([this](boost::system::error_code ec, int) {
            if (!ec) {
                reload();
                wait();
            }
        });
    }
    void reload() {
        log::info("app").kv("event", "roster_reload").kv("signal", "SIGHUP");
        auto out = std::make_shared<api::RosterReload>();
        store::AuditEntry who{
            .at = clock_.now(), .actor_id = "SIGHUP", .actor_account = "signal", .role = "admin"};
        store_.submit(roster_reload(rt_, std::move(who), out), [out](result<void> r) {
            if (!r) {
                log::error("app").kv("event", "roster_reload_failed").kv("reason", r.error().message());
            } else if (!out->errors.empty()) {
                for (const auto& e : out->errors) {
                    log::error("app").kv("event", "roster_reload_refused").kv("problem", e);
                }
            } else {
                for (const auto& w : out->warnings) {
                    log::warn("app").kv("event", "config_warning").kv("detail", w);
                }
                log::info("app")
                    .kv("event", "roster_reloaded")
                    .kv("units", static_cast<std::uint64_t>(out->units))
                    .kv("people", static_cast<std::uint64_t>(out->people));
            }
        });
    }

    asio::signal_set signals_;
    store::SqliteStore& store_;
    Runtime& rt_;
    const Clock& clock_;
};

}  // namespace

AdapterMap make_adapters(const config::Config& cfg) {
    AdapterMap made;
    for (const auto& bot : cfg.bots) {
        // config::parse accepts only the registry's platforms, with their credentials.
        made.emplace(bot.id, adapters::find_platform(bot.platform)->make(bot));
    }
    return made;
}

std::optional<TimePoint> parse_instant(std::string_view text) {
    for (const char* format : {"%FT%T%Ez", "%FT%TZ", "%FT%R%Ez", "%FT%RZ"}) {
        std::istringstream in{std::string(text)};
        date::sys_seconds t;
        in >> date::parse(format, t);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
            return TimePoint{t};
        }
    }
    return std::nullopt;
}

namespace {

/// Who else holds the scheduler's lease now by the real clock, renewed as a running `serve` renews
/// it (ending within one `lease` from now; a replay's lease ends after its --at): "" when nobody.
std::string live_scheduler(store::SqliteStore& store,
                           const std::string& holder,
                           std::chrono::seconds period) {
    std::promise<std::string> found;
    store.submit(
        [&found, &holder, period](store::Tx& tx) -> result<void> {
            auto lease = tx.schedule().lease("scheduler");
            if (!lease) {
                return lease.error();
            }
            const TimePoint now = std::chrono::system_clock::now();
            std::string who;
            const auto& held = *lease;
            if (held && held->holder != holder && held->expires_at > now &&
                held->expires_at <= now + period + std::chrono::minutes(1)) {
                const auto left = std::chrono::duration_cast<std::chrono::seconds>(held->expires_at - now);
                who = "a running service (" + held->holder + ") holds the scheduler for " +
                      std::to_string(left.count()) + " s more";
            }
            found.set_value(who);
            return {};
        },
        [&found](result<void> r) {
            if (!r) {
                found.set_value({});
            }
        });
    return found.get_future().get();
}

}  // namespace

int tick_once(const TickOptions& options) {
    auto loaded = load_runtime(options.config_path, {});
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    const Runtime& rt = *loaded.runtime;
    apply_logging(rt.cfg);
    const usecase::Deps& scheduling = *rt.usecases;
    auto so = store_options(rt.cfg);
    std::error_code same_ec;
    // A copy named with --store is a replay's own; the configured store may be a live deployment's.
    const bool own_copy =
        !options.store_path.empty() && !std::filesystem::equivalent(options.store_path, so.path, same_ec);
    if (!options.store_path.empty()) {
        so.path = options.store_path;
    }
    store::SqliteStore store(std::move(so));
    const std::string holder = options.holder.empty() ? scheduler::process_holder() : options.holder;
    // A replay never moves a live deployment's clock: while a running `serve` holds the
    // scheduler's lease (by the real clock), the tick is refused with the reason.
    if (auto live =
            own_copy ? std::string()
                     : live_scheduler(
                           store, holder, std::chrono::duration_cast<std::chrono::seconds>(scheduling.lease));
        !live.empty()) {
        std::cerr << "liaison-bot: tick: refused: " << live
                  << ". A replay would move the running service's scheduler to --at and stop its reminders. "
                     "Stop it first, or replay into a copy: liaison-bot backup COPY.db, then "
                     "liaison-bot tick --at TIME --store COPY.db\n";
        store.close();
        return kExitStartup;
    }
    if (auto signed_ = sign_stored_reports(rt, store); !signed_) {
        std::cerr << "liaison-bot: tick: " << signed_.error().message() << "\n";
        return kExitStartup;
    }
    auto report = std::make_shared<scheduler::TickReport>();
    std::promise<result<void>> done;
    store.submit(scheduler::tick(scheduling, holder, options.at, report),
                 [&done](result<void> r) { done.set_value(r); });
    const result<void> r = done.get_future().get();
    store.close();
    if (!r) {
        std::cerr << "liaison-bot: tick failed: " << r.error().message() << "\n";
        return kExitStartup;
    }
    std::cout << "leader=" << (report->leader ? "yes" : "no") << " rounds=" << report->rounds
              << " queued=" << report->queued << " skipped=" << report->skipped
              << " unroutable=" << report->unroutable << "\n";
    return kExitOk;
}

int backup(const BackupOptions& options) {
    std::string source = options.store_path;
    std::chrono::milliseconds busy{10'000};
    if (source.empty()) {
        RuntimeOptions ro;
        ro.env = offline_env();  // a backup never talks to a platform
        auto loaded = load_runtime(options.config_path, ro);
        if (!loaded.runtime) {
            return loaded.exit_code;
        }
        apply_logging(loaded.runtime->cfg);
        source = loaded.runtime->cfg.store.path;
        busy = std::max(busy, loaded.runtime->cfg.store.busy_timeout);
    }
    const auto started = std::chrono::steady_clock::now();
    const store::BackupSummary s = store::backup(source, options.file, busy);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::cout << options.file << ": backup of " << source << " (" << s.bytes << " bytes, schema "
              << s.schema_version << ", " << s.reports << " reports, " << s.events << " events, "
              << s.outbox_open << " replies not yet delivered) in " << ms.count() << " ms\n";
    return kExitOk;
}

int export_csv(const ExportOptions& options) {
    RuntimeOptions ro;
    ro.env = offline_env();  // an export never talks to a platform
    auto loaded = load_runtime(options.config_path, ro);
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    const Runtime& rt = *loaded.runtime;
    apply_logging(rt.cfg);
    const exporting::Context context{rt.domain.templates,
                                     rt.domain.roster,
                                     rt.cfg.review.adoption_levels,
                                     rt.cfg.conversation.locale,
                                     rt.cfg.scheduler.digest_time_zone};
    const auto now = std::chrono::system_clock::now();
    const auto planned = exporting::plan({.what = options.what,
                                          .from = options.from,
                                          .to = options.to,
                                          .template_id = options.template_id,
                                          .unit = options.unit,
                                          .status = options.status,
                                          .format = !options.format.empty()          ? options.format
                                                    : options.out.ends_with(".xlsx") ? std::string("xlsx")
                                                                                     : std::string()},
                                         context,
                                         now,
                                         nullptr);
    if (const auto* no = std::get_if<exporting::Refused>(&planned)) {
        std::cerr << "liaison-bot: export: " << no->why << "\n";
        return kExitStartup;
    }
    const auto& plan = std::get<exporting::Plan>(planned);
    if (plan.xlsx && options.out.empty() && ::isatty(STDOUT_FILENO) != 0) {
        std::cerr << "liaison-bot: export: a workbook is not for a terminal: --out FILE.xlsx (or redirect)\n";
        return kExitStartup;
    }
    const char* user = std::getenv("USER");
    exporting::Output output;
    store::SqliteStore store(store_options(rt.cfg));
    std::promise<result<void>> done;
    store.submit(
        [&](store::Tx& tx) -> result<void> {
            auto written = exporting::run(tx,
                                          plan,
                                          context,
                                          {.at = now,
                                           .actor_id = user != nullptr ? user : "",
                                           .actor_account = "cli",
                                           .role = "admin"});
            if (!written) {
                return written.error();
            }
            output = std::move(*written);
            return {};
        },
        [&done](result<void> r) { done.set_value(r); });
    const result<void> r = done.get_future().get();
    store.close();
    if (!r) {
        std::cerr << "liaison-bot: export failed: " << r.error().message() << "\n";
        return kExitStartup;
    }
    if (options.out.empty()) {
        std::cout << output.bytes;
    } else {
        const std::string partial = options.out + ".partial";
        {
            std::ofstream f(partial, std::ios::binary | std::ios::trunc);
            f << output.bytes;
            if (!f.flush()) {
                std::cerr << "liaison-bot: export: cannot write " << partial << "\n";
                return kExitStartup;
            }
        }
        std::filesystem::rename(partial, options.out);
        std::cerr << options.out << ": " << output.rows << " rows (" << plan.target << ")\n";
    }
    return kExitOk;
}

namespace {

/// How a chat's forms go on (its `mode`, docs/conversation.md) and whether its bot can do it.
void describe_mode(const handlers::Chat& chat, const AdapterMap& adapters, const config::Config& cfg) {
    if (chat.mode == handlers::ChatMode::group) {
        return;
    }
    const auto adapter = adapters.find(chat.bot);
    const bool page = chat.mode == handlers::ChatMode::page;
    const char* mode = page ? "page" : "private";
    std::cout << "chat " << chat.id << ": mode " << mode << ": ";
    if (adapter == adapters.end() || !adapter->second->direct_messages()) {
        std::cout << "falls back to group: " << chat.bot
                  << (adapter == adapters.end() ? " is not configured here"
                                                : " (" + std::string(adapter->second->platform()) +
                                                      ") cannot message a person privately")
                  << " (docs/platforms/)\n";
    } else if (page && cfg.web.public_url.empty()) {
        std::cout << "falls back to group: web.public_url is not set\n";
    } else {
        std::cout << (page ? "forms open on the pages, the sign-in link sent privately"
                           : "forms go on in each person's private chat with " + chat.bot)
                  << (adapter->second->deep_link("").empty() ? "" : " (the group's line links to it)")
                  << "\n";
    }
}

}  // namespace

int check_config(const std::string& path) {
    RuntimeOptions o;
    o.summary = true;
    const auto loaded = load_runtime(path, o);
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    const auto& c = loaded.runtime->cfg;
    const auto& domain = loaded.runtime->domain;
    for (const auto& w : domain.warnings) {
        std::cerr << "warning: " << w << "\n";
    }
    // How reminders and digests reach each chat of the roster.
    for (const auto& chat : domain.roster.chats()) {
        if (chat.bot.empty()) {
            continue;
        }
        const std::string& via = chat.reminder_bot();
        const auto adapter = loaded.runtime->adapters.find(via);
        std::cout << "chat " << chat.id << ": replies through " << chat.bot << "; reminders and digests ";
        if (adapter == loaded.runtime->adapters.end()) {
            std::cout << "nowhere (bot " << via << " is not configured here)\n";
        } else if (adapter->second->pushes()) {
            std::cout << "through " << via << " (" << adapter->second->platform() << ")\n";
        } else {
            const auto* platform = adapters::find_platform(adapter->second->platform());
            const std::string_view hint = platform != nullptr ? platform->push_hint : "";
            std::cout << "are recorded, not sent: " << via << " (" << adapter->second->platform()
                      << ") cannot post unasked" << (hint.empty() ? "" : ": ") << hint << "\n";
        }
        describe_mode(chat, loaded.runtime->adapters, c);
    }
    std::cout << path << ": OK (" << c.bots.size() << (c.bots.size() == 1 ? " bot" : " bots") << ", "
              << domain.templates.all().size() << " templates, " << domain.roster.people().size()
              << " people, store " << c.store.driver << " at " << c.store.path << ", listen " << c.server.host
              << ":" << c.server.port << (c.server.tls ? ", TLS" : "") << ")\n";
    return kExitOk;
}

int web_link(const WebLinkOptions& options) {
    RuntimeOptions ro;
    ro.env = offline_env();  // minting a link never talks to a platform
    auto loaded = load_runtime(options.config_path, ro);
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    const Runtime& rt = *loaded.runtime;
    apply_logging(rt.cfg);
    if (rt.cfg.web.public_url.empty()) {
        std::cerr << "liaison-bot: web-link: web.public_url is not set in " << options.config_path << "\n";
        return kExitStartup;
    }
    const auto& roster = rt.domain.roster;
    const handlers::Person* person = roster.person_by_name(options.as);
    person = person != nullptr ? person : roster.person_by_id(options.as);
    const handlers::Chat* chat =
        person != nullptr ? usecase::sign_in_chat(*rt.usecases, *person, "", options.chat) : nullptr;
    const auto platform = chat != nullptr ? rt.routing->settings.bot_platforms.find(chat->bot)
                                          : rt.routing->settings.bot_platforms.end();
    // The console speaks as the person's id on a bot of its own (bot/console.cpp).
    const std::string_view account =
        person != nullptr && chat != nullptr && options.console ? std::string_view(person->id)
        : person != nullptr && chat != nullptr && platform != rt.routing->settings.bot_platforms.end()
            ? person->account_on(chat->bot, platform->second)
            : std::string_view();
    if (account.empty()) {
        std::cerr << "liaison-bot: web-link: " << options.as
                  << (person == nullptr ? " is not on the roster"
                                        : " reports in no such chat with an account there")
                  << "\n";
        return kExitStartup;
    }
    const char* user = std::getenv("USER");
    const usecase::Actor actor{.person = nullptr,
                               .id = user != nullptr ? user : "operator",
                               .account = "cli",
                               .role = "admin",
                               .request_id = "cli-web-link"};
    const store::SessionKey key{
        options.console ? std::string("console") : chat->bot, chat->id, std::string(account)};
    std::string token;
    store::SqliteStore store(store_options(rt.cfg));
    std::promise<result<void>> done;
    store.submit(
        [&](store::Tx& tx) -> result<void> {
            auto t = usecase::issue_sign_in(
                *rt.usecases, tx, actor, person->id, key, std::chrono::system_clock::now());
            if (!t) {
                return t.error();
            }
            token = std::move(*t);
            return {};
        },
        [&done](result<void> r) { done.set_value(r); });
    if (auto r = done.get_future().get(); !r) {
        std::cerr << "liaison-bot: web-link: " << r.error().message() << "\n";
        return kExitStartup;
    }
    store.close();
    std::cout << rt.cfg.web.public_url << "/app/signin?t=" << token << "\n";
    return kExitOk;
}

namespace {

/// The HTTP API's dependencies, when tokens are configured (otherwise /api/v1 is not served).
std::optional<api::Deps> api_deps_of(Runtime& rt) {
    const config::Config& cfg = rt.cfg;
    if (cfg.api.tokens.empty()) {
        return std::nullopt;
    }
    std::vector<api::Token> tokens;
    for (const auto& t : cfg.api.tokens) {
        tokens.push_back({t.name, t.token.reveal(), t.scopes, t.person});
    }
    return api::Deps{.usecases = *rt.usecases,
                     .routing = *rt.routing,
                     .tokens = std::move(tokens),
                     .digest_chats = rt.usecases->digest_chats,
                     .locale = cfg.conversation.locale,
                     .zone = cfg.scheduler.digest_time_zone,
                     .reload_roster = [&rt](store::AuditEntry who, std::shared_ptr<api::RosterReload> out) {
                         return roster_reload(rt, std::move(who), std::move(out));
                     }};
}

/// The pages' dependencies, when the configuration says where people reach them (web.public_url;
/// otherwise /app is not served).
std::optional<web::Deps> web_deps_of(const Runtime& rt) {
    const config::Config& cfg = rt.cfg;
    if (cfg.web.public_url.empty()) {
        return std::nullopt;
    }
    return web::Deps{.usecases = *rt.usecases,
                     .routing = *rt.routing,
                     .process = router::processor(*rt.routing),
                     .public_url = cfg.web.public_url,
                     .locale = cfg.conversation.locale,
                     .zone = cfg.scheduler.digest_time_zone,
                     .adapters = &rt.adapters};
}

/// Until when the work calendar has data, on /metrics (an alert before it runs out).
void report_calendar(Metrics& metrics, const config::Config& cfg, const Domain& domain) {
    if (const auto until = domain.calendar.data_until()) {
        metrics.calendar_covered_until(
            std::chrono::duration_cast<std::chrono::seconds>(
                templates::at_local(
                    cfg.scheduler.digest_time_zone, until->plus_days(1), std::chrono::minutes(0))
                    .time_since_epoch())
                .count());
    }
}

}  // namespace

int serve(const ServeOptions& options) {
    RuntimeOptions ro;
    ro.listen = options.listen;
    auto loaded = load_runtime(options.config_path, ro);
    if (!loaded.runtime) {
        return loaded.exit_code;
    }
    Runtime& rt = *loaded.runtime;
    const config::Config& cfg = rt.cfg;
    const Domain& domain = rt.domain;
    apply_logging(cfg);
    for (const auto& w : domain.warnings) {
        log::warn("app").kv("event", "config_warning").kv("detail", w);
    }
    // Parsing a large roster (10 MiB for 100,000 people) leaves its JSON tree's memory freed but
    // still mapped; hand it back before serving.
    ::malloc_trim(0);
    const AdapterMap& adapters = rt.adapters;
    const usecase::Deps& usecases = *rt.usecases;
    const router::Deps& deps = *rt.routing;
    const std::optional<api::Deps> api_deps = api_deps_of(rt);
    const std::optional<web::Deps> web_deps = web_deps_of(rt);

    Metrics metrics;
    report_calendar(metrics, cfg, domain);
    SystemClock clock;
    store::SqliteOptions so_store = store_options(cfg);
    so_store.on_commit = [&metrics](double seconds, std::size_t batch, bool ok) {
        metrics.store_commit(seconds, batch, ok);
    };
    store::SqliteStore store(std::move(so_store));
    if (auto signed_ = sign_stored_reports(rt, store); !signed_) {
        log::error("store").kv("event", "signing_failed").kv("error", signed_.error().message());
        return kExitStartup;
    }

    // The io_contexts are declared after the store, and store_closer (below) after them: the store
    // is closed before either is destroyed, so no completion can post to a dead io_context.
    asio::io_context ioc{1};
    const net::ServerOptions so = server_options(cfg);
    // Outgoing messages: committed rows, delivered by the worker through the adapters' APIs.
    // They have an io_context and a thread of their own, so replies going out do not queue up
    // behind webhooks being acknowledged (and the other way round).
    asio::io_context outbox_ioc{1};
    const outbox::WorkerOptions wo = worker_options(cfg, metrics);
    // As many idle keep-alive connections per host as the worker has lanes: with fewer, lanes
    // beyond the pool reconnected (resolve, connect, TLS) for every message under load.
    net::ClientOptions client_options;
    client_options.max_idle_per_host = wo.parallel_chats;
    net::HttpClient http(outbox_ioc, client_options);
    outbox::Worker worker(outbox_ioc, store, adapters, http, clock, wo);
    worker.start();
    // Declared after the worker: joined before the worker and the client are destroyed, on every
    // way out of this function.
    ThreadRunner outbox_runner(outbox_ioc);
    // On every way out, the store is closed (its thread joined) while both io_contexts still
    // exist: a unit's completion posts to the io_context of whoever submitted it.
    const StoreCloser store_closer{store};
    // The pages' requests to platforms (an in-app sign-in's code exchange), on the server's thread.
    net::HttpClient page_http(ioc, net::ClientOptions{});

    net::Server server(ioc,
                       so,
                       net::ServerServices{metrics,
                                           store,
                                           adapters,
                                           clock,
                                           router::processor(deps),
                                           [&worker] { worker.wake(); },
                                           api_deps ? api::handler(*api_deps) : core::ApiHandler{},
                                           web_deps ? web::handler(*web_deps) : core::ApiHandler{},
                                           &page_http});
    const std::uint16_t port = server.start();

    scheduler::Every purger(
        ioc,
        cfg.store.purge_interval,
        false,
        scheduler::purge_job(store, clock, cfg.conversation.draft_ttl, cfg.store.outbox_retention));
    purger.start();
    scheduler::Every ticker(
        ioc, cfg.scheduler.tick, true, scheduler::tick_job(store, clock, metrics, usecases, [&worker] {
            worker.wake();
        }));
    if (cfg.scheduler.enabled) {
        ticker.start();
    }

    RosterReloader reloader(ioc, store, rt, clock);
    Stopper stopper(ioc, server, worker, {&purger, &ticker}, [&reloader] { reloader.stop(); });

    print_banner(options.config_path, cfg, domain, port);

    ioc.run();
    // The worker has stopped, or a second signal stops everything now.
    outbox_runner.stop();
    store.close();
    log::info("app").kv("event", "stopped");
    return kExitOk;
}

}  // namespace bot::app
