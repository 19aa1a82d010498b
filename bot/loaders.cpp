#include "bot/loaders.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace bot::loaders {

std::optional<std::string> read_file(const std::string& path,
                                     std::size_t max_bytes,
                                     std::vector<json_check::Problem>& problems) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problems.push_back({"$", "cannot open file '" + path + "'"});
        return std::nullopt;
    }
    // In chunks, as long as the file is: sizing the buffer to the limit first wrote every page of
    // it (64 MiB for a roster), which was the whole of the service's start-up memory peak.
    std::string text;
    std::array<char, 64 * 1024> chunk{};
    while (text.size() <= max_bytes) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        text.append(chunk.data(), std::min(n, max_bytes + 1 - text.size()));
        if (n < chunk.size()) {
            break;
        }
    }
    if (in.bad()) {
        problems.push_back({"$", "cannot read file '" + path + "'"});
        return std::nullopt;
    }
    if (text.size() > max_bytes) {
        const std::string limit = max_bytes % (1024 * 1024) == 0
                                      ? std::to_string(max_bytes / (1024 * 1024)) + " MiB"
                                      : std::to_string(max_bytes / 1024) + " KiB";
        problems.push_back({"$", "file '" + path + "' is larger than " + limit});
        return std::nullopt;
    }
    return text;
}

namespace {

/// A file that could not be read, as a load error of each kind.
template <class Errors>
void unreadable(const std::string& path, const std::vector<json_check::Problem>& problems, Errors& errors) {
    for (const auto& p : problems) {
        errors.push_back({path, p.path, p.message});
    }
}

}  // namespace

templates::LoadResult templates_in(const std::string& dir) {
    templates::LoadResult out;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonc")) {
            files.push_back(entry.path());
        }
    }
    if (ec) {
        out.errors.push_back({dir, "$", "cannot read template directory: " + ec.message()});
        return out;
    }
    if (files.empty()) {
        out.errors.push_back({dir, "$", "no template files (*.json, *.jsonc) found"});
        return out;
    }
    std::sort(files.begin(), files.end());
    std::vector<std::pair<std::string, std::string>> texts;
    std::vector<templates::LoadError> unread;
    for (const auto& path : files) {
        std::vector<json_check::Problem> problems;
        if (auto text = read_file(path.string(), 256 * 1024, problems)) {
            texts.emplace_back(path.string(), std::move(*text));
        } else {
            unreadable(path.string(), problems, unread);
        }
    }
    out = templates::load_texts(texts);
    out.errors.insert(out.errors.begin(), unread.begin(), unread.end());
    return out;
}

handlers::RosterLoad roster_file(const std::string& path) {
    std::vector<json_check::Problem> problems;
    const auto text = read_file(path, 64 * 1024 * 1024, problems);
    if (!text) {
        handlers::RosterLoad out;
        unreadable(path, problems, out.errors);
        return out;
    }
    return handlers::load_roster_text(*text, path);
}

templates::CalendarLoad calendar_file(const std::string& path) {
    std::vector<json_check::Problem> problems;
    const auto text = read_file(path, 1024 * 1024, problems);
    if (!text) {
        templates::CalendarLoad out;
        unreadable(path, problems, out.errors);
        return out;
    }
    return templates::load_calendar_text(*text, path);
}

handlers::quality::Phrases phrases_file(const std::string& path) {
    std::vector<json_check::Problem> problems;
    const auto text = read_file(path, 1024 * 1024, problems);
    if (!text) {
        handlers::quality::Phrases out;
        for (const auto& p : problems) {
            out.errors.push_back(path + ": " + p.path + ": " + p.message);
        }
        return out;
    }
    return handlers::quality::load_phrases_text(*text, path);
}

}  // namespace bot::loaders
