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

}  // namespace

std::string frame(
    std::string_view locale, const std::string& title, std::vector<Node> content, bool script, bool wide) {
    std::vector<Node> body;
    body.push_back(el("header", {}, {el("p", {{"class", "brand"}}, m(locale, "web.brand"))}));
    std::vector<Node> main_content;
    main_content.push_back(el("h1", {}, title));
    for (auto& n : content) {
        main_content.push_back(std::move(n));
    }
    body.push_back(el("main",
                      wide ? std::vector<html::Attr>{{"class", "wide"}} : std::vector<html::Attr>{},
                      std::move(main_content)));
    if (script) {
        body.push_back(el("script", {{"src", std::string(kScript)}}));
    }
    return html::document(locale == "en" ? "en" : "zh-CN",
                          title + " · " + m(locale, "web.brand"),
                          kStylesheet,
                          el("body", {}, std::move(body)));
}

namespace {

Node report_item(std::string_view locale,
                 const handlers::StoredReport& r,
                 const Comments& comments,
                 const templates::TemplateSet& templates,
                 const std::string& csrf,
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
    if (const auto c = comments.find(r.number); c != comments.end()) {
        lines.push_back(el("p", {{"class", "comment"}}, m(locale, "web.comment", {{"comment", c->second}})));
    }
    if (r.status == "submitted" || r.status == "returned") {
        lines.push_back(el("form",
                           {{"method", "post"}, {"action", "/app/revise"}, {"class", "inline"}},
                           {el("input", {{"type", "hidden"}, {"name", "csrf"}, {"value", csrf}}),
                            el("input", {{"type", "hidden"}, {"name", "number"}, {"value", r.number}}),
                            el("button", {{"type", "submit"}}, m(locale, "web.revise"))}));
    }
    return el("li", {}, std::move(lines));
}

/// The input of one field, named "f.<id>" (a multichoice's boxes all so: the post joins them).
Node input_for(const handlers::page::FieldView& v) {
    using templates::FieldType;
    const templates::Field& field = *v.field;
    const std::string name = "f." + field.id;
    const std::string id = "field-" + field.id;
    switch (field.type) {
        case FieldType::longtext:
            return el("textarea", {{"id", id}, {"name", name}, {"rows", "6"}}, v.value);
        case FieldType::choice:
        case FieldType::unit: {
            std::vector<Node> options;
            options.push_back(el("option", {{"value", ""}}, "—"));
            for (const auto& [value, label] : v.options) {
                std::vector<html::Attr> attrs{{"value", value}};
                if (value == v.value) {
                    attrs.push_back({"selected", "selected"});
                }
                options.push_back(el("option", std::move(attrs), label));
            }
            return el("select", {{"id", id}, {"name", name}}, std::move(options));
        }
        case FieldType::multichoice:
        case FieldType::yesno: {
            const bool many = field.type == FieldType::multichoice;
            std::vector<Node> boxes;
            const std::string chosen = "," + v.value + ",";
            for (std::size_t i = 0; i < v.options.size(); ++i) {
                const auto& [value, label] = v.options[i];
                std::vector<html::Attr> attrs{{"type", many ? "checkbox" : "radio"},
                                              {"name", name},
                                              {"value", value},
                                              {"id", id + "-" + std::to_string(i)}};
                if (chosen.find("," + value + ",") != std::string::npos) {
                    attrs.push_back({"checked", "checked"});
                }
                boxes.push_back(
                    el("label", {{"class", "option"}}, {el("input", std::move(attrs)), text(label)}));
            }
            return el("div", {{"id", id}, {"class", "options"}}, std::move(boxes));
        }
        case FieldType::date:
            return el("input", {{"id", id}, {"name", name}, {"type", "date"}, {"value", v.value}});
        case FieldType::integer:
        case FieldType::decimal:
        case FieldType::percent:
            return el("input", {{"id", id}, {"name", name}, {"inputmode", "decimal"}, {"value", v.value}});
        case FieldType::url:
            return el("input", {{"id", id}, {"name", name}, {"type", "url"}, {"value", v.value}});
        case FieldType::attachment:
        case FieldType::text:
            break;
    }
    return el("input", {{"id", id}, {"name", name}, {"type", "text"}, {"value", v.value}});
}

/// The chat's own preview, hints included, a paragraph a line (text, escaped like any other).
Node preview_block(const std::string& preview) {
    std::vector<Node> lines;
    std::size_t start = 0;
    for (auto end = preview.find('\n');; end = preview.find('\n', start)) {
        lines.push_back(
            el("p", {}, preview.substr(start, end == std::string::npos ? std::string::npos : end - start)));
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return el("section", {{"class", "preview"}, {"role", "status"}}, std::move(lines));
}

/// An attachment field: its photos (each with 移除), the picker, the limits. Photos sent in the
/// chat are listed as such; the page's script uploads what is picked (POST /app/upload).
Node photos_block(std::string_view locale, const handlers::page::FieldView& v) {
    const templates::Field& field = *v.field;
    std::vector<Node> items;
    std::size_t n = 0;
    for (const auto& ref : handlers::page::attachments_of(v.value)) {
        ++n;
        if (ref.starts_with("upload:")) {
            items.push_back(el("li",
                               {{"class", "photo"}},
                               {el("img",
                                   {{"src", "/app/upload/" + ref.substr(7)},
                                    {"alt", m(locale, "web.photo_n", {{"n", std::to_string(n)}})},
                                    {"width", "96"},
                                    {"height", "96"}}),
                                el("button",
                                   {{"type", "button"}, {"class", "remove"}, {"data-ref", ref}},
                                   m(locale, "web.photo_remove"))}));
        } else {
            items.push_back(el("li", {{"class", "photo chat"}}, m(locale, "web.photo_from_chat")));
        }
    }
    std::vector<Node> parts;
    parts.push_back(el("ul", {{"class", "photos"}, {"data-field", field.id}}, std::move(items)));
    parts.push_back(el("input",
                       {{"type", "file"},
                        {"id", "field-" + field.id},
                        {"accept", "image/jpeg,image/png,image/webp,image/heic,image/heif"},
                        {"multiple", "multiple"},
                        {"data-field", field.id},
                        {"data-failed", m(locale, "web.photo_failed")}}));
    parts.push_back(el("p",
                       {{"class", "help"}},
                       m(locale, "web.photos_help", {{"max", std::to_string(handlers::page::kMaxPhotos)}})));
    return el("div", {{"class", "photo-field"}}, std::move(parts));
}

/// A field: its label (必填 or 选填), its help, its input, why it was refused.
Node field_block(std::string_view locale, const handlers::page::FieldView& v) {
    const templates::Field& field = *v.field;
    std::vector<Node> parts;
    const std::string label = field.label.in(locale) + (field.required ? " *" : "");
    parts.push_back(el("label", {{"for", "field-" + field.id}, {"class", "label"}}, label));
    if (const std::string help = field.help.in(locale); !help.empty()) {
        parts.push_back(el("p", {{"class", "help"}}, help));
    }
    if (field.type == templates::FieldType::attachment) {
        parts.push_back(photos_block(locale, v));
    } else {
        parts.push_back(input_for(v));
    }
    if (!v.error.empty()) {
        parts.push_back(el("p", {{"class", "error"}, {"role", "alert"}}, v.error));
    }
    // An item whose condition does not hold yet is in the page, hidden: the script shows it as
    // soon as the answers it depends on are typed (without script, once the form is saved).
    std::vector<html::Attr> attrs{{"class", v.error.empty() ? "field" : "field invalid"},
                                  {"data-field", field.id}};
    if (!v.shown) {
        attrs.push_back({"hidden", "hidden"});
    }
    return el("div", std::move(attrs), std::move(parts));
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
.field{background:#fff;border-radius:8px;padding:.75rem 1rem;margin:0 0 .75rem}
.label{display:block;font-weight:600;margin-bottom:.3rem}
.help{margin:.1rem 0 .4rem;color:#646a73;font-size:.9rem}
input[type=text],input[type=url],input[type=date],input[type=search],input:not([type]),select,textarea{width:100%;font:inherit;
padding:.5rem;border:1px solid #c9cdd4;border-radius:6px;background:#fff;min-height:44px}
textarea{min-height:8rem}
.option{display:flex;align-items:center;gap:.5rem;min-height:44px}
.invalid input,.invalid select,.invalid textarea{border-color:#b4232a}
.error{color:#b4232a;margin:.3rem 0 0}
.note{background:#fff7e6;border-radius:6px;padding:.5rem .75rem}
.live:empty{display:none}
ul.photos{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.5rem}
li.photo{display:flex;flex-direction:column;align-items:center;gap:.25rem}
li.photo img{width:96px;height:96px;object-fit:cover;border-radius:6px;border:1px solid #c9cdd4}
li.photo.chat{padding:.5rem;background:#f5f6f7;border-radius:6px}
.live{background:#f0f6ff;border:1px solid #a9c4ef;border-radius:6px;padding:.5rem .75rem;margin:.75rem 0;
position:sticky;bottom:.5rem;max-height:40vh;overflow:auto;box-shadow:0 2px 8px rgba(0,0,0,.15)}
.live p{margin:.2rem 0}.live .hints{white-space:pre-line}.live .hints:empty{display:none}
.preview{background:#fff;border:1px solid #c9cdd4;border-radius:8px;padding:.5rem 1rem;margin:0 0 1rem}
.preview p{margin:.2rem 0;word-break:break-word}
.comment{background:#fdecec;border-left:4px solid #b4232a;padding:.5rem .75rem;margin:.4rem 0;word-break:break-word}
form.inline{margin:.4rem 0 0}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin:1rem 0}
button.primary{background:#b4232a;color:#fff}
ul.choices{padding-left:1.2rem}ul.choices li{margin:.5rem 0}
a{color:#1d5bbf}
button{font:inherit;min-height:44px;padding:.4rem 1.2rem;border-radius:6px;border:1px solid #b4232a;
background:#fff;color:#b4232a}
button:focus,a:focus{outline:3px solid #f0b429;outline-offset:2px}
main.wide{max-width:80rem}
.desk-nav{display:flex;gap:1rem;flex-wrap:wrap;margin:0 0 1rem}
form.filter,fieldset.decide,form.decide{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;
background:#fff;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;border:0}
fieldset.decide legend{font-weight:600;float:left;width:100%}
label.pick{display:flex;flex-direction:column;min-width:9rem;flex:1 1 9rem}
label.pick.wide{flex:2 1 16rem}
label.pick span{font-size:.9rem;color:#646a73}
.scroll{overflow-x:auto;background:#fff;border-radius:8px;margin:0 0 1rem}
.scroll:focus{outline:3px solid #f0b429}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.5rem .75rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid #e5e6eb;text-align:left;vertical-align:top}
td.title,td.answer{word-break:break-word;min-width:10rem;white-space:pre-wrap}
tr.changed th{color:#b4232a}
del{background:#fdecec;color:#8c1c22}
ins{background:#e6f4ea;color:#0f5323}
td.state-returned{color:#b4232a}td.state-approved,td.state-adopted{color:#1a7f37}
ul.outcomes li.refused{color:#b4232a}
.marks,.nearest,.revisions{margin:.2rem 0}
.revisions a{margin-right:.75rem}
svg.chart{display:block;width:100%;max-width:44rem;height:auto;background:#fff;border-radius:8px;
padding:.5rem;margin:0 0 1rem}
a[aria-current]{font-weight:600;color:#1f2329;text-decoration:none}
progress{width:100%;height:.8rem;accent-color:#b4232a}
)css";
}

namespace {

// The pages' one script, in three parts (data: served as one file by script()).
constexpr std::string_view kScriptBoot = R"js("use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("signin");
  if (form) { form.submit(); }
  var report = document.querySelector("form.report");
  if (report && window.fetch && window.URLSearchParams) {
    live(report);
    report.querySelectorAll("input[type=file][data-field]").forEach(function (input) { photos(report, input); });
  }
  // A Telegram Mini App: the client puts its signed launch data in the address's fragment.
  var launch = document.getElementById("launch");
  var data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
  if (launch && data) {
    document.getElementById("launch-data").value = data;
    launch.submit();
  }
});

)js";

constexpr std::string_view kScriptLive =
    R"js(// While typing: a moment after the last keystroke the form is saved as a draft (action=check) and
// the answer shown — each refused field's reason next to it, the writing hints in #live. Every
// text is set with textContent: nothing from the answer is read as HTML.
function live(report) {
  var box = document.getElementById("live");
  var timer = null, busy = false, again = false;
  function errorOf(field) {
    var p = field.querySelector("p.error.live");
    if (!p) {
      p = document.createElement("p");
      p.className = "error live";
      p.setAttribute("role", "alert");
      field.appendChild(p);
    }
    return p;
  }
  function show(answer) {
    var status = document.createElement("p");
    status.className = "status";
    status.textContent = answer.status;
    var hints = document.createElement("p");
    hints.className = "hints";
    hints.textContent = answer.hints;
    box.replaceChildren(status, hints);
    // Items whose condition now holds appear; the others go (what they hold is not saved).
    report.querySelectorAll(".field[data-field]").forEach(function (field) {
      field.hidden = answer.shown.indexOf(field.getAttribute("data-field")) < 0;
    });
    // The reasons of the last save or check give way to this one's.
    report.querySelectorAll("p.error").forEach(function (p) { p.remove(); });
    report.querySelectorAll(".field.invalid").forEach(function (f) { f.classList.remove("invalid"); });
    Object.keys(answer.errors).forEach(function (id) {
      var input = report.querySelector('[name="f.' + CSS.escape(id) + '"]');
      var field = input && input.closest(".field");
      if (field) {
        field.classList.add("invalid");
        errorOf(field).textContent = answer.errors[id];
      }
    });
  }
  function send() {
    if (busy) { again = true; return; }
    busy = true;
    var body = new URLSearchParams(new FormData(report));
    body.set("action", "check");
    fetch(report.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) { show(answer); } })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; send(); }
      });
  }
  report.addEventListener("input", function (e) {
    if (e.target.type === "file") { return; }
    clearTimeout(timer);
    timer = setTimeout(send, 800);
  });
  report.addEventListener("change", function (e) {
    if (e.target.type === "file") { return; }
    clearTimeout(timer);
    timer = setTimeout(send, 300);
  });
}

)js";

constexpr std::string_view kScriptPhotos =
    R"js(// Photos: each picked file is sent as it is (POST /app/upload, the session's CSRF token in a
// header), one after another; the answer lists the field's photos, shown again from it. 移除 takes
// one off. Texts come from the answer and are set as text.
function photos(report, input) {
  var field = input.getAttribute("data-field");
  var list = report.querySelector('ul.photos[data-field="' + CSS.escape(field) + '"]');
  var box = input.closest(".field");
  var template = report.querySelector("input[name=template]").value;
  var csrf = report.querySelector("input[name=csrf]").value;
  function say(text, bad) {
    var p = box.querySelector("p.photo-status");
    if (!p) {
      p = document.createElement("p");
      p.setAttribute("role", "status");
      box.appendChild(p);
    }
    p.className = "photo-status" + (bad ? " error" : "");
    p.textContent = text;
  }
  function render(answer) {
    var items = answer.photos.map(function (photo) {
      var li = document.createElement("li");
      li.className = photo.url ? "photo" : "photo chat";
      if (!photo.url) {
        li.textContent = photo.label;
        return li;
      }
      var img = document.createElement("img");
      img.src = photo.url;
      img.alt = photo.label;
      img.width = 96;
      img.height = 96;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.setAttribute("data-ref", photo.ref);
      remove.textContent = answer.remove;
      li.append(img, remove);
      return li;
    });
    list.replaceChildren.apply(list, items);
  }
  function handle(r) {
    return r.json().then(function (answer) {
      if (!answer.photos) { throw new Error("refused"); }
      render(answer);
      say(answer.status, !r.ok);
    });
  }
  function failed() { say(input.getAttribute("data-failed"), true); }
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    input.value = "";
    var url = "/app/upload?template=" + encodeURIComponent(template) + "&field=" + encodeURIComponent(field);
    files.reduce(function (chain, file) {
      return chain.then(function () {
        return fetch(url, { method: "POST", body: file, credentials: "same-origin",
                            headers: { "X-CSRF-Token": csrf, "Content-Type": file.type || "application/octet-stream" } })
          .then(handle);
      });
    }, Promise.resolve()).catch(failed);
  });
  list.addEventListener("click", function (e) {
    var button = e.target.closest("button.remove");
    if (!button) { return; }
    var body = new URLSearchParams({ csrf: csrf, template: template, field: field, ref: button.getAttribute("data-ref") });
    fetch("/app/upload/remove", { method: "POST", body: body, credentials: "same-origin" }).then(handle).catch(failed);
  });
}
)js";

}  // namespace

std::string_view script() {
    static const std::string whole =
        std::string(kScriptBoot) + std::string(kScriptLive) + std::string(kScriptPhotos);
    return whole;
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

std::string launch(std::string_view locale, const std::string& action) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, "web.launching")));
    content.push_back(el("p", {{"class", "hint"}}, m(locale, "web.launch_hint")));
    content.push_back(
        el("form",
           {{"id", "launch"}, {"method", "post"}, {"action", action}},
           {el("input", {{"type", "hidden"}, {"name", "d"}, {"id", "launch-data"}, {"value", ""}})}));
    return frame(locale, m(locale, "web.sign_in_title"), std::move(content), true);
}

std::string mine(std::string_view locale,
                 const std::string& person_name,
                 const std::vector<handlers::StoredReport>& reports,
                 const Comments& comments,
                 const templates::TemplateSet& templates,
                 const std::string& csrf,
                 std::string_view zone,
                 bool coordinator) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, "web.hello", {{"name", person_name}})));
    std::vector<Node> links;
    if (coordinator) {
        links.push_back(el("a", {{"href", "/app/desk"}, {"class", "button"}}, m(locale, "web.desk")));
    }
    links.push_back(el("a", {{"href", "/app/new"}, {"class", "button"}}, m(locale, "web.new_report")));
    content.push_back(el("p", {{"class", "desk-nav"}}, std::move(links)));
    if (reports.empty()) {
        content.push_back(el("p", {{"class", "empty"}}, m(locale, "web.mine_none")));
    } else {
        std::vector<Node> items;
        for (const auto& r : reports) {
            items.push_back(report_item(locale, r, comments, templates, csrf, zone));
        }
        content.push_back(el("ul", {{"class", "reports"}}, std::move(items)));
    }
    content.push_back(el("form",
                         {{"class", "signout"}, {"method", "post"}, {"action", "/app/signout"}},
                         {el("input", {{"type", "hidden"}, {"name", "csrf"}, {"value", csrf}}),
                          el("button", {{"type", "submit"}}, m(locale, "web.sign_out"))}));
    return frame(locale, m(locale, "web.mine_title"), std::move(content));
}

std::string choose(std::string_view locale,
                   const std::vector<const templates::Template*>& list,
                   const templates::Template* draft_of) {
    std::vector<Node> content;
    if (draft_of != nullptr) {
        content.push_back(
            el("p",
               {{"class", "draft"}},
               {el("a",
                   {{"href", "/app/form?template=" + draft_of->id}},
                   m(locale, "web.continue_draft", {{"template", draft_of->name.in(locale)}}))}));
    }
    std::vector<Node> items;
    for (const auto* t : list) {
        items.push_back(
            el("li", {}, {el("a", {{"href", "/app/form?template=" + t->id}}, t->name.in(locale))}));
    }
    content.push_back(items.empty() ? el("p", {{"class", "empty"}}, m(locale, "web.no_templates"))
                                    : el("ul", {{"class", "choices"}}, std::move(items)));
    content.push_back(el("p", {}, {el("a", {{"href", "/app/"}}, m(locale, "web.back_to_mine"))}));
    return frame(locale, m(locale, "web.choose_title"), std::move(content));
}

std::string form(std::string_view locale,
                 const templates::Template& t,
                 const std::vector<handlers::page::FieldView>& fields,
                 const std::string& csrf,
                 const std::string& note,
                 const std::string& revising,
                 const std::string& comment,
                 const std::string& preview) {
    std::vector<Node> content;
    if (!revising.empty()) {
        content.push_back(el("p", {{"class", "note"}}, m(locale, "web.revising", {{"number", revising}})));
    }
    if (!comment.empty()) {
        content.push_back(el(
            "p", {{"class", "comment"}, {"role", "note"}}, m(locale, "web.comment", {{"comment", comment}})));
    }
    if (!note.empty()) {
        content.push_back(el("p", {{"class", "note"}, {"role", "status"}}, note));
    }
    if (!preview.empty()) {
        content.push_back(preview_block(preview));
    }
    std::vector<Node> inputs;
    inputs.push_back(el("input", {{"type", "hidden"}, {"name", "csrf"}, {"value", csrf}}));
    inputs.push_back(el("input", {{"type", "hidden"}, {"name", "template"}, {"value", t.id}}));
    for (const auto& v : fields) {
        inputs.push_back(field_block(locale, v));
    }
    // While typing, the script saves the draft and shows here what the preview's hints would say.
    inputs.push_back(el("div", {{"id", "live"}, {"class", "live"}, {"aria-live", "polite"}}, ""));
    inputs.push_back(
        el("div",
           {{"class", "actions"}},
           {el("button", {{"type", "submit"}, {"name", "action"}, {"value", "save"}}, m(locale, "web.save")),
            el("button",
               {{"type", "submit"}, {"name", "action"}, {"value", "preview"}},
               m(locale, "web.preview")),
            el("button",
               {{"type", "submit"}, {"name", "action"}, {"value", "submit"}, {"class", "primary"}},
               m(locale, "web.submit"))}));
    content.push_back(
        el("form", {{"method", "post"}, {"action", "/app/form"}, {"class", "report"}}, std::move(inputs)));
    content.push_back(el("p", {}, {el("a", {{"href", "/app/"}}, m(locale, "web.back_to_mine"))}));
    return frame(locale, t.name.in(locale), std::move(content), true);  // the script saves while typing
}

std::string filed(std::string_view locale, const std::string& number, const std::string& title) {
    std::vector<Node> content;
    content.push_back(
        el("p", {{"class", "done"}}, m(locale, "web.filed", {{"number", number}, {"title", title}})));
    content.push_back(el("p", {}, {el("a", {{"href", "/app/"}}, m(locale, "web.back_to_mine"))}));
    return frame(locale, m(locale, "web.filed_title"), std::move(content));
}

std::string said(std::string_view locale, std::string_view title_key, const std::string& text_said) {
    std::vector<Node> content;
    content.push_back(el("p", {}, text_said));
    content.push_back(el("p", {}, {el("a", {{"href", "/app/"}}, m(locale, "web.back_to_mine"))}));
    return frame(locale, m(locale, title_key), std::move(content));
}

std::string notice(std::string_view locale, std::string_view title_key, std::string_view text_key) {
    std::vector<Node> content;
    content.push_back(el("p", {}, m(locale, text_key)));
    return frame(locale, m(locale, title_key), std::move(content));
}

}  // namespace bot::web::pages
