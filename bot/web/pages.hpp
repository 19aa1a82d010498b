#pragma once

#include "bot/web/html.hpp"
#include "handlers/effects.hpp"
#include "handlers/page_form.hpp"

#include <string>
#include <string_view>
#include <vector>

/// The pages as HTML, from data (pure: no store, no clock). Every text comes from the message
/// catalogue in the person's locale, every value through bot/web/html.hpp (escaped by construction).
namespace bot::web::pages {

/// Where the stylesheet is served (by the binary; no CDN).
inline constexpr std::string_view kStylesheet = "/app/static/app.css";

/// Where the script is served: the pages' only script (no inline script anywhere).
inline constexpr std::string_view kScript = "/app/static/app.js";

/// A page: a header with the product's name, the title and the content, nothing else (and the
/// script, where a page has something for it to do); `wide`: room for tables (the desk).
std::string frame(std::string_view locale,
                  const std::string& title,
                  std::vector<html::Node> content,
                  bool script = false,
                  bool wide = false);

/// The stylesheet: mobile first (360 px), system fonts, no external resource.
std::string_view stylesheet();

/// The script: submits the sign-in form (a link's, or a Mini App's launch data) once loaded.
std::string_view script();

/// The page a sign-in link opens: a form that signs in by POST with the link's token (a chat app
/// fetching the link for its preview does not use it up); the script submits it at once.
std::string sign_in(std::string_view locale, const std::string& token);

/// The page a Telegram Mini App opens: the script posts the launch data the client put in the
/// address's fragment to `action`; without it, a line saying where to open the page.
std::string launch(std::string_view locale, const std::string& action);

/// 我的: the person's reports this month and the open ones, and signing out (a form with the CSRF
/// token).
/// A returned report's comment, by report number (the latest 退回's 意见).
using Comments = std::map<std::string, std::string, std::less<>>;

std::string mine(std::string_view locale,
                 const std::string& person_name,
                 const std::vector<handlers::StoredReport>& reports,
                 const Comments& comments,
                 const templates::TemplateSet& templates,
                 const std::string& csrf,
                 std::string_view zone,
                 bool coordinator = false);

/// 新建报告: the templates the person may file, each a link to its form; the chat's draft first.
std::string choose(std::string_view locale,
                   const std::vector<const templates::Template*>& list,
                   const templates::Template* draft_of);

/// The report as one form: every shown field of `t` with its value and, after a post, its error;
/// 保存草稿 and 提交 (both with the CSRF token). `note`: a line above the form (saved, missing…).
std::string form(std::string_view locale,
                 const templates::Template& t,
                 const std::vector<handlers::page::FieldView>& fields,
                 const std::string& csrf,
                 const std::string& note,
                 const std::string& revising,
                 const std::string& comment = {},
                 const std::string& preview = {});

/// A page that says what the chat would have said (a refusal of the conversation's rules).
std::string said(std::string_view locale, std::string_view title_key, const std::string& text);

/// After a report was filed from the page: its number, and the way back to the list.
std::string filed(std::string_view locale, const std::string& number, const std::string& title);

/// A page that only says something: a heading and a line (signed out, a link no longer valid, …).
std::string notice(std::string_view locale, std::string_view title_key, std::string_view text_key);

}  // namespace bot::web::pages
