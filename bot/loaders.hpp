#pragma once

#include "bot/core/json_reader.hpp"
#include "handlers/quality.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <optional>
#include <string>
#include <vector>

/// The application's loaders: files read from disk and handed, as text, to the domain's pure
/// parsers (templates/, handlers/). The domain itself never opens a file (docs/architecture.md,
/// "Layers").
namespace bot::loaders {

/// Reads a text file of at most `max_bytes`; nullopt (and a problem) when it cannot.
std::optional<std::string> read_file(const std::string& path,
                                     std::size_t max_bytes,
                                     std::vector<json_check::Problem>& problems);

/// Every *.json and *.jsonc file in `dir`, in name order (templates::load_texts).
templates::LoadResult templates_in(const std::string& dir);

/// The roster file (handlers::load_roster_text).
handlers::RosterLoad roster_file(const std::string& path);

/// The work calendar file (templates::load_calendar_text).
templates::CalendarLoad calendar_file(const std::string& path);

/// The 套话 list (handlers::quality::load_phrases_text).
handlers::quality::Phrases phrases_file(const std::string& path);

}  // namespace bot::loaders
