#pragma once

#include "bot/core/doc.hpp"

#include <map>
#include <optional>
#include <string>

namespace bot {

/// What the bot says: a text posted in a chat (or sent privately to a person), @-mentioning
/// someone. The one outgoing message type, from the handler to the adapter: a handler's reply
/// leaves `bot_id` and `chat_id` empty (the router fills in the event's), a scheduled send
/// (handlers::Send) and an outbox row (store::OutboxMessage) carry one, and the outbox plan hands
/// one per request part to Adapter::send_request.
/// A report's form posted from the pages (docs/web.md): what was typed in each field of template
/// `template_id` (field id → text), and whether the person asked to submit it. It travels as a
/// chat event does, through the same conversation.
struct FormPost {
    std::string template_id;
    std::map<std::string, std::string> fields;
    bool submit = false;
    /// 预览: the chat's preview of the draft (with its 快 · 实 · 新 hints), for the page only.
    bool preview = false;
    /// While typing: the draft saved, and only the preview's writing hints said, for the page only.
    bool check = false;
    /// Photos uploaded on the page: the attachment field `attach_field` of the draft gets `attach`
    /// ("upload:<id>") or loses `detach`; nothing else of the draft changes.
    std::string attach_field{};
    std::string attach{};
    std::string detach{};
};

struct Message {
    std::string chat_id = {};
    std::string mention_user_id = {};  ///< who the message @-mentions (empty: nobody)
    std::string mention_name = {};
    std::string text = {};
    std::string idempotency_key = {};  ///< stable per outbox row and part, for platforms that take one
    bool direct = false;      ///< a private message to mention_user_id (only where direct_messages())
    std::string bot_id = {};  ///< the bot that says it
    /// The same message with its structure (a digest, a board, a notice), for platforms with a
    /// markdown or card dialect; `text` is then plain_text(*doc). Set through with_doc().
    std::optional<Doc> doc = {};
};

/// A message saying `doc`: its text is the plain fallback.
inline Message with_doc(Message m, Doc doc) {
    m.text = plain_text(doc);
    m.doc = std::move(doc);
    return m;
}

}  // namespace bot
