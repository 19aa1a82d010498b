#include "bot/core/doc.hpp"

#include "bot/core/unicode.hpp"

#include <nlohmann/json.hpp>

namespace bot {
namespace {

bool blank(const Doc& d) {
    return d.title.empty() && d.sections.empty();
}

/// Packs parts greedily; see split().
class Splitter {
public:
    Splitter(const std::function<std::size_t(const Doc&)>& measure, std::size_t max)
        : measure_(measure), max_(max) {}

    std::vector<Doc> run(const Doc& doc) {
        cur_.title = doc.title;
        if (!fits(cur_)) {
            // A title too long to go alone (never from the catalogue): it becomes a line.
            cur_.title.clear();
            add_section({{}, {doc.title}});
        }
        for (const auto& s : doc.sections) {
            add_section(s);
        }
        if (!blank(cur_) || parts_.empty()) {
            parts_.push_back(std::move(cur_));
        }
        return std::move(parts_);
    }

private:
    bool fits(const Doc& d) const { return measure_(d) <= max_; }

    void flush() {
        if (!blank(cur_)) {
            parts_.push_back(std::move(cur_));
        }
        cur_ = {};
    }

    void add_section(const DocSection& s) {
        cur_.sections.push_back(s);
        if (fits(cur_)) {
            return;
        }
        cur_.sections.pop_back();
        if (!blank(cur_)) {
            flush();
            cur_.sections.push_back(s);
            if (fits(cur_)) {
                return;
            }
            cur_.sections.pop_back();
        }
        // Too long alone: line by line, the heading repeated where it continues.
        open(s.heading);
        for (const auto& line : s.lines) {
            add_line(s.heading, line);
        }
    }

    void open(const std::string& heading) {
        cur_.sections.push_back({heading, {}});
        if (!fits(cur_)) {
            cur_.sections.back().heading.clear();  // a heading too long to go alone is left out
        }
    }

    void add_line(const std::string& heading, std::string_view line) {
        cur_.sections.back().lines.emplace_back(line);
        if (fits(cur_)) {
            return;
        }
        cur_.sections.back().lines.pop_back();
        if (!cur_.sections.back().lines.empty() || cur_.sections.size() > 1 || !cur_.title.empty()) {
            flush();
            open(heading);
            cur_.sections.back().lines.emplace_back(line);
            if (fits(cur_)) {
                return;
            }
            cur_.sections.back().lines.pop_back();
        }
        // One line longer than a part: cut between characters.
        while (!line.empty()) {
            std::size_t lo = 0;
            std::size_t hi = line.size();
            while (lo < hi) {
                const std::size_t mid = unicode::utf8_floor(line, lo + (hi - lo + 1) / 2);
                if (mid <= lo) {
                    break;
                }
                cur_.sections.back().lines.emplace_back(line.substr(0, mid));
                const bool ok = fits(cur_);
                cur_.sections.back().lines.pop_back();
                if (ok) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            std::size_t take = lo;
            if (take == 0) {
                // Not even one character fits (a limit smaller than the markup): one anyway.
                take = 1;
                while (take < line.size() && (static_cast<unsigned char>(line[take]) & 0xC0) == 0x80) {
                    ++take;
                }
            }
            cur_.sections.back().lines.emplace_back(line.substr(0, take));
            line.remove_prefix(take);
            if (!line.empty()) {
                flush();
                open(heading);
            }
        }
    }

    const std::function<std::size_t(const Doc&)>& measure_;
    std::size_t max_;
    std::vector<Doc> parts_;
    Doc cur_;
};

}  // namespace

std::string plain_text(const Doc& doc) {
    std::string out = doc.title;
    for (const auto& s : doc.sections) {
        std::string block = s.heading;
        for (const auto& line : s.lines) {
            block += (block.empty() ? "" : "\n") + line;
        }
        if (block.empty()) {
            continue;
        }
        out += (out.empty() ? "" : "\n\n") + block;
    }
    return out;
}

std::string to_json(const Doc& doc) {
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& s : doc.sections) {
        sections.push_back({{"heading", s.heading}, {"lines", s.lines}});
    }
    nlohmann::json out{{"title", doc.title}, {"sections", std::move(sections)}};
    for (const auto& a : doc.actions) {
        out["actions"].push_back(
            {{"label", a.label}, {"command", a.command}, {"url", a.url}, {"primary", a.primary}});
    }
    return out.dump();
}

std::optional<Doc> doc_from_json(std::string_view json) {
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object() || !j.contains("title") || !j["title"].is_string() || !j.contains("sections") ||
        !j["sections"].is_array()) {
        return std::nullopt;
    }
    Doc doc{.title = j["title"].get<std::string>()};
    for (const auto& s : j["sections"]) {
        if (!s.is_object() || !s.contains("heading") || !s["heading"].is_string() || !s.contains("lines") ||
            !s["lines"].is_array()) {
            return std::nullopt;
        }
        DocSection section{.heading = s["heading"].get<std::string>()};
        for (const auto& line : s["lines"]) {
            if (!line.is_string()) {
                return std::nullopt;
            }
            section.lines.push_back(line.get<std::string>());
        }
        doc.sections.push_back(std::move(section));
    }
    if (const auto actions = j.find("actions"); actions != j.end()) {
        if (!actions->is_array()) {
            return std::nullopt;
        }
        for (const auto& a : *actions) {
            const auto text = [&a](const char* key) -> std::optional<std::string> {
                const auto it = a.find(key);
                return it != a.end() && it->is_string() ? std::optional(it->get<std::string>())
                                                        : std::nullopt;
            };
            const auto primary = a.is_object() ? a.find("primary") : a.end();
            if (!a.is_object() || !text("label") || !text("command") || !text("url") || primary == a.end() ||
                !primary->is_boolean()) {
                return std::nullopt;
            }
            doc.actions.push_back({.label = *text("label"),
                                   .command = *text("command"),
                                   .url = *text("url"),
                                   .primary = *primary});
        }
    }
    return doc;
}

std::vector<Doc> split(const Doc& doc,
                       const std::function<std::size_t(const Doc&)>& measure,
                       std::size_t max_bytes) {
    Doc text = doc;
    text.actions.clear();
    auto parts = Splitter(measure, max_bytes).run(text);
    if (!parts.empty()) {
        parts.back().actions = doc.actions;
    }
    return parts;
}

}  // namespace bot
