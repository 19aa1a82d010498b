// The form: one template's questions, one at a time, as a pure state machine over the session.
// Commands reach it through the command table (commands.cpp): each form row names its step here.
#include "handlers/commands.hpp"
#include "handlers/flow.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"
#include "templates/validate.hpp"

#include <algorithm>

namespace bot::handlers {

templates::FieldContext Flow::field_ctx(const templates::Template& t) const {
    templates::FieldContext f;
    f.today = templates::local_date(ctx.now, t.time_zone);
    f.own_unit = person != nullptr ? person->unit : "";
    f.units = person != nullptr ? ctx.roster.units_for(*person, unit_storage)
                                : std::span<const templates::UnitRef>(ctx.roster.unit_refs());
    f.own_units_only = person != nullptr && !person->coordinates();
    f.attachments = in.attachments;
    return f;
}

namespace form {
namespace {

using templates::Field;
using templates::FieldType;
using templates::Template;
namespace text = templates::text;

constexpr int kShowExampleAfter = 2;       // invalid answers in a row before the example is shown
constexpr std::size_t kMaxLabelChars = 8;  // longer text before a colon is content, not a label

std::vector<std::size_t> visible_fields(const Template& t, const Session& s) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        if (templates::condition_met(t.fields[i], s.answers)) {
            out.push_back(i);
        }
    }
    return out;
}

std::string display_value(const Flow& f, const Field& field, const std::string& value) {
    return shown_value(field, value, f.ctx.roster, f.locale);
}

std::string prompt_text(const Flow& f, const Template& t, const Session& s) {
    const Field& field = t.fields[s.field_index];
    const auto visible = visible_fields(t, s);
    const auto pos = std::find(visible.begin(), visible.end(), s.field_index);
    const std::size_t step = pos == visible.end() ? 1 : static_cast<std::size_t>(pos - visible.begin()) + 1;
    std::string out =
        f.m("prompt_header",
            {{"template", t.name.in(f.locale)},
             {"step", std::to_string(step)},
             {"total", std::to_string(visible.size())},
             {"label", field.label.in(f.locale)},
             {"requirement", f.m(field.required ? "requirement_required" : "requirement_optional")}});
    auto line = [&out](const std::string& l) {
        if (!l.empty()) {
            out += "\n" + l;
        }
    };
    if (field.min_length && field.max_length) {
        line(f.m("prompt_limits_text",
                 {{"min", std::to_string(*field.min_length)}, {"max", std::to_string(*field.max_length)}}));
    } else if (field.max_length) {
        line(f.m("prompt_limits_max", {{"max", std::to_string(*field.max_length)}}));
    }
    if ((field.type == FieldType::integer || field.type == FieldType::decimal) && field.min && field.max) {
        line(f.m("prompt_range",
                 {{"min", std::to_string(static_cast<long long>(*field.min))},
                  {"max", std::to_string(static_cast<long long>(*field.max))}}));
    }
    if (field.type == FieldType::choice || field.type == FieldType::multichoice) {
        std::string options;
        for (std::size_t i = 0; i < field.choices.size(); ++i) {
            options +=
                (i == 0 ? "" : "  ") + std::to_string(i + 1) + " " + field.choices[i].label.in(f.locale);
        }
        line(options);
        if (field.type == FieldType::multichoice) {
            line(f.m("prompt_multichoice"));
        }
    }
    if (field.type == FieldType::unit) {
        // A long roster is not listed in full (100,000 units would be megabytes per prompt): the
        // first ones by number, then the count; a unit's name or id is always accepted.
        constexpr std::size_t kListed = 30;
        std::string options;
        const auto units = f.field_ctx(t).units;
        for (std::size_t i = 0; i < units.size() && i < kListed; ++i) {
            options += (i == 0 ? "" : "  ") + std::to_string(i + 1) + " " + units[i].name;
        }
        line(options);
        if (units.size() > kListed) {
            line(f.m("units_more", {{"count", std::to_string(units.size())}}));
        }
    }
    if (field.type == FieldType::date && field.help.zh.empty()) {
        line(f.m("prompt_date"));  // the template's own help says the same when it has one
    } else if (field.type == FieldType::attachment) {
        line(f.m("prompt_attachment"));
    } else if (field.type == FieldType::yesno) {
        line(f.m("prompt_yesno"));
    }
    line(field.help.in(f.locale));
    if (const auto it = s.answers.find(field.id); it != s.answers.end()) {
        line(f.m("prompt_current", {{"value", text::truncate(display_value(f, field, it->second), 60)}}));
    } else if (const auto def = templates::default_value(field, f.field_ctx(t))) {
        line(f.m("prompt_default", {{"value", display_value(f, field, *def)}}));
    }
    if (s.failures >= kShowExampleAfter && !field.example.zh.empty()) {
        line(f.m("prompt_example", {{"example", field.example.in(f.locale)}}));
    }
    // 跳过 is offered only where it does something: an optional item, or one with a default.
    const bool skippable = !field.required || templates::default_value(field, f.field_ctx(t)).has_value();
    line(f.m(skippable ? "prompt_commands" : "prompt_commands_required"));
    return out;
}

/// The buttons under an item's question (docs/conversation.md, "Buttons"): its choices, or yes and
/// no (跳过 stays typed: a late press would skip another item).
std::vector<DocAction> prompt_actions(const Flow& f, const Template& t, const Session& s) {
    constexpr std::size_t kMaxButtons = 10;
    const Field& field = t.fields[s.field_index];
    std::vector<DocAction> out;
    // Each says "item:answer", so a press after the form has moved on sets its own item only.
    const std::string item = field.label.in(f.locale) + ":";
    if (field.type == FieldType::choice) {
        for (std::size_t i = 0; i < field.choices.size() && i < kMaxButtons; ++i) {
            const std::string label = field.choices[i].label.in(f.locale);
            out.push_back({.label = label, .command = item + label});
        }
    } else if (field.type == FieldType::yesno) {
        out.push_back({.label = f.m("button.yes"), .command = item + f.m("button.yes")});
        out.push_back({.label = f.m("button.no"), .command = item + f.m("button.no")});
    }
    return out;
}

/// The preview's buttons: 提交 (unless the draft cannot be submitted as it is) and 取消.
std::vector<DocAction> preview_actions(const Flow& f, bool refused) {
    std::vector<DocAction> out;
    if (!refused) {
        out.push_back({.label = f.m("button.submit"), .command = f.m("button.submit"), .primary = true});
    }
    out.push_back({.label = f.m("button.cancel"), .command = f.m("button.cancel")});
    return out;
}

/// A button per report type: 填报 and its name (pressed while a form is open, it says so).
std::vector<DocAction> template_actions(const Flow& f, const std::vector<const Template*>& list) {
    std::vector<DocAction> out;
    for (std::size_t i = 0; i < list.size() && i < 10; ++i) {
        const std::string name = list[i]->name.in(f.locale);
        out.push_back({.label = name, .command = f.m("button.start") + " " + name});
    }
    return out;
}

/// 快 · 实 · 新 of the draft (docs/quality.md), against the earlier reports the router read.
/// When the router did not read the earlier reports sharing the draft's band keys, the step asks for
/// them (Effects::similar_wanted) and is decided again with them.
quality::Assessment assessment(Flow& f, const Template& t, const Session& s) {
    const auto& read = f.reads.similar_keys;
    for (const auto k : quality::band_keys(quality::sign(quality::comparable_text(t, s.answers)))) {
        if (!std::binary_search(read.begin(), read.end(), k)) {
            f.fx.similar_wanted.push_back(k);
        }
    }
    if (!f.fx.similar_wanted.empty()) {
        f.fx.similar_template = t.id;
        f.fx.similar_exclude = s.revising;
    }
    return quality::assess(t, s.answers, f.ctx.now, f.reads.similar, f.ctx.settings.quality, f.locale);
}

/// What the preview adds: an exact copy's refusal, else the template's hints (if it shows them).
std::string quality_notes(const Flow& f, const Template& t, const Session& s, const quality::Assessment& a) {
    if (a.exact_copy) {
        return f.m("quality.exact_copy", {{"number", a.exact_copy->number}, {"title", a.exact_copy->title}});
    }
    if (!t.quality.hints || a.hints.empty()) {
        return {};
    }
    std::string out = f.m("quality.header");
    auto hints = a.hints;
    // A 实 or 新 hint offers the nearest 范文, within the three lines.
    const bool solid_or_new = std::any_of(
        hints.begin(), hints.end(), [](const quality::Hint& h) { return h.key != "quality.late"; });
    const StoredReport* example = solid_or_new ? exemplars::nearest(f, t, s.answers) : nullptr;
    if (example != nullptr) {
        if (hints.size() >= 3) {
            hints.resize(2);
        }
        hints.push_back({"quality.exemplar", {{"number", example->number}, {"title", example->title}}});
    }
    for (const auto& h : hints) {
        out += "\n" + f.m(h.key, Args(h.args.begin(), h.args.end()));
    }
    return out;
}

/// `refused`: the draft cannot be submitted as it is (an exact copy): the footer offers editing only.
std::string preview_text(
    const Flow& f, const Template& t, const Session& s, const std::string& notes, bool refused = false) {
    std::string out = f.m("preview_header", {{"template", t.name.in(f.locale)}});
    if (!s.revising.empty()) {
        out += " · " + s.revising;
    }
    std::size_t n = 0;
    for (const std::size_t i : visible_fields(t, s)) {
        const Field& field = t.fields[i];
        const auto it = s.answers.find(field.id);
        const std::string value =
            it == s.answers.end() ? f.m("preview_empty") : display_value(f, field, it->second);
        out += "\n" + std::to_string(++n) + ". " + field.label.in(f.locale) + ":" + value;
    }
    if (!notes.empty()) {
        out += "\n" + notes;
    }
    out += "\n" + f.m(refused ? "preview_footer_refused" : "preview_footer");
    return out;
}

/// Fills unanswered visible fields that have defaults; drops answers of fields now hidden.
void settle(const Flow& f, const Template& t, Session& s) {
    const auto fctx = f.field_ctx(t);
    for (const auto& field : t.fields) {
        if (!templates::condition_met(field, s.answers)) {
            s.answers.erase(field.id);
        } else if (s.answers.count(field.id) == 0) {
            if (auto def = templates::default_value(field, fctx)) {
                s.answers[field.id] = *def;
            }
        }
    }
}

void show_preview(Flow& f, const Template& t, Session s) {
    settle(f, t, s);
    s.stage = Stage::previewing;
    s.back_to_preview = false;
    s.failures = 0;
    const quality::Assessment assessed = assessment(f, t, s);
    const bool refused = assessed.exact_copy.has_value();
    f.say(preview_text(f, t, s, quality_notes(f, t, s, assessed), refused), preview_actions(f, refused));
    f.save(std::move(s));
}

/// Moves to the first visible unanswered field at or after `from`, else to the preview.
void advance(Flow& f, const Template& t, Session s, std::size_t from) {
    if (s.back_to_preview) {
        show_preview(f, t, std::move(s));
        return;
    }
    for (std::size_t i = from; i < t.fields.size(); ++i) {
        if (templates::condition_met(t.fields[i], s.answers) && s.answers.count(t.fields[i].id) == 0) {
            s.field_index = i;
            s.stage = Stage::filling;
            s.failures = 0;
            f.say(prompt_text(f, t, s), prompt_actions(f, t, s));
            f.save(std::move(s));
            return;
        }
    }
    show_preview(f, t, std::move(s));
}

bool one_shot(Flow& f, const Template& t, Session& s, std::string_view text);

/// A new form of `t`; `pasted` (the lines after 填报 类型 in the same message) answered at once
/// when they are `标签:值` lines.
void begin(Flow& f, const Template& t, std::string_view pasted = {}) {
    Session s;
    s.stage = Stage::filling;
    s.template_id = t.id;
    s.template_version = t.version;
    s.started_at = f.ctx.now;
    if (!pasted.empty() && one_shot(f, t, s, pasted)) {
        return;
    }
    advance(f, t, std::move(s), 0);
}

}  // namespace

