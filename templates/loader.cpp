#include "templates/loader.hpp"

#include "bot/core/json_reader.hpp"
#include "templates/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <date/tz.h>
#include <set>

namespace bot::templates {
namespace {

using json = nlohmann::json;
using json_check::Reader;

constexpr std::size_t kMaxFields = 50;
constexpr std::size_t kMaxTextLength = 10'000;

bool valid_id(std::string_view id, std::size_t max) {
    auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    return !id.empty() && id.size() <= max && std::all_of(id.begin(), id.end(), ok);
}

/// "text" or {"zh-CN": "...", "en": "..."}; zh-CN is required in the object form.
bool localized(Reader& r, std::string_view key, Localized& out, bool required) {
    const json* v = r.get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (v->is_string()) {
        out.zh = v->get<std::string>();
        out.en.clear();
    } else if (v->is_object()) {
        Reader l = r.child(key);
        l.object({"zh-CN", "en"});
        l.string("zh-CN", out.zh, true);
        l.string("en", out.en);
    } else {
        r.problem(r.child_path(key),
                  std::string("expected a string or {\"zh-CN\": ..., \"en\": ...}, got ") +
                      json_check::type_name(*v));
        return false;
    }
    if (out.zh.empty()) {
        r.problem(r.child_path(key), "must not be empty");
        return false;
    }
    return true;
}

void read_cadence(Reader r, Cadence& c) {
    if (!r.object({"kind", "quota", "due"})) {
        return;
    }
    std::string kind;
    r.string("kind", kind, true);
    if (kind == "event") {
        c.kind = CadenceKind::event;
        r.integer("quota", c.quota, 0, 100);
    } else if (kind == "weekly" || kind == "monthly") {
        c.kind = kind == "weekly" ? CadenceKind::weekly : CadenceKind::monthly;
        if (r.has("quota")) {
            r.problem(r.child_path("quota"), "only event-driven templates have a quota");
        }
    } else if (!kind.empty()) {
        r.problem(r.child_path("kind"), "must be \"event\", \"weekly\" or \"monthly\"");
        return;
    }
    if (c.kind == CadenceKind::event) {
        if (r.has("due")) {
            r.problem(r.child_path("due"), "event-driven templates have no due time");
        }
        return;
    }
    if (!r.has("due")) {
        r.problem(r.child_path("due"), "required key is missing");
        return;
    }
    Reader d = r.child("due");
    if (!d.object({"weekday", "day", "time", "on_day_off"})) {
        return;
    }
    if (c.kind == CadenceKind::weekly) {
        static const std::vector<std::string> days{
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
        std::string wd;
        if (d.string("weekday", wd, true)) {
            const auto it = std::find(days.begin(), days.end(), wd);
            if (it == days.end()) {
                d.problem(d.child_path("weekday"), "must be a lower-case English weekday, e.g. \"friday\"");
            } else {
                c.due_weekday = static_cast<int>(it - days.begin()) + 1;
            }
        }
        if (d.has("day")) {
            d.problem(d.child_path("day"), "weekly templates are due on a weekday, not a day of the month");
        }
    } else {
        d.integer("day", c.due_day, 1, 31, true);
        if (d.has("weekday")) {
            d.problem(d.child_path("weekday"), "monthly templates are due on a day of the month");
        }
    }
    std::string rule;
    if (d.string("on_day_off", rule)) {
        if (rule == "earlier") {
            c.on_day_off = DayOffRule::earlier;
        } else if (rule == "later") {
            c.on_day_off = DayOffRule::later;
        } else if (rule == "keep") {
            c.on_day_off = DayOffRule::keep;
        } else {
            d.problem(d.child_path("on_day_off"), "must be \"earlier\", \"later\" or \"keep\"");
        }
    }
    std::string time;
    if (d.string("time", time, true)) {
        if (auto t = text::parse_time(time)) {
            c.due_time = *t;
        } else {
            d.problem(d.child_path("time"), "expected HH:MM, e.g. \"17:00\"");
        }
    }
}

bool is_numeric(FieldType t) {
    return t == FieldType::integer || t == FieldType::decimal || t == FieldType::percent;
}
bool is_textual(FieldType t) {
    return t == FieldType::text || t == FieldType::longtext;
}
bool has_choices(FieldType t) {
    return t == FieldType::choice || t == FieldType::multichoice;
}

/// A key only fields of some types may have: a problem when `allowed` is false. Whether it is there
/// and allowed.
bool only_for(Reader& f, std::string_view key, bool allowed, std::string_view what) {
    if (f.has(key) && !allowed) {
        f.problem(f.child_path(key), "only " + std::string(what) + " fields have this key");
        return false;
    }
    return f.has(key);
}

/// min_length/max_length (text), min/max (numbers), min_choices/max_choices (multichoice).
void read_limits(Reader& f, Field& field) {
    std::size_t len = 0;
    if (only_for(f, "min_length", is_textual(field.type), "text and longtext") &&
        f.integer("min_length", len, 0, kMaxTextLength)) {
        field.min_length = len;
    }
    if (only_for(f, "max_length", is_textual(field.type), "text and longtext") &&
        f.integer("max_length", len, 1, kMaxTextLength)) {
        field.max_length = len;
    }
    if (field.min_length && field.max_length && *field.min_length > *field.max_length) {
        f.problem(f.child_path("min_length"), "must not be greater than max_length");
    }
    double d = 0;
    if (only_for(f, "min", is_numeric(field.type), "integer, decimal and percent") &&
        f.number("min", d, -1e15, 1e15)) {
        field.min = d;
    }
    if (only_for(f, "max", is_numeric(field.type), "integer, decimal and percent") &&
        f.number("max", d, -1e15, 1e15)) {
        field.max = d;
    }
    if (field.min && field.max && *field.min > *field.max) {
        f.problem(f.child_path("min"), "must not be greater than max");
    }
    if (field.type == FieldType::percent) {
        field.min = field.min.value_or(0);
        field.max = field.max.value_or(100);
    }
    if (only_for(f, "min_choices", field.type == FieldType::multichoice, "multichoice") &&
        f.integer("min_choices", len, 1, 100)) {
        field.min_choices = len;
    }
    if (only_for(f, "max_choices", field.type == FieldType::multichoice, "multichoice") &&
        f.integer("max_choices", len, 1, 100)) {
        field.max_choices = len;
    }
}

/// `choices` of a choice or multichoice field: at least two, ids and labels unique.
void read_choices(Reader& f, Field& field) {
    if (!has_choices(field.type)) {
        only_for(f, "choices", false, "choice and multichoice");
        return;
    }
    if (!f.has("choices")) {
        f.problem(f.child_path("choices"), "required key is missing");
        return;
    }
    Reader cs = f.child("choices");
    if (!cs.array()) {
        return;
    }
    std::set<std::string> ids;
    std::set<std::string> labels;
    for (std::size_t i = 0; i < cs.value().size(); ++i) {
        Reader c = cs.element(i);
        if (!c.object({"id", "label"})) {
            continue;
        }
        Choice choice;
        if (c.string("id", choice.id, true) && !valid_id(choice.id, 32)) {
            c.problem(c.child_path("id"), "must be 1-32 characters of a-z, 0-9, '_' and '-'");
        } else if (!choice.id.empty() && !ids.insert(choice.id).second) {
            c.problem(c.child_path("id"), "duplicate choice id \"" + choice.id + "\"");
        }
        if (localized(c, "label", choice.label, true) && !labels.insert(choice.label.zh).second) {
            c.problem(c.child_path("label"), "duplicate choice label \"" + choice.label.zh + "\"");
        }
        field.choices.push_back(std::move(choice));
    }
    if (field.choices.size() < 2) {
        cs.problem(cs.path(), "needs at least two choices");
    }
}

/// `default`: "own_unit" for unit fields, "today" for date fields.
void read_default(Reader& f, Field& field) {
    std::string def;
    if (!f.string("default", def)) {
        return;
    }
    if (def == "own_unit" && field.type == FieldType::unit) {
        field.default_kind = DefaultKind::own_unit;
    } else if (def == "today" && field.type == FieldType::date) {
        field.default_kind = DefaultKind::today;
    } else {
        f.problem(f.child_path("default"),
                  "supported defaults: \"own_unit\" (unit fields), \"today\" (date fields)");
    }
}

/// `when`: the field is asked only when an earlier choice or yesno field has one of the values.
void read_condition(Reader& f, Field& field, const std::vector<Field>& earlier) {
    if (!f.has("when")) {
        return;
    }
    Reader w = f.child("when");
    if (!w.object({"field", "equals"})) {
        return;
    }
    Condition cond;
    w.string("field", cond.field, true);
    const auto it =
        std::find_if(earlier.begin(), earlier.end(), [&](const Field& e) { return e.id == cond.field; });
    if (!cond.field.empty() && it == earlier.end()) {
        w.problem(w.child_path("field"), "must name an earlier field");
    } else if (it != earlier.end() && !has_choices(it->type) && it->type != FieldType::yesno) {
        w.problem(w.child_path("field"), "conditions can only test choice, multichoice and yesno fields");
    }
    w.string_list("equals", cond.equals);
    if (cond.equals.empty()) {
        w.problem(w.child_path("equals"), "needs at least one value");
    }
    if (it != earlier.end()) {
        for (const auto& v : cond.equals) {
            const bool ok = it->type == FieldType::yesno
                                ? (v == "true" || v == "false")
                                : std::any_of(it->choices.begin(), it->choices.end(), [&](const Choice& c) {
                                      return c.id == v;
                                  });
            if (!ok) {
                w.problem(w.child_path("equals"), "\"" + v + "\" is not a value of field \"" + it->id + "\"");
            }
        }
    }
    field.when = std::move(cond);
}

void read_field(Reader f, Field& field, const std::vector<Field>& earlier) {
    if (!f.object({"id",
                   "type",
                   "label",
                   "required",
                   "min_length",
                   "max_length",
                   "min",
                   "max",
                   "choices",
                   "min_choices",
                   "max_choices",
                   "default",
                   "help",
                   "example",
                   "when"})) {
        return;
    }
    if (f.string("id", field.id, true) && !valid_id(field.id, 32)) {
        f.problem(f.child_path("id"), "must be 1-32 characters of a-z, 0-9, '_' and '-'");
    }
    std::string type;
    if (f.string("type", type, true)) {
        if (auto t = field_type_from(type)) {
            field.type = *t;
        } else {
            f.problem(f.child_path("type"),
                      "unknown field type \"" + type +
                          "\" (text, longtext, choice, multichoice, integer, decimal, percent, date, url, "
                          "attachment, unit, yesno)");
            return;
        }
    }
    localized(f, "label", field.label, true);
    f.boolean("required", field.required);
    localized(f, "help", field.help, false);
    localized(f, "example", field.example, false);
    read_limits(f, field);
    read_choices(f, field);
    read_default(f, field);
    read_condition(f, field, earlier);
}

}  // namespace

std::string_view to_string(FieldType t) {
    switch (t) {
        case FieldType::text:
            return "text";
        case FieldType::longtext:
            return "longtext";
        case FieldType::choice:
            return "choice";
        case FieldType::multichoice:
            return "multichoice";
        case FieldType::integer:
            return "integer";
        case FieldType::decimal:
            return "decimal";
        case FieldType::percent:
            return "percent";
        case FieldType::date:
            return "date";
        case FieldType::url:
            return "url";
        case FieldType::attachment:
            return "attachment";
        case FieldType::unit:
            return "unit";
        case FieldType::yesno:
            return "yesno";
    }
    return "text";
}

std::optional<FieldType> field_type_from(std::string_view s) {
    for (int i = 0; i <= static_cast<int>(FieldType::yesno); ++i) {
        if (to_string(static_cast<FieldType>(i)) == s) {
            return static_cast<FieldType>(i);
        }
    }
    return std::nullopt;
}

const Field* Template::field(std::string_view field_id) const {
    const auto it =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.id == field_id; });
    return it == fields.end() ? nullptr : &*it;
}

