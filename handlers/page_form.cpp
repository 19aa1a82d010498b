#include "handlers/page_form.hpp"

#include "handlers/flow.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"
#include "templates/validate.hpp"

#include <algorithm>

namespace bot::handlers::page {
namespace {

using templates::Field;
using templates::FieldType;
using templates::Template;

/// The values a choice-like field's inputs send, with their labels.
std::vector<std::pair<std::string, std::string>> options_of(const Field& field,
                                                            const templates::FieldContext& fc,
                                                            std::string_view locale) {
    std::vector<std::pair<std::string, std::string>> out;
    switch (field.type) {
        case FieldType::choice:
        case FieldType::multichoice:
            for (const auto& c : field.choices) {
                out.emplace_back(c.id, c.label.in(locale));
            }
            break;
        case FieldType::unit:
            for (const auto& u : fc.units) {
                out.emplace_back(u.id, u.name);
            }
            break;
        case FieldType::yesno:
            out.emplace_back("true", msg(locale, "web.yes"));
            out.emplace_back("false", msg(locale, "web.no"));
            break;
        default:
            break;
    }
    return out;
}

std::string error_text(std::string_view locale, const templates::Invalid& inv) {
    const Args args(inv.args.begin(), inv.args.end());
    return msg(locale, inv.key, args);
}

}  // namespace

templates::FieldContext field_context(const Template& t,
                                      const Person* person,
                                      const FlowContext& ctx,
                                      std::vector<templates::UnitRef>& storage) {
    templates::FieldContext f;
    f.today = templates::local_date(ctx.now, t.time_zone);
    f.own_unit = person != nullptr ? person->unit : "";
    f.units = person != nullptr ? ctx.roster.units_for(*person, storage)
                                : std::span<const templates::UnitRef>(ctx.roster.unit_refs());
    f.own_units_only = person != nullptr && !person->coordinates();
    return f;
}

Checked check(const Template& t,
              const std::map<std::string, std::string>& typed,
              const Person* person,
              const FlowContext& ctx,
              std::string_view locale) {
    std::vector<templates::UnitRef> storage;
    const templates::FieldContext fc = field_context(t, person, ctx, storage);
    Checked out;
    for (const Field& field : t.fields) {
        FieldView v{
            .field = &field, .shown = templates::condition_met(field, out.answers), .value = {}, .error = {}};
        v.options = options_of(field, fc, locale);
        const auto it = typed.find(field.id);
        v.value = it != typed.end() ? std::string(templates::text::trim(it->second)) : std::string();
        if (!v.shown || field.type == FieldType::attachment) {
            out.fields.push_back(std::move(v));
            continue;
        }
        if (v.value.empty()) {
            out.missing = out.missing || field.required;
        } else {
            const auto checked = templates::validate(field, v.value, fc);
            if (const auto* ok = std::get_if<std::string>(&checked)) {
                out.answers[field.id] = *ok;
                v.value = *ok;
            } else {
                v.error = error_text(locale, std::get<templates::Invalid>(checked));
                out.refused = true;
            }
        }
        out.fields.push_back(std::move(v));
    }
    return out;
}

std::vector<FieldView> view(const Template& t,
                            const std::map<std::string, std::string>& answers,
                            bool fresh,
                            const Person* person,
                            const FlowContext& ctx,
                            std::string_view locale) {
    std::vector<templates::UnitRef> storage;
    const templates::FieldContext fc = field_context(t, person, ctx, storage);
    std::vector<FieldView> out;
    for (const Field& field : t.fields) {
        FieldView v{
            .field = &field, .shown = templates::condition_met(field, answers), .value = {}, .error = {}};
        v.options = options_of(field, fc, locale);
        if (const auto it = answers.find(field.id); it != answers.end()) {
            v.value = it->second;
        } else if (fresh) {
            v.value = templates::default_value(field, fc).value_or("");
        }
        out.push_back(std::move(v));
    }
    return out;
}

namespace {

/// The chat's draft for `t`: the stored one when it is of that template (a revision stays a
/// revision), else a new one.
Session draft_of(const Flow& f, const Template& t, const std::optional<Session>& stored) {
    if (stored && stored->template_id == t.id && stored->stage != Stage::choosing) {
        return *stored;
    }
    Session s;
    s.template_id = t.id;
    s.template_version = t.version;
    s.started_at = f.ctx.now;
    return s;
}

/// In the chat the draft goes on where the page left it: at the first required item still empty,
/// else at its preview.
void place(const Template& t, Session& s) {
    s.failures = 0;
    s.back_to_preview = false;
    s.stage = Stage::previewing;
    s.field_index = t.fields.empty() ? 0 : t.fields.size() - 1;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const Field& field = t.fields[i];
        if (field.required && s.answers.count(field.id) == 0 && templates::condition_met(field, s.answers)) {
            s.stage = Stage::filling;
            s.field_index = i;
            return;
        }
    }
}

/// A photo put on or taken off an attachment field; nothing said (the page shows the photos).
void attach(Flow& f, const Template& t, const std::optional<Session>& stored, const FormPost& form) {
    if (!form.attach.empty() && !cannot_attach(t, stored, form.attach_field).empty()) {
        return;
    }
    const auto field = std::find_if(
        t.fields.begin(), t.fields.end(), [&](const Field& x) { return x.id == form.attach_field; });
    if (field == t.fields.end() || field->type != FieldType::attachment) {
        return;
    }
    Session s = draft_of(f, t, stored);
    auto refs = attachments_of(s.answers[field->id]);
    std::erase(refs, form.detach);
    if (!form.attach.empty()) {
        refs.push_back(form.attach);
    }
    std::string joined;
    for (const auto& r : refs) {
        joined += (joined.empty() ? "" : "\n") + r;
    }
    if (joined.empty()) {
        s.answers.erase(field->id);
    } else {
        s.answers[field->id] = joined;
    }
    place(t, s);
    f.save(std::move(s));
}

}  // namespace

