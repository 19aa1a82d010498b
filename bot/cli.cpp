#include "bot/app.hpp"

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace bot::app {
namespace {

constexpr std::string_view kUsage =
    "Liaison (联络员助手): structured liaison reports collected in enterprise chat groups.\n"
    "\n"
    "Usage:\n"
    "  liaison-bot serve [--config FILE] [--listen HOST:PORT]\n"
    "      Run the webhook server. Without --config, the demo configuration in seeds/ is used.\n"
    "  liaison-bot console --as NAME [--chat CHAT] [--config FILE]\n"
    "      Talk to the bot in a terminal (or from a script: one message per stdin line) as NAME from\n"
    "      the roster, using the real engine and store. '/as NAME' switches person.\n"
    "  liaison-bot tick --at TIME [--config FILE] [--store DB] [--holder NAME]\n"
    "      Run the scheduler once as if it were TIME (e.g. 2026-11-26T10:00:00+08:00): queue the\n"
    "      reminders and digests due since the last tick. 'serve' ticks by itself; while it runs, a\n"
    "      replay is refused: replay into a copy (--store, made with 'backup') instead.\n"
    "  liaison-bot backup FILE [--config FILE | --store DB]\n"
    "      Copy the live store to FILE (a new file) while the service runs; see docs/operations.md\n"
    "      for restoring it. --store names the SQLite file directly, without the configuration.\n"
    "  liaison-bot export reports|stats [--from DATE] [--to DATE] [--template ID] [--unit ID]\n"
    "                   [--status S] [--format csv|xlsx] [--out FILE] [--config FILE]\n"
    "      CSV for spreadsheets (UTF-8 with BOM), or an .xlsx workbook (--format xlsx, or --out\n"
    "      FILE.xlsx): the reports submitted from..to (local dates, both included; default this\n"
    "      month), or per-unit figures. --unit takes the units below it too.\n"
    "  liaison-bot web-link --as NAME [--chat CHAT] [--console] [--config FILE]\n"
    "      Print a one-time sign-in link to the pages (web.public_url) for NAME, continuing their\n"
    "      draft in CHAT (default: the first chat they report in; --console: their console draft\n"
    "      there). It works once, for minutes.\n"
    "  liaison-bot check-config FILE\n"
    "      Validate a configuration file; print every problem. Exit 0 when valid, 1 when not.\n"
    "  liaison-bot version\n"
    "  liaison-bot help\n"
    "\n"
    "Exit codes: 0 ok, 1 invalid configuration, 2 usage or start-up error.\n"
    "Documentation: docs/configuration.md, docs/architecture.md\n";

/// seeds/liaison.jsonc in the working directory, else in the source tree this binary was built from.
std::string default_config() {
    const std::filesystem::path local = "seeds/liaison.jsonc";
    if (std::filesystem::exists(local)) {
        return local.string();
    }
    return (std::filesystem::path(LIAISON_SOURCE_DIR) / local).string();
}

int usage_error(std::string_view message) {
    std::cerr << "liaison-bot: " << message << "\nRun 'liaison-bot help' for usage.\n";
    return kExitStartup;
}

using Args = std::vector<std::string>;

int console_command(const Args& args) {
    ConsoleOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--config" || a == "--as" || a == "--chat") && i + 1 < args.size()) {
            (a == "--config" ? options.config_path : (a == "--as" ? options.as : options.chat)) = args[++i];
        } else {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
    }
    if (options.as.empty()) {
        return usage_error("console needs --as NAME (a person from the roster)");
    }
    if (options.config_path.empty()) {
        options.config_path = default_config();
    }
    return console(options);
}

int tick_command(const Args& args) {
    TickOptions options;
    bool have_at = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a != "--config" && a != "--at" && a != "--holder" && a != "--store") || i + 1 >= args.size()) {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
        const std::string& v = args[++i];
        if (a == "--config") {
            options.config_path = v;
        } else if (a == "--store") {
            options.store_path = v;
        } else if (a == "--holder") {
            options.holder = v;
        } else if (const auto t = parse_instant(v)) {
            options.at = *t;
            have_at = true;
        } else {
            return usage_error("--at: expected a time such as 2026-11-26T10:00:00+08:00");
        }
    }
    if (!have_at) {
        return usage_error("tick needs --at TIME");
    }
    if (options.config_path.empty()) {
        options.config_path = default_config();
    }
    return tick_once(options);
}