std::vector<const Template*> choices_for(const Flow& f) {
    return f.person == nullptr ? std::vector<const Template*>{}
                               : f.ctx.roster.templates_for(f.ctx.templates, f.in.chat_id, *f.person);
}

std::string template_options(const Flow& f, const std::vector<const Template*>& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        out += (i == 0 ? "" : "  ") + std::to_string(i + 1) + " " + list[i]->name.in(f.locale);
    }
    return out;
}

const Template* pick_template(const std::vector<const Template*>& list, const std::string& answer) {
    const std::string a = text::normalize(answer);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Template* t = list[i];
        if (a == std::to_string(i + 1) || a == t->id || a == text::normalize(t->name.zh) ||
            (!t->name.en.empty() && a == text::normalize(t->name.en))) {
            return t;
        }
    }
    return nullptr;
}

void start(Flow& f, const std::string& typed) {
    // 填报 类型, optionally followed by a prepared report's 标签:值 lines in the same message.
    const auto nl = typed.find('\n');
    const std::string arg = text::trim(typed.substr(0, nl));
    const std::string pasted = nl == std::string::npos ? std::string() : typed.substr(nl + 1);
    if (f.person == nullptr) {
        f.say(f.m("not_on_roster"));
        return;
    }
    const auto list = choices_for(f);
    if (list.empty()) {
        f.say(f.m("no_templates"));
        return;
    }
    if (list.size() == 1) {
        begin(f, *list.front(), pasted);
        return;
    }
    if (!arg.empty()) {
        if (const Template* t = pick_template(list, arg)) {
            begin(f, *t, pasted);
            return;
        }
    }
    Session s;
    s.stage = Stage::choosing;
    s.started_at = f.ctx.now;
    f.say(f.m("choose_template", {{"options", template_options(f, list)}}), template_actions(f, list));
    f.save(std::move(s));
}

