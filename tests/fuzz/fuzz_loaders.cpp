// The loaders of files an operator writes: configuration, template, roster, calendar. The first
// byte picks the loader; the rest is the file. Every input gives a result or named problems.
#include "bot/config.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"
#include "tests/fuzz/fuzz.hpp"

#include <optional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view text = fuzz_bytes(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0: {
            const auto env = [](std::string_view name) -> std::optional<std::string> {
                return name == "EMPTY" ? std::string() : "fuzz-secret-" + std::string(name) + "-0123456789";
            };
            const auto r = bot::config::parse(text, env);
            LIAISON_FUZZ_CHECK(r.config.has_value() || !r.problems.empty());
            break;
        }
        case 1: {
            const auto r = bot::templates::load_text(text, "fuzz.json");
            LIAISON_FUZZ_CHECK(r.errors.empty() == (r.set.all().size() == 1));
            break;
        }
        case 2:
            (void)bot::handlers::load_roster_text(text, "roster.jsonc");
            break;
        default:
            (void)bot::templates::load_calendar_text(text, "calendar.jsonc");
            break;
    }
    return 0;
}
