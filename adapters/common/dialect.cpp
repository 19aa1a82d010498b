#include "adapters/common/dialect.hpp"

#include "bot/core/unicode.hpp"

namespace bot::adapters::dialect {
namespace {

/// The full-width form (U+FF01…U+FF5E) of a printable ASCII character, in UTF-8.
void append_full_width(std::string& out, char c) {
    const auto cp = static_cast<unsigned>(0xFF01 + (static_cast<unsigned char>(c) - 0x21));
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
}

std::string entities(std::string_view text, bool quotes) {
    const std::string clean = unicode::clean(text);
    std::string out;
    out.reserve(clean.size());
    for (const char c : clean) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += quotes ? "&quot;" : "\"";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string full_width(std::string_view text, std::string_view which) {
    const std::string clean = unicode::clean(text);
    std::string out;
    out.reserve(clean.size());
    for (const char c : clean) {
        if (which.find(c) != std::string_view::npos) {
            append_full_width(out, c);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string slack(std::string_view text) {
    return entities(text, false);
}

std::string telegram_html(std::string_view text, bool attribute) {
    return entities(text, attribute);
}

std::string wecom_markdown(std::string_view text) {
    return full_width(text, "*_`~[]<>#|\\");
}

std::string wecom_text(std::string_view text) {
    return full_width(text, "<>");
}

nlohmann::json feishu_post(std::string_view text,
                           std::string_view mention_open_id,
                           std::string_view mention_name) {
    const std::string clean = unicode::clean(text);
    nlohmann::json paragraphs = nlohmann::json::array();
    std::size_t start = 0;
    for (;;) {
        const auto end = clean.find('\n', start);
        const std::string line =
            clean.substr(start, end == std::string::npos ? std::string::npos : end - start);
        nlohmann::json runs = nlohmann::json::array();
        if (paragraphs.empty() && !mention_open_id.empty()) {
            nlohmann::json at{{"tag", "at"}, {"user_id", std::string(mention_open_id)}};
            if (!mention_name.empty()) {
                at["user_name"] = unicode::clean(mention_name);  // a JSON string: inert
            }
            runs.push_back(std::move(at));
            runs.push_back({{"tag", "text"}, {"text", " " + line}});
        } else {
            runs.push_back({{"tag", "text"}, {"text", line}});
        }
        paragraphs.push_back(std::move(runs));
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return {{"zh_cn", {{"title", ""}, {"content", std::move(paragraphs)}}}};
}

std::string plain(std::string_view text) {
    return unicode::clean(text);
}

}  // namespace bot::adapters::dialect
