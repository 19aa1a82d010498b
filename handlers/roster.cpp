#include "handlers/roster.hpp"

#include "bot/core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace bot::handlers {
namespace {

using json_check::Reader;

bool listed(const std::vector<std::string>& list, std::string_view v) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& x) { return x == "*" || x == v; });
}

}  // namespace

Roster::Roster(std::vector<Unit> units, std::vector<Person> people, std::vector<Chat> chats)
    : units_(std::move(units)), people_(std::move(people)), chats_(std::move(chats)) {
    // Lookups by id and account are hashed: every message looks its sender up, and a roster may
    // have 100,000 people. The first person (in file order) with an id or account wins, as before.
    for (std::size_t i = 0; i < units_.size(); ++i) {
        unit_index_.emplace(units_[i].id, i);
        unit_refs_.push_back({units_[i].id, units_[i].name});
    }
    for (std::size_t i = 0; i < people_.size(); ++i) {
        person_index_.emplace(people_[i].id, i);
        for (const auto& a : people_[i].accounts) {
            auto& holders = account_index_[a.user];
            if (holders.empty() || holders.back() != i) {
                holders.push_back(static_cast<std::uint32_t>(i));
            }
        }
    }
    unit_parent_.assign(units_.size(), UINT32_MAX);
    for (std::size_t i = 0; i < units_.size(); ++i) {
        if (const auto it = unit_index_.find(units_[i].parent);
            !units_[i].parent.empty() && it != unit_index_.end()) {
            unit_parent_[i] = static_cast<std::uint32_t>(it->second);
        }
    }
    // Officers by unit (counting sort: one pass to count, one to place, file order kept).
    unit_first_.resize(units_.size());
    for (std::size_t i = 0; i < units_.size(); ++i) {
        unit_first_[i] = static_cast<std::uint32_t>(unit_index_.at(units_[i].id));
    }
    // An officer counts in each unit they file for (Person::units; built from `unit` when a caller
    // gave only that).
    for (Person& p : people_) {
        if (p.units.empty() && !p.unit.empty()) {
            p.units.push_back(p.unit);
        }
    }
    officer_start_.assign(units_.size() + 1, 0);
    const auto each_officer_unit = [this](auto&& f) {
        for (std::size_t i = 0; i < people_.size(); ++i) {
            if (people_[i].role != Role::officer) {
                continue;
            }
            for (const auto& u : people_[i].units) {
                if (const auto it = unit_index_.find(u); it != unit_index_.end()) {
                    f(i, it->second);
                }
            }
        }
    };
    each_officer_unit([this](std::size_t, std::size_t unit) { ++officer_start_[unit + 1]; });
    for (std::size_t u = 0; u < units_.size(); ++u) {
        officer_start_[u + 1] += officer_start_[u];
    }
    officer_ids_.resize(officer_start_.back());
    std::vector<std::uint32_t> next(officer_start_.begin(), officer_start_.end() - 1);
    each_officer_unit([this, &next](std::size_t person, std::size_t unit) {
        officer_ids_[next[unit]++] = static_cast<std::uint32_t>(person);
    });
}

std::span<const std::uint32_t> Roster::officers_of(std::size_t unit) const {
    if (unit >= unit_first_.size()) {
        return {};
    }
    const std::uint32_t u = unit_first_[unit];
    return std::span<const std::uint32_t>(officer_ids_)
        .subspan(officer_start_[u], officer_start_[u + 1] - officer_start_[u]);
}

const Unit* Roster::unit(std::string_view id) const {
    const auto it = unit_index_.find(id);
    return it == unit_index_.end() ? nullptr : &units_[it->second];
}

std::size_t Roster::unit_position(std::string_view id) const {
    const auto it = unit_index_.find(id);
    return it == unit_index_.end() ? units_.size() : it->second;
}

bool Roster::in_scope(const Person& person, std::string_view unit) const {
    if (!person.coordinates()) {
        return false;
    }
    if (person.role == Role::admin || person.scope.empty()) {
        return true;
    }
    const auto it = unit_index_.find(unit);
    if (it == unit_index_.end()) {
        return false;
    }
    // Up the tree (parents are checked acyclic at load), at most one step per unit.
    std::size_t u = it->second;
    for (std::size_t steps = 0; steps <= units_.size() && u != UINT32_MAX; ++steps) {
        if (std::find(person.scope.begin(), person.scope.end(), units_[u].id) != person.scope.end()) {
            return true;
        }
        u = unit_parent_[u];
    }
    return false;
}

