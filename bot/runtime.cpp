#include "bot/runtime.hpp"

#include "bot/app.hpp"
#include "bot/core/log.hpp"
#include "bot/loaders.hpp"
#include "handlers/quality.hpp"
#include "templates/periods.hpp"

#include <nlohmann/json.hpp>

#include <future>
#include <iostream>

namespace bot::app {
namespace {

void print_problems(const std::string& path, const std::vector<config::Problem>& problems) {
    for (const auto& p : problems) {
        std::cerr << path << ": " << p.path << ": " << p.message << "\n";
    }
    std::cerr << path << ": " << problems.size() << (problems.size() == 1 ? " problem" : " problems")
              << " found\n";
}

}  // namespace

LoadedRuntime load_runtime(const std::string& config_path, const RuntimeOptions& options) {
    auto loaded = config::load_file(config_path, options.env ? options.env : config::process_env());
    if (!loaded.config) {
        print_problems(config_path, loaded.problems);
        return {nullptr, kExitInvalidConfig};
    }
    auto rt = std::make_unique<Runtime>();
    rt->cfg = std::move(*loaded.config);
    if (options.listen) {
        const auto hp = config::parse_listen(*options.listen);
        if (!hp) {
            std::cerr << "--listen: expected HOST:PORT, for example 127.0.0.1:8080\n";
            return {nullptr, kExitStartup};
        }
        rt->cfg.server.host = hp->first;
        rt->cfg.server.port = hp->second;
    }
    // Templates, roster and calendar: no command runs with a bad one.
    rt->domain = load_domain(rt->cfg);
    if (!rt->domain.errors.empty()) {
        for (const auto& e : rt->domain.errors) {
            std::cerr << e << "\n";
        }
        if (options.summary) {
            const auto n = rt->domain.errors.size();
            std::cerr << config_path << ": " << n << (n == 1 ? " problem" : " problems")
                      << " found in templates or roster\n";
        }
        return {nullptr, kExitInvalidConfig};
    }
    // A calendar whose data ends soon: after it, holidays are computed and make-up days unknown.
    if (const auto until = rt->domain.calendar.data_until()) {
        const auto today =
            templates::local_date(std::chrono::system_clock::now(), rt->cfg.scheduler.digest_time_zone);
        if (until->plus_days(-60).iso() <= today.iso()) {
            rt->domain.warnings.push_back(
                rt->cfg.calendar + ": the working-day data ends on " + until->iso() +
                "; after it the statutory " +
                "holidays are computed and make-up working days (调休) are unknown: add " +
                std::to_string(until->year + 1) + " once it is published");
        }
    }
    rt->adapters = make_adapters(rt->cfg);
    rt->usecases.emplace(scheduler_deps(rt->cfg, rt->domain, rt->adapters));
    rt->routing.emplace(router_deps(rt->cfg, rt->domain, &*rt->usecases));
    return {std::move(rt), kExitOk};
}

store::Work roster_reload(Runtime& rt, store::AuditEntry who, std::shared_ptr<api::RosterReload> out) {
    return [&rt, who = std::move(who), out = std::move(out)](store::Tx& tx) mutable -> result<void> {
        *out = {};
        auto loaded = loaders::roster_file(rt.cfg.roster);
        for (const auto& e : loaded.errors) {
            out->errors.push_back(e.to_string());
        }
        if (out->errors.empty()) {
            out->errors = roster_problems(rt.cfg, loaded.roster);
        }
        const auto& old = rt.domain.roster;
        who.action = "roster.reloaded";
        who.target = rt.cfg.roster;
        who.before =
            std::to_string(old.units().size()) + " units, " + std::to_string(old.people().size()) + " people";
        if (!out->errors.empty()) {
            // A refused reload is recorded too: the operator sees in the log that it was tried.
            who.action = "roster.reload_refused";
            who.after = std::to_string(out->errors.size()) + " problems; kept";
            auto appended = tx.audit().append(who);
            return appended ? result<void>{} : result<void>{appended.error()};
        }
        out->warnings = roster_warnings(rt.cfg, rt.domain.templates, loaded.roster);
        out->units = loaded.roster.units().size();
        out->people = loaded.roster.people().size();
        who.after = std::to_string(out->units) + " units, " + std::to_string(out->people) + " people";
        if (auto appended = tx.audit().append(who); !appended) {
            return appended.error();
        }
        // Every view (router, scheduler, API) holds a reference to this object: replacing its
        // contents here, between units of work, is the whole swap.
        rt.domain.roster = std::move(loaded.roster);
        rt.domain.warnings = out->warnings;
        return {};
    };
}

config::EnvLookup offline_env() {
    // A placeholder of its own for each variable: one shared value made two unset token variables
    // "the same value" and blamed a token instead of leaving them alone.
    return [real = config::process_env()](std::string_view name) -> std::optional<std::string> {
        auto v = real(name);
        return v && !v->empty()
                   ? v
                   : std::optional<std::string>("unused-offline-placeholder-" + std::string(name));
    };
}

namespace {

/// A stored report's 新 signature, as its submission would have made it.
handlers::quality::Signature signature_of(const Runtime& rt, const store::ReportRecord& r) {
    std::map<std::string, std::string> fields;
    const auto j = nlohmann::json::parse(r.fields, nullptr, false);
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            if (v.is_string()) {
                fields.emplace(k, v.get<std::string>());
            }
        }
    }
    if (const templates::Template* t = rt.domain.templates.find(r.template_id)) {
        return handlers::quality::sign(handlers::quality::comparable_text(*t, fields));
    }
    std::string text;
    for (const auto& [k, v] : fields) {  // a template no longer loaded: every answer
        text += v + "\n";
    }
    return handlers::quality::sign(text);
}

}  // namespace

