#include "bot/web/pages.hpp"

#include "bot/web/html.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"

namespace bot::web::pages {
namespace {

using html::el;
using html::Node;
using html::text;

std::string m(std::string_view locale, std::string_view key, const handlers::Args& args = {}) {
    return handlers::msg(locale, key, args);
}

/// The page's frame: a header with the product's name, the content, nothing else (and the script,
/// where a page has something for it to do).
std::string frame(std::string_view locale,
                  const std::string& title,
                  std::vector<Node> content,
                  bool script = false) {
    std::vector<Node> body;
    body.push_back(el("header", {}, {el("p", {{"class", "brand"}}, m(locale, "web.brand"))}));
    std::vector<Node> main_content;
    main_content.push_back(el("h1", {}, title));
    for (auto& n : content) {
        main_content.push_back(std::move(n));
    }
    body.push_back(el("main", {}, std::move(main_content)));
    if (script) {
        body.push_back(el("script", {{"src", std::string(kScript)}}));
    }
    return html::document(locale == "en" ? "en" : "zh-CN",
                          title + " · " + m(locale, "web.brand"),
                          kStylesheet,
                          el("body", {}, std::move(body)));
}

Node report_item(std::string_view locale,
                 const handlers::StoredReport& r,
                 const templates::TemplateSet& templates,
                 std::string_view zone) {
    const auto* t = templates.find(r.template_id);
    const std::string kind = t != nullptr ? t->name.in(locale) : r.template_id;
    const std::string day = templates::local_date(r.submitted_at, zone).iso();
    std::vector<Node> lines;
    lines.push_back(el("p", {{"class", "title"}}, r.title.empty() ? kind : r.title));
    lines.push_back(el("p",
                       {{"class", "meta"}},
                       m(locale,
                         "web.mine_line",
                         {{"number", r.number},
                          {"template", kind},
                          {"date", day},
                          {"revision", std::to_string(r.revision)}})));
    lines.push_back(el("p", {{"class", "state state-" + r.status}}, m(locale, "state." + r.status)));
    return el("li", {}, std::move(lines));
}

}  // namespace

std::string_view stylesheet() {
    return R"css(*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
font-size:16px;line-height:1.6;color:#1f2329;background:#f5f6f7}
header{background:#b4232a;color:#fff;padding:.6rem 1rem}
.brand{margin:0;font-weight:600}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.5rem 0 1rem}
ul.reports{list-style:none;margin:0;padding:0}
ul.reports li{background:#fff;border-radius:8px;padding:.75rem 1rem;margin:0 0 .75rem;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.title{margin:0;font-weight:600;word-break:break-word}
.meta{margin:.2rem 0;color:#646a73;font-size:.9rem}
.state{margin:0;font-size:.9rem}
.state-returned{color:#b4232a;font-weight:600}
.state-approved,.state-adopted{color:#1a7f37}
.empty{color:#646a73}
form.signout{margin-top:2rem}
button{font:inherit;min-height:44px;padding:.4rem 1.2rem;border-radius:6px;border:1px solid #b4232a;
background:#fff;color:#b4232a}
button:focus,a:focus{outline:3px solid #f0b429;outline-offset:2px}
)css";
}

std::string_view script() {
    return R"js("use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("signin");
  if (form) { form.submit(); }
});
)js";
}

std::string sign_in(std::string_view locale, const std::string& token) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, "web.signing_in")));
    content.push_back(el("form",
                         {{"id", "signin"}, {"method", "post"}, {"action", "/app/signin"}},
                         {el("input", {{"type", "hidden"}, {"name", "t"}, {"value", token}}),
                          el("button", {{"type", "submit"}}, m(locale, "web.sign_in"))}));
    return frame(locale, m(locale, "web.sign_in_title"), std::move(content), true);
}

std::string mine(std::string_view locale,
                 const std::string& person_name,
                 const std::vector<handlers::StoredReport>& reports,
                 const templates::TemplateSet& templates,
                 const std::string& csrf,
                 std::string_view zone) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, "web.hello", {{"name", person_name}})));
    if (reports.empty()) {
        content.push_back(el("p", {{"class", "empty"}}, m(locale, "web.mine_none")));
    } else {
        std::vector<Node> items;
        for (const auto& r : reports) {
            items.push_back(report_item(locale, r, templates, zone));
        }
        content.push_back(el("ul", {{"class", "reports"}}, std::move(items)));
    }
    content.push_back(el("form",
                         {{"class", "signout"}, {"method", "post"}, {"action", "/app/signout"}},
                         {el("input", {{"type", "hidden"}, {"name", "csrf"}, {"value", csrf}}),
                          el("button", {{"type", "submit"}}, m(locale, "web.sign_out"))}));
    return frame(locale, m(locale, "web.mine_title"), std::move(content));
}

std::string notice(std::string_view locale, std::string_view title_key, std::string_view text_key) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, text_key)));
    return frame(locale, m(locale, title_key), std::move(content));
}

}  // namespace bot::web::pages