namespace {

std::string error_text(const Flow& f, const templates::Invalid& inv) {
    Args args(inv.args.begin(), inv.args.end());
    return f.m(inv.key, args);
}

void reprompt_after_error(Flow& f, const Template& t, Session s, const std::string& error) {
    ++s.failures;
    f.say(error + "\n" + prompt_text(f, t, s));
    f.save(std::move(s));
}

std::string title_of(const Flow& f, const Template& t, const Session& s) {
    if (const auto it = s.answers.find("title"); it != s.answers.end()) {
        return it->second;
    }
    for (const auto& field : t.fields) {
        if (field.type == FieldType::text) {
            if (const auto it = s.answers.find(field.id); it != s.answers.end()) {
                return text::truncate(it->second, 40);
            }
        }
    }
    return t.name.in(f.locale);
}

void submit(Flow& f, const Template& t, Session s) {
    settle(f, t, s);
    std::vector<std::string> missing;
    std::optional<std::size_t> first_missing;
    for (const std::size_t i : visible_fields(t, s)) {
        const Field& field = t.fields[i];
        if (field.required && s.answers.count(field.id) == 0) {
            missing.push_back(field.label.in(f.locale));
            first_missing = first_missing.value_or(i);
        }
    }
    if (first_missing) {
        std::string list;
        for (const auto& l : missing) {
            list += (list.empty() ? "" : "、") + l;
        }
        s.stage = Stage::filling;
        s.field_index = *first_missing;
        s.back_to_preview = false;
        s.failures = 0;
        f.say(f.m("missing_required", {{"fields", list}}) + "\n" + prompt_text(f, t, s));
        f.save(std::move(s));
        return;
    }
    const quality::Assessment assessed = assessment(f, t, s);
    if (assessed.exact_copy) {
        // The same words as a report already sent: refused with its number; the draft stays.
        s.stage = Stage::previewing;
        f.say(quality_notes(f, t, s, assessed));
        f.save(std::move(s));
        return;
    }
    const auto period = templates::period_for(t, f.ctx.now, f.ctx.calendar);
    Submission sub;
    sub.status = t.review_required ? "submitted" : "approved";
    sub.template_id = t.id;
    sub.template_version = t.version;
    sub.period_key = period.key;
    sub.author_id = f.person != nullptr ? f.person->id : f.in.user_id;
    sub.author_name = f.person != nullptr ? f.person->name : f.in.user_name;
    sub.unit_id = f.person != nullptr ? f.person->unit : "";
    for (const auto& field : t.fields) {
        if (field.type == FieldType::unit) {
            if (const auto it = s.answers.find(field.id); it != s.answers.end()) {
                sub.unit_id = it->second;
                break;
            }
        }
    }
    sub.title = title_of(f, t, s);
    sub.fields = s.answers;
    sub.on_time = templates::on_time(period, f.ctx.now);
    sub.revises = s.revising;
    sub.year = templates::local_date(f.ctx.now, t.time_zone).year;
    // Marks only where the template asks for them: a weekly progress report is not averaged as
    // liaison information (its 新 signature is kept all the same: copies are refused everywhere).
    sub.quality = t.quality.assessed ? quality::to_json(assessed.marks) : std::string();
    sub.signature = quality::sign(quality::comparable_text(t, s.answers));
    const std::string review = f.m(t.review_required ? "review_pending" : "review_none");
    if (s.revising.empty()) {
        f.say(f.m("submitted",
                  {{"title", sub.title},
                   {"number", std::string(kNumberSlot)},
                   {"period", period_label(f.locale, period.weekly, period.year, period.number)},
                   {"timing", f.m(sub.on_time ? "timing_on_time" : "timing_late")},
                   {"review", review}}));
    } else {
        f.say(f.m("revised",
                  {{"title", sub.title},
                   {"number", s.revising},
                   {"revision", std::string(kRevisionSlot)},
                   {"review", review}}));
    }
    f.fx.changes.emplace_back(std::move(sub));
    f.fx.op = SessionOp::erase;
}

/// "label: value" lines. Returns false when no line names a known field (not a one-shot message).
bool one_shot(Flow& f, const Template& t, Session& s, std::string_view typed) {
    const std::string folded = text::fold_width(typed);
    struct Item {
        const Field* field;
        std::string value;
        std::string label;
    };
    std::vector<Item> items;
    std::vector<std::string> unknown;
    std::size_t start = 0;
    while (start <= folded.size()) {
        const auto nl = folded.find('\n', start);
        const std::string line =
            folded.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? folded.size() + 1 : nl + 1;
        const auto colon = line.find(':');
        const Field* field = nullptr;
        if (colon != std::string::npos) {
            const std::string label = text::normalize(line.substr(0, colon));
            for (const auto& fd : t.fields) {
                if (label == text::normalize(fd.label.zh) || label == fd.id ||
                    (!fd.label.en.empty() && label == text::normalize(fd.label.en))) {
                    field = &fd;
                    break;
                }
            }
            if (field != nullptr) {
                items.push_back(
                    {field, text::trim(line.substr(colon + 1)), text::trim(line.substr(0, colon))});
                continue;
            }
        }
        // A short "word:" that names no field is a label we do not know; anything else continues the
        // previous answer (long answers have lines of their own, sometimes with colons in them).
        const std::string head =
            colon == std::string::npos ? std::string() : text::trim(line.substr(0, colon));
        const bool looks_like_label = !head.empty() &&
                                      text::char_count(head).value_or(99) <= kMaxLabelChars &&
                                      head.find(' ') == std::string::npos;
        if (looks_like_label) {
            unknown.push_back(head);
        } else if (!items.empty()) {
            items.back().value += "\n" + line;
        }
    }
    if (items.empty()) {
        return false;
    }
    std::vector<std::string> errors;
    std::size_t applied = 0;
    const auto fctx = f.field_ctx(t);
    for (auto& item : items) {
        const auto r = templates::validate(*item.field, text::trim(item.value), fctx);
        if (const auto* v = std::get_if<std::string>(&r)) {
            s.answers[item.field->id] = *v;
            ++applied;
        } else {
            s.answers.erase(item.field->id);
            errors.push_back(f.m("oneshot_invalid",
                                 {{"label", item.field->label.in(f.locale)},
                                  {"error", error_text(f, std::get<templates::Invalid>(r))}}));
        }
    }
    std::string summary = f.m("oneshot_applied", {{"count", std::to_string(applied)}});
    if (!unknown.empty()) {
        std::string list;
        for (const auto& u : unknown) {
            list += (list.empty() ? "" : "、") + u;
        }
        summary += "\n" + f.m("oneshot_unknown", {{"labels", list}});
    }
    for (const auto& e : errors) {
        summary += "\n" + e;
    }
    f.say(summary);
    s.back_to_preview = false;
    advance(f, t, s, 0);
    return true;
}

/// The value of one "label:value" line naming the item asked now (what a choice's button says), or
/// nullopt: a button names its item, so a press after the form moved on never answers another one.
std::optional<std::string> own_item_answer(const Template& t, const Session& s, std::string_view typed) {
    if (s.stage != Stage::filling || s.field_index >= t.fields.size()) {
        return std::nullopt;
    }
    const std::string folded = text::fold_width(typed);
    const auto colon = folded.find(':');
    if (colon == std::string::npos || folded.find('\n') != std::string::npos) {
        return std::nullopt;
    }
    const Field& field = t.fields[s.field_index];
    const std::string label = text::normalize(folded.substr(0, colon));
    const bool names_it = label == text::normalize(field.label.zh) || label == field.id ||
                          (!field.label.en.empty() && label == text::normalize(field.label.en));
    return names_it ? std::optional(text::trim(folded.substr(colon + 1))) : std::nullopt;
}

void answer(Flow& f, const Template& t, Session s, std::string_view text) {
    const Field& field = t.fields[s.field_index];
    const auto r = templates::validate(field, text, f.field_ctx(t));
    if (const auto* inv = std::get_if<templates::Invalid>(&r)) {
        reprompt_after_error(f, t, std::move(s), error_text(f, *inv));
        return;
    }
    s.answers[field.id] = std::get<std::string>(r);
    s.failures = 0;
    const std::size_t next = s.field_index + 1;
    advance(f, t, std::move(s), next);
}

void skip(Flow& f, const Template& t, Session s) {
    const Field& field = t.fields[s.field_index];
    const auto def = templates::default_value(field, f.field_ctx(t));
    if (field.required && !def && s.answers.count(field.id) == 0) {
        const auto visible = visible_fields(t, s);
        const auto pos = std::find(visible.begin(), visible.end(), s.field_index);
        f.say(f.m("cannot_skip", {{"step", std::to_string(pos - visible.begin() + 1)}}) + "\n" +
              prompt_text(f, t, s));
        f.save(std::move(s));
        return;
    }
    if (def && s.answers.count(field.id) == 0) {
        s.answers[field.id] = *def;
    }
    if (!field.required && !def) {
        s.answers.erase(field.id);
    }
    const std::size_t next = s.field_index + 1;
    advance(f, t, std::move(s), next);
}

void back(Flow& f, const Template& t, Session s) {
    const auto visible = visible_fields(t, s);
    std::optional<std::size_t> prev;
    if (s.stage == Stage::previewing) {
        prev = visible.empty() ? std::nullopt : std::optional(visible.back());
    } else {
        for (const std::size_t i : visible) {
            if (i < s.field_index) {
                prev = i;
            }
        }
    }
    if (!prev) {
        f.say(f.m("at_first") + "\n" + prompt_text(f, t, s));
        f.save(std::move(s));
        return;
    }
    s.field_index = *prev;
    s.stage = Stage::filling;
    s.failures = 0;
    s.back_to_preview = false;
    f.say(prompt_text(f, t, s), prompt_actions(f, t, s));
    f.save(std::move(s));
}

void edit_item(Flow& f, const Template& t, Session s, const std::string& arg) {
    settle(f, t, s);
    const auto visible = visible_fields(t, s);
    std::size_t n = 0;
    for (const char c : arg) {
        n = n * 10 + static_cast<std::size_t>(c - '0');
        if (n > 1000) {
            break;
        }
    }
    if (arg.empty() || n < 1 || n > visible.size()) {
        f.say(f.m("edit_usage", {{"total", std::to_string(visible.size())}}));
        f.save(std::move(s));
        return;
    }
    s.field_index = visible[n - 1];
    s.stage = Stage::filling;
    s.failures = 0;
    s.back_to_preview = true;
    f.say(prompt_text(f, t, s), prompt_actions(f, t, s));
    f.save(std::move(s));
}

void reshow(Flow& f, const Template& t, Session s) {
    if (s.stage == Stage::previewing) {
        show_preview(f, t, std::move(s));
    } else {
        f.say(prompt_text(f, t, s), prompt_actions(f, t, s));
        f.save(std::move(s));
    }
}

void drop(Flow& f) {
    f.say(f.m("cancelled"));
    f.fx.op = SessionOp::erase;
}

bool is(const Command& c, Cmd id) {
    return c.spec != nullptr && c.spec->id == id;
}

/// The choosing stage: a template named by number or name, or 填报 with one.
void choose(Flow& f, Session s, const Command& c) {
    const auto list = choices_for(f);
    if (is(c, Cmd::help)) {
        f.say(help_text(f.locale, f.person != nullptr && f.person->coordinates()));
    }
    if (const Template* t = c.spec == nullptr ? pick_template(list, f.in.text) : nullptr) {
        begin(f, *t);
        return;
    }
    if (is(c, Cmd::start) && !c.arg.empty()) {
        if (const Template* t = pick_template(list, c.arg)) {
            begin(f, *t);
            return;
        }
    }
    f.say(f.m(c.spec == nullptr ? "choose_invalid" : "choose_template",
              {{"options", template_options(f, list)}}),
          template_actions(f, list));
    f.save(std::move(s));
}

}  // namespace