std::vector<std::string> Roster::units_in_scope(const Person& person) const {
    std::vector<std::string> out;
    for (const auto& u : units_) {
        if (in_scope(person, u.id)) {
            out.push_back(u.id);
        }
    }
    return out;
}

std::optional<std::set<std::string, std::less<>>> Roster::visible_units(const Person* person) const {
    if (person == nullptr ||
        (person->coordinates() && (person->role == Role::admin || person->scope.empty()))) {
        return std::nullopt;
    }
    const auto units = units_in_scope(*person);
    return std::set<std::string, std::less<>>(units.begin(), units.end());
}

std::optional<std::set<std::string, std::less<>>> Roster::compared_units(const Person* person) const {
    return person != nullptr && !person->coordinates() ? std::nullopt : visible_units(person);
}

std::span<const templates::UnitRef> Roster::units_for(const Person& person,
                                                      std::vector<templates::UnitRef>& storage) const {
    if (person.coordinates()) {
        return unit_refs_;
    }
    storage.clear();
    for (const auto& id : person.units) {
        if (const Unit* u = unit(id)) {
            storage.push_back({u->id, u->name});
        }
    }
    return storage;
}

std::string_view Person::account_on(std::string_view bot, std::string_view platform) const {
    const Account* by_platform = nullptr;
    for (const auto& a : accounts) {
        if (!a.bot.empty() && a.bot == bot) {
            return a.user;
        }
        if (a.bot.empty() && a.platform == platform && by_platform == nullptr) {
            by_platform = &a;
        }
    }
    return by_platform != nullptr ? std::string_view(by_platform->user) : std::string_view();
}

const Person* Roster::person(std::string_view bot, std::string_view platform, std::string_view user) const {
    if (platform == kConsolePlatform) {
        return person_by_id(user);
    }
    const auto it = account_index_.find(user);
    if (it == account_index_.end()) {
        return nullptr;
    }
    // An account naming the bot wins over one naming its platform (the loader refuses two people
    // with the same account, so there is at most one of each).
    const Person* by_platform = nullptr;
    for (const std::uint32_t i : it->second) {
        for (const auto& a : people_[i].accounts) {
            if (!a.matches(bot, platform, user)) {
                continue;
            }
            if (!a.bot.empty()) {
                return &people_[i];
            }
            by_platform = by_platform != nullptr ? by_platform : &people_[i];
        }
    }
    return by_platform;
}

const Person* Roster::person_by_id(std::string_view id) const {
    const auto it = person_index_.find(id);
    return it == person_index_.end() ? nullptr : &people_[it->second];
}

const Chat* Roster::reporting_chat(const templates::Template& tmpl, std::string_view unit) const {
    for (const auto& c : chats_) {
        if (!c.bot.empty() && listed(c.templates, tmpl.id) && tmpl.applies_to_chat(c.id) &&
            listed(c.units, unit)) {
            return &c;
        }
    }
    return nullptr;
}

const Person* Roster::person_by_name(std::string_view name) const {
    const auto it =
        std::find_if(people_.begin(), people_.end(), [&](const Person& p) { return p.name == name; });
    return it == people_.end() ? nullptr : &*it;
}

const Chat* Roster::chat(std::string_view id) const {
    const auto it = std::find_if(chats_.begin(), chats_.end(), [&](const Chat& c) { return c.id == id; });
    return it == chats_.end() ? nullptr : &*it;
}

std::vector<const templates::Template*> Roster::templates_for(const templates::TemplateSet& set,
                                                              std::string_view chat_id,
                                                              const Person& p) const {
    std::vector<const templates::Template*> out;
    const Chat* c = chat(chat_id);
    for (const auto* t : set.available(chat_id, p.unit)) {
        // An unknown chat imposes no restriction of its own; a listed one must allow the unit and template.
        if (c == nullptr || (listed(c->templates, t->id) && (p.unit.empty() || listed(c->units, p.unit)))) {
            out.push_back(t);
        }
    }
    return out;
}

