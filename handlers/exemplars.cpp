// 范文 (多学): the adopted — else approved — reports of a kind, short enough for chat, and one of
// them whole; the preview's 实 and 新 hints offer the nearest one (report_flow.cpp).
#include "handlers/flow.hpp"
#include "templates/text.hpp"

namespace bot::handlers::exemplars {
namespace {

bool is_exemplar(const StoredReport& r) {
    return r.status == "adopted" || r.status == "approved";
}

std::string unit_name(const Flow& f, const std::string& id) {
    const Unit* u = f.ctx.roster.unit(id);
    return u != nullptr ? u->name : id;
}

/// The first `chars` characters of the report's first long answer, "…" when cut.
std::string excerpt(const templates::Template* t, const StoredReport& r, std::size_t chars) {
    if (t == nullptr) {
        return {};
    }
    for (const auto& field : t->fields) {
        const auto it = r.fields.find(field.id);
        if (field.type != templates::FieldType::longtext || it == r.fields.end() || it->second.empty()) {
            continue;
        }
        const std::string& v = it->second;
        std::size_t i = 0;
        std::size_t n = 0;
        while (i < v.size() && n < chars) {
            ++i;
            while (i < v.size() && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) {
                ++i;
            }
            ++n;
        }
        return i < v.size() ? v.substr(0, i) + "……" : v;
    }
    return {};
}

void whole(Flow& f, const StoredReport& r) {
    const templates::Template* t = f.ctx.templates.find(r.template_id);
    std::string out = f.m("exemplars.whole_header",
                          {{"number", r.number},
                           {"title", r.title},
                           {"unit", unit_name(f, r.unit_id)},
                           {"author", r.author_name},
                           {"state", f.m("state." + r.status)}});
    if (t != nullptr) {
        for (const auto& field : t->fields) {
            const auto it = r.fields.find(field.id);
            if (it == r.fields.end() || it->second.empty() ||
                field.type == templates::FieldType::attachment || field.type == templates::FieldType::unit) {
                continue;
            }
            out += "\n" + field.label.in(f.locale) + ":" +
                   shown_value(field, it->second, f.ctx.roster, f.locale);
        }
    }
    f.say(out);
}

}  // namespace

void show(Flow& f, const Command& c) {
    const auto* asked = f.needs.find<read::Exemplars>();
    if (f.needs.find<read::Report>() != nullptr || asked == nullptr) {
        // 范文 R-…: that report whole, if it is one (adopted or approved; anyone may learn from it).
        const auto& r = f.reads.report;
        if (!r || !is_exemplar(*r)) {
            f.say(f.m("exemplars.not_one", {{"number", report_number(c.arg)}}));
            return;
        }
        whole(f, *r);
        return;
    }
    if (!asked->unknown.empty()) {
        f.say(f.m("exemplars.unknown", {{"word", asked->unknown}}));
        return;
    }
    const templates::Template* t = f.ctx.templates.find(asked->template_id);
    const std::string name = t != nullptr ? t->name.in(f.locale) : asked->template_id;
    if (f.reads.exemplars.empty()) {
        f.say(f.m("exemplars.none", {{"template", name}}));
        return;
    }
    std::string out = f.m("exemplars.header", {{"template", name}});
    for (std::size_t i = 0; i < f.reads.exemplars.size(); ++i) {
        const auto& r = f.reads.exemplars[i];
        out += "\n" + f.m("exemplars.line",
                          {{"i", std::to_string(i + 1)},
                           {"number", r.number},
                           {"title", r.title},
                           {"unit", unit_name(f, r.unit_id)},
                           {"state", f.m("state." + r.status)}});
        if (const std::string e = excerpt(t, r, 40); !e.empty()) {
            out += "\n   " + e;
        }
    }
    out += "\n" + f.m("exemplars.footer", {{"number", f.reads.exemplars.front().number}});
    f.say(out);
}

const StoredReport* nearest(const Flow& f,
                            const templates::Template& t,
                            const std::map<std::string, std::string>& fields) {
    const quality::Signature mine = quality::sign(quality::comparable_text(t, fields));
    const StoredReport* best = nullptr;
    double best_sim = -1;
    for (const auto& r : f.reads.exemplars) {
        if (r.template_id != t.id) {
            continue;
        }
        const double s = quality::similarity(mine, quality::sign(quality::comparable_text(t, r.fields)));
        if (s > best_sim) {
            best_sim = s;
            best = &r;
        }
    }
    return best;
}

}  // namespace bot::handlers::exemplars