// ---- The steps of the form rows (commands.cpp names them in the table) ----

void cancel(Flow& f, const Template& /*t*/, Session /*s*/, const Command& /*c*/) {
    drop(f);
}

void already_filling(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    const auto visible = visible_fields(t, s);
    const auto pos = std::find(visible.begin(), visible.end(), s.field_index);
    // At an item, its place in the form; at the preview (or a refused copy), no item to count.
    if (s.stage == Stage::filling && pos != visible.end()) {
        f.say(f.m("already_filling",
                  {{"template", t.name.in(f.locale)},
                   {"step", std::to_string(pos - visible.begin() + 1)},
                   {"total", std::to_string(visible.size())}}));
    } else {
        f.say(f.m("already_previewing", {{"template", t.name.in(f.locale)}}));
    }
    f.save(std::move(s));
}

void resume(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    reshow(f, t, std::move(s));
}

void help(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    f.say(help_text(f.locale, f.person != nullptr && f.person->coordinates()));
    reshow(f, t, std::move(s));
}

void go_back(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    back(f, t, std::move(s));
}

void preview(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    show_preview(f, t, std::move(s));
}

void hints(Flow& f, const Template& t, Session s) {
    const quality::Assessment assessed = assessment(f, t, s);
    if (const std::string notes = quality_notes(f, t, s, assessed); !notes.empty()) {
        f.say(notes);
    }
    f.save(std::move(s));
}