namespace {

std::vector<Unit> read_units(Reader& r, std::set<std::string>& unit_ids) {
    std::vector<Unit> units;
    if (!r.has("units")) {
        r.problem(r.child_path("units"), "required key is missing");
        return units;
    }
    Reader us = r.child("units");
    const std::size_t n = us.array() ? us.value().size() : 0;
    for (std::size_t i = 0; i < n; ++i) {
        Reader u = us.element(i);
        if (!u.object({"id", "name", "exempt", "parent"})) {
            continue;
        }
        Unit unit;
        u.string("id", unit.id, true);
        u.string("name", unit.name, true);
        u.boolean("exempt", unit.exempt);
        u.string("parent", unit.parent);
        if (!unit.id.empty() && !unit_ids.insert(unit.id).second) {
            u.problem(u.child_path("id"), "duplicate unit id \"" + unit.id + "\"");
        }
        units.push_back(std::move(unit));
    }
    // Parents: known units, and no unit above itself (a cycle would put every unit in it in every
    // scope of the cycle).
    std::map<std::string, std::string> parent_of;
    for (const auto& u : units) {
        parent_of.emplace(u.id, u.parent);
    }
    std::map<std::string, int> state;  // 1: being walked, 2: done
    for (std::size_t i = 0; i < units.size(); ++i) {
        const std::string at = us.path() + "[" + std::to_string(i) + "].parent";
        if (units[i].parent.empty()) {
            continue;
        }
        if (parent_of.count(units[i].parent) == 0) {
            us.problem(at, "unknown unit \"" + units[i].parent + "\"");
            continue;
        }
        std::vector<std::string> path;
        std::string u = units[i].id;
        while (!u.empty() && state[u] == 0) {
            state[u] = 1;
            path.push_back(u);
            const auto it = parent_of.find(u);
            u = it == parent_of.end() ? std::string() : it->second;
        }
        if (!u.empty() && state[u] == 1) {
            us.problem(at, "unit \"" + u + "\" is above itself (a cycle of parents)");
        }
        for (const auto& done : path) {
            state[done] = 2;
        }
    }
    return units;
}

/// A person's planned leave: ISO dates, `to` not before `from`.
void read_leave(Reader& p, Person& person) {
    if (!p.has("leave")) {
        return;
    }
    Reader ls = p.child("leave");
    const std::size_t n = ls.array() ? ls.value().size() : 0;
    for (std::size_t k = 0; k < n; ++k) {
        Reader l = ls.element(k);
        if (!l.object({"from", "to"})) {
            continue;
        }
        std::string from;
        std::string to;
        l.string("from", from, true);
        l.string("to", to, true);
        const templates::LocalDate any{2000, 1, 1};
        const auto f = templates::parse_date(from, any);
        const auto t = templates::parse_date(to, any);
        if (!f || from.size() != 10) {
            l.problem(l.child_path("from"), "expected a date YYYY-MM-DD");
        } else if (!t || to.size() != 10) {
            l.problem(l.child_path("to"), "expected a date YYYY-MM-DD");
        } else if (t->iso() < f->iso()) {
            l.problem(l.child_path("to"), "is before \"from\"");
        } else {
            person.leave.push_back({*f, *t});
        }
    }
}

/// `accounts`: objects {"bot": BOT, "user": ID} or {"platform": PLATFORM, "user": ID}. The flat list
/// of user ids of earlier versions is refused with the way to write it: a user id alone does not say
/// on which platform it is someone (a WeCom userid may equal a person id or a Slack id).
void read_accounts(Reader& p, Person& person) {
    if (!p.has("accounts")) {
        return;
    }
    Reader as = p.child("accounts");
    const std::size_t n = as.array() ? as.value().size() : 0;
    for (std::size_t i = 0; i < n; ++i) {
        Reader a = as.element(i);
        if (a.value().is_string()) {
            a.problem(a.path(),
                      "an account names its bot or platform: write {\"bot\": \"<bot id>\", \"user\": \"" +
                          a.value().get<std::string>() + "\"} (or {\"platform\": \"wecom_app\", ...})");
            continue;
        }
        if (!a.object({"bot", "platform", "user"})) {
            continue;
        }
        Account account;
        a.string("bot", account.bot);
        a.string("platform", account.platform);
        a.string("user", account.user, true);
        if (account.bot.empty() == account.platform.empty()) {
            a.problem(a.path(), "needs exactly one of \"bot\" and \"platform\"");
        }
        person.accounts.push_back(std::move(account));
    }
}

/// One person as written; the units it names are checked once the whole roster is read
/// (check_units), since "units" may come after "people" in the file.
std::optional<Person> read_person(Reader p) {
    if (!p.object({"id",
                   "name",
                   "unit",
                   "also_units",
                   "role",
                   "scope",
                   "notices",
                   "locale",
                   "accounts",
                   "leave"})) {
        return std::nullopt;
    }
    Person person;
    p.string("id", person.id, true);
    p.string("name", person.name, true);
    p.string("unit", person.unit);
    std::string role = "officer";
    p.string("role", role);
    if (role == "coordinator" || role == "reviewer") {
        person.role = Role::coordinator;
    } else if (role == "admin") {
        person.role = Role::admin;
    } else if (role != "officer") {
        p.problem(p.child_path("role"),
                  "must be \"officer\", \"coordinator\" (or \"reviewer\") or \"admin\"");
    }
    p.string_list("scope", person.scope);
    if (!person.scope.empty() && person.role != Role::coordinator) {
        p.problem(p.child_path("scope"), "only a coordinator has a scope (an admin coordinates every unit)");
    }
    std::string notices;
    if (p.string("notices", notices)) {
        if (notices != "each" && notices != "hourly" && notices != "none") {
            p.problem(p.child_path("notices"),
                      "must be \"each\" (a private notice of every new report), \"hourly\" (one notice "
                      "an hour of the reports it brought) or \"none\"");
        } else if (notices != "none" && person.role == Role::officer) {
            p.problem(p.child_path("notices"), "only coordinators are told of new reports");
        }
        person.notices = notices == "each"     ? Person::Notices::each
                         : notices == "hourly" ? Person::Notices::hourly
                                               : Person::Notices::none;
    }
    if (p.string("locale", person.locale) && person.locale != "zh-CN" && person.locale != "en") {
        p.problem(p.child_path("locale"), "must be \"zh-CN\" or \"en\"");
    }
    read_accounts(p, person);
    read_leave(p, person);
    if (person.unit.empty() && person.role == Role::officer) {
        p.problem(p.child_path("unit"), "officers need a unit");
    }
    std::vector<std::string> also;
    p.string_list("also_units", also);
    if (!also.empty() && person.unit.empty()) {
        p.problem(p.child_path("also_units"), "needs \"unit\" first (the unit they file for by default)");
    }
    if (!person.unit.empty()) {
        person.units.push_back(person.unit);
    }
    for (auto& u : also) {
        if (std::find(person.units.begin(), person.units.end(), u) == person.units.end()) {
            person.units.push_back(std::move(u));
        }
    }
    return person;
}

/// The units a person names (scope, unit, also_units) are in the roster's units.
void check_units(const Person& person,
                 const std::string& at,
                 const std::set<std::string>& unit_ids,
                 std::vector<json_check::Problem>& problems) {
    for (const auto& u : person.scope) {
        if (unit_ids.count(u) == 0) {
            problems.push_back({at + ".scope", "unknown unit \"" + u + "\""});
        }
    }
    for (const auto& u : person.units) {
        if (unit_ids.count(u) == 0) {
            problems.push_back(
                {at + (u == person.unit ? ".unit" : ".also_units"), "unknown unit \"" + u + "\""});
        }
    }
}

/// The people, read one at a time while the roster is parsed (parse_streaming), with the checks that
/// span people: one id is one person, one account is one person's.
class PeopleReader {
public:
    explicit PeopleReader(std::vector<json_check::Problem>& problems) : problems_(problems) {}

