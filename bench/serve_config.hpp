#pragma once
// The `liaison-bot serve` configuration the benchmarks write: one Slack bot whose secrets come from
// bench/run's environment (BENCH_SLACK_SECRET, BENCH_SLACK_TOKEN), the repository's templates and
// calendar, roster.jsonc beside it, no scheduler. loadgen adds its WeCom bots to "bots".

#include <nlohmann/json.hpp>

#include <string>

namespace bench {

inline nlohmann::json serve_config(const std::string& listen,
                                   const std::string& db_path,
                                   const std::string& log_level,
                                   const std::string& slack_api_base) {
    const std::string src = LIAISON_SOURCE_DIR;
    return {{"server", {{"listen", listen}}},
            {"store", {{"path", db_path}}},
            {"log", {{"level", log_level}}},
            {"templates_dir", src + "/templates/data"},
            {"roster", "roster.jsonc"},
            {"calendar", src + "/seeds/calendar-cn.jsonc"},
            {"scheduler", {{"enabled", false}}},
            {"bots",
             {{{"id", "slack"},
               {"platform", "slack"},
               {"signing_secret", "${BENCH_SLACK_SECRET}"},
               {"bot_token", "${BENCH_SLACK_TOKEN}"},
               {"bot_user_id", "UBOT"},
               {"api_base_url", slack_api_base},
               {"rate_per_minute", 100000}}}}};
}

}  // namespace bench
