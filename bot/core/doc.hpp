#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

/// One part of a structured message: a heading (may be empty) and its lines.
struct DocSection {
    std::string heading = {};
    std::vector<std::string> lines = {};

    bool operator==(const DocSection&) const = default;
};

/// A button under a message (docs/conversation.md, "Buttons"): pressing it says `command` in the chat as the
/// person who pressed it (through the platform's signed callback, or a link that sends the text as them), or
/// it opens `url` (the pages, a private chat). Plain text too: the renderer escapes it.
struct DocAction {
    std::string label;
    std::string command = {};  ///< what pressing it says (a command or an answer, as typed)
    std::string url = {};      ///< or the address it opens
    bool primary = false;      ///< the suggested one (提交, 通过)

    bool operator==(const DocAction&) const = default;
};

/// What a digest, a status board or a review notice says, with its structure: a title, then
/// sections. Every string is plain text — catalogue text with what people typed in it, never
/// markup. Each platform's renderer (adapters/common/dialect) escapes every string for its dialect
/// and adds its own markup (a bold title, headings, a card); plain_text() is the fallback, and what
/// Message::text holds alongside.
struct Doc {
    std::string title = {};
    std::vector<DocSection> sections = {};
    /// Buttons, rendered natively where the platform has them (and their callbacks are verified);
    /// elsewhere left out, since the text always says what to type.
    std::vector<DocAction> actions = {};

    bool operator==(const Doc&) const = default;
};

/// The plain text of a doc: the title, then each section after a blank line (its heading, then
/// its lines, one per line). Empty parts are left out, and so are the actions (the text says what
/// to type).
std::string plain_text(const Doc& doc);

/// A doc as stored with an outbox row (JSON), and back; nullopt when `json` is not one.
std::string to_json(const Doc& doc);
std::optional<Doc> doc_from_json(std::string_view json);

/// Splits `doc` into docs of which `measure` (the rendered size in one dialect) is at most
/// `max_bytes`: whole sections while they fit; a section that does not fit alone continues in the
/// next part under the same heading; a line that does not fit alone is cut between characters
/// (never inside a UTF-8 sequence). The title goes with the first part only. Markup is added by the
/// renderer to each part, so no part ever holds half an element. The actions go with the last part.
std::vector<Doc> split(const Doc& doc,
                       const std::function<std::size_t(const Doc&)>& measure,
                       std::size_t max_bytes);

}  // namespace bot