result<std::size_t> sign_stored_reports(const Runtime& rt, store::SqliteStore& store) {
    // Every report submitted since issue 16 is signed as it is stored, so only reports newer than
    // the last pass can lack one: each pass remembers the newest report it has seen, and a start
    // reads only what came after (a million stored reports cost nothing at every start). Within a
    // pass, each unit of work goes on from the last report the previous one signed.
    constexpr std::string_view kCheckedThrough = "quality:signed_through";
    std::optional<std::int64_t> stored;  // the value in the store, read by the first unit
    std::int64_t after = 0;              // where the next unit goes on from
    std::size_t total = 0;
    for (;;) {
        std::size_t signed_now = 0;
        std::int64_t next = 0;
        std::promise<result<void>> done;
        store.submit(
            [&rt, &signed_now, &next, &stored, &after, kCheckedThrough](store::Tx& tx) -> result<void> {
                if (!stored) {
                    auto checked = tx.schedule().load_value(kCheckedThrough);
                    if (!checked) {
                        return checked.error();
                    }
                    stored = *checked ? std::strtoll((*checked)->c_str(), nullptr, 10) : 0;
                    after = *stored;
                }
                auto batch = tx.reports().unsigned_reports(after, 2000);
                if (!batch) {
                    return batch.error();
                }
                if (batch->empty()) {
                    auto last = tx.reports().last_report_id();
                    if (!last) {
                        return last.error();
                    }
                    return *last == *stored
                               ? result<void>{}
                               : tx.schedule().save_value(kCheckedThrough,
                                                          std::to_string(*last),
                                                          TimePoint(std::chrono::system_clock::now()));
                }
                for (const auto& r : *batch) {
                    const auto sig = signature_of(rt, r);
                    // An empty text still gets a row (no bands), so it is not read again.
                    if (auto s = tx.reports().set_signature(r.number,
                                                            sig.empty() ? 1 : sig.exact,
                                                            handlers::quality::to_blob(sig),
                                                            handlers::quality::band_keys(sig));
                        !s) {
                        return s;
                    }
                }
                signed_now = batch->size();
                next = batch->back().id;
                return {};
            },
            [&done](result<void> r) { done.set_value(r); });
        if (auto r = done.get_future().get(); !r) {
            return r.error();
        }
        total += signed_now;
        if (signed_now == 0) {
            break;
        }
        after = next;  // committed: the next unit starts after these
    }
    if (total > 0) {
        log::info("store").kv("event", "reports_signed").kv("count", total);
    }
    return total;
}

std::vector<store::CalendarStart> calendar_of(const std::string& zone) {
    std::vector<store::CalendarStart> out;
    out.reserve(kCalendarYears * 12 * 3);
    for (int year = kCalendarFrom; year < kCalendarFrom + kCalendarYears; ++year) {
        for (int month = 1; month <= 12; ++month) {
            const TimePoint at = templates::at_local(zone, {year, month, 1}, std::chrono::minutes(0));
            const std::string y = std::to_string(year);
            out.push_back({at, y + (month < 10 ? "-0" : "-") + std::to_string(month)});
            out.push_back({at, y + "-Q" + std::to_string((month + 2) / 3)});
            out.push_back({at, y});
        }
    }
    // The end of the last month: a later report belongs to no period kept ('' is never read).
    out.push_back(
        {templates::at_local(zone, {kCalendarFrom + kCalendarYears, 1, 1}, std::chrono::minutes(0)), ""});
    return out;
}

store::SqliteOptions store_options(const config::Config& cfg) {
    store::SqliteOptions o;
    o.path = cfg.store.path;
    o.zone = cfg.scheduler.digest_time_zone;
    o.calendar = [zone = o.zone] {
        return calendar_of(zone);
    };
    o.max_batch = cfg.store.max_batch;
    o.cache_mib = cfg.store.cache_mib;
    o.busy_timeout = cfg.store.busy_timeout;
    return o;
}

net::ServerOptions server_options(const config::Config& cfg) {
    net::ServerOptions so;
    so.host = cfg.server.host;
    so.port = cfg.server.port;
    so.max_connections = cfg.server.max_connections;
    so.max_header_bytes = cfg.server.max_header_bytes;
    so.max_body_bytes = cfg.server.max_body_bytes;
    // The pages' photos (web.upload_max_kb) may be larger than any other request.
    so.upload_body_bytes = cfg.web.public_url.empty() ? 0 : cfg.web.upload_max_kb * 1024;
    so.read_timeout = cfg.server.read_timeout;
    so.write_timeout = cfg.server.write_timeout;
    so.idle_timeout = cfg.server.idle_timeout;
    so.shutdown_grace = cfg.server.shutdown_grace;
    if (cfg.server.tls) {
        so.tls_cert_file = cfg.server.tls->cert_file;
        so.tls_key_file = cfg.server.tls->key_file;
    }
    return so;
}

}  // namespace bot::app
