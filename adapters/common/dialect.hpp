#pragma once

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

}  // namespace bot::adapters::dialect
