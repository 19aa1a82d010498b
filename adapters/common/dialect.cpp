#include "adapters/common/dialect.hpp"

#include "bot/core/http.hpp"
#include "bot/core/unicode.hpp"

#include <algorithm>
#include <cctype>

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

std::string slack_mrkdwn(std::string_view text) {
    std::string out;
    for (const char c : entities(text, false)) {
        if (std::string_view("*_~`").find(c) != std::string_view::npos) {
            append_full_width(out, c);
        } else {
            out += c;
        }
    }
    return out;
}

std::string dingtalk_markdown(std::string_view text) {
    return full_width(text, "*_`~[]()<>#|\\");
}

namespace {

constexpr std::size_t kSlackBlocks = 50;
constexpr std::size_t kSlackSectionBytes = 3000;  // the limit counts characters: bytes are safe
constexpr std::size_t kSlackHeaderChars = 150;

/// The first `max` code points of `text` (UTF-8).
std::string first_chars(const std::string& text, std::size_t max) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max) {
            return text.substr(0, i);
        }
    }
    return text;
}

/// The mrkdwn texts of slack_blocks()' section blocks, in order.
std::vector<std::string> slack_sections(const bot::Doc& doc, std::string_view mention_user_id) {
    std::vector<std::string> texts;
    std::string mention = mention_user_id.empty() ? std::string() : "<@" + slack(mention_user_id) + "> ";
    for (const auto& s : doc.sections) {
        std::string text = std::move(mention);
        mention.clear();
        if (!s.heading.empty()) {
            text += "*" + slack_mrkdwn(s.heading) + "*";
        }
        for (const auto& line : s.lines) {
            const std::string next = slack_mrkdwn(line);
            if (!text.empty() && text.size() + 1 + next.size() > kSlackSectionBytes) {
                texts.push_back(std::move(text));
                text.clear();
            }
            text += (text.empty() ? "" : "\n") + next;
        }
        if (!text.empty()) {
            texts.push_back(std::move(text));
        }
    }
    if (!mention.empty()) {
        texts.push_back(std::move(mention));
    }
    return texts;
}

}  // namespace

nlohmann::json slack_blocks(const bot::Doc& doc, std::string_view mention_user_id) {
    nlohmann::json blocks = nlohmann::json::array();
    if (const std::string title = unicode::clean(doc.title); !title.empty()) {
        blocks.push_back(
            {{"type", "header"},
             {"text", {{"type", "plain_text"}, {"text", first_chars(title, kSlackHeaderChars)}}}});
    }
    for (auto& text : slack_sections(doc, mention_user_id)) {
        blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}});
    }
    return blocks;
}

std::size_t slack_blocks_bytes(const bot::Doc& doc) {
    // A mention adds at most one short block or prefix: one block and a few bytes of room.
    const auto texts = slack_sections(doc, {});
    std::size_t total = unicode::clean(doc.title).size();
    for (const auto& t : texts) {
        if (t.size() + 32 > kSlackSectionBytes) {
            return SIZE_MAX;
        }
        total += t.size();
    }
    return texts.size() + 2 > kSlackBlocks ? SIZE_MAX : total;
}

namespace {

/// A markdown line that starts "12. " would become an ordered list, which renumbers from 1 in
/// some clients: the rank would change. Its dot goes full-width (U+FF0E), which reads the same.
std::string no_list(std::string line) {
    std::size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') {
        ++digits;
    }
    if (digits > 0 && digits < line.size() && line[digits] == '.') {
        line.replace(digits, 1, "\xEF\xBC\x8E");
    }
    return line;
}

/// A dialect's markup around a doc's escaped strings.
struct Markup {
    std::string_view title_open, title_close;
    std::string_view heading_open, heading_close;
    std::string_view line_break;  ///< between lines of a section; sections are a blank line apart
    bool no_lists = false;        ///< markdown: "12." opening a line must not start a list
};

