#include "templates/validate.hpp"

#include "templates/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <date/date.h>

namespace bot::templates {
namespace {

Invalid invalid(std::string key, std::vector<std::pair<std::string, std::string>> args = {}) {
    return Invalid{std::move(key), std::move(args)};
}

std::string format_number(double v) {
    char buf[64];
    if (std::floor(v) == v && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.10g", v);
    }
    return buf;
}

/// Splits on ASCII separators and 、 (full-width commas are folded to ',' before).
std::vector<std::string> split_items(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
        if (s.substr(i, 3) == "、") {
            out.push_back(cur);
            cur.clear();
            i += 3;
            continue;
        }
        const char c = s[i];
        if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
        ++i;
    }
    out.push_back(cur);
    std::erase_if(out, [](const std::string& x) { return text::trim(x).empty(); });
    for (auto& x : out) {
        x = text::trim(x);
    }
    return out;
}

std::optional<long long> parse_int(std::string_view s) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

/// Decimal with optional sign; thousands separators ',' removed first.
std::optional<double> parse_decimal(std::string s, bool integer_only) {
    std::erase(s, ',');
    if (s.empty() || s.size() > 32) {
        return std::nullopt;
    }
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = false;
    bool dot = false;
    for (std::size_t k = i; k < s.size(); ++k) {
        if (std::isdigit(static_cast<unsigned char>(s[k])) != 0) {
            digits = true;
        } else if (s[k] == '.' && !dot && !integer_only) {
            dot = true;
        } else {
            return std::nullopt;
        }
    }
    if (!digits) {
        return std::nullopt;
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data() + (s[0] == '+' ? 1 : 0), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

/// A 1-based number within [1, n] typed as the whole answer.
std::optional<std::size_t> as_index(std::string_view s, std::size_t n) {
    const auto v = parse_int(s);
    if (!v || *v < 1 || static_cast<std::size_t>(*v) > n) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(*v - 1);
}

/// 一 … 十 and ① … ⑩ as the numbers people type for a choice (1-based); nullopt otherwise.
std::optional<int> numeral(std::string_view s) {
    static constexpr std::array<std::string_view, 10> kHan{
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    static constexpr std::array<std::string_view, 10> kCircled{
        "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"};
    for (std::size_t i = 0; i < kHan.size(); ++i) {
        if (s == kHan[i] || s == kCircled[i]) {
            return static_cast<int>(i) + 1;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> find_choice(const Field& field, const std::string& item) {
    if (auto idx = as_index(item, field.choices.size())) {
        return idx;
    }
    if (const auto n = numeral(item); n && static_cast<std::size_t>(*n) <= field.choices.size()) {
        return static_cast<std::size_t>(*n - 1);
    }
    for (std::size_t i = 0; i < field.choices.size(); ++i) {
        const auto& c = field.choices[i];
        if (item == text::normalize(c.label.zh) ||
            (!c.label.en.empty() && item == text::normalize(c.label.en)) || item == c.id) {
            return i;
        }
    }
    return std::nullopt;
}

std::string choice_list(const Field& field) {
    std::string out;
    for (std::size_t i = 0; i < field.choices.size(); ++i) {
        out += (i == 0 ? "" : " ") + std::to_string(i + 1) + " " + field.choices[i].label.zh;
    }
    return out;
}

Validation validate_text(const Field& field, const std::string& folded_trimmed) {
    const auto count = text::char_count(folded_trimmed);
    if (!count) {
        return invalid("err.invalid_utf8");
    }
    if (field.min_length && *count < *field.min_length) {
        return invalid("err.too_short",
                       {{"min", std::to_string(*field.min_length)},
                        {"max", std::to_string(field.max_length.value_or(0))},
                        {"count", std::to_string(*count)}});
    }
    if (field.max_length && *count > *field.max_length) {
        return invalid("err.too_long",
                       {{"min", std::to_string(field.min_length.value_or(0))},
                        {"max", std::to_string(*field.max_length)},
                        {"count", std::to_string(*count)}});
    }
    if (field.type == FieldType::text && folded_trimmed.find('\n') != std::string::npos) {
        return invalid("err.single_line");
    }
    return folded_trimmed;
}

Validation validate_number(const Field& field, const std::string& n) {
    std::string s = n;
    if (field.type == FieldType::percent && !s.empty() && s.back() == '%') {
        s.pop_back();
        s = text::trim(s);
    }
    const auto v = parse_decimal(s, field.type == FieldType::integer);
    if (!v) {
        return invalid(field.type == FieldType::integer ? "err.integer" : "err.number");
    }
    if ((field.min && *v < *field.min) || (field.max && *v > *field.max)) {
        return invalid("err.range",
                       {{"min", field.min ? format_number(*field.min) : "-"},
                        {"max", field.max ? format_number(*field.max) : "-"}});
    }
    return format_number(*v);
}

Validation validate_url(const std::string& s) {
    const std::string lower = text::lower_ascii(s);
    const std::size_t scheme = lower.rfind("https://", 0) == 0 ? 8 : (lower.rfind("http://", 0) == 0 ? 7 : 0);
    if (scheme == 0 || s.size() <= scheme || s.size() > 2048) {
        return invalid("err.url");
    }
    for (const char c : s) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == 0x7f) {
            return invalid("err.url");
        }
    }
    const std::string host = s.substr(scheme, s.find_first_of("/?#", scheme) - scheme);
    if (host.empty() || host.front() == '.' || host.front() == ':') {
        return invalid("err.url");
    }
    return s;
}

}  // namespace

std::string LocalDate::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

LocalDate LocalDate::plus_days(int days) const {
    const date::year_month_day ymd{
        date::year{year}, date::month{static_cast<unsigned>(month)}, date::day{static_cast<unsigned>(day)}};
    const date::year_month_day r{date::sys_days{ymd} + date::days{days}};
    return {static_cast<int>(r.year()),
            static_cast<int>(static_cast<unsigned>(r.month())),
            static_cast<int>(static_cast<unsigned>(r.day()))};
}

std::optional<LocalDate> parse_date(std::string_view answer, const LocalDate& today) {
    const std::string s = text::normalize(answer);
    if (s == "今天" || s == "今日" || s == "today") {
        return today;
    }
    if (s == "昨天" || s == "昨日" || s == "yesterday") {
        return today.plus_days(-1);
    }
    if (s == "前天") {
        return today.plus_days(-2);
    }
    if (s == "明天" || s == "明日" || s == "tomorrow") {
        return today.plus_days(1);  // understood; a field of past events refuses it as a future date
    }
    if (s == "后天") {
        return today.plus_days(2);
    }
    // Split into runs of digits; everything else must be a known separator.
    std::vector<int> parts;
    std::string cur;
    std::string seps;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
            cur += c;
            ++i;
            continue;
        }
        if (!cur.empty()) {
            if (cur.size() > 4) {
                return std::nullopt;
            }
            parts.push_back(std::stoi(cur));
            cur.clear();
        }
        static const std::vector<std::string_view> kSeps{"-", "/", ".", "年", "月", "日", "号"};
        const auto it = std::find_if(kSeps.begin(), kSeps.end(), [&](std::string_view sep) {
            return s.compare(i, sep.size(), sep) == 0;
        });
        if (it == kSeps.end()) {
            return std::nullopt;
        }
        seps += std::string(*it);
        i += it->size();
    }
    if (!cur.empty()) {
        if (cur.size() > 4) {
            return std::nullopt;
        }
        parts.push_back(std::stoi(cur));
    }
    LocalDate d;
    if (parts.size() == 3) {
        d = {parts[0], parts[1], parts[2]};
        if (d.year < 100) {
            return std::nullopt;
        }
    } else if (parts.size() == 2) {
        d = {today.year, parts[0], parts[1]};
    } else {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{d.year},
                                   date::month{static_cast<unsigned>(std::max(0, d.month))},
                                   date::day{static_cast<unsigned>(std::max(0, d.day))}};
    if (!ymd.ok() || d.month < 1 || d.day < 1) {
        return std::nullopt;
    }
    return d;
}

namespace {

/// Several choices (each as a single choice is given), once each, within the field's count.
Validation validate_multichoice(const Field& field, const std::string& norm) {
    std::vector<std::string> ids;
    for (const auto& item : split_items(norm)) {
        const auto i = find_choice(field, item);
        if (!i) {
            return invalid("err.choice_item", {{"item", item}, {"options", choice_list(field)}});
        }
        if (std::find(ids.begin(), ids.end(), field.choices[*i].id) == ids.end()) {
            ids.push_back(field.choices[*i].id);
        }
    }
    const std::size_t lo = field.min_choices.value_or(1);
    const std::size_t hi = field.max_choices.value_or(field.choices.size());
    if (ids.size() < lo || ids.size() > hi) {
        return invalid("err.choice_count", {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
    }
    std::string joined;
    for (const auto& id : ids) {
        joined += (joined.empty() ? "" : ",") + id;
    }
    return joined;
}

/// A date in one of the forms people type, within ten years back and not after today (a report is
/// of what happened).
Validation validate_date(std::string_view value, const LocalDate& today) {
    const auto d = parse_date(value, today);
    if (!d) {
        return invalid("err.date");
    }
    if (d->year < today.year - 10 || d->year > today.year + 1) {
        return invalid("err.date_range");
    }
    if (d->iso() > today.iso()) {
        return invalid("err.date_future", {{"today", today.iso()}});
    }
    return d->iso();
}

}  // namespace

Validation validate(const Field& field, std::string_view answer, const FieldContext& ctx) {
    if (field.type == FieldType::attachment) {
        if (!ctx.attachments.empty()) {
            std::string joined;
            for (const auto& a : ctx.attachments) {
                joined += (joined.empty() ? "" : "\n") + a;
            }
            return joined;
        }
        const std::string url = text::trim(text::fold_width(answer));
        if (!url.empty() && std::holds_alternative<std::string>(validate_url(url))) {
            return url;  // a link to the file is accepted too
        }
        return invalid("err.attachment");
    }
    if (!text::char_count(answer)) {
        return invalid("err.invalid_utf8");
    }
    // Free text is kept as typed (full-width punctuation is part of Chinese writing); everything
    // else is folded to half-width so that "１２" or "ｙｅｓ" are understood.
    const bool free_text = field.type == FieldType::text || field.type == FieldType::longtext;
    const std::string value = free_text ? text::trim(answer) : text::trim(text::fold_width(answer));
    if (value.empty()) {
        return invalid("err.empty");
    }
    const std::string norm = text::lower_ascii(value);
    switch (field.type) {
        case FieldType::text:
        case FieldType::longtext:
            return validate_text(field, value);
        case FieldType::choice: {
            if (auto i = find_choice(field, norm)) {
                return field.choices[*i].id;
            }
            return invalid("err.choice", {{"options", choice_list(field)}});
        }
        case FieldType::multichoice:
            return validate_multichoice(field, norm);
        case FieldType::integer:
        case FieldType::decimal:
        case FieldType::percent:
            return validate_number(field, norm);
        case FieldType::date:
            return validate_date(value, ctx.today);
        case FieldType::url:
            return validate_url(value);
        case FieldType::unit: {
            if (auto i = as_index(norm, ctx.units.size())) {
                return ctx.units[*i].id;
            }
            for (const auto& u : ctx.units) {
                if (norm == text::normalize(u.name) || norm == u.id) {
                    return u.id;
                }
            }
            std::string options;
            constexpr std::size_t kListed = 30;  // the rest by name or id (see the prompt)
            for (std::size_t i = 0; i < ctx.units.size() && i < kListed; ++i) {
                options += (i == 0 ? "" : " ") + std::to_string(i + 1) + " " + ctx.units[i].name;
            }
            if (ctx.units.size() > kListed) {
                options += " …";
            }
            return invalid(ctx.own_units_only ? "err.unit_not_own" : "err.unit", {{"options", options}});
        }
        case FieldType::yesno: {
            static const std::vector<std::string> yes{"1", "是", "是的", "对", "有", "y", "yes", "true"};
            static const std::vector<std::string> no{
                "2", "否", "不是", "不", "没有", "无", "n", "no", "false"};
            if (std::find(yes.begin(), yes.end(), norm) != yes.end()) {
                return std::string("true");
            }
            if (std::find(no.begin(), no.end(), norm) != no.end()) {
                return std::string("false");
            }
            return invalid("err.yesno");
        }
        case FieldType::attachment:
            break;
    }
    return invalid("err.empty");
}

std::optional<std::string> default_value(const Field& field, const FieldContext& ctx) {
    switch (field.default_kind) {
        case DefaultKind::own_unit:
            if (!ctx.own_unit.empty()) {
                return ctx.own_unit;
            }
            return std::nullopt;
        case DefaultKind::today:
            return ctx.today.iso();
        case DefaultKind::literal:
            return field.default_value;
        case DefaultKind::none:
            break;
    }
    return std::nullopt;
}

bool condition_met(const Field& field, const std::map<std::string, std::string>& answers) {
    if (!field.when) {
        return true;
    }
    const auto it = answers.find(field.when->field);
    if (it == answers.end()) {
        return false;
    }
    // Multichoice values are comma-joined ids: any selected id may match.
    for (const auto& v : split_items(it->second)) {
        if (std::find(field.when->equals.begin(), field.when->equals.end(), v) != field.when->equals.end()) {
            return true;
        }
    }
    return false;
}

}  // namespace bot::templates