void submit_form(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    submit(f, t, std::move(s));
}

void edit(Flow& f, const Template& t, Session s, const Command& c) {
    edit_item(f, t, std::move(s), c.arg);
}

void skip_item(Flow& f, const Template& t, Session s, const Command& /*c*/) {
    if (s.stage == Stage::previewing) {
        show_preview(f, t, std::move(s));
    } else {
        skip(f, t, std::move(s));
    }
}

void step(Flow& f, Session s, const Command& command) {
    // Only the form's own rows are commands here; the words of any other row are an answer.
    const Command c = command.spec != nullptr && command.spec->in_form == InForm::form ? command : Command{};
    if (is(c, Cmd::cancel)) {
        drop(f);  // in every stage, choosing too
        return;
    }
    if (s.stage == Stage::choosing) {
        choose(f, std::move(s), c);
        return;
    }
    const Template* t = f.ctx.templates.find(s.template_id);
    if (t == nullptr || s.field_index >= t->fields.size()) {
        // The template was removed or changed shape since the session began: start again.
        f.fx.op = SessionOp::erase;
        start(f, "");
        return;
    }
    const bool idle = f.ctx.now - s.updated_at > f.ctx.settings.draft_after;
    if (idle && (c.spec == nullptr || !c.spec->wakes_draft)) {
        // A draft: do not take this message as an answer; say how to go on. The session stays a draft.
        f.say(f.m("draft_waiting",
                  {{"template", t->name.in(f.locale)}, {"answered", std::to_string(s.answers.size())}}));
        return;
    }
    if (c.spec != nullptr && c.spec->step != nullptr) {
        c.spec->step(f, *t, std::move(s), c);
        return;
    }
    if (const auto own = own_item_answer(*t, s, f.in.text)) {
        answer(f, *t, std::move(s), *own);  // a button's "状态:推进中" for the item asked now
        return;
    }
    if (one_shot(f, *t, s, f.in.text)) {
        return;  // the labelled lines of a paste, or a button pressed after its item (it sets that item)
    }
    if (s.stage == Stage::previewing) {
        f.say(f.m("preview_footer"));
        f.save(std::move(s));
        return;
    }
    answer(f, *t, std::move(s), f.in.text);
}