/// The title, then per section its heading and lines, each string through `escape`.
template <class Escape>
std::string render(const bot::Doc& doc, Escape escape, const Markup& m) {
    std::string out;
    if (!doc.title.empty()) {
        out.append(m.title_open).append(escape(doc.title)).append(m.title_close);
    }
    for (const auto& s : doc.sections) {
        std::string block;
        if (!s.heading.empty()) {
            block.append(m.heading_open).append(escape(s.heading)).append(m.heading_close);
        }
        for (const auto& line : s.lines) {
            if (!block.empty()) {
                block.append(m.line_break);
            }
            block += m.no_lists ? no_list(escape(line)) : escape(line);
        }
        if (!block.empty()) {
            out += (out.empty() ? "" : "\n\n") + block;
        }
    }
    return out;
}

}  // namespace

std::string telegram_html(const bot::Doc& doc) {
    return render(doc,
                  [](std::string_view t) { return telegram_html(t); },
                  {"<b>", "</b>", "<b>", "</b>", "\n", false});
}

std::string wecom_markdown(const bot::Doc& doc) {
    return render(
        doc, [](std::string_view t) { return wecom_markdown(t); }, {"**", "**", "**", "**", "\n", true});
}

std::string dingtalk_markdown(const bot::Doc& doc) {
    // A single line break is not one in DingTalk's markdown: two spaces before it make it one.
    return render(doc,
                  [](std::string_view t) { return dingtalk_markdown(t); },
                  {"#### ", "", "**", "**", "  \n", true});
}

std::string summary(const bot::Doc& doc) {
    std::string first = doc.title;
    for (const auto& s : doc.sections) {
        if (!first.empty()) {
            break;
        }
        first = !s.heading.empty() ? s.heading : s.lines.empty() ? std::string() : s.lines.front();
    }
    return first_chars(unicode::clean(first), 64);
}

nlohmann::json feishu_post(const bot::Doc& doc,
                           std::string_view mention_open_id,
                           std::string_view mention_name) {
    const auto run = [](std::string_view text, bool bold = false) {
        nlohmann::json r{{"tag", "text"}, {"text", unicode::clean(text)}};  // a text run is never parsed
        if (bold) {
            r["style"] = nlohmann::json::array({"bold"});
        }
        return r;
    };
    nlohmann::json paragraphs = nlohmann::json::array();
    for (const auto& s : doc.sections) {
        if (!paragraphs.empty()) {
            paragraphs.push_back(nlohmann::json::array({run("")}));
        }
        if (!s.heading.empty()) {
            paragraphs.push_back(nlohmann::json::array({run(s.heading, true)}));
        }
        for (const auto& line : s.lines) {
            paragraphs.push_back(nlohmann::json::array({run(line)}));
        }
    }
    if (!mention_open_id.empty()) {
        if (paragraphs.empty()) {
            paragraphs.push_back(nlohmann::json::array());
        }
        nlohmann::json at{{"tag", "at"}, {"user_id", std::string(mention_open_id)}};
        if (!mention_name.empty()) {
            at["user_name"] = unicode::clean(mention_name);
        }
        auto& first = paragraphs[0];
        first.insert(first.begin(), run(" "));
        first.insert(first.begin(), std::move(at));
    }
    return {{"zh_cn", {{"title", unicode::clean(doc.title)}, {"content", std::move(paragraphs)}}}};
}

bool plain_doc(const bot::Doc& doc) {
    return doc.title.empty() && std::all_of(doc.sections.begin(),
                                            doc.sections.end(),
                                            [](const bot::DocSection& s) { return s.heading.empty(); });
}

