#pragma once

#include "bot/core/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bot::app {

/// Exit codes of liaison-bot.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalidConfig = 1;  ///< configuration has problems (all are printed)
inline constexpr int kExitStartup = 2;        ///< usage error or the service could not start

struct ServeOptions {
    std::string config_path;
    std::optional<std::string> listen;  ///< overrides server.listen
};

struct ConsoleOptions {
    std::string config_path;
    std::string as;  ///< person name or id from the roster
    std::string chat = "demo-group";
};

struct TickOptions {
    std::string config_path;
    TimePoint at{};
    std::string holder;        ///< the lease holder's name; empty: this process's
    std::string store_path{};  ///< replay into this SQLite file instead of the configuration's store
};

struct BackupOptions {
    std::string file;         ///< where the copy goes (must not exist)
    std::string config_path;  ///< the store named by this configuration…
    std::string store_path;   ///< …or this database file (--store), without reading a configuration
};

/// Copies the live store to `file` with SQLite's online backup API while `serve` keeps running;
/// prints what the copy holds. docs/operations.md says how to restore it.
int backup(const BackupOptions& options);

struct ExportOptions {
    std::string what;  ///< reports or stats
    std::string config_path;
    std::string from;  ///< local dates, both included; empty: this month so far
    std::string to;
    std::string template_id;
    std::string unit;    ///< this unit and every unit below it
    std::string status;  ///< reports only
    std::string out;     ///< file (written whole, then renamed); empty: stdout
    std::string format;  ///< csv or xlsx; empty: xlsx when `out` ends with .xlsx, else csv
};

/// CSV or an .xlsx workbook of reports or of per-unit figures (docs/review.md); recorded in the
/// audit log.
int export_csv(const ExportOptions& options);

struct WebLinkOptions {
    std::string config_path;
    std::string as;        ///< a person of the roster, by name or id
    std::string chat;      ///< the chat whose draft the pages continue; empty: their first chat
    bool console = false;  ///< the draft of `liaison-bot console --as NAME` in that chat
};

/// Prints a one-time sign-in link to the pages for a person (docs/web.md), as 网页填报 would send
/// it privately: for an operator helping someone, and for trying the pages out.
int web_link(const WebLinkOptions& options);

/// One scheduler tick at `at` against the configured store (cron-driven operation, tests): queues
/// what is due and prints a one-line summary. The outbox is delivered by `serve`.
int tick_once(const TickOptions& options);

/// "2026-11-26T10:00:00+08:00", "2026-11-26T02:00Z", …; nullopt when malformed.
std::optional<TimePoint> parse_instant(std::string_view text);

/// Talks to the real engine and store from a terminal or a script: one message per stdin line.
int console(const ConsoleOptions& options);

/// Runs the service until SIGINT/SIGTERM, then shuts down gracefully. Returns the exit code.
/// Throws std::runtime_error on start-up failures (caught by the CLI).
int serve(const ServeOptions& options);

/// Validates a configuration file, printing every problem. Returns the exit code.
int check_config(const std::string& path);

/// The command line: serve, check-config, version, help.
int main(int argc, char** argv);

}  // namespace bot::app
