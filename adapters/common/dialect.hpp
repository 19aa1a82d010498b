#pragma once

#include "bot/core/doc.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

/// What Liaison says is plain text (the catalogue uses no markup); each platform reads some
/// characters of a message as markup, mentions or links. These functions make a plain text inert
/// in one platform's dialect, so that nothing a person typed — a title, an answer, a name — can
/// mention, link or format when it is repeated. Each cleans the text first (unicode::clean: no
/// controls, no zero-width or direction-changing characters). Adapters add their own markup (the
/// mention) after escaping. DingTalk's and the webhook's text messages are inert already (JSON
/// strings of msgtype text); they are cleaned only.
namespace bot::adapters::dialect {

/// Slack message text: &, < and > as entities, so no <@U…>, <!channel> or <url|link> can form.
/// The request also sets "mrkdwn": false, so * _ ~ ` do not format.
std::string slack(std::string_view text);

/// Telegram HTML (parse_mode HTML): &, < and > as entities; " too inside an attribute.
std::string telegram_html(std::string_view text, bool attribute = false);

/// WeCom markdown (AI bot pushes): the ASCII characters its markdown and HTML subset read —
/// * _ ` ~ [ ] < > # | \ — become their full-width forms, which look alike and mean nothing; so
/// no bold, link, heading, quote, <font> or <@mention> can form.
std::string wecom_markdown(std::string_view text);

/// WeCom text (the self-built app's message/send): < and > full-width, so no <a href> forms.
std::string wecom_text(std::string_view text);

/// Feishu `post` content: each line a paragraph of one text run (text runs are never parsed:
/// no <at>, no <b>, no link), the mention (when given) as an `at` run before the first line.
nlohmann::json feishu_post(std::string_view text,
                           std::string_view mention_open_id,
                           std::string_view mention_name = {});

/// Any other text: cleaned only (unicode::clean).
std::string plain(std::string_view text);

/// Slack mrkdwn text (Block Kit sections): as slack(), and * _ ~ ` full-width, so that nothing
/// typed bolds, italicises, strikes or quotes code.
std::string slack_mrkdwn(std::string_view text);

/// DingTalk markdown: the characters its markdown and HTML subset read — * _ ` ~ [ ] ( ) < > # |
/// \ — full-width, so no link, image, heading, <font> or emphasis can form.
std::string dingtalk_markdown(std::string_view text);

// ---- A doc (bot::Doc) in each dialect. Every string of the doc is escaped as above; the markup
// (bold title and headings, line breaks, blocks) is the renderer's own. ----

/// Slack Block Kit: a header block (the title, ≤ 150 characters), then per section one or more
/// section blocks of mrkdwn ("*heading*" and the lines), each text ≤ 3000 bytes; the mention, if
/// any, opens the first section.
nlohmann::json slack_blocks(const bot::Doc& doc, std::string_view mention_user_id);
/// What Slack limits in slack_blocks(): the number of blocks (≤ 50) and each text (≤ 3000);
/// returns the bytes of all texts, or SIZE_MAX when a limit is broken.
std::size_t slack_blocks_bytes(const bot::Doc& doc);

/// Telegram HTML: <b>title</b>, then per section <b>heading</b> and the lines.
std::string telegram_html(const bot::Doc& doc);

/// WeCom markdown: **title**, then per section **heading** and the lines (one per line).
std::string wecom_markdown(const bot::Doc& doc);

/// DingTalk markdown: "#### title", then per section **heading** and the lines (hard line breaks).
std::string dingtalk_markdown(const bot::Doc& doc);

/// A doc's first words, cleaned, as a notification's preview shows them (≤ 64 characters): the
/// title, else the first heading or line.
std::string summary(const bot::Doc& doc);

/// Feishu `post`: the title as the post's title, each heading a bold text run in a paragraph of
/// its own, each line a paragraph of one text run; an empty paragraph between sections; the
/// mention (when given) as an `at` run opening the first paragraph.
nlohmann::json feishu_post(const bot::Doc& doc,
                           std::string_view mention_open_id,
                           std::string_view mention_name = {});

// ---- Buttons (bot::DocAction; docs/conversation.md, "Buttons"). Labels are plain text, cleaned; a command
// goes back to the bot verbatim in the platform's signed callback, so it is never markup. ----

/// Whether a doc is only text (no title, no headings): sent as the plain message it says, with its
/// buttons, rather than as a card.
bool plain_doc(const bot::Doc& doc);

/// Telegram's inline keyboard: a callback button per command (callback_data ≤ 64 bytes: a longer
/// command is left out, its text still says what to type), a url button per link; rows of two.
nlohmann::json telegram_keyboard(const std::vector<bot::DocAction>& actions);

/// A Block Kit `actions` block (block_id "liaison"): buttons whose `value` is the command, or a url.
nlohmann::json slack_actions(const std::vector<bot::DocAction>& actions);

/// A Feishu message card (msg_type interactive): the doc's title as its header, its text as one
/// plain_text div (never parsed), the mention as an `at` element, and an `action` element with a
/// button per action whose `value` carries the command (and whether the chat is private).
nlohmann::json feishu_card(const bot::Doc& doc, std::string_view mention_open_id, bool direct);

/// A DingTalk actionCard's buttons: each command as a dtmd link that has the client send it as
/// the person (DingTalk robots get no callback of their own), each url as it is; at most five.
nlohmann::json dingtalk_buttons(const std::vector<bot::DocAction>& actions);

}  // namespace bot::adapters::dialect