std::vector<std::string> attachments_of(std::string_view answer) {
    std::vector<std::string> out;
    while (!answer.empty()) {
        const auto end = answer.find('\n');
        const std::string line = templates::text::trim(answer.substr(0, end));
        if (!line.empty()) {
            out.emplace_back(line);
        }
        answer = end == std::string_view::npos ? std::string_view{} : answer.substr(end + 1);
    }
    return out;
}

std::string cannot_attach(const Template& t, const std::optional<Session>& stored, std::string_view field) {
    const auto it =
        std::find_if(t.fields.begin(), t.fields.end(), [&](const Field& x) { return x.id == field; });
    if (it == t.fields.end() || it->type != FieldType::attachment) {
        return "web.photo_no_field";
    }
    if (!stored || stored->template_id != t.id || stored->stage == Stage::choosing) {
        return {};  // a new draft: nothing attached yet
    }
    const auto answer = stored->answers.find(it->id);
    const bool full = answer != stored->answers.end() && attachments_of(answer->second).size() >= kMaxPhotos;
    return full ? "web.photo_full" : "";
}

void post(Flow& f, const std::optional<Session>& stored, const FormPost& form) {
    const Template* t = f.ctx.templates.find(form.template_id);
    const auto allowed = f.ctx.roster.templates_for(f.ctx.templates, f.in.chat_id, *f.person);
    if (t == nullptr || std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
        return;  // not a template this person files here: the page says so, nothing changes
    }
    if (!form.attach_field.empty()) {
        attach(f, *t, stored, form);
        return;
    }
    const Checked checked = check(*t, form.fields, f.person, f.ctx, f.locale);
    Session s = draft_of(f, *t, stored);  // the same draft as in the chat
    std::map<std::string, std::string> answers = checked.answers;
    for (const Field& field : t->fields) {
        if (field.type == FieldType::attachment) {
            if (const auto it = s.answers.find(field.id); it != s.answers.end()) {
                answers[field.id] = it->second;  // photos are put on and taken off one by one (attach)
            }
        }
    }
    s.answers = std::move(answers);
    place(*t, s);
    if (form.preview && !checked.refused) {
        form::preview(f, *t, s, Command{});  // the chat's preview and hints; the page shows them
        return;
    }
    if (form.check) {
        form::hints(f, *t, std::move(s));  // saved as typed, with the hints the preview would give
        return;
    }
    if (form.submit && !checked.refused) {
        form::submit_form(f, *t, s, Command{});  // as 提交 in chat: missing items, 新, the receipt
        if (f.fx.op == SessionOp::erase) {
            return;  // filed
        }
        f.fx.replies.clear();  // refused (missing, a copy): the page shows why, the chat hears nothing
    }
    f.save(std::move(s));
}

}  // namespace bot::handlers::page