    void add(std::size_t index, const nlohmann::json& element) {
        const std::string at = "$.people[" + std::to_string(index) + "]";
        auto person = read_person(Reader(element, at, problems_));
        if (!person) {
            return;
        }
        if (!person->id.empty() && !ids_.insert(person->id).second) {
            problems_.push_back({at + ".id", "duplicate person id \"" + person->id + "\""});
        }
        for (std::size_t k = 0; k < person->accounts.size(); ++k) {
            const Account& a = person->accounts[k];
            const std::string where =
                a.bot.empty() ? "platform \"" + a.platform + "\"" : "bot \"" + a.bot + "\"";
            const auto [owner, fresh] = account_owner_.emplace(where + "\n" + a.user, person->id);
            if (!fresh && owner->second != person->id) {
                problems_.push_back({at + ".accounts[" + std::to_string(k) + "]",
                                     "the account \"" + a.user + "\" on " + where + " is already \"" +
                                         owner->second + "\"'s: one account is one person"});
            }
        }
        people_.push_back(std::move(*person));
        indexes_.push_back(index);
    }

    /// Every person, once the units are known.
    std::vector<Person> finish(const std::set<std::string>& unit_ids) {
        for (std::size_t i = 0; i < people_.size(); ++i) {
            check_units(people_[i], "$.people[" + std::to_string(indexes_[i]) + "]", unit_ids, problems_);
        }
        ids_.clear();
        account_owner_.clear();
        return std::move(people_);
    }

private:
    std::vector<json_check::Problem>& problems_;
    std::vector<Person> people_;
    std::vector<std::size_t> indexes_;  // each person's place in the file's array
    std::set<std::string> ids_;
    std::map<std::string, std::string> account_owner_;  // bot or platform, user → person id
};

/// A chat's `mode`, `listen` and `adoption_news` (docs/conversation.md, "A quiet group").
void read_modes(Reader& c, Chat& chat) {
    std::string mode = "group";
    c.string("mode", mode);
    if (mode == "private") {
        chat.mode = ChatMode::private_;
    } else if (mode == "page") {
        chat.mode = ChatMode::page;
    } else if (mode != "group") {
        c.problem(c.child_path("mode"), "must be \"group\", \"private\" or \"page\", not \"" + mode + "\"");
    }
    std::string listen = "answers";
    c.string("listen", listen);
    if (listen == "all") {
        chat.listen = Listen::all;
    } else if (listen != "answers") {
        c.problem(c.child_path("listen"), "must be \"answers\" or \"all\", not \"" + listen + "\"");
    }
    c.boolean("adoption_news", chat.adoption_news);
}

std::vector<Chat> read_chats(Reader& r, const std::set<std::string>& unit_ids) {
    std::vector<Chat> chats;
    if (!r.has("chats")) {
        return chats;
    }
    Reader cs = r.child("chats");
    const std::size_t n = cs.array() ? cs.value().size() : 0;
    for (std::size_t i = 0; i < n; ++i) {
        Reader c = cs.element(i);
        if (!c.object({"id", "bot", "push", "units", "templates", "mode", "listen", "adoption_news"})) {
            continue;
        }
        Chat chat;
        c.string("id", chat.id, true);
        c.string("bot", chat.bot);
        c.string("push", chat.push);
        chat.units = {"*"};
        c.string_list("units", chat.units);
        chat.templates = {"*"};
        c.string_list("templates", chat.templates);
        read_modes(c, chat);
        for (const auto& u : chat.units) {
            if (u != "*" && unit_ids.count(u) == 0) {
                c.problem(c.child_path("units"), "unknown unit \"" + u + "\"");
            }
        }
        chats.push_back(std::move(chat));
    }
    return chats;
}

}  // namespace

RosterLoad load_roster_text(std::string_view text, const std::string& file) {
    RosterLoad out;
    std::vector<json_check::Problem> problems;
    PeopleReader reader(problems);
    // The people are read while the text is parsed, and their part of the document is not kept:
    // with 100,000 people the whole document was the service's peak memory at start.
    auto root = json_check::parse_streaming(
        text, "people", [&](std::size_t i, const nlohmann::json& p) { reader.add(i, p); }, problems);
    std::vector<Unit> units;
    std::vector<Person> people;
    std::vector<Chat> chats;
    if (root) {
        Reader r(*root, "$", problems);
        if (r.object({"$schema", "units", "people", "chats"})) {
            std::set<std::string> unit_ids;
            units = read_units(r, unit_ids);
            if (r.has("people")) {
                r.child("people").array();  // the elements were read while parsing; the type is checked here
            }
            people = reader.finish(unit_ids);
            chats = read_chats(r, unit_ids);
        }
    }
    for (auto& p : problems) {
        out.errors.push_back({file, std::move(p.path), std::move(p.message)});
    }
    root.reset();
    if (out.errors.empty()) {
        out.roster = Roster(std::move(units), std::move(people), std::move(chats));
    }
    return out;
}

}  // namespace bot::handlers