bool Template::applies_to_chat(std::string_view chat) const {
    return std::any_of(
        chats.begin(), chats.end(), [&](const std::string& c) { return c == "*" || c == chat; });
}

bool Template::applies_to_unit(std::string_view unit) const {
    return std::any_of(
        units.begin(), units.end(), [&](const std::string& u) { return u == "*" || u == unit; });
}

const Template* TemplateSet::find(std::string_view id) const {
    const auto it = std::find_if(all_.begin(), all_.end(), [&](const Template& t) { return t.id == id; });
    return it == all_.end() ? nullptr : &*it;
}

std::vector<const Template*> TemplateSet::available(std::string_view chat, std::string_view unit) const {
    std::vector<const Template*> out;
    for (const auto& t : all_) {
        if (t.applies_to_chat(chat) && t.applies_to_unit(unit)) {
            out.push_back(&t);
        }
    }
    return out;
}

namespace {

/// One step of `reminders`: by minutes from the deadline, or by working days at a time of day.
ReminderStep read_reminder(Reader s) {
    ReminderStep step;
    if (!s.object({"offset_minutes", "working_days", "at", "audience", "private", "names_in_group"})) {
        return step;
    }
    std::int64_t minutes = 0;
    const bool by_offset = s.has("offset_minutes");
    const bool by_day = s.has("working_days");
    if (by_offset == by_day) {
        s.problem(s.path(), "needs exactly one of \"offset_minutes\" and \"working_days\"");
    }
    if (by_offset && s.integer64("offset_minutes", minutes, -60 * 24 * 31, 60 * 24 * 31, true)) {
        step.offset = std::chrono::minutes(minutes);
    }
    if (by_day) {
        int days = 0;
        if (s.integer("working_days", days, -20, 20, true)) {
            step.working_days = days;
        }
        std::string at;
        if (!s.string("at", at, true)) {
        } else if (const auto m = text::parse_time(at)) {
            step.at = *m;
        } else {
            s.problem(s.child_path("at"), "expected a time of day HH:MM, got \"" + at + "\"");
        }
    } else if (s.has("at")) {
        s.problem(s.child_path("at"), "only with \"working_days\"");
    }
    if (s.string("audience", step.audience) && step.audience != "officers" &&
        step.audience != "coordinators") {
        s.problem(s.child_path("audience"), "must be \"officers\" or \"coordinators\"");
    }
    s.boolean("private", step.private_first);
    s.boolean("names_in_group", step.names_in_group);
    return step;
}

/// `fields`: 1 to kMaxFields, ids unique; conditions may refer to earlier fields only.
void read_fields(Reader& r, Template& t) {
    if (!r.has("fields")) {
        r.problem(r.child_path("fields"), "required key is missing");
        return;
    }
    Reader fs = r.child("fields");
    if (!fs.array()) {
        return;
    }
    if (fs.value().empty() || fs.value().size() > kMaxFields) {
        fs.problem(fs.path(), "needs 1 to " + std::to_string(kMaxFields) + " fields");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < fs.value().size() && i < kMaxFields; ++i) {
        Field field;
        read_field(fs.element(i), field, t.fields);
        if (!field.id.empty() && !ids.insert(field.id).second) {
            fs.problem(fs.path() + "[" + std::to_string(i) + "].id",
                       "duplicate field id \"" + field.id + "\"");
        }
        t.fields.push_back(std::move(field));
    }
}

/// "quality": the assessment's settings; field ids must name fields of the right type.
void read_quality(Reader q, Template& t) {
    if (!q.object({"hints", "timely_days", "date_field", "figures_field", "min_chars"})) {
        return;
    }
    auto& c = t.quality;
    q.boolean("hints", c.hints);
    q.integer("timely_days", c.timely_days, 0, 365);
    q.integer("min_chars", c.min_chars, 0, 10'000);
    if (q.string("date_field", c.date_field)) {
        const Field* f = t.field(c.date_field);
        if (f == nullptr || f->type != FieldType::date) {
            q.problem(q.child_path("date_field"),
                      "\"" + c.date_field + "\" is not a date field of this template");
        }
    }
    if (q.string("figures_field", c.figures_field)) {
        const Field* f = t.field(c.figures_field);
        if (f == nullptr || (f->type != FieldType::text && f->type != FieldType::longtext)) {
            q.problem(q.child_path("figures_field"),
                      "\"" + c.figures_field + "\" is not a text or longtext field of this template");
        }
    }
}

/// The template object at the root of a file.
void read_template(Reader& r, Template& t) {
    if (!r.object({"$schema",
                   "id",
                   "version",
                   "name",
                   "cadence",
                   "time_zone",
                   "reminders",
                   "review_required",
                   "applies_to",
                   "quality",
                   "fields"})) {
        return;
    }
    if (r.string("id", t.id, true) && !valid_id(t.id, 64)) {
        r.problem(r.child_path("id"), "must be 1-64 characters of a-z, 0-9, '_' and '-'");
    }
    r.integer("version", t.version, 1, 1'000'000, true);
    localized(r, "name", t.name, true);
    if (r.has("cadence")) {
        read_cadence(r.child("cadence"), t.cadence);
    } else {
        r.problem(r.child_path("cadence"), "required key is missing");
    }
    if (r.string("time_zone", t.time_zone)) {
        try {
            (void)date::locate_zone(t.time_zone);
        } catch (const std::exception&) {
            r.problem(r.child_path("time_zone"), "unknown IANA time zone \"" + t.time_zone + "\"");
        }
    }
    if (r.has("reminders")) {
        Reader rs = r.child("reminders");
        const std::size_t n = rs.array() ? rs.value().size() : 0;
        for (std::size_t i = 0; i < n; ++i) {
            t.reminders.push_back(read_reminder(rs.element(i)));
        }
    }
    r.boolean("review_required", t.review_required);
    t.chats = {"*"};
    t.units = {"*"};
    if (r.has("applies_to")) {
        Reader a = r.child("applies_to");
        if (a.object({"chats", "units"})) {
            a.string_list("chats", t.chats);
            a.string_list("units", t.units);
        }
    }
    read_fields(r, t);
    if (r.has("quality")) {
        t.quality.assessed = true;
        read_quality(r.child("quality"), t);
    }
}

}  // namespace

LoadResult load_text(std::string_view text, const std::string& file) {
    LoadResult out;
    std::vector<json_check::Problem> problems;
    if (const auto root = json_check::parse_with_comments(text, problems)) {
        Template t;
        Reader r(*root, "$", problems);
        read_template(r, t);
        if (problems.empty()) {
            std::vector<Template> one;
            one.push_back(std::move(t));
            out.set = TemplateSet(std::move(one));
        }
    }
    for (auto& p : problems) {
        out.errors.push_back({file, std::move(p.path), std::move(p.message)});
    }
    return out;
}

LoadResult load_texts(const std::vector<std::pair<std::string, std::string>>& files) {
    LoadResult out;
    std::vector<Template> all;
    for (const auto& [file, text] : files) {
        auto one = load_text(text, file);
        out.errors.insert(out.errors.end(), one.errors.begin(), one.errors.end());
        for (const auto& t : one.set.all()) {
            const bool dup =
                std::any_of(all.begin(), all.end(), [&](const Template& x) { return x.id == t.id; });
            if (dup) {
                out.errors.push_back({file, "$.id", "template id \"" + t.id + "\" is used by another file"});
            } else {
                all.push_back(t);
            }
        }
    }
    out.set = TemplateSet(std::move(all));
    return out;
}

}  // namespace bot::templates