namespace {

bool web_address(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

}  // namespace

nlohmann::json telegram_keyboard(const std::vector<bot::DocAction>& actions) {
    constexpr std::size_t kMaxData = 64;  // callback_data: 1–64 bytes
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& a : actions) {
        nlohmann::json button{{"text", first_chars(unicode::clean(a.label), 40)}};
        if (!a.url.empty() && web_address(a.url)) {
            button["url"] = a.url;
        } else if (!a.command.empty() && a.command.size() <= kMaxData) {
            button["callback_data"] = a.command;
        } else {
            continue;
        }
        if (rows.empty() || rows.back().size() == 2) {
            rows.push_back(nlohmann::json::array());
        }
        rows.back().push_back(std::move(button));
    }
    return {{"inline_keyboard", std::move(rows)}};
}

nlohmann::json slack_actions(const std::vector<bot::DocAction>& actions) {
    constexpr std::size_t kMaxButtons = 25;
    nlohmann::json elements = nlohmann::json::array();
    for (std::size_t i = 0; i < actions.size() && elements.size() < kMaxButtons; ++i) {
        const auto& a = actions[i];
        nlohmann::json button{
            {"type", "button"},
            {"action_id", "liaison_" + std::to_string(i)},
            {"text", {{"type", "plain_text"}, {"text", first_chars(unicode::clean(a.label), 75)}}}};
        if (!a.url.empty() && web_address(a.url)) {
            button["url"] = a.url;
        } else if (!a.command.empty() && a.command.size() <= 2000) {
            button["value"] = a.command;
        } else {
            continue;
        }
        if (a.primary) {
            button["style"] = "primary";
        }
        elements.push_back(std::move(button));
    }
    return {{"type", "actions"}, {"block_id", "liaison"}, {"elements", std::move(elements)}};
}

nlohmann::json feishu_card(const bot::Doc& doc, std::string_view mention_open_id, bool direct) {
    nlohmann::json elements = nlohmann::json::array();
    const bool safe_id =
        !mention_open_id.empty() && std::all_of(mention_open_id.begin(), mention_open_id.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (safe_id) {
        elements.push_back(
            {{"tag", "div"},
             {"text",
              {{"tag", "lark_md"}, {"content", "<at id=" + std::string(mention_open_id) + "></at>"}}}});
    }
    bot::Doc body = doc;
    body.title.clear();
    elements.push_back(
        {{"tag", "div"},
         {"text", {{"tag", "plain_text"}, {"content", unicode::clean(bot::plain_text(body))}}}});
    nlohmann::json buttons = nlohmann::json::array();
    for (const auto& a : doc.actions) {
        nlohmann::json button{{"tag", "button"},
                              {"text", {{"tag", "plain_text"}, {"content", unicode::clean(a.label)}}},
                              {"type", a.primary ? "primary" : "default"}};
        if (!a.url.empty() && web_address(a.url)) {
            button["url"] = a.url;
        } else if (!a.command.empty()) {
            button["value"] = {{"command", a.command}, {"direct", direct}};
        } else {
            continue;
        }
        buttons.push_back(std::move(button));
    }
    if (!buttons.empty()) {
        elements.push_back({{"tag", "action"}, {"actions", std::move(buttons)}});
    }
    nlohmann::json card{{"config", {{"wide_screen_mode", true}}}, {"elements", std::move(elements)}};
    if (const std::string title = unicode::clean(doc.title); !title.empty()) {
        card["header"] = {{"title", {{"tag", "plain_text"}, {"content", title}}}};
    }
    return card;
}

nlohmann::json dingtalk_buttons(const std::vector<bot::DocAction>& actions) {
    constexpr std::size_t kMaxButtons = 5;
    nlohmann::json btns = nlohmann::json::array();
    for (const auto& a : actions) {
        std::string url;
        if (!a.url.empty() && web_address(a.url)) {
            url = a.url;
        } else if (!a.command.empty()) {
            url = "dtmd://dingtalkclient/sendMessage?content=" + bot::percent_encode(a.command);
        }
        if (!url.empty() && btns.size() < kMaxButtons) {
            btns.push_back({{"title", unicode::clean(a.label)}, {"actionURL", std::move(url)}});
        }
    }
    return btns;
}

}  // namespace bot::adapters::dialect