std::string shown(const Flow& f, const templates::Field& field, const std::string& value) {
    return display_value(f, field, value);
}

void open_revision(Flow& f, std::string_view number) {
    const auto& report = f.reads.report;
    if (!report) {
        f.say(f.m("report_not_found", {{"number", std::string(number)}}));
        return;
    }
    if (f.person == nullptr || report->author_id != f.person->id) {
        f.say(f.m("report_not_yours", {{"number", report->number}}));
        return;
    }
    if (report->status != "submitted" && report->status != "returned") {
        f.say(
            f.m("report_locked", {{"number", report->number}, {"status", f.m("status_" + report->status)}}));
        return;
    }
    const Template* t = f.ctx.templates.find(report->template_id);
    if (t == nullptr) {
        f.say(f.m("report_not_found", {{"number", report->number}}));
        return;
    }
    Session s;
    s.template_id = t->id;
    s.template_version = t->version;
    s.answers = report->fields;
    s.revising = report->number;
    s.started_at = f.ctx.now;
    f.say(f.m("revising", {{"number", report->number}, {"revision", std::to_string(report->revision + 1)}}));
    show_preview(f, *t, std::move(s));
}

}  // namespace form
std::string shown_value(const templates::Field& field,
                        const std::string& value,
                        const Roster& roster,
                        std::string_view locale) {
    using templates::FieldType;
    switch (field.type) {
        case FieldType::choice:
        case FieldType::multichoice: {
            std::string out;
            std::size_t start = 0;
            while (start <= value.size()) {
                const auto comma = value.find(',', start);
                const std::string id =
                    value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                const auto it = std::find_if(field.choices.begin(),
                                             field.choices.end(),
                                             [&](const templates::Choice& c) { return c.id == id; });
                out += (out.empty() ? "" : "、") + (it != field.choices.end() ? it->label.in(locale) : id);
                if (comma == std::string::npos) {
                    break;
                }
                start = comma + 1;
            }
            return out;
        }
        case FieldType::unit: {
            const Unit* u = roster.unit(value);
            return u != nullptr ? u->name : value;
        }
        case FieldType::yesno:
            return msg(locale, value == "true" ? "yes" : "no");
        case FieldType::percent:
            return value + "%";
        default:
            return value;
    }
}

}  // namespace bot::handlers
