#include "bot/web/web.hpp"

#include "adapters/common/crypto.hpp"
#include "bot/usecases/reports.hpp"
#include "bot/usecases/web.hpp"
#include "bot/web/desk.hpp"
#include "bot/web/in_app.hpp"
#include "bot/web/pages.hpp"
#include "bot/web/respond.hpp"
#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"
#include "handlers/page_form.hpp"
#include "handlers/ranking.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>

namespace bot::web {
namespace {

/// Every "f.<id>" of a form body, by field id; a field sent more than once (a multichoice's boxes)
/// joined by ",".
std::map<std::string, std::string> report_fields(std::string_view body) {
    std::map<std::string, std::string> out;
    while (!body.empty()) {
        const auto end = body.find('&');
        const std::string_view pair = body.substr(0, end);
        body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
        const auto eq = pair.find('=');
        const auto name = percent_decode(pair.substr(0, eq), true);
        if (eq == std::string_view::npos || !name || !name->starts_with("f.")) {
            continue;
        }
        const auto value = percent_decode(pair.substr(eq + 1), true);
        std::string& into = out[name->substr(2)];
        into += (into.empty() || !value || value->empty() ? "" : ",") + value.value_or("");
    }
    return out;
}

/// The comment of a report's latest 退回 (its audit trail), or empty.
result<std::string> return_comment(store::Tx& tx, const std::string& number) {
    auto found = usecase::find_report(tx, number, true);
    if (!found) {
        return found.error();
    }
    std::string comment;
    if (*found) {
        for (const auto& line : (*found)->history) {
            if (line.action == "report.returned") {
                comment = line.after;
            }
        }
    }
    return comment;
}

/// A page's event key of its own (random): each post is one message, never a platform's retry.
std::string event_key() {
    const std::string bytes = adapters::crypto::random_bytes(12);
    return "web:" +
           adapters::crypto::to_hex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

/// The answer to a form checked while typing (JSON for the page's script, which shows each text
/// with textContent): whether the draft was saved, each refused field's reason, the items whose
/// condition holds, the hints.
HttpResponse checked_answer(std::string_view locale,
                            const handlers::page::Checked& checked,
                            const std::vector<Message>& replies) {
    nlohmann::json errors = nlohmann::json::object();
    nlohmann::json shown = nlohmann::json::array();
    for (const auto& v : checked.fields) {
        if (!v.error.empty()) {
            errors[v.field->id] = v.error;
        }
        if (v.shown) {
            shown.push_back(v.field->id);
        }
    }
    std::string hints;
    for (const auto& m : replies) {
        hints += (hints.empty() ? "" : "\n") + m.text;
    }
    HttpResponse r{
        .status = 200,
        .content_type = "application/json; charset=utf-8",
        .body = nlohmann::json{{"status",
                                handlers::msg(locale, checked.refused ? "web.fix_errors" : "web.autosaved")},
                               {"errors", errors},
                               {"shown", shown},
                               {"hints", hints}}
                    .dump(),
        .headers = {}};
    harden(r);
    return r;
}

struct Router {
    Deps deps;
    bool secure;
    std::string origin;
    std::shared_ptr<Limiter> limiter;
    std::shared_ptr<InAppSignIn> in_app;  ///< the platforms' own sign-in, the second way in
    std::shared_ptr<Desk> desk;           ///< the coordinators' desk (/app/desk)

    std::string locale_of(const handlers::Person* p) const {
        return p != nullptr && !p->locale.empty() ? p->locale : deps.locale;
    }

    std::string session_cookie(const std::string& value, std::chrono::seconds max_age) const {
        return cookie(kCookie, value, "/app", max_age, secure);
    }

    /// A POST from another site is refused (respond.hpp).
    bool same_origin(const HttpRequest& request) const { return web::same_origin(request, origin); }

    core::ApiCall operator()(const HttpRequest& request, TimePoint now) const;
    core::ApiCall sign_in_page(const HttpRequest& request) const;
    core::ApiCall sign_in(const HttpRequest& request, TimePoint now) const;
    core::ApiCall home(const HttpRequest& request, TimePoint now) const;
    core::ApiCall sign_out(const HttpRequest& request, TimePoint now) const;
    core::ApiCall choose(const HttpRequest& request, TimePoint now) const;
    core::ApiCall show_form(const HttpRequest& request, TimePoint now) const;
    core::ApiCall post_form(const HttpRequest& request, TimePoint now) const;
    core::ApiCall revise(const HttpRequest& request, TimePoint now) const;
    core::ApiCall upload(const HttpRequest& request, TimePoint now) const;
    core::ApiCall unattach(const HttpRequest& request, TimePoint now) const;
    core::ApiCall show_photo(const HttpRequest& request, TimePoint now) const;

    /// A photo put on (`attach`) or taken off (`detach`) the draft through the conversation, then
    /// the field's photos as JSON for the page's script.
    result<void> change_photos(store::Tx& tx,
                               const store::WebSession& s,
                               FormPost form,
                               const std::string& key,
                               TimePoint now,
                               HttpResponse& out) const;

    result<void> answer_post(store::Tx& tx,
                             const store::WebSession& s,
                             const FormPost& form,
                             const std::string& key,
                             TimePoint now,
                             HttpResponse& out) const;

    /// As signed_in, for a form that changes something: its CSRF token must be the session's.
    result<std::optional<store::WebSession>> signed_in_form(store::Tx& tx,
                                                            const std::string& cookie,
                                                            const std::string& csrf,
                                                            TimePoint now,
                                                            HttpResponse& out) const {
        auto s = signed_in(tx, cookie, now, out);
        if (s && *s && !adapters::crypto::constant_time_equal(csrf, (**s).csrf)) {
            out = notice(403, deps.locale, "web.forbidden_title", "web.forbidden");
            return std::optional<store::WebSession>();
        }
        return s;
    }

    /// A message of the chat the person signed in from, as they would send it there.
    InboundEvent chat_event(const store::WebSession& s,
                            const handlers::Person& person,
                            std::string key,
                            TimePoint now) const {
        InboundEvent event;
        event.bot_id = s.chat.bot_id;
        const auto platform = deps.routing.settings.bot_platforms.find(event.bot_id);
        event.platform = s.chat.bot_id == "console"  // a console draft (web-link --console)
                             ? std::string(handlers::kConsolePlatform)
                             : platform != deps.routing.settings.bot_platforms.end() ? platform->second : "";
        event.chat_id = s.chat.chat_id;
        event.user_id = s.chat.user_id;
        event.user_name = person.name;
        event.dedupe_key = std::move(key);
        event.received_at = now;
        return event;
    }

    /// The signed-in person of a cookie, in the unit of work: nullopt (and `out` the sign-in page)
    /// when there is none.
    result<std::optional<store::WebSession>> signed_in(store::Tx& tx,
                                                       const std::string& cookie,
                                                       TimePoint now,
                                                       HttpResponse& out) const {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (s && !*s) {
            out = notice(401, deps.locale, "web.sign_in_title", "web.sign_in_how");
        }
        return s;
    }
};

/// GET /app/signin?t=…: a page that signs in by POST (a chat app fetching the link for a preview
/// does not use it up); its script submits the form at once, a button does without script.
core::ApiCall Router::sign_in_page(const HttpRequest& request) const {
    const std::string token = request.query_param("t").value_or("");
    if (token.empty()) {
        return now_answer(notice(400, deps.locale, "web.link_invalid_title", "web.link_invalid"));
    }
    return now_answer(html_page(200, pages::sign_in(deps.locale, token)));
}

core::ApiCall Router::sign_in(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    if (!limiter->allow(address_of(request.remote), now)) {
        return now_answer(notice(429, deps.locale, "web.too_many_title", "web.too_many"));
    }
    const std::string token = form_field(request.body, "t").value_or("");
    const std::string previous = cookie_of(request, kCookie);
    return deferred([this, token, previous, rid = request.request_id, now](store::Tx& tx, HttpResponse& out) {
        auto in = usecase::open_sign_in(deps.usecases, tx, token, previous, rid, now);
        if (!in) {
            return result<void>(in.error());
        }
        if (!*in) {
            out = notice(410, deps.locale, "web.link_invalid_title", "web.link_invalid");
            return result<void>{};
        }
        // A coordinator lands on the desk, an officer on their reports.
        const handlers::Person* person = deps.usecases.roster.person_by_id((*in)->session.person_id);
        out = html_page(303, "");
        out.headers.emplace_back("Location",
                                 person != nullptr && person->coordinates() ? "/app/desk" : "/app/");
        out.headers.emplace_back(
            "Set-Cookie",
            session_cookie((*in)->cookie,
                           std::chrono::duration_cast<std::chrono::seconds>(deps.usecases.web.idle)));
        return result<void>{};
    });
}

core::ApiCall Router::home(const HttpRequest& request, TimePoint now) const {
    const std::string cookie = cookie_of(request, kCookie);
    return deferred([this, cookie, now](store::Tx& tx, HttpResponse& out) {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (!s) {
            return result<void>(s.error());
        }
        if (!*s) {
            out = notice(401, deps.locale, "web.sign_in_title", "web.sign_in_how");
            return result<void>{};
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        const auto since = handlers::ranking::window_of(deps.zone, now, "month").from;
        auto reports = usecase::mine(tx, (*s)->person_id, since, handlers::kMineListed);
        if (!reports) {
            return result<void>(reports.error());
        }
        pages::Comments comments;
        for (const auto& r : *reports) {
            if (r.status == "returned") {
                auto c = return_comment(tx, r.number);
                if (!c) {
                    return result<void>(c.error());
                }
                comments[r.number] = *c;
            }
        }
        out = html_page(200,
                        pages::mine(locale_of(person),
                                    person->name,
                                    *reports,
                                    comments,
                                    deps.usecases.templates,
                                    (*s)->csrf,
                                    deps.zone,
                                    person->coordinates()));
        return result<void>{};
    });
}

core::ApiCall Router::sign_out(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    const std::string cookie = cookie_of(request, kCookie);
    const std::string csrf = form_field(request.body, "csrf").value_or("");
    return deferred([this, cookie, csrf, rid = request.request_id, now](store::Tx& tx, HttpResponse& out) {
        auto s = usecase::web_session(deps.usecases, tx, cookie, now);
        if (!s) {
            return result<void>(s.error());
        }
        if (!*s || !adapters::crypto::constant_time_equal(csrf, (*s)->csrf)) {
            out = notice(403, deps.locale, "web.forbidden_title", "web.forbidden");
            return result<void>{};
        }
        const auto actor = usecase::web_actor(deps.usecases, **s, rid);
        if (auto done = usecase::sign_out(tx, actor, cookie, now); !done) {
            return done;
        }
        out = notice(200, locale_of(actor.person), "web.signed_out_title", "web.signed_out");
        out.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
        return result<void>{};
    });
}

/// 新建报告: the templates the person files in the chat they signed in from.
core::ApiCall Router::choose(const HttpRequest& request, TimePoint now) const {
    return deferred([this, cookie = cookie_of(request, kCookie), now](store::Tx& tx, HttpResponse& out) {
        auto s = signed_in(tx, cookie, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        const auto ctx = router::flow_context(deps.routing, (*s)->chat.bot_id, now);
        auto draft = usecase::draft(tx, (*s)->chat);
        if (!draft) {
            return result<void>(draft.error());
        }
        const templates::Template* draft_of = *draft && (*draft)->stage != handlers::Stage::choosing
                                                  ? deps.usecases.templates.find((*draft)->template_id)
                                                  : nullptr;
        out = html_page(200,
                        pages::choose(locale_of(person),
                                      ctx.roster.templates_for(ctx.templates, (*s)->chat.chat_id, *person),
                                      draft_of));
        return result<void>{};
    });
}

/// The form of `template` (or of the chat's draft): the draft's answers when it is of that template.
core::ApiCall Router::show_form(const HttpRequest& request, TimePoint now) const {
    const std::string wanted = request.query_param("template").value_or("");
    return deferred([this, cookie = cookie_of(request, kCookie), wanted, now](store::Tx& tx,
                                                                              HttpResponse& out) {
        auto s = signed_in(tx, cookie, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        const std::string locale = locale_of(person);
        const auto ctx = router::flow_context(deps.routing, (*s)->chat.bot_id, now);
        auto draft = usecase::draft(tx, (*s)->chat);
        if (!draft) {
            return result<void>(draft.error());
        }
        const bool has_draft = *draft && (*draft)->stage != handlers::Stage::choosing;
        const std::string id = !wanted.empty() ? wanted : has_draft ? (*draft)->template_id : std::string();
        const auto allowed = ctx.roster.templates_for(ctx.templates, (*s)->chat.chat_id, *person);
        const auto* t = deps.usecases.templates.find(id);
        if (t == nullptr || std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
            out = notice(404, locale, "web.not_found_title", "web.unknown_template");
            return result<void>{};
        }
        const bool same = has_draft && (*draft)->template_id == t->id;
        const auto fields = handlers::page::view(
            *t, same ? (*draft)->answers : std::map<std::string, std::string>{}, !same, person, ctx, locale);
        const std::string revising = same ? (*draft)->revising : "";
        auto comment = revising.empty() ? result<std::string>(std::string()) : return_comment(tx, revising);
        if (!comment) {
            return result<void>(comment.error());
        }
        out = html_page(200, pages::form(locale, *t, fields, (*s)->csrf, "", revising, *comment));
        return result<void>{};
    });
}

/// 保存草稿 / 提交: checked field by field, then sent through the conversation as a message of the
/// chat the person signed in from (the same draft; on 提交 the same use case and receipt).
core::ApiCall Router::post_form(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    const std::string action = form_field(request.body, "action").value_or("");
    FormPost form{.template_id = form_field(request.body, "template").value_or(""),
                  .fields = report_fields(request.body),
                  .submit = action == "submit",
                  .preview = action == "preview",
                  .check = action == "check"};
    const std::string csrf = form_field(request.body, "csrf").value_or("");
    const std::string key = event_key();
    return deferred(
        [this, cookie = cookie_of(request, kCookie), csrf, form, key, now](store::Tx& tx, HttpResponse& out) {
            auto s = signed_in_form(tx, cookie, csrf, now, out);
            if (!s || !*s) {
                return s ? result<void>{} : result<void>(s.error());
            }
            return answer_post(tx, **s, form, key, now, out);
        });
}

/// The post as a message of the person's chat (the same conversation and apply as chat); then the
/// page: the report filed, or the form again with what was typed and why.
result<void> Router::answer_post(store::Tx& tx,
                                 const store::WebSession& s,
                                 const FormPost& form,
                                 const std::string& key,
                                 TimePoint now,
                                 HttpResponse& out) const {
    const handlers::Person* person = deps.usecases.roster.person_by_id(s.person_id);
    const std::string locale = locale_of(person);
    const auto ctx = router::flow_context(deps.routing, s.chat.bot_id, now);
    const auto allowed = ctx.roster.templates_for(ctx.templates, s.chat.chat_id, *person);
    const auto* t = deps.usecases.templates.find(form.template_id);
    if (t == nullptr || std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
        out = notice(404, locale, "web.not_found_title", "web.unknown_template");
        return {};
    }
    const auto checked = handlers::page::check(*t, form.fields, person, ctx, locale);
    InboundEvent event = chat_event(s, *person, key, now);
    event.form = form;
    auto done = std::make_shared<core::EventResult>();
    // 预览's answer and the hints while typing come back to the page; 提交's receipt goes to the chat.
    const auto route = form.preview || form.check ? core::ReplyRoute::inline_reply : core::ReplyRoute::outbox;
    if (auto r = deps.process(std::move(event), now, std::chrono::hours(24), route, done)(tx); !r) {
        return r;
    }
    for (const auto& h : done->happened) {
        if (h.event == "report_submitted" || h.event == "report_revised") {
            out = html_page(200, pages::filed(locale, h.number, t->name.in(locale)));
            return {};
        }
    }
    // The photos are the draft's (put on one by one), not the post's.
    auto fields = checked.fields;
    auto draft = usecase::draft(tx, s.chat);
    if (!draft) {
        return result<void>(draft.error());
    }
    for (auto& v : fields) {
        if (v.field->type == templates::FieldType::attachment && *draft && (*draft)->template_id == t->id) {
            const auto it = (*draft)->answers.find(v.field->id);
            v.value = it != (*draft)->answers.end() ? it->second : "";
        }
    }
    if (form.check) {
        out = checked_answer(locale, checked, done->replies);
        return {};
    }
    const std::string note = handlers::msg(locale,
                                           checked.refused                  ? "web.fix_errors"
                                           : form.submit && checked.missing ? "web.missing"
                                           : form.submit                    ? "web.not_filed"
                                                                            : "web.saved");
    std::string preview;
    for (const auto& m : form.preview ? done->replies : std::vector<Message>{}) {
        preview += (preview.empty() ? "" : "\n") + m.text;
    }
    out =
        html_page(200, pages::form(locale, *t, fields, s.csrf, preview.empty() ? note : "", "", "", preview));
    return {};
}

/// 修改 on the page: `修改 R-…` as the person would say it in their chat (the same rules: theirs only,
/// while it can change), its answer kept from the group; then the form of the revision.
core::ApiCall Router::revise(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    const std::string csrf = form_field(request.body, "csrf").value_or("");
    const std::string number = form_field(request.body, "number").value_or("");
    const std::string key = event_key();
    return deferred([this, cookie = cookie_of(request, kCookie), csrf, number, key, now](store::Tx& tx,
                                                                                         HttpResponse& out) {
        auto s = signed_in_form(tx, cookie, csrf, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        InboundEvent event = chat_event(**s, *person, key, now);
        event.text = "修改 " + number;
        auto done = std::make_shared<core::EventResult>();
        if (auto r = deps.process(
                std::move(event), now, std::chrono::hours(24), core::ReplyRoute::inline_reply, done)(tx);
            !r) {
            return r;
        }
        auto draft = usecase::draft(tx, (*s)->chat);
        if (!draft) {
            return result<void>(draft.error());
        }
        if (*draft && (*draft)->revising == handlers::report_number(number)) {
            out = html_page(303, "");
            out.headers.emplace_back("Location", "/app/form");
            return result<void>{};
        }
        out = html_page(403,
                        pages::said(locale_of(person),
                                    "web.cannot_revise_title",
                                    done->replies.empty() ? std::string() : done->replies.front().text));
        return result<void>{};
    });
}

/// The photos of one attachment field as the page's script shows them (JSON, set as text).
HttpResponse photos_answer(std::string_view locale,
                           const std::optional<handlers::Session>& draft,
                           const FormPost& form,
                           unsigned status,
                           const std::string& said) {
    nlohmann::json photos = nlohmann::json::array();
    std::vector<std::string> refs;
    if (draft && draft->template_id == form.template_id) {
        if (const auto it = draft->answers.find(form.attach_field); it != draft->answers.end()) {
            refs = handlers::page::attachments_of(it->second);
        }
    }
    std::size_t n = 0;
    for (const auto& ref : refs) {
        ++n;
        const bool uploaded = ref.starts_with("upload:");
        photos.push_back({{"ref", ref},
                          {"url", uploaded ? "/app/upload/" + ref.substr(7) : ""},
                          {"label",
                           uploaded ? handlers::msg(locale, "web.photo_n", {{"n", std::to_string(n)}})
                                    : handlers::msg(locale, "web.photo_from_chat")}});
    }
    HttpResponse r{.status = status,
                   .content_type = "application/json; charset=utf-8",
                   .body = nlohmann::json{{"status", said},
                                          {"photos", photos},
                                          {"remove", handlers::msg(locale, "web.photo_remove")}}
                               .dump(),
                   .headers = {}};
    harden(r);
    return r;
}

result<void> Router::change_photos(store::Tx& tx,
                                   const store::WebSession& s,
                                   FormPost form,
                                   const std::string& key,
                                   TimePoint now,
                                   HttpResponse& out) const {
    const handlers::Person* person = deps.usecases.roster.person_by_id(s.person_id);
    const std::string locale = locale_of(person);
    const bool adding = !form.attach.empty();
    InboundEvent event = chat_event(s, *person, key, now);
    event.form = std::move(form);
    auto done = std::make_shared<core::EventResult>();
    if (auto r = deps.process(event, now, std::chrono::hours(24), core::ReplyRoute::inline_reply, done)(tx);
        !r) {
        return r;
    }
    auto draft = usecase::draft(tx, s.chat);
    if (!draft) {
        return result<void>(draft.error());
    }
    out = photos_answer(locale,
                        *draft,
                        *event.form,
                        200,
                        handlers::msg(locale, adding ? "web.photo_added" : "web.photo_removed"));
    return {};
}

/// A photo picked on the page (the body is the file): kept by the use case when it is an image of
/// an allowed type and size, then put on the draft's field through the conversation.
core::ApiCall Router::upload(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    FormPost form{.template_id = request.query_param("template").value_or(""),
                  .fields = {},
                  .attach_field = request.query_param("field").value_or("")};
    const std::string csrf(request.header("x-csrf-token").value_or(""));
    return deferred([this,
                     cookie = cookie_of(request, kCookie),
                     csrf,
                     form,
                     body = request.body,
                     rid = request.request_id,
                     key = event_key(),
                     now](store::Tx& tx, HttpResponse& out) mutable {
        auto s = signed_in_form(tx, cookie, csrf, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        const handlers::Person* person = deps.usecases.roster.person_by_id((*s)->person_id);
        const std::string locale = locale_of(person);
        auto draft = usecase::draft(tx, (*s)->chat);
        if (!draft) {
            return result<void>(draft.error());
        }
        const auto* t = deps.usecases.templates.find(form.template_id);
        const std::string cannot = t == nullptr
                                       ? "web.photo_no_field"
                                       : handlers::page::cannot_attach(*t, *draft, form.attach_field);
        if (!cannot.empty()) {
            out = photos_answer(
                locale,
                *draft,
                form,
                409,
                handlers::msg(locale, cannot, {{"max", std::to_string(handlers::page::kMaxPhotos)}}));
            return result<void>{};
        }
        auto kept = usecase::upload_photo(
            deps.usecases, tx, usecase::web_actor(deps.usecases, **s, rid), std::move(body), now);
        if (!kept) {
            return result<void>(kept.error());
        }
        if (!kept->refusal.empty()) {
            const auto mb = std::to_string(deps.usecases.web.upload_bytes / (1024 * 1024));
            out = photos_answer(locale,
                                *draft,
                                form,
                                kept->refusal == "web.photo_too_large" ? 413 : 415,
                                handlers::msg(locale, kept->refusal, {{"max", mb}}));
            return result<void>{};
        }
        form.attach = "upload:" + kept->id;
        return change_photos(tx, **s, form, key, now, out);
    });
}

/// 移除 on a photo: taken off the draft's field through the conversation.
core::ApiCall Router::unattach(const HttpRequest& request, TimePoint now) const {
    if (!same_origin(request)) {
        return now_answer(notice(403, deps.locale, "web.forbidden_title", "web.forbidden"));
    }
    FormPost form{.template_id = form_field(request.body, "template").value_or(""),
                  .fields = {},
                  .attach_field = form_field(request.body, "field").value_or(""),
                  .detach = form_field(request.body, "ref").value_or("")};
    const std::string csrf = form_field(request.body, "csrf").value_or("");
    return deferred([this, cookie = cookie_of(request, kCookie), csrf, form, key = event_key(), now](
                        store::Tx& tx, HttpResponse& out) {
        auto s = signed_in_form(tx, cookie, csrf, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        return change_photos(tx, **s, form, key, now, out);
    });
}

/// GET /app/upload/<id>: the photo, to its owner only.
core::ApiCall Router::show_photo(const HttpRequest& request, TimePoint now) const {
    const std::string id = request.path.substr(std::string_view("/app/upload/").size());
    return deferred([this, cookie = cookie_of(request, kCookie), id, now](store::Tx& tx, HttpResponse& out) {
        auto s = signed_in(tx, cookie, now, out);
        if (!s || !*s) {
            return s ? result<void>{} : result<void>(s.error());
        }
        auto p = usecase::photo(tx, **s, id);
        if (!p) {
            return result<void>(p.error());
        }
        if (!*p) {
            out = notice(404, deps.locale, "web.not_found_title", "web.not_found");
            return result<void>{};
        }
        out = HttpResponse{
            .status = 200, .content_type = (*p)->mime, .body = std::move((*p)->bytes), .headers = {}};
        harden(out);
        out.headers.emplace_back("Cache-Control", "private, max-age=3600");
        out.headers.emplace_back("Content-Disposition", "inline");
        return result<void>{};
    });
}

core::ApiCall Router::operator()(const HttpRequest& request, TimePoint now) const {
    const std::string& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == pages::kStylesheet && get) {
        HttpResponse css{.status = 200,
                         .content_type = "text/css; charset=utf-8",
                         .body = std::string(pages::stylesheet()),
                         .headers = {}};
        harden(css);
        return now_answer(std::move(css));
    }
    if (path == pages::kScript && get) {
        HttpResponse js{.status = 200,
                        .content_type = "text/javascript; charset=utf-8",
                        .body = std::string(pages::script()),
                        .headers = {}};
        harden(js);
        return now_answer(std::move(js));
    }
    if (path == "/app/signin") {
        return get ? sign_in_page(request)
               : request.method == "POST"
                   ? sign_in(request, now)
                   : now_answer(notice(405, deps.locale, "web.not_found_title", "web.not_found"));
    }
    if ((path == "/app" || path == "/app/") && get) {
        return home(request, now);
    }
    if (path == "/app/signout" && request.method == "POST") {
        return sign_out(request, now);
    }
    if (path == "/app/revise" && request.method == "POST") {
        return revise(request, now);
    }
    if (path == "/app/new" && get) {
        return choose(request, now);
    }
    if (path == "/app/form") {
        return get ? show_form(request, now)
               : request.method == "POST"
                   ? post_form(request, now)
                   : now_answer(notice(405, deps.locale, "web.not_found_title", "web.not_found"));
    }
    if (path == "/app/upload" && request.method == "POST") {
        return upload(request, now);
    }
    if (path == "/app/upload/remove" && request.method == "POST") {
        return unattach(request, now);
    }
    if (path.starts_with("/app/upload/") && get) {
        return show_photo(request, now);
    }
    if (auto call = (*in_app)(request, now)) {
        return std::move(*call);
    }
    if (auto call = (*desk)(request, now)) {
        return std::move(*call);
    }
    return now_answer(notice(404, deps.locale, "web.not_found_title", "web.not_found"));
}

}  // namespace

core::ApiHandler handler(const Deps& deps) {
    const bool secure = deps.public_url.starts_with("https://");
    auto limiter = std::make_shared<Limiter>(deps.sign_in_attempts, deps.sign_in_window);
    auto router = std::make_shared<Router>(
        Router{.deps = deps,
               .secure = secure,
               .origin = origin_of(deps.public_url),
               .limiter = limiter,
               .in_app = std::make_shared<InAppSignIn>(deps, secure, origin_of(deps.public_url), limiter),
               .desk = std::make_shared<Desk>(deps, origin_of(deps.public_url))});
    return [router](const HttpRequest& request, TimePoint now) {
        return (*router)(request, now);
    };
}

}  // namespace bot::web