int serve_command(const Args& args) {
    ServeOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--config" || a == "--listen") && i + 1 < args.size()) {
            (a == "--config" ? options.config_path : options.listen.emplace()) = args[++i];
        } else {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
    }
    if (options.config_path.empty()) {
        options.config_path = default_config();
    }
    return serve(options);
}

int backup_command(const Args& args) {
    BackupOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--config" || a == "--store") && i + 1 < args.size()) {
            (a == "--config" ? options.config_path : options.store_path) = args[++i];
        } else if (!a.empty() && a[0] != '-' && options.file.empty()) {
            options.file = a;
        } else {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
    }
    if (options.file.empty()) {
        return usage_error("backup needs the FILE to write the copy to");
    }
    if (!options.config_path.empty() && !options.store_path.empty()) {
        return usage_error("backup takes --config or --store, not both");
    }
    if (options.config_path.empty() && options.store_path.empty()) {
        options.config_path = default_config();
    }
    return backup(options);
}

int export_command(const Args& args) {
    ExportOptions options;
    if (args.size() < 2 || (args[1] != "reports" && args[1] != "stats")) {
        return usage_error("export needs what to export: reports or stats");
    }
    options.what = args[1];
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string* target = a == "--config"     ? &options.config_path
                              : a == "--from"     ? &options.from
                              : a == "--to"       ? &options.to
                              : a == "--template" ? &options.template_id
                              : a == "--unit"     ? &options.unit
                              : a == "--status"   ? &options.status
                              : a == "--out"      ? &options.out
                              : a == "--format"   ? &options.format
                                                  : nullptr;
        if (target == nullptr || i + 1 >= args.size()) {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
        *target = args[++i];
    }
    if (options.config_path.empty()) {
        options.config_path = default_config();
    }
    return export_csv(options);
}

int web_link_command(const Args& args) {
    WebLinkOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--console") {
            options.console = true;
        } else if ((a == "--config" || a == "--as" || a == "--chat") && i + 1 < args.size()) {
            (a == "--config" ? options.config_path : (a == "--as" ? options.as : options.chat)) = args[++i];
        } else {
            return usage_error("unknown or incomplete option '" + a + "'");
        }
    }
    if (options.as.empty()) {
        return usage_error("web-link needs --as NAME (a person from the roster)");
    }
    if (options.config_path.empty()) {
        options.config_path = default_config();
    }
    return web_link(options);
}

}  // namespace

int main(int argc, char** argv) {
    const Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << kUsage;
        return args.empty() ? kExitStartup : kExitOk;
    }
    const std::string& command = args[0];
    try {
        if (command == "version" || command == "--version") {
            std::cout << "liaison-bot " << LIAISON_VERSION << "\n";
            return kExitOk;
        }
        if (command == "check-config") {
            return args.size() == 2 ? check_config(args[1])
                                    : usage_error("check-config takes exactly one FILE");
        }
        if (command == "console") {
            return console_command(args);
        }
        if (command == "tick") {
            return tick_command(args);
        }
        if (command == "export") {
            return export_command(args);
        }
        if (command == "web-link") {
            return web_link_command(args);
        }
        if (command == "backup") {
            return backup_command(args);
        }
        if (command == "serve") {
            return serve_command(args);
        }
        return usage_error("unknown command '" + command + "'");
    } catch (const std::exception& e) {
        std::cerr << "liaison-bot: " << e.what() << "\n";
        return kExitStartup;
    }
}

}  // namespace bot::app
