#pragma once

#include "bot/api/api.hpp"
#include "bot/config.hpp"
#include "bot/domain.hpp"
#include "bot/net/server.hpp"
#include "bot/router/router.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "bot/store/sqlite/store.hpp"

#include <memory>
#include <optional>
#include <string>

namespace bot::app {

/// Everything a command of liaison-bot runs on, loaded the same way for serve, tick, console and
/// check-config: the configuration, templates, roster and calendar, the adapters, and the
/// scheduler's and router's views of them. Held by unique_ptr: the views point into it.
struct Runtime {
    config::Config cfg;
    Domain domain;
    AdapterMap adapters;
    std::optional<usecase::Deps> usecases;
    std::optional<router::Deps> routing;
};

struct RuntimeOptions {
    config::EnvLookup env;              ///< how ${ENV} references resolve
    std::optional<std::string> listen;  ///< overrides server.listen (serve --listen)
    bool summary = false;               ///< check-config: a count line after the problems
};

/// A loaded runtime, or the exit code after every problem was printed to stderr.
struct LoadedRuntime {
    std::unique_ptr<Runtime> runtime;
    int exit_code = 0;
};

/// Loads `config_path` and everything it names; prints each problem (file: path: reason) to
/// stderr. Applies nothing process-wide (logging is the caller's).
LoadedRuntime load_runtime(const std::string& config_path, const RuntimeOptions& options);

/// The unit of work that reloads the roster file (SIGHUP, POST /api/v1/roster/reload): read and
/// checked as at start; when valid it replaces `rt`'s roster and an audit entry (`who`, action
/// roster.reloaded) records it; when not, the old roster stays and `out->errors` says why. Runs on
/// the store thread, where every reader of the roster runs while serving, so no reader sees the
/// swap half done.
store::Work roster_reload(Runtime& rt, store::AuditEntry who, std::shared_ptr<api::RosterReload> out);

/// Builds the 新 signatures (handlers/quality.hpp) of reports stored before they had one (a store
/// from before migration 15), in units of work of 2,000 reports, before the caller goes on.
/// Returns how many it signed; logs the count when there were any.
result<std::size_t> sign_stored_reports(const Runtime& rt, store::SqliteStore& store);

/// ${ENV} lookup for commands that never talk to a platform (console, backup): a secret that is
/// not set does not stop them.
config::EnvLookup offline_env();

/// The store's options as configured, the same for every command (path, batch, cache, timeouts).
store::SqliteOptions store_options(const config::Config& cfg);
/// The years whose months the store's calendar holds (migration 23: units' figures per period).
inline constexpr int kCalendarFrom = 2000;
inline constexpr int kCalendarYears = 100;
/// Each month of those years in `zone` with its month, quarter and year ("2026-12", "2026-Q4", "2026").
std::vector<store::CalendarStart> calendar_of(const std::string& zone);

/// The HTTP server's options as configured (listen address, limits, deadlines, TLS files).
net::ServerOptions server_options(const config::Config& cfg);

}  // namespace bot::app
